// Rapport's only script. No inline scripts: the CSP forbids them.
// htmx requests carry the CSRF token read from the cookie Django sets.
(function () {
  "use strict";
  function cookie(name) {
    var m = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return m ? decodeURIComponent(m[1]) : "";
  }
  document.addEventListener("htmx:configRequest", function (event) {
    var token = cookie("csrftoken");
    if (token) { event.detail.headers["X-CSRFToken"] = token; }
  });
  // After a swap, tell screen-reader users that results changed (the status regions do it)
  // and keep keyboard focus where it was.
})();
