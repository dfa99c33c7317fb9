/*
 * Progressive enhancement of the participant page's quick-add form: save without a page
 * load. The form works without this script (a normal POST and redirect back). With it, the
 * POST goes through fetch and the parts of the page that change — the message area, the
 * summary, the form (with errors, if any) and the timeline — are taken from the page the
 * server answers with. Focus moves to the message, or to the error summary.
 *
 * Any other answer (the login page after an expired session, a failed security check, a
 * server error) or no answer at all saves nothing: the form keeps what was typed, the button
 * works again and the failure box above the form (_quick_add_failure.html) says what happened
 * and what to do. Swapping in an unexpected page would throw the typed text away.
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

  function csrfCookie() {
    // Logging in again (in another tab) rotates the token; the cookie holds the current one.
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : null;
  }

  function failureBox(form) {
    return form.parentNode.querySelector("[data-quick-add-failure]");
  }

  function showFailure(form, reason, status) {
    var box = failureBox(form);
    if (!box) {
      return;
    }
    box.querySelectorAll("[data-reason]").forEach(function (paragraph) {
      paragraph.hidden = paragraph.getAttribute("data-reason") !== reason;
    });
    box.querySelectorAll("[data-status]").forEach(function (code) {
      code.textContent = String(status || "");
    });
    box.hidden = false;
    box.focus();
  }

  function reasonFor(response) {
    // Decided before parsing: an unexpected page (Django's CSRF page has inline styles) is
    // never parsed, so the Content-Security-Policy has nothing to block.
    if (response.redirected || response.status === 401) {
      return "session"; // login_required sent the POST to the login page
    }
    if (response.status === 403) {
      return "forbidden";
    }
    if (response.status !== 200 && response.status !== 400) {
      return "server";
    }
    return null;
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
    var box = failureBox(form);
    if (box) {
      box.hidden = true;
    }
    var data = new FormData(form);
    var token = csrfCookie();
    if (token) {
      data.set("csrfmiddlewaretoken", token);
    }
    function enable() {
      if (button) {
        button.disabled = false;
      }
    }
    fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    })
      .then(function (response) {
        var reason = reasonFor(response);
        if (reason) {
          enable();
          showFailure(form, reason, response.status);
          return null;
        }
        return response.text().then(function (html) {
          var page = new DOMParser().parseFromString(html, "text/html");
          if (!page.querySelector("#quick-add")) {
            enable();
            showFailure(form, "server", response.status);
            return;
          }
          swap(page);
          var target = response.ok
            ? document.querySelector(".messages")
            : document.querySelector("#quick-add .error-summary:not([hidden])");
          if (target) {
            target.setAttribute("tabindex", "-1");
            target.focus();
          }
        });
      })
      .catch(function () {
        enable();
        showFailure(form, "network");
      });
  });
})();
