/* Starts the vendored Swagger UI on the page's OpenAPI document: a file, not an inline script, so the
   Content-Security-Policy can forbid inline scripts; no call to the online validator (validatorUrl: null). */
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.getAttribute("data-openapi"),
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    validatorUrl: null
  });
})();
