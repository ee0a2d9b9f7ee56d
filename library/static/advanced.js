// The advanced search form: the year sliders say their value, and the query the form builds
// is shown as the reader types (the server builds the same query from the same rules:
// library/search/advanced.py; without JavaScript it is shown after "Search").
(function () {
  "use strict";
  var OPERATORS = {AND: 1, OR: 1, NOT: 1, TO: 1};
  function words(text) {
    return (text.match(/[^\W_][\w'’.-]*/gu) || []).map(function (w) {
      return OPERATORS[w] ? w.toLowerCase() : (w.replace(/\.+$/, "") || w);
    });
  }
  function init() {
    var form = document.getElementById("advanced");
    if (!form) { return; }
    var out = document.getElementById("adv-query");
    var min = form.elements.from.min, max = form.elements.to.max;
    function build() {
      var field = form.elements.field.value;
      var prefix = {text: "", title: "title:", author: "author:", person: ""}[field] || "";
      var parts = [];
      if (field === "person") {
        var name = words(form.elements.all.value).join(" ");
        if (name) { parts.push('person:"' + name + '"'); }
      } else {
        words(form.elements.all.value).forEach(function (w) { parts.push(prefix + w); });
      }
      var phrase = words(form.elements.phrase.value).join(" ");
      if (phrase) { parts.push(prefix + '"' + phrase + '"'); }
      var any = words(form.elements.any.value).map(function (w) { return prefix + w; });
      if (any.length === 1) { parts.push(any[0]); }
      else if (any.length) { parts.push("(" + any.join(" OR ") + ")"); }
      var from = +form.elements.from.value, to = +form.elements.to.value;
      if (from > to) { var t = from; from = to; to = t; }
      var start = from > +min ? from : null, end = to < +max ? to : null;
      if (start || end) { parts.push("date:[" + (start || 1000) + " TO " + (end || 2999) + "]"); }
      words(form.elements.none.value).forEach(function (w) { parts.push("NOT " + prefix + w); });
      out.querySelector("code").textContent = parts.join(" ");
      document.getElementById("adv-from-out").textContent = form.elements.from.value;
      document.getElementById("adv-to-out").textContent = form.elements.to.value;
    }
    form.addEventListener("input", build);
    form.addEventListener("change", build);
    build();
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();
