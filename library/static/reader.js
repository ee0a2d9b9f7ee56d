// Search inside a document: step through the highlighted matches with Previous / Next
// (or the n / p keys). Without JavaScript the links still jump to the first and last passage.
(function () {
  "use strict";
  function init() {
    var marks = Array.prototype.slice.call(document.querySelectorAll(".doc-body mark.hit"));
    var next = document.querySelector(".find-next");
    var prev = document.querySelector(".find-prev");
    var counter = document.querySelector(".find-counter");
    if (!marks.length || !next || !prev) { return; }
    var current = -1;
    marks.forEach(function (m, i) { m.id = m.id || "hit-" + (i + 1); m.tabIndex = -1; });
    function show(i) {
      if (current >= 0) { marks[current].classList.remove("current"); }
      current = (i + marks.length) % marks.length;
      var m = marks[current];
      m.classList.add("current");
      m.scrollIntoView({block: "center"});
      m.focus({preventScroll: true});
      counter.textContent = window.uiText("of", {n: current + 1, total: marks.length});
    }
    next.addEventListener("click", function (e) { e.preventDefault(); show(current + 1); });
    prev.addEventListener("click", function (e) { e.preventDefault(); show(current - 1); });
    document.addEventListener("keydown", function (e) {
      var t = e.target.tagName;
      if (t === "INPUT" || t === "TEXTAREA" || e.altKey || e.ctrlKey || e.metaKey) { return; }
      if (e.key === "n") { show(current + 1); } else if (e.key === "p") { show(current - 1); }
    });
    counter.textContent = window.uiText("matches", {total: marks.length});
    if (!location.hash) { show(0); } else {
      var target = document.getElementById(location.hash.slice(1));
      var inside = target ? marks.findIndex(function (m) { return target.contains(m); }) : -1;
      if (inside >= 0) { current = inside; marks[inside].classList.add("current");
        counter.textContent = window.uiText("of", {n: inside + 1, total: marks.length}); }
    }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();
