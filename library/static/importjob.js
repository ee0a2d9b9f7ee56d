// The import job page while its job runs: the counts, asked for once a second, are said in the
// page's status region (which screen readers announce) and shown on the progress bar; when the
// job ends, its report replaces the page's body, fetched once. No reload, no meta refresh.
(function () {
  "use strict";
  var EVERY = 1000;
  function init() {
    var job = document.getElementById("job");
    if (!job) { return; }
    var url = job.getAttribute("data-status-url");
    var status = job.querySelector(".job-state");
    var bar = job.querySelector(".job-progress");
    function finish() {
      fetch(window.location.href, {credentials: "same-origin", cache: "no-store"})
        .then(function (r) { return r.text(); })
        .then(function (html) {
          var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("job");
          if (fresh) { job.replaceWith(document.adoptNode(fresh)); }
        })
        .catch(function () { setTimeout(finish, EVERY); });
    }
    function poll() {
      fetch(url, {credentials: "same-origin", cache: "no-store"})
        .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
        .then(function (s) {
          if (s.state === "done" || s.state === "failed") { finish(); return; }
          if (status.textContent !== s.status) { status.textContent = s.status; }
          if (bar) {
            bar.max = Math.max(1, s.files_total + s.pages_total);
            bar.value = s.files_done + s.pages_done;
          }
          setTimeout(poll, EVERY);
        })
        .catch(function () { setTimeout(poll, EVERY * 3); });
    }
    setTimeout(poll, EVERY);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();
