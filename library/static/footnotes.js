// Footnote previews in the reader. Hovering, focusing or tapping a footnote marker shows the
// note (from the notes list at the end of the page), its attribution in plain words and the
// first lines of the passage it cites, with a link there. Escape closes the preview and puts
// the focus back on the marker. Without JavaScript the marker is an ordinary link to the cited
// passage, and the notes list says the same things.
(function () {
  "use strict";
  var preview = null, owner = null, closeTimer = null, openTimer = null, touched = false;
  var refocusing = false;  // Escape puts the focus back on the marker without reopening

  function build(marker) {
    var note = document.getElementById(marker.getAttribute("data-note"));
    if (!note) { return null; }
    var box = document.createElement("span");
    box.className = "fn-preview";
    box.id = "fn-preview";
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-labelledby", "fn-preview-h");
    var head = document.createElement("strong");
    head.className = "fn-preview-h";
    head.id = "fn-preview-h";
    head.textContent = window.uiText("footnote", {n: note.getAttribute("value")});
    box.appendChild(head);
    [".note-bibl", ".note-status", ".note-cited"].forEach(function (sel) {
      var part = note.querySelector(sel);
      if (part) {
        var copy = part.cloneNode(true);
        copy.removeAttribute("id");
        Array.prototype.forEach.call(copy.querySelectorAll("[id]"),
          function (el) { el.removeAttribute("id"); });
        box.appendChild(copy);
      }
    });
    var close = document.createElement("button");
    close.type = "button";
    close.className = "fn-preview-close";
    close.setAttribute("aria-label", window.uiText("close"));
    close.textContent = "×";
    close.addEventListener("click", function () { hide(true); });
    box.appendChild(close);
    box.addEventListener("mouseenter", cancelClose);
    box.addEventListener("mouseleave", scheduleClose);
    box.addEventListener("focusout", function (e) {
      if (!box.contains(e.relatedTarget) && e.relatedTarget !== owner) { scheduleClose(); }
    });
    return box;
  }

  function place(marker, box) {
    // the box sits below the marker, inside the screen's width
    var parent = box.offsetParent || document.body;
    var m = marker.getBoundingClientRect(), p = parent.getBoundingClientRect();
    var width = Math.min(box.offsetWidth, window.innerWidth - 16);
    var left = Math.min(Math.max(8, m.left - 24), window.innerWidth - width - 8);
    box.style.left = (left - p.left) + "px";
    box.style.top = (m.bottom - p.top + 6) + "px";
  }

  function show(marker) {
    cancelClose();
    if (owner === marker && preview) { return; }
    hide(false);
    var box = build(marker);
    if (!box) { return; }
    var sup = marker.closest("sup") || marker;
    sup.parentNode.insertBefore(box, sup.nextSibling);
    place(marker, box);
    marker.setAttribute("aria-expanded", "true");
    marker.setAttribute("aria-controls", box.id);
    preview = box;
    owner = marker;
  }

  function hide(refocus) {
    clearTimeout(openTimer);
    cancelClose();
    if (!preview) { return; }
    var marker = owner;
    preview.parentNode.removeChild(preview);
    marker.setAttribute("aria-expanded", "false");
    marker.removeAttribute("aria-controls");
    preview = owner = null;
    if (refocus) { refocusing = true; marker.focus(); refocusing = false; }
  }

  function scheduleClose() { cancelClose(); closeTimer = setTimeout(function () { hide(false); }, 300); }
  function cancelClose() { clearTimeout(closeTimer); closeTimer = null; }

  function init() {
    var markers = document.querySelectorAll("a.fn-link[data-note]");
    Array.prototype.forEach.call(markers, function (marker) {
      if (!document.getElementById(marker.getAttribute("data-note"))) { return; }
      marker.setAttribute("aria-expanded", "false");
      marker.addEventListener("mouseenter", function () {
        clearTimeout(openTimer);
        openTimer = setTimeout(function () { show(marker); }, 120);
      });
      marker.addEventListener("mouseleave", function () { clearTimeout(openTimer); scheduleClose(); });
      marker.addEventListener("focus", function () { if (!refocusing) { show(marker); } });
      marker.addEventListener("blur", function (e) {
        if (!(preview && preview.contains(e.relatedTarget))) { scheduleClose(); }
      });
      marker.addEventListener("touchstart", function () {
        // whether the preview was already open before this tap (a tap also focuses)
        touched = owner === marker ? "open" : "closed";
      }, {passive: true});
      marker.addEventListener("click", function (e) {
        // a tap opens the preview first; its link (or a second tap) goes to the passage
        if (touched === "closed") { e.preventDefault(); show(marker); }
        touched = false;
      });
    });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && preview) { e.preventDefault(); hide(true); }
    });
    document.addEventListener("click", function (e) {
      if (preview && !preview.contains(e.target) && e.target !== owner) { hide(false); }
    });
    window.addEventListener("resize", function () { if (preview) { place(owner, preview); } });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();
