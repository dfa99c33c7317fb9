/*
 * A PDF being made (reports: one factsheet or a whole terugblik), followed in place
 * (progressive enhancement). Without this script the status page reloads itself every two
 * seconds (<noscript> meta refresh). With it, the page polls its JSON every second, updates
 * the status, the <progress> element and its text (an aria-live region), and reloads once
 * when the job has ended, to show the download or the error.
 */
(function () {
  "use strict";

  var section = document.querySelector("[data-job-status-url]");
  if (!section || !window.fetch) {
    return;
  }
  var url = section.getAttribute("data-job-status-url");
  var status = section.querySelector("[data-job-status]");
  var progress = section.querySelector("progress");
  var text = section.querySelector("[data-batch-progress]");

  function show(data) {
    if (status && status.textContent !== data.status_display) {
      status.textContent = data.status_display;
    }
    if (progress && data.total !== undefined) {
      progress.max = Math.max(data.total, 1);
      progress.value = data.done;
      progress.textContent = data.progress_text;
    }
    if (text && data.progress_text && text.textContent !== data.progress_text) {
      text.textContent = data.progress_text;
    }
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (data) {
        if (!data.pending) {
          window.location.reload();
          return;
        }
        show(data);
        window.setTimeout(poll, 1000);
      })
      .catch(function () {
        // The server may be restarting; try again a little later.
        window.setTimeout(poll, 5000);
      });
  }

  window.setTimeout(poll, 1000);
})();
