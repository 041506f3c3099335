/* planner map page: a small canvas renderer for old and new units (no network, no library).
   Data: the JSON in #map-data (see planner/maps/html.py). Names are only ever set with
   textContent or drawn on the canvas, never parsed as HTML. */
(function () {
  "use strict";
  var started = performance.now();
  var D = JSON.parse(document.getElementById("map-data").textContent);
  var mapBox = document.getElementById("map");
  var base = document.getElementById("base");
  var overlay = document.getElementById("overlay");
  var ctx = base.getContext("2d");
  var octx = overlay.getContext("2d");
  var tooltip = document.getElementById("tooltip");
  var layers = { before: true, after: true, gaps: true, labels: true, seats: true };
  var colourBy = "neighbours";
  var view = { scale: 1, tx: 0, ty: 0 };
  var size = { w: 0, h: 0, dpr: 1 };
  var selected = -1, hovered = -1;
  var state = { drawnNew: 0, drawnOld: 0, labels: 0, gapMarkers: 0, renders: 0, markers: [], gapMode: "units" };
  /* gaps shown: severity and type -> ticked (filled from the data below) */
  var gapFilter = { severity: {}, type: {} };
  /* below this radius on screen (px), new units are too small for a marker each: one per parent unit */
  var GROUP_BELOW_PX = 8;
  var labelBoxes = {};
  var STATUS_TEXT = { meets: "meets the standard", waived: "meets only by the waiver", below: "below the standard",
                      unchanged: "unchanged (not arranged, not judged)" };

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  /* ---- geometry: rings are [x0, y0, dx1, dy1, ...] on the integer grid, y north ---- */
  function decode(geom) {
    if (!geom) return null;
    var rings = [], box = [Infinity, Infinity, -Infinity, -Infinity], path = new Path2D();
    for (var r = 0; r < geom.length; r++) {
      var flat = geom[r], pts = new Float64Array(flat.length), x = 0, y = 0;
      for (var i = 0; i < flat.length; i += 2) {
        x += flat[i]; y += flat[i + 1];
        pts[i] = x; pts[i + 1] = -y;
        if (x < box[0]) box[0] = x; if (x > box[2]) box[2] = x;
        if (-y < box[1]) box[1] = -y; if (-y > box[3]) box[3] = -y;
        if (i === 0) path.moveTo(x, -y); else path.lineTo(x, -y);
      }
      path.closePath();
      rings.push(pts);
    }
    return { rings: rings, box: box, path: path };
  }

  function inside(shape, x, y) {
    if (!shape || x < shape.box[0] || x > shape.box[2] || y < shape.box[1] || y > shape.box[3]) return false;
    var odd = false;
    for (var r = 0; r < shape.rings.length; r++) {
      var p = shape.rings[r], n = p.length;
      for (var i = 0, j = n - 2; i < n; j = i, i += 2) {
        var yi = p[i + 1], yj = p[j + 1];
        if ((yi > y) !== (yj > y) && x < (p[j] - p[i]) * (y - yi) / (yj - yi) + p[i]) odd = !odd;
      }
    }
    return odd;
  }

  var oldUnits = D.old.code.map(function (code, i) {
    return { code: code, name: D.old.name[i], newIndex: D.old["new"][i], population: D.old.population[i],
             shape: decode(D.old.geom[i]), label: D.old.label[i] };
  });
  var newUnits = D["new"].code.map(function (code, i) {
    return { code: code, name: D["new"].name[i], colour: D["new"].colour[i], status: D["new"].status[i],
             shape: decode(D["new"].geom[i]), label: D["new"].label[i], seat: D["new"].seat[i],
             figures: D["new"].figures[i], parent: D["new"].parent[i], members: [], gaps: [] };
  });
  oldUnits.forEach(function (u, i) { newUnits[u.newIndex].members.push(i); });
  D.gaps.forEach(function (g) { newUnits[g[0]].gaps.push({ type: g[1], severity: g[2], text: g[3] }); });
  var labelOrder = newUnits.map(function (_, i) { return i; }).sort(function (a, b) {
    return newUnits[b].label[2] - newUnits[a].label[2] || a - b; });
  var oldLabelOrder = oldUnits.map(function (_, i) { return i; }).sort(function (a, b) {
    return oldUnits[b].label[2] - oldUnits[a].label[2] || a - b; });
  function median(units) {
    var radii = units.filter(function (u) { return u.shape; }).map(function (u) { return u.label[2]; }).sort(function (a, b) { return a - b; });
    return radii.length ? radii[Math.floor(radii.length / 2)] : 1;
  }
  var medianOld = median(oldUnits), medianNew = median(newUnits);
  var bounds = D.bounds; /* grid units, y north */
  var world = [bounds[0], -bounds[3], bounds[2], -bounds[1]];

  /* spatial index of old units for hit testing */
  var CELLS = 64, cellW = Math.max(1, (world[2] - world[0]) / CELLS), cellH = Math.max(1, (world[3] - world[1]) / CELLS);
  var grid = [];
  for (var c = 0; c < CELLS * CELLS; c++) grid.push([]);
  function cellRange(lo, hi, origin, width) {
    return [Math.max(0, Math.floor((lo - origin) / width)), Math.min(CELLS - 1, Math.floor((hi - origin) / width))];
  }
  oldUnits.forEach(function (u, i) {
    if (!u.shape) return;
    var cx = cellRange(u.shape.box[0], u.shape.box[2], world[0], cellW), cy = cellRange(u.shape.box[1], u.shape.box[3], world[1], cellH);
    for (var gx = cx[0]; gx <= cx[1]; gx++) for (var gy = cy[0]; gy <= cy[1]; gy++) grid[gy * CELLS + gx].push(i);
  });
  function unitAt(sx, sy) {
    var x = (sx - view.tx) / view.scale, y = (sy - view.ty) / view.scale;
    var gx = Math.floor((x - world[0]) / cellW), gy = Math.floor((y - world[1]) / cellH);
    if (gx < 0 || gy < 0 || gx >= CELLS || gy >= CELLS) return -1;
    var list = grid[gy * CELLS + gx];
    for (var k = 0; k < list.length; k++) if (inside(oldUnits[list[k]].shape, x, y)) return list[k];
    return -1;
  }

  /* ---- view ---- */
  function resize() {
    size.dpr = window.devicePixelRatio || 1;
    size.w = mapBox.clientWidth; size.h = mapBox.clientHeight;
    [base, overlay].forEach(function (cv) {
      cv.width = Math.round(size.w * size.dpr); cv.height = Math.round(size.h * size.dpr);
      cv.style.width = size.w + "px"; cv.style.height = size.h + "px";
    });
  }
  function fit(box, margin) {
    var w = Math.max(box[2] - box[0], 1), h = Math.max(box[3] - box[1], 1);
    view.scale = Math.min((size.w - 2 * margin) / w, (size.h - 2 * margin) / h);
    view.tx = size.w / 2 - view.scale * (box[0] + box[2]) / 2;
    view.ty = size.h / 2 - view.scale * (box[1] + box[3]) / 2;
  }
  function visible(box) {
    var x0 = box[0] * view.scale + view.tx, x1 = box[2] * view.scale + view.tx;
    var y0 = box[1] * view.scale + view.ty, y1 = box[3] * view.scale + view.ty;
    return x1 >= 0 && x0 <= size.w && y1 >= 0 && y0 <= size.h;
  }
  function fillOf(u) {
    if (colourBy === "status") return D.statusColours[u.status] || "#cccccc";
    return D.palette[u.colour % D.palette.length];
  }

  /* ---- drawing ---- */
  /* clear a canvas and set its transform to the map's view */
  function prepareCanvas(context, canvas) {
    var d = size.dpr, s = view.scale;
    context.setTransform(1, 0, 0, 1, 0, 0);
    context.clearRect(0, 0, canvas.width, canvas.height);
    context.setTransform(d * s, 0, 0, d * s, d * view.tx, d * view.ty);
    context.lineJoin = "round";
  }

  function render() {
    var d = size.dpr, s = view.scale;
    prepareCanvas(ctx, base);
    var drawnNew = {}, nNew = 0, nOld = 0;
    for (var i = 0; i < oldUnits.length; i++) {
      var u = oldUnits[i];
      if (!u.shape || !visible(u.shape.box)) continue;
      nOld++;
      var colour = layers.after ? fillOf(newUnits[u.newIndex]) : "#f7f7f4";
      ctx.fillStyle = colour; ctx.strokeStyle = colour; ctx.lineWidth = 1 / s;
      ctx.fill(u.shape.path, "evenodd"); ctx.stroke(u.shape.path);
      if (!drawnNew[u.newIndex]) { drawnNew[u.newIndex] = true; nNew++; }
    }
    /* lines as thin as the units are small on screen, so a country map stays readable */
    var oldPx = medianOld * s, newPx = medianNew * s;
    if (layers.before) {
      ctx.strokeStyle = oldPx > 4 ? "#6b6b6b" : "rgba(90,90,90,0.45)"; ctx.lineWidth = (oldPx > 4 ? 0.6 : 0.25) / s;
      if (layers.after && oldPx > 4) ctx.setLineDash([3 / s, 2 / s]);
      for (i = 0; i < oldUnits.length; i++) {
        u = oldUnits[i];
        if (u.shape && visible(u.shape.box)) ctx.stroke(u.shape.path);
      }
      ctx.setLineDash([]);
    }
    if (layers.after) {
      ctx.strokeStyle = "#1f1f1f"; ctx.lineWidth = (newPx > 12 ? 1.6 : newPx > 5 ? 1 : 0.5) / s;
      for (i = 0; i < newUnits.length; i++) {
        var n = newUnits[i];
        if (n.shape && visible(n.shape.box)) ctx.stroke(n.shape.path);
      }
    }
    ctx.setTransform(d, 0, 0, d, 0, 0);
    if (layers.after && layers.seats) drawSeats();
    labelBoxes = {};
    state.labels = layers.labels ? drawLabels() : 0;
    state.markers = [];
    state.gapMarkers = layers.gaps ? drawGaps() : 0;
    state.drawnNew = layers.after ? nNew : 0;
    state.drawnOld = nOld;
    state.renders++;
    drawScale();
    renderOverlay();
  }

  function screen(p) { return [p[0] * view.scale + view.tx, -p[1] * view.scale + view.ty]; }

  function drawSeats() {
    var r = 3;
    ctx.fillStyle = "#111"; ctx.strokeStyle = "#fff"; ctx.lineWidth = 1;
    newUnits.forEach(function (n) {
      if (!n.seat || n.label[2] * view.scale < 6) return;
      var p = screen(n.seat);
      if (p[0] < -5 || p[1] < -5 || p[0] > size.w + 5 || p[1] > size.h + 5) return;
      ctx.beginPath(); ctx.rect(p[0] - r, p[1] - r, 2 * r, 2 * r); ctx.fill(); ctx.stroke();
    });
  }

  function gapColour(severity) { return D.severityColours[severity] || D.otherSeverityColour; }

  /* one marker per new unit (its gaps that pass the filters, coloured by the most serious), or per parent
     unit when the new units are too small on screen */
  function gapMarkers() {
    var grouped = D.parents.code.length > 0 && medianNew * view.scale < GROUP_BELOW_PX, found = {};
    newUnits.forEach(function (n, i) {
      var key = grouped ? n.parent : i;
      if (key < 0) return;
      n.gaps.forEach(function (g) {
        if (!gapFilter.severity[g.severity] || !gapFilter.type[g.type]) return;
        var m = found[key] || (found[key] = { index: key, count: 0, severity: g.severity });
        m.count++;
        if (severityRank(g.severity) < severityRank(m.severity)) m.severity = g.severity;
      });
    });
    state.gapMode = grouped ? "parents" : "units";
    return Object.keys(found).map(function (k) { return found[k]; }).sort(function (a, b) { return a.index - b.index; })
      .map(function (m) {
        var unit = grouped ? null : newUnits[m.index], box = grouped ? null : labelBoxes[m.index];
        m.code = grouped ? D.parents.code[m.index] : unit.code;
        m.name = grouped ? D.parents.name[m.index] : unit.name;
        /* beside the unit's name when it is shown, else at its label point */
        m.point = box ? [box[2] + 9, (box[1] + box[3]) / 2] : screen(grouped ? D.parents.label[m.index] : unit.label);
        return m;
      });
  }

  function drawGaps() {
    var shown = [];
    ctx.font = "bold 10px sans-serif"; ctx.textAlign = "center"; ctx.textBaseline = "middle";
    gapMarkers().forEach(function (m) {
      var p = m.point, r = m.count > 99 ? 10 : 7;
      if (p[0] < -10 || p[1] < -10 || p[0] > size.w + 10 || p[1] > size.h + 10) return;
      ctx.beginPath(); ctx.arc(p[0], p[1], r, 0, 2 * Math.PI);
      ctx.fillStyle = gapColour(m.severity); ctx.fill();
      ctx.strokeStyle = "#fff"; ctx.lineWidth = 1.5; ctx.stroke();
      ctx.fillStyle = "#fff"; ctx.fillText(String(m.count), p[0], p[1] + 0.5);
      shown.push({ code: m.code, name: m.name, severity: m.severity, count: m.count, x: p[0], y: p[1] });
    });
    state.markers = shown;
    return shown.length;
  }
  /* most serious first, as planner/templates/severities.yaml orders them; another word ranks last */
  function severityRank(s) { var i = D.severities.indexOf(s); return i < 0 ? D.severities.length : i; }

  var widths = {};
  function textWidth(text, font) {
    var key = font + "|" + text;
    if (!(key in widths)) { ctx.font = font; widths[key] = ctx.measureText(text).width; }
    return widths[key];
  }

  function drawLabels() {
    var placed = [], obstacles = [], font = "600 12px sans-serif", max = 400;
    if (layers.after && layers.seats) newUnits.forEach(function (n) {
      if (!n.seat || n.label[2] * view.scale < 6) return;
      var p = screen(n.seat);
      if (p[0] >= 0 && p[1] >= 0 && p[0] <= size.w && p[1] <= size.h) obstacles.push([p[0] - 4, p[1] - 4, p[0] + 4, p[1] + 4]);
    });
    function hits(b, list) {
      for (var k = 0; k < list.length; k++) {
        var q = list[k];
        if (b[0] < q[2] && b[2] > q[0] && b[1] < q[3] && b[3] > q[1]) return true;
      }
      return false;
    }
    function free(b, avoidSeats) { return !hits(b, placed) && !(avoidSeats && hits(b, obstacles)); }
    function place(units, order, fontName, colour, minRadius, avoidSeats) {
      ctx.font = fontName; ctx.textAlign = "center"; ctx.textBaseline = "middle";
      ctx.lineJoin = "round";
      for (var k = 0; k < order.length && placed.length < max; k++) {
        var u = units[order[k]];
        if (!u.shape) continue;
        var diameter = 2 * u.label[2] * view.scale;
        if (diameter < minRadius) break;
        var w = textWidth(u.name, fontName);
        if (diameter < w * 0.55) continue;
        var p = screen(u.label);
        var b = [p[0] - w / 2 - 2, p[1] - 8, p[0] + w / 2 + 2, p[1] + 8];
        if (b[2] < 0 || b[0] > size.w || b[3] < 0 || b[1] > size.h || !free(b, avoidSeats)) continue;
        placed.push(b);
        if (units === newUnits) labelBoxes[order[k]] = b;
        ctx.strokeStyle = "rgba(255,255,255,0.9)"; ctx.lineWidth = 3; ctx.strokeText(u.name, p[0], p[1]);
        ctx.fillStyle = colour; ctx.fillText(u.name, p[0], p[1]);
      }
    }
    if (layers.after) place(newUnits, labelOrder, font, "#111", 14, false);
    var newCount = placed.length;
    if (layers.before) place(oldUnits, oldLabelOrder, "italic 11px sans-serif", "#444", 40, true);
    state.oldLabels = placed.length - newCount;
    return placed.length;
  }

  function renderOverlay() {
    var s = view.scale;
    prepareCanvas(octx, overlay);
    [[hovered, "rgba(0,0,0,0.55)", 2.5], [selected, "#0050c8", 4]].forEach(function (h) {
      if (h[0] < 0 || !newUnits[h[0]].shape) return;
      octx.strokeStyle = h[1]; octx.lineWidth = h[2] / s;
      octx.stroke(newUnits[h[0]].shape.path);
    });
  }

  function drawScale() {
    var metresPerPixel = D.step / view.scale, target = 120 * metresPerPixel;
    var power = Math.pow(10, Math.floor(Math.log10(target))), nice = power;
    [1, 2, 5, 10].forEach(function (m) { if (m * power <= target) nice = m * power; });
    document.getElementById("scale-bar").style.width = Math.round(nice / metresPerPixel) + "px";
    document.getElementById("scale-text").textContent = nice >= 1000 ? (nice / 1000) + " km" : nice + " m";
  }

  /* smooth panning and zooming: move the last picture at once, draw afresh when the hand rests */
  var snapshot = document.createElement("canvas"), snapView = null, timer = null;
  function takeSnapshot() {
    snapshot.width = base.width; snapshot.height = base.height;
    snapshot.getContext("2d").drawImage(base, 0, 0);
    snapView = { scale: view.scale, tx: view.tx, ty: view.ty };
  }
  function quickRender() {
    if (!snapView) takeSnapshot();
    var k = view.scale / snapView.scale, d = size.dpr;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = "#eef3f7"; ctx.fillRect(0, 0, base.width, base.height);
    ctx.setTransform(k, 0, 0, k, d * (view.tx - snapView.tx * k), d * (view.ty - snapView.ty * k));
    ctx.drawImage(snapshot, 0, 0);
    renderOverlay();
    clearTimeout(timer);
    timer = setTimeout(function () { snapView = null; render(); }, 140);
  }

  function zoomAt(sx, sy, factor) {
    var s = Math.max(fitScale / 4, Math.min(view.scale * factor, fitScale * 4000));
    factor = s / view.scale;
    view.tx = sx - (sx - view.tx) * factor; view.ty = sy - (sy - view.ty) * factor; view.scale = s;
    quickRender();
  }

  var drag = null;
  mapBox.addEventListener("pointerdown", function (e) {
    if (e.target.closest("#zoom")) return;
    drag = { x: e.clientX, y: e.clientY, tx: view.tx, ty: view.ty, moved: false };
    mapBox.setPointerCapture(e.pointerId);
  });
  mapBox.addEventListener("pointermove", function (e) {
    var r = mapBox.getBoundingClientRect(), sx = e.clientX - r.left, sy = e.clientY - r.top;
    if (drag) {
      var dx = e.clientX - drag.x, dy = e.clientY - drag.y;
      if (!drag.moved && Math.abs(dx) + Math.abs(dy) > 3) { drag.moved = true; mapBox.classList.add("dragging"); }
      if (drag.moved) { view.tx = drag.tx + dx; view.ty = drag.ty + dy; tooltip.style.display = "none"; quickRender(); return; }
    }
    hover(sx, sy);
  });
  mapBox.addEventListener("pointerup", function (e) {
    var r = mapBox.getBoundingClientRect();
    if (drag && !drag.moved && !e.target.closest("#zoom")) {
      var i = unitAt(e.clientX - r.left, e.clientY - r.top);
      select(i < 0 ? -1 : oldUnits[i].newIndex, i);
    }
    drag = null; mapBox.classList.remove("dragging");
  });
  mapBox.addEventListener("pointerleave", function () { hovered = -1; tooltip.style.display = "none"; renderOverlay(); });
  mapBox.addEventListener("wheel", function (e) {
    e.preventDefault();
    var r = mapBox.getBoundingClientRect();
    zoomAt(e.clientX - r.left, e.clientY - r.top, Math.exp(-e.deltaY * (e.deltaMode === 1 ? 0.05 : 0.0015)));
  }, { passive: false });
  mapBox.addEventListener("dblclick", function (e) {
    var r = mapBox.getBoundingClientRect();
    zoomAt(e.clientX - r.left, e.clientY - r.top, 2);
  });
  document.getElementById("zoom-in").addEventListener("click", function () { zoomAt(size.w / 2, size.h / 2, 2); });
  document.getElementById("zoom-out").addEventListener("click", function () { zoomAt(size.w / 2, size.h / 2, 0.5); });
  document.getElementById("zoom-reset").addEventListener("click", function () { fit(world, 16); render(); });

  function hover(sx, sy) {
    var i = unitAt(sx, sy), n = i < 0 ? -1 : oldUnits[i].newIndex;
    if (n !== hovered) { hovered = n; renderOverlay(); }
    if (i < 0) { tooltip.style.display = "none"; return; }
    var unit = newUnits[n];
    tooltip.textContent = "";
    tooltip.appendChild(el("strong", unit.name));
    tooltip.appendChild(el("div", (STATUS_TEXT[unit.status] || unit.status) + " \u00b7 " +
      number(unit.figures.population) + " people \u00b7 " + number(unit.figures.area_km2, 1) + " km\u00b2"));
    if (layers.before) tooltip.appendChild(el("div", "old unit: " + oldUnits[i].name + " (" + oldUnits[i].code + ")", "muted"));
    tooltip.style.display = "block";
    var left = Math.min(sx + 14, size.w - tooltip.offsetWidth - 4);
    tooltip.style.left = Math.max(0, left) + "px"; tooltip.style.top = Math.max(0, sy + 14) + "px";
  }

  function number(v, digits) {
    if (v === null || v === undefined) return "\u2013";
    return Number(v).toLocaleString("en-US", { maximumFractionDigits: digits || 0, minimumFractionDigits: digits || 0 });
  }

  /* ---- panel ---- */
  var panel = document.getElementById("panel");
  function select(n, oldIndex) {
    selected = n;
    renderOverlay();
    panel.textContent = "";
    panel.dataset.unit = n < 0 ? "" : newUnits[n].code;
    if (n < 0) { panel.appendChild(el("p", "No unit here.", "muted")); return; }
    var u = newUnits[n], f = u.figures;
    panel.appendChild(el("h2", u.name));
    var status = el("span", STATUS_TEXT[u.status] || u.status, "status");
    status.style.background = D.statusColours[u.status] || "#ddd";
    panel.appendChild(status);
    var rows = [["code", u.code], ["kind", f.kind], ["terrain", f.terrain], ["population", number(f.population)],
      ["area, km\u00b2", number(f.area_km2, 2)], ["old units", f.n_constituents], ["seat", f.seat_name + " (" + f.seat + ")"],
      ["rule", f.rule], ["contiguous", f.contiguous ? "yes" : "no"],
      ["access mean / max, km", number(f.access_mean_km, 2) + " / " + number(f.access_max_km, 2)],
      ["compactness (Polsby-Popper)", number(f.polsby_popper, 3)]];
    if (f.missing_data) rows.push(["old units without data", f.missing_data]);
    var table = el("table");
    rows.forEach(function (r) { var tr = el("tr"); tr.appendChild(el("th", r[0])); tr.appendChild(el("td", r[1])); table.appendChild(tr); });
    panel.appendChild(table);
    panel.appendChild(el("h3", "Failing criteria"));
    panel.appendChild(el("p", f.failing ? f.failing : (u.status === "waived" ? "short of the standard, covered by the waiver" : "none"),
      f.failing ? "failing" : "muted"));
    if (u.gaps.length) {
      panel.appendChild(el("h3", "Gaps (" + u.gaps.length + ")"));
      u.gaps.forEach(function (g) {
        var p = el("div", null, "gap"), dot = el("span", "\u25cf ");
        dot.style.color = gapColour(g.severity);
        p.appendChild(dot); p.appendChild(el("strong", g.severity + " \u00b7 " + g.type + ": ")); p.appendChild(el("span", g.text));
        panel.appendChild(p);
      });
    }
    panel.appendChild(el("h3", "Old units (" + u.members.length + ")"));
    var members = el("table");
    var head = el("tr"); ["code", "name", "population"].forEach(function (h) { head.appendChild(el("th", h)); });
    members.appendChild(head);
    u.members.forEach(function (i) {
      var m = oldUnits[i], tr = el("tr");
      tr.appendChild(el("td", m.code)); tr.appendChild(el("td", m.name + (i === oldIndex ? " \u25c0" : "")));
      tr.appendChild(el("td", number(m.population), "n"));
      members.appendChild(tr);
    });
    panel.appendChild(members);
  }

  function zoomTo(n) {
    var u = newUnits[n];
    if (u.shape) {
      fit(u.shape.box, Math.min(size.w, size.h) * 0.2);
      view.scale = Math.min(view.scale, fitScale * 4000);
    }
    render();
    select(n, -1);
  }

  /* ---- search ---- */
  function fold(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[\u0111\u0110]/g, "d").toLowerCase();
  }
  var index = newUnits.map(function (u, i) { return { key: fold(u.name + " " + u.code), label: u.name, code: u.code, n: i, old: false }; })
    .concat(oldUnits.map(function (u) { return { key: fold(u.name + " " + u.code), label: u.name, code: u.code, n: u.newIndex, old: true }; }));
  var search = document.getElementById("search"), results = document.getElementById("results");
  search.addEventListener("input", function () {
    results.textContent = "";
    var q = fold(search.value.trim());
    if (!q) return;
    var hits = index.filter(function (h) { return h.key.indexOf(q) >= 0; }).slice(0, 20);
    if (!hits.length) results.appendChild(el("div", "no unit matches", "muted"));
    hits.forEach(function (h) {
      var b = el("button");
      b.appendChild(el("span", h.label));
      b.appendChild(el("span", " " + h.code + (h.old ? " (old unit, now in " + newUnits[h.n].name + ")" : ""), "code"));
      b.addEventListener("click", function () { zoomTo(h.n); });
      results.appendChild(b);
    });
  });
  search.addEventListener("keydown", function (e) {
    if (e.key === "Enter") { var first = results.querySelector("button"); if (first) first.click(); }
  });

  /* ---- layers and legend ---- */
  Object.keys(layers).forEach(function (name) {
    var box = document.getElementById("layer-" + name);
    box.addEventListener("change", function () { layers[name] = box.checked; render(); });
  });
  Array.prototype.forEach.call(document.querySelectorAll("input[name=colour-by]"), function (radio) {
    radio.addEventListener("change", function () { if (radio.checked) { colourBy = radio.value; legend(); render(); } });
  });

  /* ---- gap filters: a tick box per severity (most serious first) and per gap type of the data ---- */
  function gapFilters() {
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
        gapFilter[kind][value] = true;
        input.addEventListener("change", function () { gapFilter[kind][value] = input.checked; render(); });
        label.appendChild(input);
        if (kind === "severity") { var dot = el("span", " \u25cf"); dot.style.color = gapColour(value); label.appendChild(dot); }
        label.appendChild(el("span", " " + value + " (" + count + ")"));
        box.appendChild(label);
      });
    });
  }

  function legend() {
    var box = document.getElementById("legend");
    box.textContent = "";
    box.appendChild(el("h3", "Legend"));
    function key(swatchStyle, text, cls) {
      var row = el("div", null, "key"), s = el("span", null, cls || "swatch");
      Object.keys(swatchStyle).forEach(function (k) { s.style[k] = swatchStyle[k]; });
      row.appendChild(s); row.appendChild(el("span", text)); box.appendChild(row);
    }
    if (colourBy === "status") {
      ["meets", "waived", "below", "unchanged"].forEach(function (s) {
        var count = newUnits.filter(function (u) { return u.status === s; }).length;
        if (s === "unchanged" && !count) { return; }
        key({ background: D.statusColours[s] }, STATUS_TEXT[s] + " (" + count + ")");
      });
    } else {
      var row = el("div", null, "key");
      D.palette.slice(0, Math.min(D.palette.length, D.coloursUsed)).forEach(function (c) {
        var s = el("span", null, "swatch"); s.style.background = c; s.style.marginRight = "1px"; row.appendChild(s);
      });
      row.appendChild(el("span", " new units (colours only tell neighbours apart)"));
      box.appendChild(row);
    }
    key({ borderTop: "2px solid #1f1f1f" }, "boundary of a new unit", "line");
    key({ borderTop: "1px dashed #6b6b6b" }, "boundary of an old unit", "line");
    key({ background: "#111", width: "7px", height: "7px" }, "seat of a new unit");
    D.severities.forEach(function (s) {
      key({ background: gapColour(s), borderRadius: "50%", width: "11px", height: "11px" }, "gap, " + s + " severity (number = how many)");
    });
    if (D.parents.code.length) box.appendChild(el("p", "Zoomed out, one circle per " + D.parents.level +
      " counts the gaps of its units.", "muted"));
    box.appendChild(el("p", "Boundaries simplified for display (about " + number(D.toleranceM) + " m). Date: " + D.date + ".", "muted"));
  }

  var fitScale = 1;
  function start() {
    resize(); fit(world, 16); fitScale = view.scale; gapFilters(); legend(); render();
  }
  window.addEventListener("resize", function () { resize(); fit(world, 16); fitScale = view.scale; render(); });
  start();

  window.plannerMap = {
    ready: true,
    loadMs: performance.now() - started,
    state: function () {
      return { drawnNew: state.drawnNew, drawnOld: state.drawnOld, labels: state.labels, oldLabels: state.oldLabels,
               gapMarkers: state.gapMarkers, gapMode: state.gapMode, renders: state.renders, layers: Object.assign({}, layers), colourBy: colourBy,
               selected: selected < 0 ? null : newUnits[selected].code, units: newUnits.length, oldUnits: oldUnits.length };
    },
    screenPoint: function (code) {
      for (var i = 0; i < newUnits.length; i++) if (newUnits[i].code === code) {
        var p = screen(newUnits[i].label), r = mapBox.getBoundingClientRect();
        return [p[0] + r.left, p[1] + r.top];
      }
      return null;
    },
    markers: function () { return state.markers.slice(); },
    zoomTo: function (code) { for (var i = 0; i < newUnits.length; i++) if (newUnits[i].code === code) zoomTo(i); },
    render: render
  };
})();
