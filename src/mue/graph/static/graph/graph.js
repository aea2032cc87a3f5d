/* Mue dependency graph page: filters, neighbourhood focus, impact and dependencies, drawn with Cytoscape.js.
 *
 * The data (a <script type="application/json" id="mue-graph-data">) holds every node and edge of the
 * workspace; only the visible part is handed to Cytoscape, so large workspaces stay responsive.
 * Edge orientation in the data: structural edges go dependent -> dependency, data flows go
 * source -> target (the target depends on the source). Rules match mue/graph/traverse.py: units and
 * external parties are affected by a failure but do not pass it on, unless the search starts there.
 */
(function () {
  "use strict";

  var DATA = JSON.parse(document.getElementById("mue-graph-data").textContent);
  var S = DATA.strings;
  var TYPE_COLOURS = {
    unit: "#8e7cc3", process: "#c27ba0", service: "#3d85c6", application: "#45a06f",
    asset: "#b7894b", site: "#7f8c8d", party: "#d0a526"
  };
  var CRIT_COLOURS = ["#5f6b73", "#5f6b73", "#e0b000", "#e67e22", "#c0392b"];
  var LIMIT_INITIAL = 1200;  // nodes drawn at first on a large workspace
  var LIMIT_DRAW = 3000;  // beyond this, ask for a narrower view instead of freezing the page
  var MAX_SUB = 3;

  var nodes = DATA.nodes, edges = DATA.edges, N = nodes.length;
  var typeIndex = {};
  DATA.types.forEach(function (t, i) { typeIndex[t] = i; });
  var byId = {};
  nodes.forEach(function (n, i) { byId[n.id] = i; });

  // Per node, edges where it is the dependent (depOut) and where it is the dependency (depIn).
  var depOut = [], depIn = [], touching = [];
  for (var i = 0; i < N; i++) { depOut.push([]); depIn.push([]); touching.push([]); }
  function dependent(e) { return e.k === "data" ? e.t : e.s; }
  function dependency(e) { return e.k === "data" ? e.s : e.t; }
  edges.forEach(function (e, k) {
    depOut[dependent(e)].push(k);
    depIn[dependency(e)].push(k);
    touching[e.s].push(k);
    if (e.t !== e.s) touching[e.t].push(k);
  });

  var state = { mode: "all", node: null };
  var $ = function (id) { return document.getElementById(id); };
  var ui = {
    unit: $("mg-unit"), crit: $("mg-crit"), data: $("mg-data"), flows: $("mg-flows"), layout: $("mg-layout"),
    search: $("mg-search"), objects: $("mg-objects"), depth: $("mg-depth"), reset: $("mg-reset"),
    status: $("mg-status"), details: $("mg-details")
  };
  // The filters act as they change; Enter in a field must not submit (no inline handler: the CSP).
  document.querySelector(".mg-filters").addEventListener("submit", function (e) { e.preventDefault(); });

  function option(select, value, label) {
    var o = document.createElement("option");
    o.value = value; o.textContent = label; select.appendChild(o);
  }
  nodes.forEach(function (n) {
    if (n.t === "unit") option(ui.unit, n.id, n.n);
    var o = document.createElement("option");
    o.value = n.id; o.textContent = n.n; ui.objects.appendChild(o);
  });
  DATA.categories.forEach(function (c, i) {
    option(ui.data, String(i), c.n + (c.p && c.p !== "none" ? " (" + c.p + ")" : ""));
  });

  function flowsOn() { return ui.flows.checked; }
  function edgeAllowed(e) { return e.k !== "data" || flowsOn(); }

  /* Breadth-first search along dependencies: "impact" walks to dependents, "dependencies" to dependencies. */
  function reach(start, direction, allowData) {
    var seen = new Map([[start, 0]]), queue = [start];
    for (var q = 0; q < queue.length; q++) {
      var u = queue[q];
      var t = nodes[u].t;
      if (u !== start && (t === "unit" || t === "party")) continue;
      var list = direction === "impact" ? depIn[u] : depOut[u];
      for (var j = 0; j < list.length; j++) {
        var e = edges[list[j]];
        if (e.k === "data" && !allowData) continue;
        var v = direction === "impact" ? dependent(e) : dependency(e);
        if (!seen.has(v)) { seen.set(v, seen.get(u) + 1); queue.push(v); }
      }
    }
    return seen;
  }

  function neighbourhood(start, depth) {
    var seen = new Map([[start, 0]]), queue = [start];
    for (var q = 0; q < queue.length; q++) {
      var u = queue[q];
      if (seen.get(u) >= depth) continue;
      touching[u].forEach(function (k) {
        var e = edges[k];
        if (!edgeAllowed(e)) return;
        var v = e.s === u ? e.t : e.s;
        if (!seen.has(v)) { seen.set(v, seen.get(u) + 1); queue.push(v); }
      });
    }
    return seen;
  }

  function critFilter(level) {
    var keep = new Set();
    if (!level) return null;
    nodes.forEach(function (n, i) { if ((n.c || 0) >= level) keep.add(i); });
    // Context without a criticality of its own: units, processes, sites and parties next to a kept node.
    Array.from(keep).forEach(function (i) {
      touching[i].forEach(function (k) {
        var e = edges[k], v = e.s === i ? e.t : e.s, t = nodes[v].t;
        if (t !== "service" && t !== "application" && t !== "asset" && edgeAllowed(e)) keep.add(v);
      });
    });
    return keep;
  }

  function overview(level) {
    var keep = new Set();
    nodes.forEach(function (n, i) {
      if (n.t !== "service" || (n.c || 0) < level) return;
      keep.add(i);
      touching[i].forEach(function (k) {
        var e = edges[k], v = e.s === i ? e.t : e.s;
        if (nodes[v].t === "unit" || nodes[v].t === "process") keep.add(v);
      });
    });
    return keep;
  }

  function categoryFilter(cat) {
    var keep = new Set();
    nodes.forEach(function (n, i) { if (n.d && n.d.indexOf(cat) >= 0) keep.add(i); });
    edges.forEach(function (e) { if (e.d && e.d.indexOf(cat) >= 0) { keep.add(e.s); keep.add(e.t); } });
    return keep;
  }

  function intersect(a, b) {
    if (a === null) return b;
    if (b === null) return a;
    return new Set(Array.from(a).filter(function (x) { return b.has(x); }));
  }

  /* The visible node set and a message, from the mode and the filters. */
  function visibleSet() {
    if (state.mode === "focus") return { set: new Set(neighbourhood(state.node, +ui.depth.value).keys()) };
    if (state.mode === "impact" || state.mode === "dependencies") {
      return { set: new Set(reach(state.node, state.mode, flowsOn()).keys()) };
    }
    var set = null, message = "";
    if (ui.unit.value) set = new Set(reach(byId[ui.unit.value], "dependencies", false).keys());
    set = intersect(set, critFilter(+ui.crit.value));
    if (ui.data.value !== "") set = intersect(set, categoryFilter(+ui.data.value));
    if (set === null) {
      set = new Set(nodes.map(function (_n, i) { return i; }));
      if (N > LIMIT_INITIAL) {
        set = null;
        for (var level = 2; level <= 4 && set === null; level++) {
          var candidate = critFilter(level);
          if (candidate.size <= LIMIT_INITIAL && candidate.size > 0) {
            set = candidate; ui.crit.value = String(level);
            message = S.narrowed.replace("%(level)s", level);
          }
        }
        // Still too many: the critical services alone, with the units and processes around them.
        for (level = 4; level >= 1 && set === null; level--) {
          var services = overview(level);
          if (services.size <= LIMIT_INITIAL && services.size > 0) {
            set = services;
            message = S.overview.replace("%(level)s", level);
          }
        }
        if (set === null) return { set: new Set(), message: S.too_big };
      }
    }
    return { set: set, message: message };
  }

  function visibleEdges(set) {
    var cat = state.mode === "all" && ui.data.value !== "" ? +ui.data.value : null;
    var out = [];
    edges.forEach(function (e, k) {
      if (!set.has(e.s) || !set.has(e.t) || !edgeAllowed(e)) return;
      if (cat !== null && e.k === "data" && !(e.d && e.d.indexOf(cat) >= 0)) return;
      out.push(k);
    });
    return out;
  }

  /* Columns by type (applications and assets split by the length of their chains), barycentre ordering. */
  function layered(list, edgeList) {
    var level = new Map();
    list.forEach(function (n) { level.set(n, 0); });
    var chain = edgeList.map(function (k) { return edges[k]; }).filter(function (e) {
      return e.s !== e.t && ((e.k === "depends-on") || (e.k === "hosted-on"));
    });
    for (var pass = 0; pass < MAX_SUB; pass++) {
      var changed = false;
      chain.forEach(function (e) {
        var wanted = Math.min(level.get(e.s) + 1, MAX_SUB - 1);
        if (level.get(e.t) < wanted) { level.set(e.t, wanted); changed = true; }
      });
      if (!changed) break;
    }
    var colKey = function (n) { return typeIndex[nodes[n].t] * MAX_SUB + level.get(n); };
    var keys = Array.from(new Set(list.map(colKey))).sort(function (a, b) { return a - b; });
    var colOf = new Map(), members = keys.map(function () { return []; });
    list.slice().sort(function (a, b) {
      return nodes[a].n.localeCompare(nodes[b].n) || a - b;
    }).forEach(function (n) {
      var c = keys.indexOf(colKey(n)); colOf.set(n, c); members[c].push(n);
    });
    var near = new Map();
    list.forEach(function (n) { near.set(n, []); });
    edgeList.forEach(function (k) {
      var e = edges[k];
      if (e.s !== e.t) { near.get(e.s).push(e.t); near.get(e.t).push(e.s); }
    });
    var rank = new Map();
    members.forEach(function (col) { col.forEach(function (n, i) { rank.set(n, i); }); });
    for (var sweep = 0; sweep < 4; sweep++) {
      var order = members.map(function (_c, i) { return i; });
      if (sweep % 2) order.reverse();
      order.forEach(function (c) {
        var weight = new Map();
        members[c].forEach(function (n) {
          var others = near.get(n).filter(function (m) { return colOf.get(m) !== c; });
          weight.set(n, others.length ? others.reduce(function (s, m) { return s + rank.get(m); }, 0) / others.length
            : rank.get(n));
        });
        members[c].sort(function (a, b) { return weight.get(a) - weight.get(b) || rank.get(a) - rank.get(b); });
        members[c].forEach(function (n, i) { rank.set(n, i); });
      });
    }
    // Wrap tall columns into several, choosing the number of rows that gives the drawing about the
    // canvas's proportions (hundreds of services would otherwise make one thin, unreadable stripe).
    var box = $("mg-canvas"), columnGap = 230, rowGap = 58, subGap = 210;
    var ratio = box.clientHeight / Math.max(box.clientWidth, 1);
    var tallest = Math.max.apply(null, members.map(function (c) { return c.length; }).concat([1]));
    var rows = tallest, best = Infinity;
    for (var r = Math.min(tallest, 12); r <= tallest; r++) {
      var width = members.reduce(function (w, c) { return w + columnGap + (Math.ceil(c.length / r) - 1) * subGap; }, 0);
      var score = Math.abs(Math.log((r * rowGap) / Math.max(width, 1) / ratio));
      if (score < best) { best = score; rows = r; }
    }
    if (rows === tallest) {  // few rows: spread them instead
      var flatWidth = members.length * columnGap;
      rowGap = Math.min(130, Math.max(58, ratio * flatWidth / Math.max(tallest, 1)));
    }
    var pos = new Map(), x = 0;
    members.forEach(function (col) {
      var wraps = Math.ceil(col.length / rows), height = Math.min(col.length, rows);
      var offset = (Math.min(tallest, rows) - height) * rowGap / 2;
      col.forEach(function (n, i) {
        pos.set(n, { x: x + Math.floor(i / rows) * subGap, y: offset + (i % rows) * rowGap });
      });
      x += columnGap + (wraps - 1) * subGap;
    });
    return pos;
  }

  var cy = cytoscape({
    container: $("mg-canvas"),
    wheelSensitivity: 0.3,
    minZoom: 0.05,
    maxZoom: 3,
    style: [
      { selector: "node", style: {
        "shape": "round-rectangle", "background-color": "data(colour)", "label": "data(label)",
        "color": "#fff", "font-size": 11, "font-weight": "bold", "text-valign": "center", "text-halign": "center",
        "text-wrap": "ellipsis", "text-max-width": "data(tw)", "width": "data(w)", "height": "data(h)",
        "border-width": "data(bw)", "border-color": "data(border)"
      } },
      { selector: "edge", style: {
        "width": 1.3, "line-color": "#9aa3a9", "target-arrow-color": "#9aa3a9", "target-arrow-shape": "triangle",
        "curve-style": "bezier", "arrow-scale": 0.8
      } },
      { selector: "edge.data", style: { "line-style": "dashed", "line-color": "#2f7fd1",
        "target-arrow-color": "#2f7fd1" } },
      { selector: "node.focus", style: { "border-color": "#111", "border-width": 5, "border-style": "double" } },
      { selector: "node:selected", style: { "overlay-color": "#111", "overlay-opacity": 0.12 } }
    ]
  });

  function element(i) {
    var n = nodes[i], c = n.c || 0, w = 140 + 12 * c;
    return {
      group: "nodes",
      data: {
        id: String(i), label: n.n, colour: TYPE_COLOURS[n.t] || "#888", border: CRIT_COLOURS[c],
        bw: 1 + c, w: w, h: 30 + 4 * c, tw: w - 14
      },
      classes: state.node === i && state.mode !== "all" ? "focus" : ""
    };
  }

  function draw() {
    var found = visibleSet(), set = found.set;
    var list = Array.from(set);
    cy.elements().remove();
    if (list.length > LIMIT_DRAW) {
      ui.status.textContent = list.length + " " + S.objects + " — " + S.too_big;
      return;
    }
    var edgeList = visibleEdges(set);
    var pos = ui.layout.value === "layered" ? layered(list, edgeList) : null;
    var els = list.map(function (i) {
      var el = element(i);
      if (pos) el.position = pos.get(i);
      return el;
    });
    edgeList.forEach(function (k) {
      var e = edges[k];
      els.push({ group: "edges", data: { id: "e" + k, source: String(e.s), target: String(e.t), kind: e.k },
                 classes: e.k === "data" ? "data" : "" });
    });
    cy.add(els);
    var layout = pos ? { name: "preset", fit: true, padding: 30 }
      : { name: "cose", animate: false, fit: true, padding: 30, nodeRepulsion: 9000, idealEdgeLength: 90 };
    cy.layout(layout).run();
    if (cy.zoom() > 1.25) { cy.zoom(1.25); cy.center(); }  // a handful of nodes should not fill the screen
    var text = list.length + " " + S.objects + ", " + edgeList.length + " " + S.links;
    if (found.message) text += " — " + found.message;
    if (!list.length && !found.message) text = S.none;
    ui.status.textContent = text;
  }

  function text(tag, content, cls) {
    var el = document.createElement(tag);
    el.textContent = content;
    if (cls) el.className = cls;
    return el;
  }

  function showDetails(i) {
    var n = nodes[i], box = ui.details;
    box.textContent = "";
    box.appendChild(text("h2", n.n));
    var dl = document.createElement("dl");
    function row(label, value, cls) { dl.appendChild(text("dt", label)); dl.appendChild(text("dd", value, cls)); }
    row(DATA.typeLabels[n.t], n.s);
    if (n.k) row(S.kind, n.k);
    if (n.c) row(S.criticality, n.c + (n.f ? " (" + S.inherited_from + " " + n.f + ")" : " (" + S.own + ")"));
    if (n.cc) row(S.country, n.cc + " — " + n.z, n.z === "third-country" || n.z === "conditional" ? "mg-zone-out" : "");
    if (n.d) row(S.data_held, n.d.map(function (c) { return DATA.categories[c].n; }).join(", "));
    box.appendChild(dl);
    [["focus", S.neighbourhood], ["impact", S.impact], ["dependencies", S.dependencies]].forEach(function (b) {
      var button = text("button", b[1]);
      button.type = "button";
      button.addEventListener("click", function () { setMode(b[0], i); });
      box.appendChild(button);
    });
    var root = $("mue-graph"), pattern = root.getAttribute("data-object-url");
    if (pattern) {  // inside the app: the object's page of impact and dependencies, with the paths
      var link = text("a", root.getAttribute("data-object-label"), "mg-object-link");
      link.href = pattern.replace("TYPE", encodeURIComponent(n.t)).replace("SLUG", encodeURIComponent(n.s));
      box.appendChild(text("p", "")).appendChild(link);
    }
    if (state.mode === "impact" || state.mode === "dependencies") {
      var seen = reach(i, state.mode, flowsOn()), counts = {}, worst = 0;
      seen.forEach(function (_d, v) {
        if (v === i) return;
        counts[nodes[v].t] = (counts[nodes[v].t] || 0) + 1;
        if (nodes[v].t === "service") worst = Math.max(worst, nodes[v].c || 0);
      });
      var title = (state.mode === "impact" ? S.impact_of : S.dependencies_of) + " " + n.n;
      box.appendChild(text("h2", title));
      var ol = document.createElement("ol");
      DATA.types.forEach(function (t) {
        if (counts[t]) ol.appendChild(text("li", DATA.typeLabels[t] + ": " + counts[t]));
      });
      box.appendChild(ol);
      if (worst) box.appendChild(text("p", S.worst + ": " + worst));
    }
  }

  function setMode(mode, i) {
    state.mode = mode; state.node = i;
    draw();
    if (i !== null) showDetails(i);
  }

  cy.on("tap", "node", function (evt) { setMode("focus", +evt.target.id()); });
  [ui.unit, ui.crit, ui.data].forEach(function (el) {
    el.addEventListener("change", function () { state.mode = "all"; state.node = null; draw(); });
  });
  [ui.flows, ui.layout, ui.depth].forEach(function (el) { el.addEventListener("change", draw); });
  ui.search.addEventListener("change", function () {
    var value = ui.search.value.trim(), found = byId[value];
    if (found === undefined) {
      var lower = value.toLowerCase();
      found = nodes.findIndex(function (n) { return n.s === value || n.n.toLowerCase() === lower; });
    }
    if (found !== undefined && found >= 0) setMode("focus", found);
  });
  ui.reset.addEventListener("click", function () {
    ui.unit.value = ""; ui.crit.value = "0"; ui.data.value = ""; ui.search.value = "";
    state.mode = "all"; state.node = null; draw();
  });

  if (DATA.focus !== null && byId[DATA.focus] !== undefined) setMode("focus", byId[DATA.focus]);
  else draw();
})();
