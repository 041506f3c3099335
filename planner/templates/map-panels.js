/* planner map page, side panels: a unit's figures, the table of units, search, layers, gap filters, colourings
   and the legend.  map.js calls window.plannerPanels(M) with the map's state (M); everything from the data is set
   with textContent, never parsed as HTML. */
window.plannerPanels = function (M) {
  "use strict";
  var D = M.D, newUnits = M.newUnits, oldUnits = M.oldUnits;
  var STATUS_TEXT = { meets: "meets the standard", waived: "meets only by the waiver", below: "below the standard",
                      unchanged: "unchanged (not arranged, not judged)" };
  var STATUS_ORDER = ["below", "waived", "meets", "unchanged"];
  var colourBy = "neighbours";

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }
  function number(v, digits) {
    if (v === null || v === undefined || v === "") return "\u2013";
    return Number(v).toLocaleString("en-US", { maximumFractionDigits: digits || 0, minimumFractionDigits: digits || 0 });
  }
  /* the detail levels as the legend says them: "about 69 m zoomed in, 277 m, 1,107 m zoomed out, by the zoom" */
  function detailText() {
    var metres = D.detail.metres.map(function (m) { return number(m) + " m"; });
    if (metres.length === 1) return "about " + metres[0] + " at every zoom";
    return "about " + metres[0] + " zoomed in" + (metres.length > 2 ? ", " + metres.slice(1, -1).join(", ") : "") +
      ", " + metres[metres.length - 1] + " zoomed out, the level chosen by the zoom";
  }
  function parentName(u) { return u.parent >= 0 ? D.parents.name[u.parent] : ""; }
  function statusRank(s) { var i = STATUS_ORDER.indexOf(s); return i < 0 ? STATUS_ORDER.length : i; }
  function shortfall(u) {
    var f = u.figures;
    return [f.population_short || 0, f.area_short_km2 || 0];
  }
  function shortfallText(u) {
    var s = shortfall(u);
    if (s[0] > 0) return number(s[0]) + " people";
    return s[1] > 0 ? number(s[1], 1) + " km\u00b2" : "\u2013";
  }
  function figure(u, key) { return key === "gaps" ? u.gaps.length : u.figures[key]; }
  function accessKm(u) {
    var n = newUnits[u.newIndex];
    if (!u.shape || !n.seat) return null;
    return Math.sqrt(Math.pow(u.label[0] - n.seat[0], 2) + Math.pow(u.label[1] - n.seat[1], 2)) * D.step / 1000;
  }

  /* ---- tooltip and the unit's panel ---- */
  function tooltip(box, unit, old) {
    box.textContent = "";
    box.appendChild(el("strong", unit.name));
    box.appendChild(el("div", (STATUS_TEXT[unit.status] || unit.status) + " \u00b7 " + number(unit.figures.population) +
      " people \u00b7 " + number(unit.figures.area_km2, 1) + " km\u00b2"));
    if (old) box.appendChild(el("div", "old unit: " + old.name + " (" + old.code + ")", "muted"));
  }
  var panelBox = document.getElementById("panel");
  function panel(n, oldIndex) {
    panelBox.textContent = "";
    panelBox.dataset.unit = n < 0 ? "" : newUnits[n].code;
    if (n < 0) { panelBox.appendChild(el("p", "No unit here.", "muted")); return; }
    var u = newUnits[n], f = u.figures;
    panelBox.appendChild(el("h2", u.name));
    var status = el("span", STATUS_TEXT[u.status] || u.status, "status");
    status.style.background = D.statusColours[u.status] || "#ddd";
    status.style.color = u.status === "below" || u.status === "meets" ? "#fff" : "#111";
    panelBox.appendChild(status);
    var rows = [["code", u.code], [D.parents.level || "parent", parentName(u)], ["kind", f.kind], ["terrain", f.terrain],
      ["population", number(f.population)], ["area, km\u00b2", number(f.area_km2, 2)], ["short of the standard", shortfallText(u)],
      ["old units", f.n_constituents], ["seat", f.seat_name + " (" + f.seat + ")"], ["rule", f.rule],
      ["contiguous", f.contiguous ? "yes" : "no"],
      ["access mean / max, km", number(f.access_mean_km, 2) + " / " + number(f.access_max_km, 2)],
      ["compactness (Polsby-Popper)", number(f.polsby_popper, 3)]];
    if (f.readiness) rows.push(["readiness on the go-live day", D.readinessWords[f.readiness] || f.readiness]);
    if (f.missing_data) rows.push(["old units without data", f.missing_data]);
    var table = el("table");
    rows.forEach(function (r) { var tr = el("tr"); tr.appendChild(el("th", r[0])); tr.appendChild(el("td", r[1])); table.appendChild(tr); });
    panelBox.appendChild(table);
    panelBox.appendChild(el("h3", "Failing criteria"));
    panelBox.appendChild(el("p", f.failing ? f.failing : (u.status === "waived" ? "short of the standard, covered by the waiver" : "none"),
      f.failing ? "failing" : "muted"));
    if (u.gaps.length) {
      panelBox.appendChild(el("h3", "Gaps (" + u.gaps.length + ")"));
      u.gaps.forEach(function (g) {
        var p = el("div", null, "gap"), dot = el("span", "\u25cf ");
        dot.style.color = M.gapColour(g.severity);
        p.appendChild(dot); p.appendChild(el("strong", g.severity + " \u00b7 " + g.type + ": ")); p.appendChild(el("span", g.text));
        panelBox.appendChild(p);
      });
    }
    panelBox.appendChild(el("h3", "Old units (" + u.members.length + ")"));
    var members = el("table"), head = el("tr");
    ["code", "name", "population", "to the seat, km"].forEach(function (h) { head.appendChild(el("th", h)); });
    members.appendChild(head);
    u.members.forEach(function (i) {
      var m = oldUnits[i], tr = el("tr");
      tr.appendChild(el("td", m.code)); tr.appendChild(el("td", m.name + (i === oldIndex ? " \u25c0" : "")));
      tr.appendChild(el("td", number(m.population), "n")); tr.appendChild(el("td", number(accessKm(m), 1), "n"));
      members.appendChild(tr);
    });
    panelBox.appendChild(members);
  }

  /* ---- search: names and codes, accents left out; results name their parents ---- */
  function fold(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[\u0111\u0110]/g, "d").toLowerCase();
  }
  var index = newUnits.map(function (u, i) {
    return { key: fold(u.name + " " + u.code), label: u.name, code: u.code, where: parentName(u), n: i };
  }).concat(oldUnits.map(function (u) {
    return { key: fold(u.name + " " + u.code), label: u.name, code: u.code, n: u.newIndex,
             where: (u.parents ? u.parents + "; " : "") + "old unit, now in " + newUnits[u.newIndex].name };
  }));
  M.references.forEach(function (r) {
    r.codes.forEach(function (code, i) {
      var shape = r.units[i].shape;
      if (shape) index.push({ key: fold(r.names[i] + " " + code), label: r.names[i], code: code, where: r.title, box: shape.box });
    });
  });
  var search = document.getElementById("search"), results = document.getElementById("results");
  search.addEventListener("input", function () {
    results.textContent = "";
    var q = fold(search.value.trim());
    if (!q) return;
    var hits = index.filter(function (h) { return h.key.indexOf(q) >= 0; });
    if (!hits.length) results.appendChild(el("div", "no unit matches", "muted"));
    hits.slice(0, 30).forEach(function (h) {
      var b = el("button");
      b.appendChild(el("span", h.label));
      b.appendChild(el("span", " " + h.code, "code"));
      if (h.where) b.appendChild(el("span", " \u00b7 " + h.where, "where"));
      b.addEventListener("click", function () { if (h.box) M.zoomToBox(h.box); else M.zoomTo(h.n); });
      results.appendChild(b);
    });
    if (hits.length > 30) results.appendChild(el("div", (hits.length - 30) + " more: type more of the name", "muted"));
  });
  search.addEventListener("keydown", function (e) {
    if (e.key === "Enter") { var first = results.querySelector("button"); if (first) first.click(); }
  });

  /* ---- layers: tick boxes of the fixed layers and one per reference layer ---- */
  var refBox = document.getElementById("layer-refs");
  M.references.forEach(function (r) {
    var label = el("label"), input = el("input");
    input.type = "checkbox"; input.checked = true; input.id = "layer-ref-" + r.key;
    label.appendChild(input); label.appendChild(el("span", " " + r.title));
    refBox.appendChild(label);
  });
  Object.keys(M.layers).forEach(function (name) {
    var box = document.getElementById("layer-" + name);
    box.addEventListener("change", function () { M.layers[name] = box.checked; M.redraw(); });
  });

  /* ---- gap filters: a tick box per severity (most serious first) and per gap type of the data ---- */
  (function gapFilters() {
    var lists = { severity: D.severities.slice(), type: [] }, column = { severity: 2, type: 1 };
    D.gaps.forEach(function (g) {
      if (lists.severity.indexOf(g[2]) < 0) lists.severity.push(g[2]);
      if (lists.type.indexOf(g[1]) < 0) lists.type.push(g[1]);
    });
    lists.type.sort();
    document.getElementById("gap-filter").style.display = D.gaps.length ? "" : "none";
    ["severity", "type"].forEach(function (kind) {
      var box = document.getElementById(kind === "severity" ? "gap-severities" : "gap-types");
      lists[kind].forEach(function (value) {
        var count = D.gaps.filter(function (g) { return g[column[kind]] === value; }).length;
        var label = el("label"), input = el("input");
        input.type = "checkbox"; input.checked = true; input.dataset[kind] = value;
        M.gapFilter[kind][value] = true;
        input.addEventListener("change", function () { M.gapFilter[kind][value] = input.checked; M.redraw(); });
        label.appendChild(input);
        if (kind === "severity") { var dot = el("span", " \u25cf"); dot.style.color = M.gapColour(value); label.appendChild(dot); }
        label.appendChild(el("span", " " + value + " (" + count + ")"));
        box.appendChild(label);
      });
    });
  })();

  /* ---- colourings ---- */
  /* quantile classes of the known values (at most D.classes, fewer when values repeat) */
  function classes(values) {
    var known = values.filter(function (v) { return v !== null && v !== undefined && v !== "" && !isNaN(v); })
      .map(Number).sort(function (a, b) { return a - b; });
    var breaks = [];
    for (var i = 1; i < D.classes && known.length; i++) {
      var b = known[Math.floor(i * known.length / D.classes)];
      if (b > known[0] && breaks.indexOf(b) < 0) breaks.push(b);
    }
    var n = breaks.length + 1, colours = [];
    for (var c = 0; c < n; c++) colours.push(D.sequential[n === 1 ? 0 : Math.round(c * (D.sequential.length - 1) / (n - 1))]);
    function classOf(v) {
      if (v === null || v === undefined || v === "" || isNaN(v)) return -1;
      var k = 0; while (k < breaks.length && Number(v) >= breaks[k]) k++;
      return k;
    }
    var counts = colours.map(function () { return 0; }), unknown = 0;
    values.forEach(function (v) { var k = classOf(v); if (k < 0) unknown++; else counts[k]++; });
    return { breaks: breaks, colours: colours, counts: counts, unknown: unknown, min: known[0], max: known[known.length - 1],
             colourOf: function (v) { var k = classOf(v); return k < 0 ? D.noValueColour : colours[k]; } };
  }
  var scheme = null;
  var hasReadiness = newUnits.some(function (u) { return !!u.figures.readiness; });
  var select = document.getElementById("colour-by");
  [["neighbours", "neighbours differ"], ["status", "standard status"]].concat(
    hasReadiness ? [["readiness", "readiness on the go-live day"]] : [],
    [["access", "distance of old units to the seat"]],
    D.figureNames.map(function (f) { return ["figure:" + f[0], f[1]]; })).forEach(function (o) {
    var option = el("option", o[1]); option.value = o[0]; select.appendChild(option);
  });
  function colouring(mode) {
    colourBy = mode;
    scheme = null;
    if (mode === "status") M.setColouring(function (u) { return D.statusColours[u.status] || D.noValueColour; });
    else if (mode === "readiness") M.setColouring(function (u) { return D.readinessColours[u.figures.readiness] || D.noValueColour; });
    else if (mode === "access") {
      scheme = classes(oldUnits.map(accessKm));
      M.setColouring(function () { return D.noValueColour; }, function (u) { return scheme.colourOf(accessKm(u)); }, true);
    } else if (mode.indexOf("figure:") === 0) {
      var key = mode.slice(7);
      scheme = classes(newUnits.map(function (u) { return figure(u, key); }));
      M.setColouring(function (u) { return scheme.colourOf(figure(u, key)); });
    } else M.setColouring(function (u) { return D.palette[u.colour % D.palette.length]; });
    legend();
  }
  select.addEventListener("change", function () { colouring(select.value); });

  function legend() {
    var box = document.getElementById("legend");
    box.textContent = "";
    box.appendChild(el("h3", "Legend"));
    function key(swatchStyle, text, cls) {
      var row = el("div", null, "key"), s = el("span", null, cls || "swatch");
      Object.keys(swatchStyle).forEach(function (k) { s.style[k] = swatchStyle[k]; });
      row.appendChild(s); row.appendChild(el("span", text)); box.appendChild(row);
      return row;
    }
    function counted(values, colours, words) {
      values.forEach(function (v) {
        var count = newUnits.filter(function (u) { return (colourBy === "status" ? u.status : u.figures.readiness) === v; }).length;
        if (v === "unchanged" && !count) return;
        key({ background: colours[v] }, words[v] + " (" + count + ")").dataset.value = v;
      });
    }
    if (colourBy === "status") counted(["meets", "waived", "below", "unchanged"], D.statusColours, STATUS_TEXT);
    else if (colourBy === "readiness") counted(D.readinessOrder, D.readinessColours, D.readinessWords);
    else if (scheme) {
      var digits = scheme.max - scheme.min < 10 ? 2 : 0;
      box.appendChild(el("div", select.options[select.selectedIndex].textContent + " (classes of equal counts)", "muted"));
      scheme.colours.forEach(function (c, k) {
        var lo = k === 0 ? scheme.min : scheme.breaks[k - 1], hi = k === scheme.breaks.length ? scheme.max : scheme.breaks[k];
        key({ background: c }, number(lo, digits) + (k === scheme.breaks.length ? " to " : " to under ") + number(hi, digits) +
            " (" + scheme.counts[k] + ")").dataset.value = String(k);
      });
      if (scheme.unknown) key({ background: D.noValueColour }, "no value (" + scheme.unknown + ")");
      if (colourBy === "access") box.appendChild(el("p", "Old units coloured by the straight distance from their middle to " +
        "the seat of their new unit; click a unit for lines to its seat.", "muted"));
    } else {
      var row = el("div", null, "key");
      D.palette.slice(0, Math.min(D.palette.length, D.coloursUsed)).forEach(function (c) {
        var s = el("span", null, "swatch"); s.style.background = c; s.style.marginRight = "1px"; row.appendChild(s);
      });
      row.appendChild(el("span", " new units (colours only tell neighbours apart)"));
      box.appendChild(row);
    }
    key({ borderTop: "2px solid #1f1f1f" }, "boundary of a new unit", "line");
    key({ borderTop: "1px dashed #6b6b6b" }, "boundary of an old unit (when zoomed in)", "line");
    M.references.forEach(function (r) {
      key({ borderTop: (r.level === 0 ? "2px " : "1px ") + (r.key.slice(-4) === "_new" ? "dashed " : "solid ") +
        (r.level === 0 ? "#5a2d82" : "#7f6a93") }, r.title, "line");
    });
    key({ background: "#111", width: "7px", height: "7px" }, "seat of a new unit");
    D.severities.forEach(function (s) {
      key({ background: M.gapColour(s), borderRadius: "50%", width: "11px", height: "11px" }, "gap, " + s + " severity (number = how many)");
    });
    if (D.parents.code.length) box.appendChild(el("p", "Zoomed out, one circle per " + D.parents.level +
      " counts the gaps of its units.", "muted"));
    if (D.source) box.appendChild(el("p", D.source, "muted source"));
    box.appendChild(el("p", "Boundaries simplified for display, the same for both sides of a shared edge: " + detailText() +
      ". Date: " + D.date + ".", "muted"));
  }

  /* ---- the table of units: sortable, filtered by parent; a click zooms to the unit ---- */
  var COLUMNS = [
    ["name", "unit", function (u) { return u.folded || (u.folded = fold(u.name)); }, function (u) { return u.name; }],
    ["parent", D.parents.level || "parent", function (u) { return u.parent; }, parentName],
    ["status", "status", function (u) { return statusRank(u.status); }, function (u) { return u.status; }],
    ["shortfall", "short", shortfall, shortfallText],
    ["population", "population", function (u) { return u.figures.population; }, function (u) { return number(u.figures.population); }],
    ["area", "km\u00b2", function (u) { return u.figures.area_km2; }, function (u) { return number(u.figures.area_km2, 1); }],
    ["access", "access km", function (u) { return u.figures.access_mean_km; }, function (u) { return number(u.figures.access_mean_km, 1); }],
    ["gaps", "gaps", function (u) { return u.gaps.length; }, function (u) { return u.gaps.length; }]
  ];
  var ROWS_SHOWN = 300, sort = { key: "status", descending: false }, parentFilter = "";
  var tableBox = document.getElementById("unit-table"), parentSelect = document.getElementById("table-parent");
  D.parents.code.forEach(function (code, i) {
    var option = el("option", D.parents.name[i] + " (" + code + ")"); option.value = String(i); parentSelect.appendChild(option);
  });
  if (!D.parents.code.length) parentSelect.parentNode.style.display = "none";
  parentSelect.addEventListener("change", function () { parentFilter = parentSelect.value; table(); });
  function compare(a, b) {
    var column = COLUMNS.filter(function (c) { return c[0] === sort.key; })[0], x = column[2](a), y = column[2](b);
    var order = 0;
    if (Array.isArray(x)) order = (x[0] - y[0]) || (x[1] - y[1]);
    else if (typeof x === "string") order = x < y ? -1 : x > y ? 1 : 0;
    else order = (x === null || x === undefined ? -Infinity : x) - (y === null || y === undefined ? -Infinity : y);
    return (sort.descending ? -order : order) || (a.code < b.code ? -1 : 1);
  }
  function table() {
    var units = newUnits.filter(function (u) { return parentFilter === "" || String(u.parent) === parentFilter; }).sort(compare);
    tableBox.textContent = "";
    var head = el("tr");
    COLUMNS.forEach(function (c) {
      var th = el("th", c[1] + (sort.key === c[0] ? (sort.descending ? " \u25bc" : " \u25b2") : ""));
      th.dataset.sort = c[0];
      th.addEventListener("click", function () {
        sort = { key: c[0], descending: sort.key === c[0] ? !sort.descending : c[0] !== "name" && c[0] !== "parent" && c[0] !== "status" };
        table();
      });
      head.appendChild(th);
    });
    tableBox.appendChild(head);
    units.slice(0, ROWS_SHOWN).forEach(function (u) {
      var tr = el("tr");
      tr.dataset.code = u.code;
      COLUMNS.forEach(function (c, k) { tr.appendChild(el("td", c[3](u), k > 2 ? "n" : (k === 2 ? "st-" + u.status : null))); });
      tr.addEventListener("click", function () { M.zoomTo(newUnits.indexOf(u)); });
      tableBox.appendChild(tr);
    });
    document.getElementById("table-count").textContent = units.length > ROWS_SHOWN ?
      "the first " + ROWS_SHOWN + " of " + units.length + " units: sort or filter to see others" : units.length + " units";
  }

  document.getElementById("toggle-table").addEventListener("click", function () {
    document.getElementById("units").classList.toggle("hidden");
    M.map.invalidateSize({ animate: false });
  });
  legend();
  table();
  return { tooltip: tooltip, panel: panel, colourBy: function () { return colourBy; }, colouring: colouring };
};
