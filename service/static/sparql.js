// The SPARQL query page: examples, running a query, showing results as a table.
(function () {
  var form = document.getElementById("sparql-form");
  var query = document.getElementById("query");
  var format = document.getElementById("format");
  var status = document.getElementById("status");
  var note = document.getElementById("note");
  var results = document.getElementById("results");

  document.querySelectorAll("button.example").forEach(function (button) {
    button.addEventListener("click", function () {
      query.value = document.getElementById("example-" + button.dataset.example).innerHTML
        .replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&").trim();
    });
  });

  function cell(term) {
    var td = document.createElement("td");
    if (!term) { return td; }
    if (term.type === "uri") {
      var a = document.createElement("a");
      var local = "https://w3id.org/mbc-kg/id/";
      a.href = term.value.indexOf(local) === 0 ? "/id/" + term.value.slice(local.length) : term.value;
      a.textContent = term.value;
      td.appendChild(a);
    } else {
      td.textContent = term.value;
    }
    return td;
  }

  function table(data) {
    var t = document.createElement("table");
    var head = t.createTHead().insertRow();
    data.head.vars.forEach(function (v) { var th = document.createElement("th"); th.textContent = v; head.appendChild(th); });
    var body = t.createTBody();
    data.results.bindings.forEach(function (row) {
      var tr = body.insertRow();
      data.head.vars.forEach(function (v) { tr.appendChild(cell(row[v])); });
    });
    return t;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    status.textContent = "running\u2026";
    note.hidden = true;
    results.textContent = "";
    var body = new URLSearchParams({ query: query.value, format: format.value });
    var started = performance.now();
    fetch(form.action, { method: "POST", body: body, headers: { "Accept": "application/json" } })
      .then(function (response) {
        var truncated = response.headers.get("X-SPARQL-Truncated") === "true";
        var limit = response.headers.get("X-SPARQL-Limit");
        return response.text().then(function (text) { return { response: response, text: text, truncated: truncated, limit: limit }; });
      })
      .then(function (r) {
        var ms = Math.round(performance.now() - started);
        if (!r.response.ok) {
          var problem = {};
          try { problem = JSON.parse(r.text); } catch (e) { problem = { error: r.response.statusText, detail: r.text }; }
          status.textContent = "";
          var p = document.createElement("p");
          p.className = "error";
          p.textContent = problem.error + (problem.detail ? ": " + problem.detail : "") +
            (problem.line ? " (line " + problem.line + ", column " + problem.column + ")" : "");
          results.appendChild(p);
          return;
        }
        if (r.truncated) {
          note.textContent = "The result was cut to the first " + r.limit + " rows; add LIMIT/OFFSET or narrow the query.";
          note.hidden = false;
        }
        var type = r.response.headers.get("Content-Type") || "";
        if (type.indexOf("sparql-results+json") >= 0) {
          var data = JSON.parse(r.text);
          if (data.boolean !== undefined) {
            status.textContent = "answer: " + data.boolean + " (" + ms + " ms)";
          } else {
            status.textContent = data.results.bindings.length + " rows (" + ms + " ms)";
            results.appendChild(table(data));
          }
        } else {
          status.textContent = ms + " ms";
          var pre = document.createElement("pre");
          pre.textContent = r.text;
          results.appendChild(pre);
        }
      })
      .catch(function (error) { status.textContent = "failed: " + error; });
  });
})();
