// The document reader. A cited span (?start=&end=) is brought into view after the browser's own jump to
// #highlight. Selecting a fact in the panel scrolls to its mark and flashes it; selecting a mark in the
// text shows the facts read there (every claim whose mark holds the spot), each with its entity's page.
(function () {
  "use strict";
  var text = document.getElementById("document-text");
  var info = document.querySelector(".mark-info");
  var dataNode = document.getElementById("reader-data");
  var data = dataNode ? JSON.parse(dataNode.textContent) : { facts: [], fact_of: {} };

  window.addEventListener("load", function () {
    var mark = document.getElementById("highlight");
    if (mark) { requestAnimationFrame(function () { mark.scrollIntoView({ block: "center" }); }); }
  });

  function anchorOf(iri) { return "c-" + iri.split("/").pop(); }

  function flash(nodes) {
    nodes.forEach(function (node) {
      node.classList.remove("flash");
      void node.offsetWidth;          // restart the animation
      node.classList.add("flash");
    });
    setTimeout(function () { nodes.forEach(function (node) { node.classList.remove("flash"); }); }, 1700);
  }

  function showMark(anchor) {
    var mark = document.getElementById(anchor);
    if (!mark) { return; }
    var iri = mark.getAttribute("data-claim");
    var pieces = [mark].concat(Array.prototype.slice.call(text.querySelectorAll('mark[data-claim-part="' + CSS.escape(iri) + '"]')));
    var kind = (mark.className.match(/k-(\w+)/) || [])[1];
    var filter = document.querySelector('.kind-filter input[value="' + kind + '"]');
    if (filter && !filter.checked) { filter.click(); }       // a hidden kind is shown again to be seen
    mark.scrollIntoView({ block: "center", behavior: "smooth" });
    mark.focus({ preventScroll: true });
    flash(pieces);
    if (history.replaceState) { history.replaceState(null, "", location.pathname + location.search + "#" + anchor); }
  }

  document.querySelectorAll(".fact-link").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      hideInfo();
      showMark(link.getAttribute("data-anchor"));
    });
  });

  function hideInfo() { if (info) { info.hidden = true; } }

  function factsAt(target) {
    var numbers = [];
    for (var node = target; node && node !== text; node = node.parentNode) {
      if (node.tagName !== "MARK") { continue; }
      var iri = node.getAttribute("data-claim") || node.getAttribute("data-claim-part");
      if (!iri) { continue; }
      var number = data.fact_of[anchorOf(iri)];
      if (number !== undefined && numbers.indexOf(number) < 0) { numbers.push(number); }
    }
    return numbers;
  }

  function element(name, className, content) {
    var node = document.createElement(name);
    if (className) { node.className = className; }
    if (content) { node.textContent = content; }
    return node;
  }

  var KIND_ORDER = ["issuer", "wage", "growth", "employment", "program", "law", "place", "name"];

  function showInfo(numbers, event) {
    numbers = numbers.slice().sort(function (a, b) {       // figures and relations before names and kinds
      return KIND_ORDER.indexOf(data.facts[a].kind) - KIND_ORDER.indexOf(data.facts[b].kind);
    });
    info.textContent = "";
    var close = element("button", "tip-close", "\u00d7");
    close.type = "button";
    close.setAttribute("aria-label", "Close");
    close.addEventListener("click", hideInfo);
    info.appendChild(close);
    info.appendChild(element("p", "info-title", numbers.length === 1 ? "1 fact read here" : numbers.length + " facts read here"));
    var list = element("ul", "info-facts");
    numbers.forEach(function (number) {
      var fact = data.facts[number];
      var item = element("li", "k-" + fact.kind);
      item.appendChild(element("span", "swatch"));
      item.appendChild(document.createTextNode(fact.text + " "));
      if (fact.entity) {
        var entity = element("a", "", fact.entity_label || "its page");
        entity.href = fact.entity;
        item.appendChild(entity);
        item.appendChild(document.createTextNode(" \u00b7 "));
      }
      var claim = element("a", "", "claim");
      claim.href = fact.claim_href;
      item.appendChild(claim);
      var inList = element("a", "", "in the list");
      inList.href = "#fact-" + number;
      inList.addEventListener("click", function (e) {
        e.preventDefault();
        var entry = document.getElementById("fact-" + number);
        var group = entry.closest("details");
        if (group) { group.open = true; }
        entry.scrollIntoView({ block: "center", behavior: "smooth" });
        flash([entry]);
        var link = entry.querySelector("a");
        if (link) { link.focus({ preventScroll: true }); }
      });
      item.appendChild(document.createTextNode(" \u00b7 "));
      item.appendChild(inList);
      list.appendChild(item);
    });
    info.appendChild(list);
    info.hidden = false;
    var x = event.clientX, y = event.clientY;
    var width = Math.min(info.offsetWidth, window.innerWidth - 16);
    info.style.left = Math.max(8, Math.min(window.innerWidth - width - 8, x - width / 2)) + window.scrollX + "px";
    info.style.top = (y + 18 + window.scrollY) + "px";
    var first = info.querySelector("a");
    if (first && event.detail === 0) { first.focus(); }   // opened from the keyboard
  }

  if (text && info) {
    text.addEventListener("click", function (event) {
      var numbers = factsAt(event.target);
      if (!numbers.length) { hideInfo(); return; }
      showInfo(numbers, event);
    });
    text.addEventListener("keydown", function (event) {
      if ((event.key === "Enter" || event.key === " ") && event.target.tagName === "MARK") {
        event.preventDefault();
        var box = event.target.getBoundingClientRect();
        showInfo(factsAt(event.target), { clientX: box.left + box.width / 2, clientY: box.bottom - 10, detail: 0 });
      }
    });
    document.addEventListener("keydown", function (event) { if (event.key === "Escape") { hideInfo(); } });
    document.addEventListener("click", function (event) {
      if (!info.hidden && !info.contains(event.target) && !text.contains(event.target)) { hideInfo(); }
    });
  }

  // On a narrow screen the panel comes after the text: its groups start closed, so the text is not far below.
  if (window.matchMedia("(max-width: 900px)").matches) {
    document.querySelectorAll(".fact-group[open]").forEach(function (group) { group.open = false; });
  }

  document.querySelectorAll(".kind-filter input").forEach(function (box) {
    box.addEventListener("change", function () { text.classList.toggle("hide-k-" + box.value, !box.checked); });
  });

  if (location.hash.indexOf("#c-") === 0) {
    window.addEventListener("load", function () { showMark(location.hash.slice(1)); });
  }
}());
