/*
 * Progressive enhancement of the participant page's quick-add form: save without a page
 * load. The form works without this script (a normal POST and redirect back). With it, the
 * POST goes through fetch and the parts of the page that change — the message area, the
 * summary, the form (with errors, if any) and the timeline — are taken from the page the
 * server answers with. Focus moves to the message, or to the error summary.
 */
(function () {
  "use strict";
  if (!window.fetch || !window.DOMParser || !window.FormData) {
    return;
  }
  var PARTS = [".messages", "#summary", "#quick-add", "#timeline"];

  function swap(fromDocument) {
    PARTS.forEach(function (selector) {
      var current = document.querySelector(selector);
      var fresh = fromDocument.querySelector(selector);
      if (current && fresh) {
        current.replaceWith(fresh);
      }
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-quick-add]")) {
      return;
    }
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    if (button) {
      button.disabled = true;
    }
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    })
      .then(function (response) {
        return response.text().then(function (html) {
          return { ok: response.ok, html: html };
        });
      })
      .then(function (result) {
        var page = new DOMParser().parseFromString(result.html, "text/html");
        swap(page);
        var target = result.ok
          ? document.querySelector(".messages")
          : document.querySelector("#quick-add .error-summary");
        if (target) {
          target.setAttribute("tabindex", "-1");
          target.focus();
        }
      })
      .catch(function () {
        // The network failed: send the form the ordinary way, nothing typed is lost.
        form.submit();
      });
  });
})();
