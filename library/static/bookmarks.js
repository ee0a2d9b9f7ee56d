// Bookmarks, saved searches and the per-passage Cite button.
// Where the lists live: a logged-in librarian's in their account (/bookmarks/account, with the
// page's CSRF token), anyone else's in this browser (localStorage). Both hold the same shapes:
// bookmarks {doc, passage, title, added} and searches {query, label, saved, documents}, times
// in epoch seconds. Everything shown is set with textContent: no value becomes markup.
(function () {
  "use strict";
  var KEY = "library-bookmarks-v1";
  var MAX_BOOKMARKS = 500, MAX_SEARCHES = 50;  // as library/bookmarks.py caps an account
  var t = function (k, v) { return window.uiText ? window.uiText(k, v) : k; };
  var accountMeta = document.querySelector("meta[name=library-account]");
  var csrf = accountMeta ? accountMeta.getAttribute("content") : "";

  function now() { return Date.now() / 1000; }
  function local() {
    var data = null;
    try { data = JSON.parse(localStorage.getItem(KEY) || "null"); } catch (e) { data = null; }
    if (!data || !Array.isArray(data.bookmarks) || !Array.isArray(data.searches)) {
      data = {bookmarks: [], searches: []};
    }
    return data;
  }
  function keep(data) { localStorage.setItem(KEY, JSON.stringify(data)); return data; }
  function cleanQuery(q) {
    return (q || "").replace(/^\?/, "").split("&").filter(function (p) {
      return p && p.indexOf("page=") !== 0;
    }).join("&");
  }

  // One interface over both places: load() and change(action, fields) give the lists back.
  var store = csrf ? {
    load: function () {
      return fetch("/bookmarks/account", {credentials: "same-origin"}).then(function (r) {
        if (!r.ok) { throw new Error(r.status); } return r.json();
      });
    },
    change: function (action, fields) {
      var body = Object.assign({action: action}, fields);
      // keepalive: a change sent as the reader follows a link (a saved search marked as
      // seen) still reaches the server
      return fetch("/bookmarks/account", {method: "POST", credentials: "same-origin", keepalive: true,
        headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf},
        body: JSON.stringify(body)}).then(function (r) {
        return r.json().then(function (j) { if (!r.ok) { throw new Error(j.error); } return j; });
      });
    }
  } : {
    load: function () { return Promise.resolve(local()); },
    change: function (action, f) {
      var data = local();
      var same = function (b) { return b.doc === f.doc && (b.passage || "") === (f.passage || ""); };
      if (action === "add" || action === "remove") {
        var had = data.bookmarks.some(same);
        data.bookmarks = data.bookmarks.filter(function (b) { return !same(b); });
        if (action === "add") {
          if (!had && data.bookmarks.length >= MAX_BOOKMARKS) { return Promise.reject(new Error(t("full"))); }
          data.bookmarks.unshift({doc: f.doc, passage: f.passage || "", title: (f.title || "").slice(0, 300), added: now()});
        }
      } else {
        var q = cleanQuery(f.query);
        var known = data.searches.some(function (s) { return s.query === q; });
        data.searches = data.searches.filter(function (s) { return s.query !== q; });
        if (action === "save-search") {
          if (!known && data.searches.length >= MAX_SEARCHES) { return Promise.reject(new Error(t("full"))); }
          data.searches.unshift({query: q, label: (f.label || "").slice(0, 300), saved: now(),
                                 documents: Math.max(0, parseInt(f.documents, 10) || 0)});
        }
      }
      try { return Promise.resolve(keep(data)); }
      catch (e) { return Promise.reject(new Error(t("check_failed"))); }  // storage off or full
    }
  };

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) { e.textContent = text; }
    return e;
  }
  function say(text) {
    var live = document.getElementById("bookmark-status");
    if (live) { live.textContent = text; }
  }
  function liveRegion() {
    // made before anything is said into it: screen readers announce changes, not new regions
    if (!document.getElementById("bookmark-status")) {
      document.body.appendChild(el("p", {id: "bookmark-status", "class": "visually-hidden",
                                         role: "status"}));
    }
  }
  function isMarked(lists, doc, passage) {
    return lists.bookmarks.some(function (b) { return b.doc === doc && (b.passage || "") === (passage || ""); });
  }

  // A toggle button: aria-pressed says whether the item is bookmarked.
  // ``label`` names a passage: its name then starts with the visible word (WCAG 2.5.3).
  function toggle(button, lists, doc, passage, title, label) {
    function paint(on) {
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.textContent = on ? t("bookmarked") : t("bookmark");
      if (label) { button.setAttribute("aria-label", button.textContent + ": " + label); }
    }
    paint(isMarked(lists, doc, passage));
    button.addEventListener("click", function () {
      var on = button.getAttribute("aria-pressed") === "true";
      store.change(on ? "remove" : "add", {doc: doc, passage: passage, title: title})
        .then(function (l) { lists.bookmarks = l.bookmarks; paint(!on); say(on ? t("removed") : t("added")); })
        .catch(function (e) { say(e.message); });
    });
  }

  // ---- the reader: Bookmark the document, and per passage Bookmark and Cite ---------------
  function dialog() {
    var d = document.getElementById("cite-dialog");
    if (d) { return d; }
    d = el("dialog", {id: "cite-dialog", "class": "cite-dialog", "aria-labelledby": "cite-dialog-h"});
    var h = el("h2", {id: "cite-dialog-h"});
    var body = el("div", {"class": "cite-dialog-body"});
    var close = el("button", {type: "button", "class": "cite-dialog-close"}, t("close_cite"));
    close.addEventListener("click", function () { d.close(); });
    d.appendChild(h); d.appendChild(body); d.appendChild(close);
    document.body.appendChild(d);
    return d;
  }
  function cite(doc, pid, label, opener) {
    fetch("/doc/" + encodeURIComponent(doc) + "/cite?passage=" + encodeURIComponent(pid),
          {credentials: "same-origin"}).then(function (r) {
      if (!r.ok) { throw new Error(r.status); } return r.text();
    }).then(function (html) {
      // the cite page of this passage, parsed inert (no script runs): its box is reused whole
      var page = new DOMParser().parseFromString(html, "text/html");
      var box = page.querySelector(".cite-box");
      var d = dialog();
      var heading = page.querySelector("h1");  // "Cite this passage (paragraph 4)", translated
      d.querySelector("h2").textContent = heading ? heading.textContent : t("cite_passage", {label: label});
      var body = d.querySelector(".cite-dialog-body");
      body.textContent = "";
      if (box) { body.appendChild(document.importNode(box, true)); }
      d.addEventListener("close", function once() {
        d.removeEventListener("close", once); opener.focus();
      });
      d.showModal();
      d.querySelector(".cite-dialog-close").focus();
    }).catch(function () {
      location.href = "/doc/" + encodeURIComponent(doc) + "/cite?passage=" + encodeURIComponent(pid);
    });
  }
  function reader(lists) {
    var article = document.querySelector("article.document[data-doc]");
    if (!article) { return; }
    var doc = article.getAttribute("data-doc");
    var ui = document.documentElement.lang || "en";  // the interface's words, in a document's text
    var h1 = article.querySelector("h1");
    var title = h1 ? h1.textContent.trim() : doc;
    if (h1 && !article.querySelector(".bookmark-doc")) {
      var b = el("button", {type: "button", "class": "bookmark-doc toolbutton", lang: ui});
      h1.insertAdjacentElement("afterend", b);
      toggle(b, lists, doc, "", title);
    }
    Array.prototype.forEach.call(article.querySelectorAll(".doc-body .passage[id]"), function (p) {
      if (p.querySelector(":scope > .passage-tools")) { return; }
      var pid = p.id, label = p.getAttribute("data-label") || pid;
      var tools = el("span", {"class": "passage-tools", lang: ui});
      var c = el("button", {type: "button", "class": "cite-passage toolbutton",
                            "aria-label": t("cite") + ": " + label}, t("cite"));
      c.addEventListener("click", function () { cite(doc, pid, label, c); });
      var m = el("button", {type: "button", "class": "bookmark-passage toolbutton"});
      tools.appendChild(c); tools.appendChild(m);
      p.appendChild(tools);
      toggle(m, lists, doc, pid, title + " — " + label, label);  // listed as "Title — paragraph 4"
    });
  }

  // ---- the results page: Save this search ------------------------------------------------
  function results(lists) {
    var summary = document.querySelector(".summary[data-documents]");
    if (!summary || document.querySelector(".save-search")) { return; }
    var query = cleanQuery(location.search);
    var label = (new URLSearchParams(query)).get("q") || query;
    var saved = lists.searches.some(function (s) { return s.query === query; });
    var b = el("button", {type: "button", "class": "save-search toolbutton"},
               saved ? t("search_saved") : t("save_search"));
    b.addEventListener("click", function () {
      store.change("save-search", {query: query, label: label,
                                   documents: summary.getAttribute("data-documents")})
        .then(function () { b.textContent = t("search_saved"); say(t("search_saved")); })
        .catch(function (e) { say(e.message); });
    });
    var p = el("p", {"class": "save-search-line"});
    p.appendChild(b);
    summary.insertAdjacentElement("afterend", p);
  }

  // ---- the Bookmarks page ------------------------------------------------------------------
  function when(seconds) {
    var lang = document.documentElement.lang || "en";
    return new Intl.DateTimeFormat(lang, {dateStyle: "medium", timeStyle: "short"})
      .format(new Date(seconds * 1000));
  }
  function listPage(lists) {
    var marks = document.getElementById("marks-list");
    if (!marks) { return; }
    var searches = document.getElementById("searches-list");
    var form = document.getElementById("marks-export");
    function draw() {
      marks.textContent = ""; searches.textContent = "";
      Array.prototype.forEach.call(form.querySelectorAll("input[name=item]"), function (i) { i.remove(); });
      lists.bookmarks.forEach(function (b) {
        var li = el("li");
        var href = "/doc/" + encodeURIComponent(b.doc) + (b.passage ? "#" + encodeURIComponent(b.passage) : "");
        li.appendChild(el("a", {href: href}, b.title || b.doc));
        li.appendChild(el("span", {"class": "bookmark-when"}, " · " + t("added_on", {date: when(b.added)}) + " "));
        var rm = el("button", {type: "button", "class": "linklike remove-bookmark",
                               "aria-label": t("remove_named", {name: b.title || b.doc})}, t("remove"));
        rm.addEventListener("click", function () {
          store.change("remove", b).then(function (l) { lists = l; draw(); say(t("removed")); });
        });
        li.appendChild(rm);
        marks.appendChild(li);
        form.appendChild(el("input", {type: "hidden", name: "item", value: b.doc + (b.passage ? "#" + b.passage : "")}));
      });
      document.getElementById("marks-empty").hidden = lists.bookmarks.length > 0;
      form.hidden = lists.bookmarks.length === 0;
      lists.searches.forEach(function (s) {
        var li = el("li", {"class": "saved-search"});
        var open = el("a", {href: "/search?" + s.query}, s.label || s.query);
        var news = el("span", {"class": "search-news"}, " · " + t("checking"));
        open.addEventListener("click", function () {
          // opening a saved search marks it as seen: its date and count move to now
          var seen = parseInt(li.getAttribute("data-now"), 10);
          if (!isNaN(seen)) { store.change("save-search", {query: s.query, label: s.label, documents: seen}); }
        });
        li.appendChild(open); li.appendChild(news); li.appendChild(document.createTextNode(" "));
        var rm = el("button", {type: "button", "class": "linklike forget-search",
                               "aria-label": t("remove_named", {name: s.label || s.query})}, t("remove"));
        rm.addEventListener("click", function () {
          store.change("forget-search", s).then(function (l) { lists = l; draw(); say(t("removed")); });
        });
        li.appendChild(rm);
        searches.appendChild(li);
        // the alert: the search run again for its count only (one result, a bounded query)
        fetch("/api/search?" + s.query + "&limit=1", {credentials: "same-origin"})
          .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
          .then(function (j) {
            var fresh = j.documents - s.documents;
            li.setAttribute("data-now", String(j.documents));
            news.textContent = " · " + (fresh > 0 ? t("new_since", {n: fresh, date: when(s.saved)})
                                                  : t("none_new", {date: when(s.saved)}));
            if (fresh > 0) { li.classList.add("has-news"); }
          }).catch(function () { news.textContent = " · " + t("check_failed"); });
      });
      document.getElementById("searches-empty").hidden = lists.searches.length > 0;
    }
    draw();
    offerMerge(function (l) { lists = l; draw(); });
  }

  // A librarian who kept bookmarks in this browser before logging in: one button moves them
  // into the account (one request, capped as the account is), then empties the browser's lists.
  function offerMerge(redraw) {
    var kept = local();
    var n = kept.bookmarks.length + kept.searches.length;
    var place = document.getElementById("merge-local");
    if (!csrf || !n || !place) { return; }
    var b = el("button", {type: "button", "class": "toolbutton merge-local"}, t("merge", {n: n}));
    b.addEventListener("click", function () {
      store.change("merge", {bookmarks: kept.bookmarks.slice(0, MAX_BOOKMARKS),
                             searches: kept.searches.slice(0, MAX_SEARCHES)})
        .then(function (l) {
          localStorage.removeItem(KEY);
          place.hidden = true;
          redraw(l);
          say(t("merged", {n: l.added}));
        }).catch(function (e) { say(e.message); });
    });
    place.appendChild(b);
    place.hidden = false;
  }

  function init() {
    liveRegion();
    store.load().then(function (lists) {
      reader(lists); results(lists); listPage(lists);
      document.documentElement.setAttribute("data-bookmarks-ready", "");
    }).catch(function () {
      document.documentElement.setAttribute("data-bookmarks-ready", "");
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();
