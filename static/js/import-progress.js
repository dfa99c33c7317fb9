/*
 * Progress of a participant import, updated in place (progressive enhancement).
 * Without this script the status page reloads itself every two seconds (<noscript> meta
 * refresh). With it, the page polls its JSON every second, updates the <progress> element and
 * its text (an aria-live region), and reloads once when the import has finished, to show the
 * result.
 */
(function () {
  "use strict";

  var section = document.querySelector("[data-import-status-url]");
  if (!section || !window.fetch) {
    return;
  }
  var url = section.getAttribute("data-import-status-url");
  var progress = section.querySelector("progress");
  var text = section.querySelector("[data-import-progress-text]");
  var status = document.querySelector("[data-import-status]");

  function show(data) {
    if (progress) {
      progress.max = Math.max(data.total_rows, 1);
      progress.value = data.processed_rows;
      progress.textContent = data.progress_text;
    }
    if (text && text.textContent !== data.progress_text) {
      text.textContent = data.progress_text;
    }
    if (status) {
      status.textContent = data.status_display;
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
        if (data.finished) {
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
