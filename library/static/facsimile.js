// The page images beside the transcription, in step: turning a page in the viewer scrolls the
// text to that page's break; a page break clicked, or scrolled to, turns the viewer to it.
// OpenSeadragon reads each page's IIIF info.json (level 0: the full image). Keys in the viewer:
// arrows pan, + / - zoom, 0 fits the page, [ and ] turn the page.
(function () {
  "use strict";
  function init() {
    var box = document.getElementById("facsimile");
    if (!box || typeof OpenSeadragon === "undefined") { return; }
    var items = Array.prototype.slice.call(box.querySelectorAll(".facsimile-pages li"));
    var numbers = items.map(function (li) { return li.getAttribute("data-n"); });
    var breaks = items.map(function (li) {
      return document.getElementById("pb-" + li.getAttribute("data-pb"));
    });
    var label = box.querySelector(".fx-n");
    var conf = box.querySelector(".fx-conf");
    var viewer = OpenSeadragon({
      element: document.getElementById("facsimile-viewer"),
      tileSources: items.map(function (li) { return li.getAttribute("data-info"); }),
      sequenceMode: true,
      showNavigationControl: false,
      showSequenceControl: false,
      preserveViewport: false,
      visibilityRatio: 0.5,
      gestureSettingsMouse: {clickToZoom: false}
    });
    var current = 0;
    var fromScroll = false;
    box.classList.add("fx-ready");
    function show(i, scrollText) {
      if (i < 0 || i >= items.length) { return; }
      var before = current;
      current = i;  // first: goToPage raises "page" at once, and that must not come back here
      if (i !== before) { viewer.goToPage(i); }
      label.textContent = numbers[i];
      var c = items[i].getAttribute("data-confidence");
      conf.textContent = c ? window.uiText("confidence", {c: c}) : "";
      box.setAttribute("data-current", numbers[i]);
      breaks.forEach(function (b, j) { if (b) { b.classList.toggle("pb-current", j === i); } });
      if (scrollText && breaks[i]) { breaks[i].scrollIntoView({block: "start"}); }
    }
    viewer.addHandler("page", function (e) { if (e.page !== current) { show(e.page, !fromScroll); } });
    box.querySelector(".fx-prev").addEventListener("click", function () { show(current - 1, true); });
    box.querySelector(".fx-next").addEventListener("click", function () { show(current + 1, true); });
    box.querySelector(".fx-zoom-in").addEventListener("click", function () {
      viewer.viewport.zoomBy(1.5); viewer.viewport.applyConstraints();
    });
    box.querySelector(".fx-zoom-out").addEventListener("click", function () {
      viewer.viewport.zoomBy(1 / 1.5); viewer.viewport.applyConstraints();
    });
    box.querySelector(".fx-home").addEventListener("click", function () { viewer.viewport.goHome(); });
    document.getElementById("facsimile-viewer").addEventListener("keydown", function (e) {
      if (e.key === "]") { e.preventDefault(); show(current + 1, true); }
      if (e.key === "[") { e.preventDefault(); show(current - 1, true); }
    });
    breaks.forEach(function (b, i) {
      if (!b) { return; }
      b.addEventListener("click", function (e) { e.preventDefault(); show(i, false); });
    });
    if ("IntersectionObserver" in window) {
      // the last page break scrolled past the top third of the window is the page being read
      var observer = new IntersectionObserver(function () {
        var top = window.innerHeight / 3;
        var seen = -1;
        breaks.forEach(function (b, i) { if (b && b.getBoundingClientRect().top < top) { seen = i; } });
        if (seen >= 0 && seen !== current) {
          fromScroll = true; show(seen, false); fromScroll = false;
        }
      }, {rootMargin: "0px 0px -66% 0px"});
      breaks.forEach(function (b) { if (b) { observer.observe(b); } });
    }
    show(0, false);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else { init(); }
})();
