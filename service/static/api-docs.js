// The API page: Swagger UI (from npm, served by this app) over this server's /openapi.json. Loaded as a
// file, not inline, so the site's Content-Security-Policy (default-src 'self') holds.
(function () {
  "use strict";
  var element = document.getElementById("api-docs");
  if (!element || typeof SwaggerUIBundle === "undefined") { return; }   // not installed: the link stays
  SwaggerUIBundle({
    url: element.dataset.spec,
    domNode: element,
    deepLinking: true,              // an operation's address can be shared (#/SPARQL/get_sparql)
    docExpansion: "list",
    defaultModelsExpandDepth: 0,    // the schemas are long: open them on demand
    displayRequestDuration: true,
    tryItOutEnabled: false,
    validatorUrl: null,             // never ask an outside validator (swagger.io) about the description
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  });
}());
