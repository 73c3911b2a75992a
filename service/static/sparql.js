// The SPARQL workbench: YASGUI's editor (YASQE: highlighting, completion, syntax errors marked as you
// type) and result viewer (YASR: a sortable, paged table, the raw response), set up for this endpoint:
// completion from this graph's prefixes, classes and properties (never an outside service), local IRIs
// linking to their pages, numbers written as numbers, a chart view, downloads as CSV/JSON/TSV, and the
// address bar always holding the current query so any result can be bookmarked or shared.
(function () {
  "use strict";
  var settings = JSON.parse(document.getElementById("sparql-settings").textContent);
  var form = document.getElementById("sparql-form");
  var textarea = document.getElementById("query");
  var editorElement = document.getElementById("editor");
  var status = document.getElementById("status");
  var note = document.getElementById("note");
  var downloads = document.getElementById("downloads");
  var maxUrlBytes = parseInt(form.dataset.maxUrl, 10) || 16384;
  var endpoint = new URL(form.getAttribute("action"), location.href).pathname.replace(/\/$/, "");
  if (typeof Yasgui === "undefined") { return; }   // the editor is not installed: the plain form still works
  var Yasqe = Yasgui.Yasqe;
  var Yasr = Yasgui.Yasr;

  var XSD = "http://www.w3.org/2001/XMLSchema#";
  var NUMERIC = ["integer", "decimal", "double", "float", "long", "int", "short", "byte", "nonNegativeInteger",
    "positiveInteger", "negativeInteger", "nonPositiveInteger", "unsignedLong", "unsignedInt", "unsignedShort",
    "unsignedByte"].map(function (name) { return XSD + name; });

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function isNumber(term) { return term && term.type !== "uri" && NUMERIC.indexOf(term.datatype) >= 0 && isFinite(Number(term.value)); }
  function shorten(iri, prefixes) {
    for (var prefix in prefixes) {
      if (prefixes[prefix] && iri.indexOf(prefixes[prefix]) === 0 && iri.length > prefixes[prefix].length) {
        return prefix + ":" + iri.slice(prefixes[prefix].length);
      }
    }
    return null;
  }
  function pageOf(iri) {
    return iri.indexOf(settings.localBase) === 0 ? settings.localPages + iri.slice(settings.localBase.length) : null;
  }
  // Digits after the point for a column: a column of decimals such as 16.5 and 31 is money-like and reads
  // best as 16.50 and 31.00; whole numbers keep none.
  function fractionDigits(bindings, variable) {
    var most = 0;
    var anyFraction = false;
    bindings.forEach(function (row) {
      var term = row[variable];
      if (!isNumber(term)) { return; }
      var point = term.value.indexOf(".");
      if (point >= 0 && !/^0*$/.test(term.value.slice(point + 1).replace(/e.*$/i, ""))) {
        anyFraction = true;
        most = Math.max(most, term.value.replace(/e.*$/i, "").length - point - 1);
      }
    });
    return anyFraction ? Math.min(Math.max(2, most), 6) : 0;
  }
  function formatNumber(value, digits) {
    return Number(value).toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  }

  // ------------------------------------------------------------ completion from this graph only
  var prefixLines = Object.keys(settings.prefixes).sort().map(function (p) { return p + ": <" + settings.prefixes[p] + ">"; });
  Yasqe.forkAutocompleter("prefixes", { name: "local-prefixes", persistenceId: null,
    get: function () { return Promise.resolve(prefixLines); } }, false);
  Yasqe.forkAutocompleter("class", { name: "local-classes", bulk: true, persistenceId: null,
    get: function () { return Promise.resolve(settings.classes); } }, false);
  Yasqe.forkAutocompleter("property", { name: "local-properties", bulk: true, persistenceId: null,
    get: function () { return Promise.resolve(settings.properties); } }, false);

  // ------------------------------------------------------------ the result table
  var Table = Yasr.plugins.table;
  Table.defaults.openIriInNewWindow = false;
  Table.prototype.getUriLinkFromBinding = function (binding, prefixes) {
    var iri = binding.value;
    var shown = shorten(iri, prefixes);
    var local = pageOf(iri);
    var text = shown !== null ? escapeHtml(shown) : "&lt;" + escapeHtml(iri) + "&gt;";
    var target = local ? "" : " target='_blank' rel='noopener noreferrer'";
    return "<a class='iri' href='" + escapeHtml(local || iri) + "' title='" + escapeHtml(iri) + "'" + target + ">" + text + "</a>";
  };
  // Text as text: a label reads "Fresno, CA MSA" with a quiet language tag, not "Fresno, CA MSA"@en.
  var originalLiteral = Table.prototype.formatLiteral;
  Table.prototype.formatLiteral = function (binding, prefixes) {
    if (binding.datatype && binding.datatype !== XSD + "string") { return originalLiteral.call(this, binding, prefixes); }
    var text = escapeHtml(binding.value);
    return binding["xml:lang"] ? text + " <span class='lang' title='language'>" + escapeHtml(binding["xml:lang"]) + "</span>" : text;
  };
  var originalColumns = Table.prototype.getColumns;
  Table.prototype.getColumns = function () {
    var columns = originalColumns.call(this);
    var results = this.yasr.results;
    if (!results) { return columns; }
    var bindings = results.getBindings() || [];
    var variables = results.getVariables();
    var prefixes = this.yasr.getPrefixes();
    columns.forEach(function (column, index) {
      if (index === 0) { return; }                  // YASR's row numbers
      var variable = variables[index - 1];
      var digits = fractionDigits(bindings, variable);
      var allNumbers = bindings.length > 0 && bindings.every(function (row) { return !row[variable] || isNumber(row[variable]); });
      var render = column.render;
      if (allNumbers) { column.className = "dt-right number-column"; }
      column.render = function (data, type, row, meta) {
        if (data === "") { return data; }
        if (isNumber(data)) {
          if (type === "sort" || type === "type") { return Number(data.value); }
          if (type === "display") {
            var datatype = shorten(data.datatype, prefixes) || data.datatype;
            return "<div><span class='number' title='" + escapeHtml(data.value + " (" + datatype + ")") + "'>" +
              formatNumber(data.value, digits) + "</span></div>";
          }
        }
        if (type === "type") { return data.value; }
        return render(data, type, row, meta);
      };
    });
    return columns;
  };

  // ------------------------------------------------------------ the chart view
  function ChartPlugin(yasr) { this.yasr = yasr; this.label = "Chart"; this.priority = 5; }
  ChartPlugin.prototype.numericVariables = function () {
    var results = this.yasr.results;
    if (!results || !results.getVariables) { return []; }
    var bindings = results.getBindings() || [];
    return (results.getVariables() || []).filter(function (variable) {
      var seen = 0;
      var ok = bindings.every(function (row) { if (row[variable]) { seen += 1; return isNumber(row[variable]); } return true; });
      return ok && seen > 0;
    });
  };
  ChartPlugin.prototype.canHandleResults = function () { return this.numericVariables().length > 0; };
  ChartPlugin.prototype.getIcon = function () {
    var ns = "http://www.w3.org/2000/svg";
    var icon = document.createElementNS(ns, "svg");
    icon.setAttribute("viewBox", "0 0 16 16");
    icon.setAttribute("class", "chart-icon");
    [[1, 9, 3, 6], [6, 4, 3, 11], [11, 7, 3, 8]].forEach(function (r) {
      var bar = document.createElementNS(ns, "rect");
      bar.setAttribute("x", r[0]); bar.setAttribute("y", r[1]); bar.setAttribute("width", r[2]); bar.setAttribute("height", r[3]);
      icon.appendChild(bar);
    });
    var holder = document.createElement("div");
    holder.appendChild(icon);
    return holder;
  };
  ChartPlugin.prototype.draw = function () {
    var SHOWN = 60;
    var yasr = this.yasr;
    var numeric = this.numericVariables().slice(0, 4);
    var variables = yasr.results.getVariables();
    // rows are named by the first column of text (a label), else by the first of IRIs
    var others = variables.filter(function (v) { return numeric.indexOf(v) < 0; });
    var textual = others.filter(function (v) {
      return yasr.results.getBindings().some(function (row) { return row[v] && row[v].type !== "uri"; });
    });
    var labelVariable = textual[0] || others[0];
    var bindings = yasr.results.getBindings();
    var prefixes = yasr.getPrefixes();
    var maxima = numeric.map(function (v) {
      return Math.max.apply(null, bindings.map(function (row) { return row[v] ? Math.abs(Number(row[v].value)) : 0; })) || 1;
    });
    // one scale when the columns are of one magnitude (median, low, high), one per column otherwise
    var shared = Math.max.apply(null, maxima) / Math.min.apply(null, maxima) < 20;
    var top = Math.max.apply(null, maxima);
    var digits = numeric.map(function (v) { return fractionDigits(bindings, v); });

    var root = document.createElement("div");
    root.className = "result-chart";
    var legend = document.createElement("p");
    legend.className = "legend";
    numeric.forEach(function (v, i) {
      var item = document.createElement("span");
      var swatch = document.createElement("span");
      swatch.className = "swatch series-" + i;
      item.appendChild(swatch);
      item.appendChild(document.createTextNode("?" + v));
      legend.appendChild(item);
    });
    if (!shared) { legend.appendChild(document.createTextNode(" (each bar against its own column's largest value)")); }
    root.appendChild(legend);
    bindings.slice(0, SHOWN).forEach(function (row, index) {
      var line = document.createElement("div");
      line.className = "chart-row";
      var label = document.createElement("div");
      label.className = "label";
      var term = labelVariable ? row[labelVariable] : null;
      var text = term ? (term.type === "uri" ? (shorten(term.value, prefixes) || term.value) : term.value) : "row " + (index + 1);
      var page = term && term.type === "uri" ? pageOf(term.value) : null;
      if (page) { var a = document.createElement("a"); a.href = page; a.textContent = text; label.appendChild(a); }
      else { label.textContent = text; }
      label.title = text;
      line.appendChild(label);
      var bars = document.createElement("div");
      bars.className = "bars";
      numeric.forEach(function (v, i) {
        var barLine = document.createElement("div");
        barLine.className = "bar-line";
        var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
        svg.setAttribute("viewBox", "0 0 100 10");
        svg.setAttribute("preserveAspectRatio", "none");
        var value = row[v] ? Number(row[v].value) : null;
        if (value !== null) {
          var rect = document.createElementNS("http://www.w3.org/2000/svg", "rect");
          rect.setAttribute("class", "bar series-" + i);
          rect.setAttribute("height", "10");
          rect.setAttribute("width", String(Math.max(0.5, 100 * Math.abs(value) / (shared ? top : maxima[i]))));
          var title = document.createElementNS("http://www.w3.org/2000/svg", "title");
          title.textContent = text + " \u2014 ?" + v + ": " + formatNumber(value, digits[i]);
          rect.appendChild(title);
          svg.appendChild(rect);
        }
        barLine.appendChild(svg);
        var figure = document.createElement("span");
        figure.className = "value";
        figure.textContent = value === null ? "\u2013" : formatNumber(value, digits[i]);
        barLine.appendChild(figure);
        bars.appendChild(barLine);
      });
      line.appendChild(bars);
      root.appendChild(line);
    });
    if (bindings.length > SHOWN) {
      var more = document.createElement("p");
      more.className = "axis-note";
      more.textContent = "The first " + SHOWN + " of " + bindings.length + " rows; the table shows them all.";
      root.appendChild(more);
    }
    yasr.resultsEl.appendChild(root);
  };
  Yasr.registerPlugin("chart", ChartPlugin);

  // ------------------------------------------------------------ editor and results
  textarea.hidden = true;
  editorElement.hidden = false;
  var yasqe = new Yasqe(editorElement, {
    value: textarea.value,
    persistenceId: null,
    autocompleters: ["local-prefixes", "variables", "local-classes", "local-properties"],
    createShareableLink: null,
    editorHeight: "320px",
    requestConfig: {
      endpoint: endpoint, method: "POST",
      acceptHeaderSelect: "application/sparql-results+json",
      acceptHeaderGraph: "text/turtle",
    },
  });
  var yasr = new Yasr(document.getElementById("results"), {
    persistenceId: null,
    pluginOrder: ["table", "chart", "response"],
    defaultPlugin: "table",
    prefixes: function () { return Object.assign({}, yasqe.getPrefixesFromQuery(), settings.prefixes); },
  });
  window.sparqlWorkbench = { yasqe: yasqe, yasr: yasr };   // for the browser tests

  // The address bar holds the current query: bookmark it, share it, or press Back to the previous one.
  function linkFor(query, format) {
    var url = endpoint + "?query=" + encodeURIComponent(query);
    return format ? url + "&format=" + format : url;
  }
  function tooLongForLink(query) { return encodeURIComponent(query).length + 6 > maxUrlBytes; }
  // History: a query that ran keeps its entry (Back returns to it); editing after a run starts a new
  // entry, and further edits update that one.
  function reflect(ran) {
    var query = yasqe.getValue();
    if (tooLongForLink(query)) { return; }
    var url = linkFor(query);
    var current = history.state || {};
    var here = location.pathname + location.search === url;
    if (here && (!ran || current.ran)) { return; }
    var state = { query: query, ran: ran };
    if (!here && current.ran) { history.pushState(state, "", url); } else { history.replaceState(state, "", url); }
  }
  history.replaceState({ query: yasqe.getValue(), ran: form.dataset.run === "true" }, "", location.href);
  var reflectTimer = null;
  var serverErrorMarks = [];
  yasqe.on("change", function () {
    clearTimeout(reflectTimer);
    reflectTimer = setTimeout(function () { reflect(false); }, 300);
    serverErrorMarks.forEach(function (mark) { mark.clear(); });
    serverErrorMarks = [];
  });

  var started = 0;
  yasqe.on("query", function () {
    started = performance.now();
    status.textContent = "running\u2026";
    note.hidden = true;
    reflect(true);
  });
  yasqe.on("queryResponse", function (_yasqe, response, duration) {
    yasr.setResponse(response, duration);
    var ok = response && !(response instanceof Error) && response.ok !== false && response.status < 400;
    var headers = (response && (response.header || (response.response && response.response.header))) || {};
    if (!ok) {
      status.textContent = "";
      markServerError(response);
      downloads.hidden = true;
      return;
    }
    var rows = yasr.results && yasr.results.getBindings ? (yasr.results.getBindings() || []).length : null;
    var type = yasqe.getQueryType();
    var answer = yasr.results && yasr.results.getBoolean ? yasr.results.getBoolean() : undefined;
    status.textContent = (type === "ASK" && answer !== undefined ? "answer: " + answer
      : rows !== null && (type === "SELECT") ? rows.toLocaleString("en-US") + (rows === 1 ? " row" : " rows") : "done") +
      " in " + Math.round(duration) + " ms";
    if (headers["x-sparql-truncated"] === "true") {
      note.textContent = "The result was cut to the first " + Number(headers["x-sparql-limit"]).toLocaleString("en-US") +
        " rows; add LIMIT/OFFSET or narrow the query.";
      note.hidden = false;
    }
    showDownloads(type);
  });

  // A query the server rejects names its line and column: mark them in the editor.
  function markServerError(error) {
    var body = error && error.response && error.response.body;
    if (!body || !body.line) { return; }
    var line = body.line - 1;
    var column = Math.max(0, (body.column || 1) - 1);
    var doc = yasqe.getDoc();
    if (line >= doc.lineCount()) { return; }
    var end = Math.min(doc.getLine(line).length, column + 1);
    serverErrorMarks.push(doc.markText({ line: line, ch: Math.min(column, end - 1 < 0 ? 0 : end - 1) },
      { line: line, ch: Math.max(end, column + 1) }, { className: "server-error" }));
    yasqe.addLineClass(line, "background", "server-error-line");
    serverErrorMarks.push({ clear: function () { yasqe.removeLineClass(line, "background", "server-error-line"); } });
    status.textContent = "error at line " + body.line + ", column " + (body.column || 1);
  }

  function showDownloads(type) {
    var graph = type === "CONSTRUCT" || type === "DESCRIBE";
    downloads.querySelectorAll("a.download").forEach(function (link) {
      var forGraph = link.classList.contains("graph");
      link.hidden = graph !== forGraph;
      link.href = linkFor(yasqe.getValue(), link.dataset.format);
    });
    downloads.hidden = false;
  }
  // A query too long for a link is downloaded by POST.
  downloads.addEventListener("click", function (event) {
    var link = event.target.closest("a.download");
    if (!link || !tooLongForLink(yasqe.getValue())) { return; }
    event.preventDefault();
    var body = new URLSearchParams({ query: yasqe.getValue(), format: link.dataset.format });
    fetch(endpoint, { method: "POST", body: body }).then(function (response) { return response.blob(); }).then(function (blob) {
      var temporary = document.createElement("a");
      temporary.href = URL.createObjectURL(blob);
      temporary.download = link.getAttribute("download");
      document.body.appendChild(temporary);
      temporary.click();
      temporary.remove();
    });
  });

  function run() { yasqe.query().catch(function () {}); }
  form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
  document.querySelectorAll("a.example").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      yasqe.setValue(document.getElementById("example-" + link.dataset.example).content.textContent.trim());
      run();
    });
  });
  window.addEventListener("popstate", function () {
    var query = new URLSearchParams(location.search).get("query");
    if (query === null || query === yasqe.getValue()) { return; }
    yasqe.setValue(query);
    if (history.state && history.state.ran) { run(); }
  });
  if (form.dataset.run === "true") { run(); }
})();
