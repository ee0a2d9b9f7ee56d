// The page images beside the transcription, in step: turning a page in the viewer scrolls the
// text to that page's break; a page break clicked, or scrolled to, turns the viewer to it.
// OpenSeadragon reads each page's IIIF info.json. Keys in the viewer: arrows pan, + / - zoom,
// 0 fits the page, [ and ] turn the page, n and N go to the next and previous hit.
// After a search, the words it found are outlined on the page images: the boxes come from the
// document's IIIF Content Search service (data-search), drawn as OpenSeadragon overlays (they
// follow pan and zoom); the pages with hits are listed, and "Hit ›" moves through them, saying
// where it went in a status region that screen readers announce.
(function () {
  "use strict";
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, k) { return k in values ? values[k] : m; });
  }
  function init() {
    var box = document.getElementById("facsimile");
    if (!box || typeof OpenSeadragon === "undefined") { return; }
    var items = Array.prototype.slice.call(box.querySelectorAll(".facsimile-pages li"));
    var numbers = items.map(function (li) { return li.getAttribute("data-n"); });
    var breaks = items.map(function (li) {
      return document.getElementById("pb-" + li.getAttribute("data-pb"));
    });
    var element = document.getElementById("facsimile-viewer");
    var label = box.querySelector(".fx-n");
    var conf = box.querySelector(".fx-conf");
    var viewer = OpenSeadragon({
      element: element,
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
    var holdPage = false;  // the page a search arrived at, kept until the reader moves
    ["wheel", "touchstart", "keydown", "mousedown"].forEach(function (type) {
      window.addEventListener(type, function () { holdPage = false; }, {passive: true});
    });
    var hits = [];  // {page (index), x, y, w, h (image pixels), text, passage}
    var hit = -1;  // the hit last gone to
    var pending = -1;  // a hit to show once its page is open
    box.classList.add("fx-ready");

    function show(i, scrollText) {
      if (i < 0 || i >= items.length) { return; }
      var before = current;
      current = i;  // first: goToPage raises "page" at once, and that must not come back here
      if (i !== before) { viewer.goToPage(i); }
      label.textContent = numbers[i];
      var c = items[i].getAttribute("data-confidence");
      conf.textContent = c ? " · " + fill(box.getAttribute("data-msg-conf"), {percent: c}) : "";
      box.setAttribute("data-current", numbers[i]);
      breaks.forEach(function (b, j) { if (b) { b.classList.toggle("pb-current", j === i); } });
      items.forEach(function (li, j) {
        if (j === i) { li.setAttribute("aria-current", "true"); } else { li.removeAttribute("aria-current"); }
      });
      if (scrollText && breaks[i]) { breaks[i].scrollIntoView({block: "start"}); }
    }

    // -- hits on the page images ---------------------------------------------------------------
    function image() { return viewer.world.getItemAt(0); }
    function drawHits() {
      viewer.clearOverlays();
      var tiled = image();
      if (!tiled) { return; }
      hits.forEach(function (h, k) {
        if (h.page !== current) { return; }
        var mark = document.createElement("div");
        mark.className = "fx-hit" + (k === hit ? " fx-hit-current" : "");
        mark.setAttribute("data-hit", String(k));
        mark.title = h.text;
        viewer.addOverlay({element: mark,
                           location: tiled.imageToViewportRectangle(h.x, h.y, h.w, h.h)});
      });
      box.setAttribute("data-overlays", String(box.querySelectorAll(".fx-hit").length));
    }
    function focusHit(k) {
      var h = hits[k];
      var tiled = image();
      if (!tiled) { return; }
      // the hit in the middle, with room round it to read the line it stands on
      var size = tiled.getContentSize();
      var w = Math.max(h.w * 4, size.x * 0.45);
      var ht = w * element.clientHeight / Math.max(1, element.clientWidth);
      viewer.viewport.fitBounds(tiled.imageToViewportRectangle(
        h.x + h.w / 2 - w / 2, h.y + h.h / 2 - ht / 2, w, ht));
    }
    function goToHit(k, announce) {
      if (!hits.length) { return; }
      hit = (k + hits.length) % hits.length;
      var h = hits[hit];
      if (announce) {
        status.textContent = fill(box.getAttribute("data-msg-hit"),
          {n: hit + 1, total: hits.length, page: numbers[h.page], text: h.text});
      }
      box.setAttribute("data-hit", String(hit));
      // arriving, the whole page with its hits outlined; going to a hit, the hit up close
      if (h.page !== current) {
        pending = announce ? hit : -1;
        show(h.page, false);
      } else {
        drawHits();
        if (announce) { focusHit(hit); }
      }
      // the text follows the image (on arrival the find bar has put its first match in view)
      var passage = announce && h.passage && document.getElementById(h.passage);
      var seen = passage && passage.getBoundingClientRect();
      var under = document.querySelector(".findbar");
      under = under ? under.getBoundingClientRect().bottom : 0;
      if (passage && (seen.top < under || seen.bottom > window.innerHeight)) {  // out of view
        fromScroll = true;
        passage.scrollIntoView({block: "center"});
        setTimeout(function () { fromScroll = false; }, 300);
      }
    }
    var bar = box.querySelector(".fx-hits");
    var status = box.querySelector(".fx-hit-status");
    function listHits() {
      bar.hidden = false;
      var list = box.querySelector(".fx-hit-pages");
      list.textContent = "";
      if (!hits.length) {
        status.textContent = box.getAttribute("data-msg-none");
        box.querySelector(".fx-hit-prev").hidden = true;
        box.querySelector(".fx-hit-next").hidden = true;
        return;
      }
      status.textContent = hits.length === 1 ? box.getAttribute("data-msg-hits1")
        : fill(box.getAttribute("data-msg-hits"), {total: hits.length});
      var counts = {};
      hits.forEach(function (h, k) {
        if (!(h.page in counts)) { counts[h.page] = {first: k, count: 0}; }
        counts[h.page].count += 1;
      });
      Object.keys(counts).map(Number).sort(function (a, b) { return a - b; }).forEach(function (p) {
        var li = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.textContent = fill(box.getAttribute("data-msg-page-hits"),
                                  {page: numbers[p], count: counts[p].count});
        button.addEventListener("click", function () { goToHit(counts[p].first, true); });
        li.appendChild(button);
        list.appendChild(li);
      });
    }
    function alignSideBySide() {
      // side by side (wide screens), the text's first match and its page image both in view:
      // the pair's top just under the find bar, when the match stays in view from there
      var pair = box.parentNode;
      var mark = document.querySelector("mark.hit");
      if (!pair || !mark || window.innerWidth < 960) { return; }
      var findbar = document.querySelector(".findbar");
      var under = findbar ? findbar.getBoundingClientRect().height : 0;
      var shift = pair.getBoundingClientRect().top - under - 8;
      var markTop = mark.getBoundingClientRect().top - shift;
      if (markTop > under && markTop < window.innerHeight - 40) {
        window.scrollTo(0, window.scrollY + shift);
      }
    }
    function loadHits(url) {
      fetch(url, {headers: {Accept: "application/json"}}).then(function (r) {
        return r.ok ? r.json() : {items: []};
      }).then(function (data) {
        (data.items || []).forEach(function (a) {
          var m = /\/canvas\/([^\/#]+)#xywh=(\d+),(\d+),(\d+),(\d+)$/.exec(a.target || "");
          var page = m ? numbers.indexOf(decodeURIComponent(m[1])) : -1;
          if (page < 0) { return; }
          var see = (a.seeAlso && a.seeAlso[0] && a.seeAlso[0].id) || "";
          hits.push({page: page, x: +m[2], y: +m[3], w: +m[4], h: +m[5],
                     text: (a.body && a.body.value) || "",
                     passage: see.indexOf("#") >= 0 ? see.slice(see.indexOf("#") + 1) : ""});
        });
        listHits();
        alignSideBySide();
        if (hits.length) {
          // arriving from a search: the first hit, on its page, in view; the page stays until
          // the reader moves (the find bar's scroll and the passages' buttons move the text
          // under the page breaks, which must not turn the image back)
          holdPage = true;
          var first = 0;
          hits.forEach(function (h, k) { if (h.page === current && first === 0) { first = k; } });
          goToHit(hits[first].page === current ? first : 0, false);
        }
      }).catch(function () { /* no boxes: the text still shows the hits */ });
    }
    viewer.addHandler("open", function () {
      drawHits();
      if (pending >= 0) { var k = pending; pending = -1; focusHit(k); }
    });
    box.querySelector(".fx-hit-next").addEventListener("click", function () { goToHit(hit + 1, true); });
    box.querySelector(".fx-hit-prev").addEventListener("click", function () { goToHit(hit - 1, true); });

    // -- controls ------------------------------------------------------------------------------
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
    var full = box.querySelector(".fx-full");
    function setFull(on) {
      box.classList.toggle("fx-fullscreen", on);
      full.setAttribute("aria-pressed", on ? "true" : "false");
      setTimeout(function () { viewer.viewport.resize(); viewer.viewport.goHome(true); }, 50);
    }
    full.addEventListener("click", function () {
      var on = !box.classList.contains("fx-fullscreen");
      // the browser's full screen where it has one for any element; else the whole window
      if (on && box.requestFullscreen) {
        box.requestFullscreen().catch(function () { setFull(true); });
      } else if (!on && document.fullscreenElement) {
        document.exitFullscreen();
      } else { setFull(on); }
    });
    document.addEventListener("fullscreenchange", function () {
      setFull(document.fullscreenElement === box);
    });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && box.classList.contains("fx-fullscreen") && !document.fullscreenElement) {
        setFull(false);
      }
    });
    element.addEventListener("keydown", function (e) {
      if (e.key === "]") { e.preventDefault(); show(current + 1, true); }
      if (e.key === "[") { e.preventDefault(); show(current - 1, true); }
      // (in the viewer, n and N are its hits, not the text's matches: reader.js's keys)
      if (e.key === "n" && hits.length) { e.preventDefault(); e.stopPropagation(); goToHit(hit + 1, true); }
      if (e.key === "N" && hits.length) { e.preventDefault(); e.stopPropagation(); goToHit(hit - 1, true); }
    });
    items.forEach(function (li, i) {
      // a page in the strip turns the viewer to it (without script, the link opens its image)
      li.querySelector("a").addEventListener("click", function (e) { e.preventDefault(); show(i, true); });
    });
    breaks.forEach(function (b, i) {
      if (!b) { return; }
      b.addEventListener("click", function (e) { e.preventDefault(); show(i, false); });
    });
    if ("IntersectionObserver" in window) {
      // the last page break scrolled past the top third of the window is the page being read
      var observer = new IntersectionObserver(function () {
        if (fromScroll || holdPage) { return; }
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
    if (box.getAttribute("data-search")) { loadHits(box.getAttribute("data-search")); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else { init(); }
})();
