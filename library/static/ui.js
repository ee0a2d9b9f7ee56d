// The interface's words for scripts, in the reader's language: the page carries them
// (#ui-strings, from the translation catalogue); {name} placeholders are filled in.
window.uiText = function (key, vars) {
  "use strict";
  var el = document.getElementById("ui-strings"), table = {};
  try { table = el ? JSON.parse(el.textContent) : {}; } catch (e) { table = {}; }
  var text = table[key] || key;
  Object.keys(vars || {}).forEach(function (k) { text = text.split("{" + k + "}").join(vars[k]); });
  return text;
};

// Every page: the facets panel is open beside the results on wide screens and folded above
// them on small ones (without JavaScript it is simply a panel the reader opens).
(function () {
  "use strict";
  function init() {
    var panel = document.querySelector("details[data-open-wide]");
    if (!panel || !window.matchMedia) { return; }
    var wide = window.matchMedia("(min-width: 900.5px)");
    var chosen = panel.open;
    function apply() { panel.open = wide.matches || chosen; }
    apply();
    if (wide.addEventListener) { wide.addEventListener("change", apply); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();
