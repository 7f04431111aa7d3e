/* rollcall: a refresh's page asks the server every few seconds how the refresh is going and
   updates its status line (an aria-live region, read out when it changes); once the refresh is
   done or failed it loads the page again, once, to show the result. Without JavaScript the
   page's "Check again" link does the same. No <meta refresh>: it would reload the whole page in
   a loop, which screen readers announce from the top each time. */
(function () {
  "use strict";
  var box = document.getElementById("job-progress");
  var url = box && box.getAttribute("data-status-url");
  var text = document.getElementById("job-progress-text");
  if (!url || !text || !window.fetch) { return; }
  var every = 2000;
  function later() { window.setTimeout(ask, every); }
  function ask() {
    window.fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (answer) { return answer.ok ? answer.json() : null; })
      .then(function (state) {
        if (!state) { later(); return; }
        if (text.textContent !== state.text) { text.textContent = state.text; }
        if (state.finished) { window.location.reload(); return; }
        later();
      })
      .catch(later);
  }
  later();
}());
