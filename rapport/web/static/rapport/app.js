// Rapport's only script. No inline scripts: the CSP forbids them.
// Requests that change something carry the CSRF token read from the cookie Django sets (its
// name, __Host-csrftoken under the production settings, is in the page's csrf-cookie meta).
(function () {
  "use strict";
  function cookie(name) {
    var m = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return m ? decodeURIComponent(m[1]) : "";
  }
  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-cookie"]');
    return cookie(meta && meta.getAttribute("content") ? meta.getAttribute("content") : "csrftoken");
  }
  document.addEventListener("htmx:configRequest", function (event) {
    var token = csrfToken();
    if (token) { event.detail.headers["X-CSRFToken"] = token; }
  });

  // The idle-timeout warning: shown when the session has little time left. Before showing it,
  // ask the server (asking is not activity): another tab may have kept the session going.
  var warning = document.getElementById("session-warning");
  if (warning) {
    var warnFor = parseInt(warning.getAttribute("data-warn"), 10);
    var statusUrl = warning.getAttribute("data-status");
    var countdown = warning.querySelector(".session-countdown");
    var plural = new Intl.PluralRules(document.documentElement.lang || "en");
    var timer = null;
    var ticker = null;
    var schedule = function (remaining) {
      clearTimeout(timer);
      clearInterval(ticker);
      warning.hidden = true;
      timer = setTimeout(check, Math.max(remaining - warnFor, 1) * 1000);
    };
    var show = function (remaining) {
      var ends = Date.now() + remaining * 1000;
      warning.hidden = false;
      clearInterval(ticker);
      var tick = function () {
        var left = Math.max(Math.round((ends - Date.now()) / 1000), 0);
        // The wording comes from the page, in its language ("{n} second" / "{n} seconds").
        var form = plural.select(left) === "one" ? countdown.getAttribute("data-one") : countdown.getAttribute("data-other");
        countdown.textContent = form.replace("{n}", left);
      };
      tick();
      ticker = setInterval(tick, 1000);
      timer = setTimeout(check, remaining * 1000 + 500);
    };
    var check = function () {
      fetch(statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          if (data.remaining <= 0) { window.location.reload(); }
          else if (data.remaining > warnFor + 2) { schedule(data.remaining); }
          else { show(data.remaining); }
        })
        .catch(function () { timer = setTimeout(check, 10000); });
    };
    var form = warning.querySelector("form");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      fetch(form.action, { method: "POST", credentials: "same-origin",
                           headers: { "X-Requested-With": "fetch", Accept: "application/json",
                                      "X-CSRFToken": csrfToken() } })
        .then(function (r) { return r.json(); })
        .then(function (data) { schedule(data.remaining); })
        .catch(function () { window.location.reload(); });
    });
    document.addEventListener("htmx:afterRequest", function () {
      schedule(parseInt(warning.getAttribute("data-idle"), 10));
    });
    schedule(parseInt(warning.getAttribute("data-idle"), 10));
  }
  // After a swap, tell screen-reader users that results changed (the status regions do it)
  // and keep keyboard focus where it was.
})();
