// The interactive API documentation (Swagger UI from django-ninja's own static files; no
// inline script, so it runs under the site's Content-Security-Policy). Requests made from the
// page use the browser session and send its CSRF token, as the API asks of session writes.
(function () {
  "use strict";
  var settings = JSON.parse(document.getElementById("swagger-settings").textContent);
  var csrf = document.body.dataset.csrfToken;
  settings.dom_id = "#swagger-ui";
  settings.presets = [SwaggerUIBundle.presets.apis];
  settings.requestInterceptor = function (request) {
    if (csrf) {
      request.headers["X-CSRFToken"] = csrf;
    }
    return request;
  };
  SwaggerUIBundle(settings);
})();
