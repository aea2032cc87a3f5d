// The API's documentation page: Swagger UI on the OpenAPI document (no inline script: the CSP forbids it).
// The browser's own calls ("Try it out") use the session cookie and send the CSRF token on writes.
(function () {
  const root = document.getElementById("swagger-ui");
  const csrf = root.dataset.csrfToken;
  window.SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    dom_id: "#swagger-ui",
    deepLinking: true,
    persistAuthorization: false,
    requestInterceptor: function (request) {
      if (csrf) { request.headers["X-CSRFToken"] = csrf; }
      return request;
    },
  });
})();
