// The neighbourhood view: the entity in the middle, what it is directly related to around it (cytoscape.js,
// served by the app). Selecting an edge opens the claims behind it, a node opens its page. The list beside
// the drawing holds the same edges as links (the keyboard's and screen readers' way in); focusing one
// lights its edge up. On a phone a large neighbourhood is not drawn until asked for.
(function () {
  "use strict";
  var COLOURS = { self: "#1d2430", Certification: "#2f9e62", Organization: "#8a5cc2", Region: "#d9822b",
                  Role: "#1f6fb8", EducationProgram: "#c2407a", Figures: "#7a8699" };
  var PHONE_LIMIT = 8;      // edges a phone's screen holds legibly

  function start(block) {
    var data = JSON.parse(block.querySelector(".neighbourhood-data").textContent);
    var view = block.querySelector("[aria-label=neighbourhood]");
    var holder = block.querySelector(".cy");
    var button = block.querySelector(".draw-graph");
    var cy = null;

    function elements() {
      var nodes = data.nodes.map(function (node) {
        return { data: { id: node.id, label: node.label, kind: node.kind, href: node.href || "",
                         colour: COLOURS[node.kind] || "#5b6675" } };
      });
      var edges = data.edges.map(function (edge) {
        return { data: { id: edge.id, source: edge.source, target: edge.target, label: edge.label, href: edge.claims_href } };
      });
      return nodes.concat(edges);
    }

    function draw() {
      holder.hidden = false;
      holder.classList.toggle("few", data.nodes.length <= 5);
      button.hidden = true;
      cy = cytoscape({
        container: holder,
        elements: elements(),
        // a still picture that fits its box: no zooming or panning to take over the page's scrolling
        userZoomingEnabled: false,
        userPanningEnabled: false,
        boxSelectionEnabled: false,
        autoungrabify: true,
        maxZoom: 1.4,          // a few nodes are not blown up to fill the box
        minZoom: 0.2,
        style: [
          { selector: "node", style: { "background-color": "data(colour)", label: "data(label)", "font-size": 14,
            "text-wrap": "wrap", "text-max-width": 150, "text-valign": "bottom", "text-margin-y": 4, width: 18, height: 18,
            color: "#1d2430", "text-background-color": "#ffffff", "text-background-opacity": 0.8, "text-background-padding": 1 } },
          { selector: "node[kind = 'self']", style: { width: 30, height: 30, "font-size": 15, "font-weight": "bold" } },
          { selector: "edge", style: { width: 1.5, "line-color": "#aab3bf", "target-arrow-color": "#aab3bf",
            "target-arrow-shape": "triangle", "curve-style": "bezier", label: "data(label)", "font-size": 11,
            color: "#5b6675", "text-rotation": "autorotate", "text-background-color": "#ffffff",
            "text-background-opacity": 0.9, "text-background-padding": 1 } },
          { selector: "edge.active, edge:selected", style: { width: 3.5, "line-color": "#0b5cad", "target-arrow-color": "#0b5cad",
            color: "#0b5cad", "z-index": 10 } },
          { selector: "node.active", style: { "border-width": 3, "border-color": "#0b5cad" } }
        ],
        layout: { name: "concentric", concentric: function (node) { return node.data("kind") === "self" ? 2 : 1; },
                  levelWidth: function () { return 1; }, minNodeSpacing: 40, padding: 24, animate: false,
                  spacingFactor: data.nodes.length <= 8 ? 1.7 : 1.3 }
      });
      cy.on("tap", "edge", function (event) { window.location.href = event.target.data("href"); });
      cy.on("tap", "node", function (event) {
        var target = event.target.data("href");
        if (target && event.target.data("kind") !== "self") { window.location.href = target; }
      });
      cy.on("mouseover", "edge", function (event) { highlight(event.target.id(), true); });
      cy.on("mouseout", "edge", function (event) { highlight(event.target.id(), false); });
      view.setAttribute("data-edges-drawn", String(cy.edges().length));
      block.cy = cy;
    }

    function highlight(id, on) {
      block.querySelectorAll('.edge-list li[data-edge="' + id + '"]').forEach(function (item) {
        item.classList.toggle("active", on);
      });
      if (!cy) { return; }
      var edge = cy.getElementById(id);
      edge.toggleClass("active", on);
      var other = edge.source().data("kind") === "self" ? edge.target() : edge.source();
      other.toggleClass("active", on);
    }

    block.querySelectorAll(".edge-list li").forEach(function (item) {
      var id = item.getAttribute("data-edge");
      item.addEventListener("focusin", function () { highlight(id, true); });
      item.addEventListener("focusout", function () { highlight(id, false); });
      item.addEventListener("mouseenter", function () { highlight(id, true); });
      item.addEventListener("mouseleave", function () { highlight(id, false); });
    });

    var phone = window.matchMedia("(max-width: 640px)").matches;
    if (phone && data.nodes.length > PHONE_LIMIT + 1) {
      holder.hidden = true;
      button.hidden = false;
      button.textContent = "Draw the relations as a graph";
      button.addEventListener("click", draw);
    } else {
      draw();
    }
  }

  function init() {
    if (!window.cytoscape) { return; }
    document.querySelectorAll(".neighbourhood-block").forEach(start);
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
}());
