// The pay map: states and territories (us-atlas, Albers USA with the territories as insets, from
// d3-composite-projections) coloured by the chosen pay statistic, metro areas, cities and counties as
// points, a legend, and a tooltip with each figure, its year and links to the quoted sources.
// Everything it draws comes from the JSON the server put in the page; no inline style or script (CSP).
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var WIDTH = 960, HEIGHT = 500;
  var PALETTE = ["#e0f3db", "#a8ddb5", "#4eb3d3", "#2b8cbe", "#08589e"];   // ColorBrewer GnBu, 5 classes

  function el(name, attributes, text) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attributes || {}).forEach(function (key) { node.setAttribute(key, attributes[key]); });
    if (text) { node.textContent = text; }
    return node;
  }

  function html(name, className, text) {
    var node = document.createElement(name);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function money(value, period) {
    var cents = period === "Hour" && value < 1000;
    return "$" + value.toLocaleString("en-US", { minimumFractionDigits: cents ? 2 : 0, maximumFractionDigits: cents ? 2 : 0 });
  }

  // Colour classes by quantile, so one outlying figure does not wash every other place into one colour:
  // [[lowest, highest] of each class], one class per value when there are few distinct values.
  function quantileClasses(values, count) {
    var sorted = values.slice().sort(function (a, b) { return a - b; });
    var distinct = sorted.filter(function (v, i) { return !i || v !== sorted[i - 1]; });
    if (distinct.length <= count) { return distinct.map(function (v) { return [v, v]; }); }
    var starts = [sorted[0]];
    for (var k = 1; k < count; k += 1) {
      var at = sorted[Math.floor(k * sorted.length / count)];
      if (at > starts[starts.length - 1]) { starts.push(at); }
    }
    return starts.map(function (start, i) {
      var members = sorted.filter(function (v) { return v >= start && (i + 1 === starts.length || v < starts[i + 1]); });
      return [members[0], members[members.length - 1]];
    });
  }

  function classOf(classes, value) {
    var index = 0;
    classes.forEach(function (range, i) { if (value >= range[0]) { index = i; } });
    return index;
  }

  function colourOf(classes, index) {
    return PALETTE[classes.length <= 1 ? 2 : Math.round(index * (PALETTE.length - 1) / (classes.length - 1))];
  }

  function PayMap(block) {
    this.block = block;
    this.data = JSON.parse(block.querySelector(".pay-map-data").textContent);
    this.form = block.querySelector(".map-controls");
    this.container = block.querySelector(".pay-map");
    this.tip = block.querySelector(".map-tip");
    this.frame = block.querySelector(".map-side");       // the tooltip is placed within it
    this.legend = block.querySelector(".map-legend");
    this.national = block.querySelector(".map-national");
    this.table = block.querySelector(".map-figures");
    this.shapes = {};      // FIPS -> {node, name, places: [iri]}
    this.points = [];      // {node, places: [iri], name}
    this.pinned = null;
    var button = this.form.querySelector(".no-script");
    if (button) { button.hidden = true; }
  }

  PayMap.prototype.choice = function () {
    var form = this.form;
    return { period: form.elements.period.value, role: form.elements.role.value, measure: form.elements.measure.value };
  };

  PayMap.prototype.selected = function (figure, choice) {
    if (figure.period !== choice.period) { return false; }
    if (choice.role === "none") { return !figure.role; }
    return !choice.role || figure.role === choice.role;
  };

  PayMap.prototype.start = function () {
    var self = this;
    fetch(this.data.atlas).then(function (response) {
      if (!response.ok) { throw new Error("the map's boundaries are not installed (" + response.status + ")"); }
      return response.json();
    }).then(function (topology) {
      var needsCounties = Object.keys(self.data.places).some(function (iri) {
        var at = self.data.places[iri].at; return at && at.county;
      });
      if (!needsCounties) { return [topology, null]; }
      return fetch(self.data.counties).then(function (r) { return r.ok ? r.json() : null; })
        .then(function (counties) { return [topology, counties]; });
    }).then(function (both) {
      self.draw(both[0], both[1]);
      self.update();
      var box = self.figureBox();      // on a phone, figures that sit in a small part of the map are zoomed to
      if (box && window.matchMedia("(max-width: 640px)").matches &&
          (box[2] - box[0]) * (box[3] - box[1]) < WIDTH * HEIGHT / 6) { self.zoom(true); }
      self.form.addEventListener("change", function () { self.update(true); });
      window.addEventListener("resize", function () { self.sizePoints(); });
    }).catch(function (error) {
      self.container.querySelector(".map-loading").textContent = "The map could not be drawn (" + error.message +
        "); every figure is in the table.";
    });
  };

  PayMap.prototype.draw = function (topology, counties) {
    var self = this;
    var projection = d3.geoAlbersUsaTerritories();
    var path = d3.geoPath(projection);
    var svg = el("svg", { viewBox: "0 0 " + WIDTH + " " + HEIGHT, class: "map-svg", focusable: "false" });
    var defs = el("defs");
    var hatch = el("pattern", { id: "no-figure-hatch", patternUnits: "userSpaceOnUse", width: "6", height: "6",
                                patternTransform: "rotate(45)" });
    hatch.appendChild(el("rect", { width: "6", height: "6", fill: "#f1f3f6" }));
    hatch.appendChild(el("line", { x1: "0", y1: "0", x2: "0", y2: "6", stroke: "#b7bfca", "stroke-width": "2" }));
    defs.appendChild(hatch);
    svg.appendChild(defs);
    var byShape = {}, pointGroups = {};
    Object.keys(this.data.places).forEach(function (iri) {
      var place = self.data.places[iri], at = place.at;
      if (!at) { return; }
      if (at.shape) { (byShape[at.shape] = byShape[at.shape] || []).push(iri); return; }
      var lonlat = at.point;
      if (!lonlat && at.county && counties) {
        var county = topojson.feature(counties, counties.objects.counties).features.filter(function (f) {
          return f.id === at.county; })[0];
        lonlat = county ? d3.geoCentroid(county) : null;
      }
      var xy = lonlat ? projection(lonlat) : null;
      if (!xy) { place.at = null; return; }          // outside every part of the map
      var key = Math.round(xy[0]) + "," + Math.round(xy[1]);
      (pointGroups[key] = pointGroups[key] || { xy: xy, places: [] }).places.push(iri);
    });
    var areas = el("g", { class: "areas" });
    topojson.feature(topology, topology.objects.states).features.forEach(function (feature) {
      var places = byShape[feature.id] || [];
      var node = el("path", { d: path(feature), class: "area", "data-fips": feature.id });
      var title = el("title", {}, feature.properties.name);
      node.appendChild(title);
      areas.appendChild(node);
      var shape = { node: node, title: title, name: feature.properties.name, places: places };
      self.shapes[feature.id] = shape;
      self.bind(node, shape);
    });
    svg.appendChild(areas);
    svg.appendChild(el("path", { d: projection.getCompositionBorders(), class: "insets" }));
    var dots = el("g", { class: "points" });
    Object.keys(pointGroups).sort(function (a, b) {     // bigger groups under smaller ones
      return pointGroups[b].places.length - pointGroups[a].places.length; }).forEach(function (key) {
      var group = pointGroups[key];
      var names = group.places.map(function (iri) { return self.data.places[iri].label; });
      var node = el("circle", { cx: group.xy[0].toFixed(1), cy: group.xy[1].toFixed(1), r: "6", class: "point" });
      var title = el("title", {}, names.join("; "));
      node.appendChild(title);
      dots.appendChild(node);
      var point = { node: node, title: title, name: names.join("; "), places: group.places };
      self.points.push(point);
      self.bind(node, point);
    });
    svg.appendChild(dots);
    this.container.querySelector(".map-loading").remove();
    this.container.appendChild(svg);
    this.svg = svg;
    this.view = [0, 0, WIDTH, HEIGHT];
    this.zoomButton = this.frame.querySelector(".map-zoom");
    this.zoomButton.hidden = false;
    this.zoomButton.addEventListener("click", function () { self.zoom(self.zoomButton.getAttribute("aria-pressed") !== "true"); });
    this.sizePoints();
    document.addEventListener("click", function (event) {
      if (self.pinned && !self.tip.contains(event.target) && !self.svg.contains(event.target)) { self.hideTip(true); }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !self.tip.hidden) {
        var back = self.pinned; self.hideTip(true); if (back) { back.node.focus(); }
      }
    });
  };

  // The box around the places with a figure for the current choice, in the map's coordinates.
  PayMap.prototype.figureBox = function () {
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    Object.keys(this.shapes).map(function (k) { return this.shapes[k]; }, this).concat(this.points).forEach(function (item) {
      if (!item.value) { return; }
      var box = item.node.getBBox();
      x0 = Math.min(x0, box.x); y0 = Math.min(y0, box.y);
      x1 = Math.max(x1, box.x + box.width); y1 = Math.max(y1, box.y + box.height);
    });
    return x0 < Infinity ? [x0, y0, x1, y1] : null;
  };

  // Zoom to the places with figures (or back to the whole map), keeping the map's proportions.
  PayMap.prototype.zoom = function (on) {
    var box = on ? this.figureBox() : null;
    if (box) {
      var pad = 20, width = Math.max(box[2] - box[0] + 2 * pad, 160), height = Math.max(box[3] - box[1] + 2 * pad, 160 * HEIGHT / WIDTH);
      if (width / height > WIDTH / HEIGHT) { height = width * HEIGHT / WIDTH; } else { width = height * WIDTH / HEIGHT; }
      var cx = (box[0] + box[2]) / 2, cy = (box[1] + box[3]) / 2;
      this.view = [cx - width / 2, cy - height / 2, width, height];
    } else {
      this.view = [0, 0, WIDTH, HEIGHT];
    }
    this.svg.setAttribute("viewBox", this.view.map(function (v) { return v.toFixed(1); }).join(" "));
    this.zoomButton.setAttribute("aria-pressed", box ? "true" : "false");
    this.zoomButton.textContent = box ? "Show the whole country" : "Zoom to the places with figures";
    this.sizePoints();
  };

  // Points keep about the same size on the screen whatever the map's width (a phone or a desktop) and zoom.
  PayMap.prototype.sizePoints = function () {
    var width = this.svg.getBoundingClientRect().width || WIDTH;
    var onScreen = width < 500 ? 4.5 : 6.5;         // pixels: smaller on a phone, where places crowd
    var radius = Math.max(0.5, Math.min(16, onScreen * this.view[2] / width));
    this.points.forEach(function (point) { point.node.setAttribute("r", radius.toFixed(1)); });
  };

  PayMap.prototype.bind = function (node, item) {
    var self = this;
    node.addEventListener("mouseenter", function (event) { if (!self.pinned) { self.showTip(item, event); } });
    node.addEventListener("mousemove", function (event) { if (!self.pinned) { self.placeTip(event); } });
    node.addEventListener("mouseleave", function () { if (!self.pinned) { self.hideTip(); } });
    node.addEventListener("focus", function () { if (!self.pinned) { self.showTip(item, null); } });
    node.addEventListener("blur", function () { if (!self.pinned) { self.hideTip(); } });
    node.addEventListener("click", function (event) { event.stopPropagation(); self.pin(self.near(item, event), event); });
    node.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); self.pin(item, null); }
    });
  };

  // A tap or click on crowded points opens all of them: the points whose circles hold the spot touched.
  PayMap.prototype.near = function (item, event) {
    if (!event || !event.clientX || this.points.indexOf(item) < 0) { return item; }
    var matrix = this.svg.getScreenCTM();
    if (!matrix) { return item; }
    var spot = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix.inverse());
    var hits = this.points.filter(function (point) {
      var r = parseFloat(point.node.getAttribute("r")) * 1.15;
      var dx = parseFloat(point.node.getAttribute("cx")) - spot.x, dy = parseFloat(point.node.getAttribute("cy")) - spot.y;
      return dx * dx + dy * dy <= r * r;
    });
    if (hits.length < 2) { return item; }
    var places = [], names = [];
    hits.forEach(function (point) { places = places.concat(point.places); names.push(point.name); });
    return { node: item.node, title: item.title, name: names.join("; "), places: places, group: true };
  };

  PayMap.prototype.pin = function (item, event) {
    if (this.pinned && (this.pinned === item || (item.group && this.pinned.group && this.pinned.name === item.name))) {
      this.hideTip(true); return;
    }
    this.pinned = null;
    this.showTip(item, event);
    this.pinned = item;
    this.tip.classList.add("pinned");
    var link = this.tip.querySelector("a");
    if (!event && link) { link.focus(); }
  };

  // The figures of the current choice for some places, and a value to colour them by: the figure
  // itself, or the middle of the range when documents (or roles) give different ones.
  PayMap.prototype.figuresOf = function (places, choice) {
    var self = this;
    var set = {};
    places.forEach(function (iri) { set[iri] = true; });
    return this.data.figures.filter(function (f) { return set[f.place] && self.selected(f, choice); });
  };

  PayMap.prototype.valueOf = function (figures, measure) {
    var values = figures.map(function (f) { return f.values[measure]; }).filter(function (v) { return v !== undefined; });
    if (!values.length) { return null; }
    var low = Math.min.apply(null, values), high = Math.max.apply(null, values);
    return { value: (low + high) / 2, low: low, high: high, count: values.length };
  };

  PayMap.prototype.update = function (changed) {
    var self = this, choice = this.choice();
    var items = Object.keys(this.shapes).map(function (k) { return self.shapes[k]; }).concat(this.points);
    var values = [];
    items.forEach(function (item) {
      item.figures = self.figuresOf(item.places, choice);
      item.value = self.valueOf(item.figures, choice.measure);
      if (item.value) { values.push(item.value.value); }
    });
    var classes = quantileClasses(values, PALETTE.length);
    items.forEach(function (item) {
      var node = item.node, describe = item.name;
      var anyFigure = self.data.figures.some(function (f) { return item.places.indexOf(f.place) >= 0; });
      node.classList.toggle("has-figure", !!item.value);
      node.classList.toggle("no-figure", !item.value && anyFigure);
      node.classList.toggle("no-data", !item.value && !anyFigure);
      if (item.value) {
        node.setAttribute("fill", colourOf(classes, classOf(classes, item.value.value)));
        describe += ": " + choice.measure + " " + (item.value.low === item.value.high ? money(item.value.low, choice.period)
          : money(item.value.low, choice.period) + " to " + money(item.value.high, choice.period));
      } else {
        node.setAttribute("fill", anyFigure ? "url(#no-figure-hatch)" : "#e6e9ee");
        describe += anyFigure ? ": no " + choice.measure + " for this choice" : ": no figures in the documents";
      }
      if (anyFigure) { node.setAttribute("tabindex", "0"); node.setAttribute("role", "button"); }
      else { node.removeAttribute("tabindex"); node.removeAttribute("role"); }
      item.title.textContent = describe;
    });
    this.drawLegend(classes, choice);
    this.drawNational(choice);
    this.filterTable(choice);
    if (this.pinned) { this.showTip(this.pinned, null); }
    if (changed && this.zoomButton.getAttribute("aria-pressed") === "true") { this.zoom(true); }
    if (changed && window.history && history.replaceState) {
      var params = new URLSearchParams(location.search);
      ["period", "role", "measure"].forEach(function (k) { if (choice[k]) { params.set(k, choice[k]); } else { params.delete(k); } });
      history.replaceState(null, "", location.pathname + "?" + params.toString() + location.hash);
    }
  };

  PayMap.prototype.drawLegend = function (classes, choice) {
    var legend = this.legend;
    legend.textContent = "";
    function swatch(fill, text, className) {
      var item = html("li", className);
      var box = el("svg", { viewBox: "0 0 14 14", width: "14", height: "14", "aria-hidden": "true" });
      box.appendChild(el(className === "legend-point" ? "circle" : "rect",
        className === "legend-point" ? { cx: "7", cy: "7", r: "5", fill: fill, stroke: "#1d2430" }
                                     : { width: "14", height: "14", fill: fill, stroke: "#8792a2" }));
      item.appendChild(box);
      item.appendChild(document.createTextNode(" " + text));
      legend.appendChild(item);
    }
    classes.forEach(function (range, i) {
      swatch(colourOf(classes, i), range[0] === range[1] ? money(range[0], choice.period)
             : money(range[0], choice.period) + "\u2013" + money(range[1], choice.period));
    });
    swatch("url(#no-figure-hatch)", "no " + choice.measure + " for this choice");
    swatch("#e6e9ee", "no figures in the documents");
    swatch("#ffffff", "metro area, city or county", "legend-point");
    var title = html("li", "legend-title", (this.data.periods[choice.period] || choice.period) + " " + choice.measure + " pay");
    legend.insertBefore(title, legend.firstChild);
  };

  PayMap.prototype.drawNational = function (choice) {
    var self = this;
    var national = Object.keys(this.data.places).filter(function (iri) { return self.data.places[iri].national; });
    var figures = this.figuresOf(national, choice).filter(function (f) { return f.values[choice.measure] !== undefined; });
    this.national.textContent = "";
    this.national.hidden = !figures.length;
    if (!figures.length) { return; }
    this.national.appendChild(document.createTextNode("Nationwide: "));
    figures.forEach(function (f, index) {
      if (index) { self.national.appendChild(document.createTextNode("; ")); }
      var place = self.data.places[f.place];
      self.national.appendChild(document.createTextNode(place.label + " " + choice.measure + " " +
        (f.qualifier ? f.qualifier + " " : "") + f.text[choice.measure] + (f.role ? " (" + self.data.roles[f.role] + ")" : "") +
        (f.year ? ", " + f.year : "") + " "));
      if (f.sources.length) {
        var link = html("a", "", "[source]");
        link.href = f.sources[0].href;
        link.title = f.sources[0].title;
        self.national.appendChild(link);
      }
    });
  };

  PayMap.prototype.filterTable = function (choice) {
    var shown = 0;
    this.table.querySelectorAll("tbody tr").forEach(function (row) {
      var role = row.getAttribute("data-role");
      var visible = row.getAttribute("data-period") === choice.period &&
        (choice.role === "none" ? !role : !choice.role || role === choice.role);
      row.hidden = !visible;
      if (visible) { shown += 1; }
    });
    var caption = this.table.querySelector("caption");
    var role = choice.role === "none" ? "no role stated" : choice.role ? this.data.roles[choice.role] : "";
    caption.textContent = (this.data.periods[choice.period] || choice.period) + " pay" + (role ? ", " + role : "") +
      ": " + shown + " figure" + (shown === 1 ? "" : "s") + ", each with its source";
  };

  PayMap.prototype.showTip = function (item, event) {
    var self = this, tip = this.tip, choice = this.choice();
    tip.textContent = "";
    tip.classList.remove("pinned");
    var close = html("button", "tip-close", "\u00d7");
    close.type = "button";
    close.setAttribute("aria-label", "Close");
    close.addEventListener("click", function (e) { e.stopPropagation(); self.hideTip(true); item.node.focus(); });
    tip.appendChild(close);
    var places = item.places.length ? item.places : [];
    if (!places.length) {
      tip.appendChild(html("p", "tip-place", item.name));
      tip.appendChild(html("p", "meta", "No document gives a figure for this place."));
    }
    places.forEach(function (iri) {
      var place = self.data.places[iri];
      var heading = html("p", "tip-place");
      var link = html("a", "", place.label);
      link.href = place.href;
      heading.appendChild(link);
      tip.appendChild(heading);
      tip.appendChild(html("p", "meta", place.kind + (place.within ? " \u00b7 " + place.within : "")));
      var figures = self.figuresOf([iri], choice);
      if (!figures.length) {
        var others = self.data.figures.filter(function (f) { return f.place === iri; }).length;
        tip.appendChild(html("p", "meta", "No " + (self.data.periods[choice.period] || "").toLowerCase() + " figure for this choice" +
          (others ? " (" + others + " other figure" + (others === 1 ? "" : "s") + ": change the choices above)" : "") + "."));
      }
      var list = html("ul", "tip-figures");
      figures.forEach(function (f) {
        var entry = html("li");
        var parts = ["median", "mean", "low", "high"].filter(function (m) { return f.text[m]; }).map(function (m) {
          return m + " " + f.text[m]; });
        Object.keys(f.text).forEach(function (m) {
          if (["median", "mean", "low", "high"].indexOf(m) < 0) { parts.push(m.replace("percentile", "p") + " " + f.text[m]); }
        });
        (f.others || []).forEach(function (o) { parts.push(o[0] + " " + o[1]); });
        var strong = html("strong", "", (f.qualifier ? f.qualifier + " " : "") + parts.join(" \u00b7 "));
        entry.appendChild(strong);
        var about = [];
        about.push(f.role ? self.data.roles[f.role] : "role not stated");
        if (f.experience) { about.push(f.experience); }
        about.push(f.year ? "year " + f.year : "year not stated");
        entry.appendChild(html("span", "tip-about", " " + about.join(", ")));
        var sources = html("span", "tip-sources");
        sources.appendChild(document.createTextNode(" Source: "));
        f.sources.forEach(function (s, i) {
          if (i) { sources.appendChild(document.createTextNode("; ")); }
          var a = html("a", "", s.title);
          a.href = s.href;
          a.title = s.quote;
          sources.appendChild(a);
        });
        if (f.more_sources) { sources.appendChild(document.createTextNode(" +" + f.more_sources)); }
        entry.appendChild(sources);
        list.appendChild(entry);
      });
      if (figures.length) { tip.appendChild(list); }
    });
    tip.hidden = false;
    if (this.pinned === item) { tip.classList.add("pinned"); }
    this.placeTip(event, item);
  };

  PayMap.prototype.placeTip = function (event, item) {
    var tip = this.tip, box = this.frame.getBoundingClientRect();
    var x, y;
    if (event && event.clientX !== undefined && (event.clientX || event.clientY)) {
      x = event.clientX - box.left; y = event.clientY - box.top;
    } else if (item) {
      var r = item.node.getBoundingClientRect();
      x = r.left + r.width / 2 - box.left; y = r.top + r.height / 2 - box.top;
    } else { return; }
    var width = tip.offsetWidth, parentWidth = this.frame.clientWidth;
    var left = Math.max(0, Math.min(parentWidth - width, x + 12));
    tip.style.left = left + "px";
    tip.style.top = (y + 14) + "px";
  };

  PayMap.prototype.hideTip = function (unpin) {
    if (unpin) { this.pinned = null; }
    this.tip.hidden = true;
    this.tip.classList.remove("pinned");
  };

  function start() {
    if (!window.d3 || !d3.geoAlbersUsaTerritories || !window.topojson) { return; }
    document.querySelectorAll(".pay-map-block").forEach(function (block) {
      if (!block.querySelector(".pay-map")) { return; }
      var map = new PayMap(block);
      block.payMap = map;
      map.start();
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
}());
