/* planner map page: old and new units, reference layers, labels and gap markers on a Leaflet map
   (planner/templates/vendor/leaflet.js, inlined; canvas renderer, no tiles, no network).
   Data: the JSON in #map-data and, per detail level, in #map-level-0 (finest), #map-level-1... (see
   planner/maps/html.py); coordinates are integers on the map's grid (metres / step in an equal-area
   projection, y north), drawn with L.CRS.Simple as [y, x]. Every boundary is drawn at one detail level, the
   coarsest whose simplification stays within a pixel at the zoom of the moment; a level is read and decoded
   when first drawn, and each unit keeps one Leaflet layer that draws whichever level is in use.
   The side panels (figures, table, search, legend, colourings) are in map-panels.js.
   Names are only ever set with textContent or drawn on the canvas, never parsed as HTML. */
(function () {
  "use strict";
  var started = performance.now();
  var D = JSON.parse(document.getElementById("map-data").textContent);
  var layers = { before: true, after: true, gaps: true, labels: true, seats: true };
  D.references.forEach(function (r) { layers["ref-" + r.key] = true; });
  var state = { drawnNew: 0, drawnOld: 0, labels: 0, oldLabels: 0, refLabels: 0, gapMarkers: 0, renders: 0,
                markers: [], gapMode: "units", refLevel: {}, lastRedrawMs: 0, levelsRead: 0 };
  /* gaps shown: severity and type -> ticked (filled by the panels) */
  var gapFilter = { severity: {}, type: {} };
  /* below this radius on screen (px), new units are too small for a marker each: one per parent unit */
  var GROUP_BELOW_PX = 8;
  /* old units' lines are drawn once their median label radius on screen reaches this (px) */
  var OLD_LINES_FROM_PX = 3;

  /* ---- geometry: rings are [x0, y0, dx1, dy1, ...] on the integer grid, y north, each as text by the polyline
     algorithm (planner/maps/html.py, pack_rings: zigzag-coded numbers in 5-bit groups, 63 + group, + 32 when
     another follows); decoded into points [x0, y0, x1, y1, ...] ---- */
  function unpack(text, box) {
    var count = 0, n = 0, x = 0, y = 0, i = 0, len = text.length;
    for (i = 0; i < len; i++) if (text.charCodeAt(i) < 95) count++; /* a number's last group: no 32 added */
    var pts = new Float64Array(count);
    i = 0;
    while (i < len) {
      var value = 0, shift = 0, b;
      do { b = text.charCodeAt(i++) - 63; value |= (b & 31) << shift; shift += 5; } while (b >= 32);
      value = value & 1 ? ~(value >>> 1) : value >>> 1;
      if (n & 1) {
        y += value; pts[n] = y;
        if (x < box[0]) box[0] = x; if (x > box[2]) box[2] = x;
        if (y < box[1]) box[1] = y; if (y > box[3]) box[3] = y;
      } else { x += value; pts[n] = x; }
      n++;
    }
    return pts;
  }
  function decode(geom) {
    if (!geom) return null;
    var rings = [], box = [Infinity, Infinity, -Infinity, -Infinity];
    for (var r = 0; r < geom.length; r++) rings.push(unpack(geom[r], box));
    return { rings: rings, box: box, bounds: boxBounds(box) };
  }
  /* the detail levels: read (JSON) and decoded for old units, new units and each reference layer when first used */
  var levelDocs = [], decoded = {};
  function shapesAt(kind, k) {
    var key = kind + "|" + k;
    if (!decoded[key]) {
      if (!levelDocs[k]) { levelDocs[k] = JSON.parse(document.getElementById("map-level-" + k).textContent); state.levelsRead++; }
      var doc = levelDocs[k];
      decoded[key] = (kind === "old" ? doc.old : kind === "new" ? doc["new"] : doc.references[+kind]).map(decode);
    }
    return decoded[key];
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
  function boxBounds(box) { return L.latLngBounds([box[1], box[0]], [box[3], box[2]]); }

  /* each unit's shape is its shape at the detail level in use (setLevel) */
  var oldUnits = D.old.code.map(function (code, i) {
    return { code: code, name: D.old.name[i], newIndex: D.old["new"][i], population: D.old.population[i],
             parents: D.old.parents[i], shape: null, label: D.old.label[i] };
  });
  var newUnits = D["new"].code.map(function (code, i) {
    return { code: code, name: D["new"].name[i], colour: D["new"].colour[i], status: D["new"].status[i],
             shape: null, label: D["new"].label[i], seat: D["new"].seat[i],
             figures: D["new"].figures[i], parent: D["new"].parent[i], members: [], gaps: [] };
  });
  oldUnits.forEach(function (u, i) { newUnits[u.newIndex].members.push(i); });
  D.gaps.forEach(function (g) { newUnits[g[0]].gaps.push({ type: g[1], severity: g[2], text: g[3] }); });
  var references = D.references.map(function (r) {
    return { key: r.key, title: r.title, level: r.level, codes: r.code, names: r.name, label: r.label,
             units: r.code.map(function () { return { shape: null }; }) };
  });
  var level = -1;
  function setLevel(k) {
    if (k === level) return;
    level = k;
    [["old", oldUnits], ["new", newUnits]].concat(references.map(function (r, j) { return [String(j), r.units]; }))
      .forEach(function (kind) {
        var shapes = shapesAt(kind[0], k);
        kind[1].forEach(function (u, i) { u.shape = shapes[i]; });
      });
    levelDocs[k] = null; /* every kind of this level is decoded: its text is no longer needed */
    hitIndex = null;
  }
  function bySize(units) {
    return units.map(function (_, i) { return i; }).sort(function (a, b) {
      return units[b].label[2] - units[a].label[2] || a - b; });
  }
  var labelOrder = bySize(newUnits), oldLabelOrder = bySize(oldUnits);
  function median(units) {
    var radii = units.filter(function (u) { return u.shape; }).map(function (u) { return u.label[2]; })
      .sort(function (a, b) { return a - b; });
    return radii.length ? radii[Math.floor(radii.length / 2)] : 1;
  }
  var medianOld, medianNew; /* once the first level is set, below */
  var world = D.bounds; /* grid units [xmin, ymin, xmax, ymax], y north */

  /* spatial index of old units for hit testing, made for the detail level in use when first needed */
  var CELLS = 64, cellW = Math.max(1, (world[2] - world[0]) / CELLS), cellH = Math.max(1, (world[3] - world[1]) / CELLS);
  var hitIndex = null;
  function cellRange(lo, hi, origin, width) {
    return [Math.max(0, Math.floor((lo - origin) / width)), Math.min(CELLS - 1, Math.floor((hi - origin) / width))];
  }
  function buildHitIndex() {
    var grid = [];
    for (var c = 0; c < CELLS * CELLS; c++) grid.push([]);
    oldUnits.forEach(function (u, i) {
      if (!u.shape) return;
      var cx = cellRange(u.shape.box[0], u.shape.box[2], world[0], cellW), cy = cellRange(u.shape.box[1], u.shape.box[3], world[1], cellH);
      for (var gx = cx[0]; gx <= cx[1]; gx++) for (var gy = cy[0]; gy <= cy[1]; gy++) grid[gy * CELLS + gx].push(i);
    });
    return grid;
  }
  function oldUnitAt(latlng) {
    var x = latlng.lng, y = latlng.lat;
    var gx = Math.floor((x - world[0]) / cellW), gy = Math.floor((y - world[1]) / cellH);
    if (gx < 0 || gy < 0 || gx >= CELLS || gy >= CELLS) return -1;
    hitIndex = hitIndex || buildHitIndex();
    var list = hitIndex[gy * CELLS + gx];
    for (var k = 0; k < list.length; k++) if (inside(oldUnits[list[k]].shape, x, y)) return list[k];
    return -1;
  }

  /* ---- the map: grid units with a true metric distance, so Leaflet's scale bar is right ---- */
  /* a narrow window keeps the table of units hidden, so the map has room (its button shows it) */
  if (window.innerWidth < 900) document.getElementById("units").classList.add("hidden");
  var crs = L.extend({}, L.CRS.Simple, {
    distance: function (a, b) { var dx = a.lng - b.lng, dy = a.lat - b.lat; return Math.sqrt(dx * dx + dy * dy) * D.step; }
  });
  var map = L.map("map", { crs: crs, preferCanvas: true, zoomControl: false, attributionControl: false,
                           zoomSnap: 0, zoomDelta: 1, wheelPxPerZoomLevel: 90, zoomAnimation: false,
                           fadeAnimation: false, markerZoomAnimation: false, inertia: false, keyboard: true,
                           boxZoom: true, doubleClickZoom: true, minZoom: -30, maxZoom: 30 });
  [["fills", 400], ["old", 410], ["outlines", 420], ["refs", 430], ["highlight", 440], ["labels", 450]].forEach(function (p) {
    var pane = map.createPane(p[0]);
    pane.style.zIndex = p[1];
    pane.style.pointerEvents = "none"; /* every hit test is ours (oldUnitAt), so no canvas hides another's events */
  });
  function renderer(pane) { return L.canvas({ pane: pane, padding: 0.1 }); }
  var fillRenderer = renderer("fills"), oldRenderer = renderer("old"), outlineRenderer = renderer("outlines"),
      refRenderer = renderer("refs"), highlightRenderer = renderer("highlight");
  var worldBounds = boxBounds(world);
  map.fitBounds(worldBounds, { padding: [16, 16], animate: false });
  var fitZoom = map.getZoom();
  map.setMinZoom(fitZoom - 4); map.setMaxZoom(fitZoom + 12);
  function pxPerUnit() { return Math.pow(2, map.getZoom()); }
  /* the detail level for a zoom: the coarsest whose tolerance stays within a pixel (the finest if none does) */
  function levelFor(zoom) {
    var best = 0, px = Math.pow(2, zoom);
    D.detail.tolerances.forEach(function (t, i) { if (t * px <= 1.0) best = i; });
    return best;
  }
  setLevel(levelFor(map.getZoom()));
  medianOld = median(oldUnits); medianNew = median(newUnits);

  /* A polygon drawn by Leaflet's canvas renderer from a unit's decoded rings at the level in use, without
     Leaflet's LatLng objects: at each zoom it takes only its box on screen, and its rings' points once it is
     in view (Leaflet projects every path twice per zoom step; most are off screen when zoomed in). */
  var GridPolygon = L.Polygon.extend({
    initialize: function (unit, options) {
      L.setOptions(this, options);
      this._unit = unit; this._latlngs = []; this._rings = []; this._stale = true;
    },
    _project: function () {
      var shape = this._unit.shape, map = this._map;
      this._rings = []; this._parts = []; this._stale = true; this._shape = shape;
      if (!shape) { this._rawPxBounds = this._pxBounds = null; return; }
      var s = Math.pow(2, map.getZoom()), o = map.getPixelOrigin(), b = shape.box;
      this._scale = s; this._origin = o;
      this._rawPxBounds = new L.Bounds([Math.round(b[0] * s) - o.x, Math.round(-b[3] * s) - o.y],
                                       [Math.round(b[2] * s) - o.x, Math.round(-b[1] * s) - o.y]);
      this._updateBounds();
    },
    _projectRings: function () {
      var s = this._scale, ox = this._origin.x, oy = this._origin.y, rings = this._shape.rings;
      this._rings = rings.map(function (pts) {
        var ring = new Array(pts.length / 2);
        for (var i = 0, j = 0; i < pts.length; i += 2, j++) ring[j] = new L.Point(Math.round(pts[i] * s) - ox, Math.round(-pts[i + 1] * s) - oy);
        return ring;
      });
      this._stale = false;
    },
    _update: function () {
      if (!this._map) return;
      if (this._stale && this._pxBounds) {
        var w = (this.options.weight || 0) + 1, r = this._renderer._bounds;
        if (this._pxBounds.intersects(L.bounds(r.min.subtract([w, w]), r.max.add([w, w])))) this._projectRings();
      }
      L.Polygon.prototype._update.call(this);
    },
    /* points of the rings it draws from, at the level in use (0 while off screen: not projected) */
    drawnVertices: function () {
      return this._stale ? 0 : this._rings.reduce(function (n, ring) { return n + ring.length; }, 0);
    }
  });

  var colourer = function (u) { return D.palette[u.colour % D.palette.length]; };
  var oldColourer = null; /* set by a colouring of old units (access) */
  var fillLayers = [], outlineLayers = [], oldLayers = [], fillGroup = L.layerGroup(), outlineGroup = L.layerGroup(),
      oldGroup = L.layerGroup();
  newUnits.forEach(function (u, i) {
    fillLayers.push(new GridPolygon(u, { renderer: fillRenderer, interactive: false, stroke: false,
                                         fillColor: colourer(u), fillOpacity: 1 }).addTo(fillGroup));
    outlineLayers.push(new GridPolygon(u, { renderer: outlineRenderer, interactive: false, fill: false,
                                            color: "#1f1f1f", weight: 1 }).addTo(outlineGroup));
    u.index = i;
  });
  function oldStyle() {
    var px = medianOld * pxPerUnit(), filled = !!oldColourer;
    return { stroke: px >= OLD_LINES_FROM_PX, color: px > 8 ? "#6b6b6b" : "#8a8a8a", weight: px > 8 ? 0.7 : 0.4,
             dashArray: layers.after && !filled && px > 8 ? "3 2" : null, fill: filled, fillOpacity: 1 };
  }
  function buildOldLayers() {
    if (oldLayers.length) return;
    oldUnits.forEach(function (u) {
      oldLayers.push(new GridPolygon(u, L.extend({ renderer: oldRenderer, interactive: false }, oldStyle())).addTo(oldGroup));
    });
  }
  references.forEach(function (r) {
    r.group = L.layerGroup();
    r.units.forEach(function (u) {
      new GridPolygon(u, { renderer: refRenderer, interactive: false, fill: false,
                           color: r.level === 0 ? "#5a2d82" : "#7f6a93", weight: r.level === 0 ? 2.2 : 1.2,
                           dashArray: r.key.slice(-4) === "_new" ? "8 4" : null }).addTo(r.group);
    });
  });

  function syncLayers() {
    var px = pxPerUnit(), wantOld = layers.before && (medianOld * px >= OLD_LINES_FROM_PX || !!oldColourer);
    if (layers.after && !oldColourer) { if (!map.hasLayer(fillGroup)) fillGroup.addTo(map); }
    else if (map.hasLayer(fillGroup)) map.removeLayer(fillGroup);
    if (layers.after) { if (!map.hasLayer(outlineGroup)) outlineGroup.addTo(map); }
    else if (map.hasLayer(outlineGroup)) map.removeLayer(outlineGroup);
    if (wantOld || oldColourer) { buildOldLayers(); if (!map.hasLayer(oldGroup)) oldGroup.addTo(map); }
    else if (map.hasLayer(oldGroup)) map.removeLayer(oldGroup);
    references.forEach(function (r) {
      var shown = !!layers["ref-" + r.key];
      state.refLevel[r.key] = shown ? level : -1;
      if (shown) { if (!map.hasLayer(r.group)) r.group.addTo(map); } else if (map.hasLayer(r.group)) map.removeLayer(r.group);
    });
  }
  /* styles change only with the colouring and with the zoom's line widths: set them only then */
  var styled = { colouring: -1, weight: -1, old: "" }, colouring = 0;
  function restyle() {
    var newPx = medianNew * pxPerUnit(), weight = newPx > 12 ? 1.6 : newPx > 5 ? 1 : 0.5;
    newUnits.forEach(function (u, i) {
      if (fillLayers[i] && styled.colouring !== colouring) fillLayers[i].setStyle({ fillColor: colourer(u) });
      if (outlineLayers[i] && styled.weight !== weight) outlineLayers[i].setStyle({ weight: weight });
    });
    var style = oldStyle(), key = JSON.stringify(style) + colouring;
    if (oldLayers.length && styled.old !== key) {
      oldUnits.forEach(function (u, i) {
        if (!oldLayers[i]) return;
        oldLayers[i].setStyle(oldColourer ? L.extend({}, style, { fillColor: oldColourer(u, i) }) : style);
      });
      styled.old = key;
    }
    styled.colouring = colouring; styled.weight = weight;
  }

  /* ---- labels, seats and gap markers: one canvas over the map, drawn afresh at each view ---- */
  var LabelLayer = L.Layer.extend({
    onAdd: function () {
      this._canvas = L.DomUtil.create("canvas", "planner-labels", map.getPane("labels"));
      this._canvas.id = "labels";
    },
    onRemove: function () { L.DomUtil.remove(this._canvas); }
  });
  var labelLayer = new LabelLayer().addTo(map);
  var labelCanvas = labelLayer._canvas, lctx = labelCanvas.getContext("2d");
  var labelBoxes = {}, widths = {};
  function containerPoint(p) { var q = map.latLngToContainerPoint([p[1], p[0]]); return [q.x, q.y]; }
  function textWidth(text, font) {
    var key = font + "|" + text;
    if (!(key in widths)) { lctx.font = font; widths[key] = lctx.measureText(text).width; }
    return widths[key];
  }

  function drawOverlay() {
    var size = map.getSize(), dpr = window.devicePixelRatio || 1;
    L.DomUtil.setPosition(labelCanvas, map.containerPointToLayerPoint([0, 0]));
    labelCanvas.width = Math.round(size.x * dpr); labelCanvas.height = Math.round(size.y * dpr);
    labelCanvas.style.width = size.x + "px"; labelCanvas.style.height = size.y + "px";
    lctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    lctx.clearRect(0, 0, size.x, size.y);
    var seats = layers.after && layers.seats ? drawSeats(size) : [];
    labelBoxes = {};
    var placed = layers.labels ? drawLabels(size, seats) : { total: 0, old: 0, refs: 0 };
    state.labels = placed.total; state.oldLabels = placed.old; state.refLabels = placed.refs;
    state.gapMarkers = layers.gaps ? drawGaps(size) : (state.markers = [], 0);
  }

  function drawSeats(size) {
    var r = 3, boxes = [], px = pxPerUnit();
    lctx.fillStyle = "#111"; lctx.strokeStyle = "#fff"; lctx.lineWidth = 1;
    newUnits.forEach(function (n) {
      if (!n.seat || n.label[2] * px < 6) return;
      var p = containerPoint(n.seat);
      if (p[0] < -5 || p[1] < -5 || p[0] > size.x + 5 || p[1] > size.y + 5) return;
      lctx.beginPath(); lctx.rect(p[0] - r, p[1] - r, 2 * r, 2 * r); lctx.fill(); lctx.stroke();
      boxes.push([p[0] - 4, p[1] - 4, p[0] + 4, p[1] + 4]);
    });
    return boxes;
  }

  /* names where they fit inside their unit and cover no other name: provinces and districts first while their
     units are small on screen, then new units, then old units (italics), largest first */
  function drawLabels(size, seats) {
    var placed = [], max = 400, px = pxPerUnit();
    function hits(b, list) {
      for (var k = 0; k < list.length; k++) {
        var q = list[k];
        if (b[0] < q[2] && b[2] > q[0] && b[1] < q[3] && b[3] > q[1]) return true;
      }
      return false;
    }
    function place(items, order, font, colour, minDiameter, avoidSeats, boxes) {
      var count = 0;
      lctx.font = font; lctx.textAlign = "center"; lctx.textBaseline = "middle"; lctx.lineJoin = "round";
      for (var k = 0; k < order.length && placed.length < max; k++) {
        var u = items[order[k]], diameter = 2 * u.label[2] * px;
        if (diameter < minDiameter) break;
        var w = textWidth(u.name, font);
        if (diameter < w * 0.55) continue;
        var p = containerPoint(u.label), b = [p[0] - w / 2 - 2, p[1] - 8, p[0] + w / 2 + 2, p[1] + 8];
        if (b[2] < 0 || b[0] > size.x || b[3] < 0 || b[1] > size.y || hits(b, placed) || (avoidSeats && hits(b, seats))) continue;
        placed.push(b); count++;
        if (boxes) boxes[order[k]] = b;
        lctx.strokeStyle = "rgba(255,255,255,0.9)"; lctx.lineWidth = 3; lctx.strokeText(u.name, p[0], p[1]);
        lctx.fillStyle = colour; lctx.fillText(u.name, p[0], p[1]);
      }
      return count;
    }
    var refs = 0;
    references.forEach(function (r) {
      if (!layers["ref-" + r.key] || r.medianRadius * px > 400) return;
      var items = r.codes.map(function (code, i) { return { name: r.names[i], label: r.label[i] }; });
      refs += place(items, r.order, (r.level === 0 ? "bold 14px" : "bold 12px") + " sans-serif",
                    r.level === 0 ? "#3b1d5a" : "#5b4a6e", 24, true, null);
    });
    var news = layers.after ? place(newUnits, labelOrder, "600 12px sans-serif", "#111", 14, false, labelBoxes) : 0;
    var olds = layers.before ? place(oldUnits, oldLabelOrder, "italic 11px sans-serif", "#444", 40, true, null) : 0;
    return { total: refs + news + olds, old: olds, refs: refs };
  }
  references.forEach(function (r) {
    var items = r.label.map(function (l) { return { label: l, shape: true }; });
    r.medianRadius = median(items);
    r.order = bySize(items);
  });

  function gapColour(severity) { return D.severityColours[severity] || D.otherSeverityColour; }
  /* most serious first, as planner/templates/severities.yaml orders them; another word ranks last */
  function severityRank(s) { var i = D.severities.indexOf(s); return i < 0 ? D.severities.length : i; }

  /* one marker per new unit (its gaps that pass the filters, coloured by the most serious), or per parent
     unit when the new units are too small on screen */
  function gapMarkers() {
    var grouped = D.parents.code.length > 0 && medianNew * pxPerUnit() < GROUP_BELOW_PX, found = {};
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
        m.point = box ? [box[2] + 9, (box[1] + box[3]) / 2] : containerPoint(grouped ? D.parents.label[m.index] : unit.label);
        return m;
      });
  }
  function drawGaps(size) {
    var shown = [];
    lctx.font = "bold 10px sans-serif"; lctx.textAlign = "center"; lctx.textBaseline = "middle";
    gapMarkers().forEach(function (m) {
      var p = m.point, r = m.count > 99 ? 10 : 7;
      if (p[0] < -10 || p[1] < -10 || p[0] > size.x + 10 || p[1] > size.y + 10) return;
      lctx.beginPath(); lctx.arc(p[0], p[1], r, 0, 2 * Math.PI);
      lctx.fillStyle = gapColour(m.severity); lctx.fill();
      lctx.strokeStyle = "#fff"; lctx.lineWidth = 1.5; lctx.stroke();
      lctx.fillStyle = "#fff"; lctx.fillText(String(m.count), p[0], p[1] + 0.5);
      shown.push({ code: m.code, name: m.name, severity: m.severity, count: m.count, x: p[0], y: p[1] });
    });
    state.markers = shown;
    return shown.length;
  }

  /* ---- hover and selection ---- */
  var selected = -1, hovered = -1, highlight = L.layerGroup().addTo(map), accessLines = false;
  var tooltip = document.getElementById("tooltip");
  function drawHighlight() {
    highlight.clearLayers();
    [[hovered, "rgba(0,0,0,0.55)", 2.5], [selected, "#0050c8", 4]].forEach(function (h) {
      if (h[0] < 0 || !newUnits[h[0]].shape) return;
      new GridPolygon(newUnits[h[0]], { renderer: highlightRenderer, interactive: false, fill: false,
                                         color: h[1], weight: h[2] }).addTo(highlight);
    });
    var unit = selected < 0 ? null : newUnits[selected];
    if (accessLines && unit && unit.seat) unit.members.forEach(function (i) {
      var m = oldUnits[i];
      if (m.shape) L.polyline([[m.label[1], m.label[0]], [unit.seat[1], unit.seat[0]]],
        { renderer: highlightRenderer, interactive: false, color: "#000", weight: 1.2, opacity: 0.8 }).addTo(highlight);
    });
  }
  map.on("mousemove", function (e) {
    var i = oldUnitAt(e.latlng), n = i < 0 ? -1 : oldUnits[i].newIndex;
    if (n !== hovered) { hovered = n; drawHighlight(); }
    if (i < 0) { tooltip.style.display = "none"; return; }
    ui.tooltip(tooltip, newUnits[n], layers.before ? oldUnits[i] : null);
    var size = map.getSize(), p = e.containerPoint;
    tooltip.style.display = "block";
    tooltip.style.left = Math.max(0, Math.min(p.x + 14, size.x - tooltip.offsetWidth - 4)) + "px";
    tooltip.style.top = Math.max(0, p.y + 14) + "px";
  });
  map.on("mouseout", function () { hovered = -1; tooltip.style.display = "none"; drawHighlight(); });
  map.on("click", function (e) {
    var i = oldUnitAt(e.latlng);
    select(i < 0 ? -1 : oldUnits[i].newIndex, i);
  });
  map.on("movestart", function () { tooltip.style.display = "none"; });

  function select(n, oldIndex) {
    selected = n;
    drawHighlight();
    ui.panel(n, oldIndex);
  }
  function zoomTo(n) {
    var u = newUnits[n];
    if (u.shape) map.fitBounds(boxBounds(u.shape.box), { padding: [80, 80], animate: false, maxZoom: fitZoom + 12 });
    select(n, -1);
  }

  /* ---- redraw after every move or zoom ---- */
  function redraw() {
    var t = performance.now();
    syncLayers();
    restyle();
    drawOverlay();
    var view = map.getBounds(), nNew = 0, nOld = 0;
    if (layers.after) newUnits.forEach(function (u) { if (u.shape && view.intersects(u.shape.bounds)) nNew++; });
    oldUnits.forEach(function (u) { if (u.shape && view.intersects(u.shape.bounds)) nOld++; });
    state.drawnNew = nNew; state.drawnOld = nOld;
    state.renders++;
    state.lastRedrawMs = performance.now() - t;
  }
  /* the level follows the zoom before Leaflet projects the paths again (on zoomend) */
  map.on("zoom", function () { setLevel(levelFor(map.getZoom())); });
  map.on("moveend resize", function () { redraw(); });

  var M = {
    D: D, map: map, layers: layers, gapFilter: gapFilter, newUnits: newUnits, oldUnits: oldUnits,
    references: references, gapColour: gapColour, severityRank: severityRank, zoomTo: zoomTo, redraw: redraw,
    medianNew: medianNew,
    zoomToBox: function (box) { map.fitBounds(boxBounds(box), { padding: [40, 40], animate: false }); },
    selected: function () { return selected; },
    setColouring: function (fill, oldFill, lines) {
      colourer = fill; oldColourer = oldFill || null; accessLines = !!lines; colouring++; drawHighlight(); redraw();
    }
  };
  var ui = window.plannerPanels(M);
  L.DomEvent.disableClickPropagation(document.getElementById("zoom"));
  L.DomEvent.disableScrollPropagation(document.getElementById("zoom"));
  L.control.scale({ imperial: false, metric: true, maxWidth: 140, position: "bottomleft" }).addTo(map);
  document.getElementById("zoom-in").addEventListener("click", function () { map.zoomIn(1, { animate: false }); });
  document.getElementById("zoom-out").addEventListener("click", function () { map.zoomOut(1, { animate: false }); });
  document.getElementById("zoom-reset").addEventListener("click", function () {
    map.fitBounds(worldBounds, { padding: [16, 16], animate: false }); });
  redraw();

  window.plannerMap = {
    ready: true,
    loadMs: performance.now() - started,
    state: function () {
      return { drawnNew: state.drawnNew, drawnOld: state.drawnOld, labels: state.labels, oldLabels: state.oldLabels,
               refLabels: state.refLabels, gapMarkers: state.gapMarkers, gapMode: state.gapMode, renders: state.renders,
               layers: Object.assign({}, layers), colourBy: ui.colourBy(), refLevel: Object.assign({}, state.refLevel),
               selected: selected < 0 ? null : newUnits[selected].code, units: newUnits.length, oldUnits: oldUnits.length,
               zoom: map.getZoom(), fitZoom: fitZoom, lastRedrawMs: state.lastRedrawMs,
               level: level, levelName: D.detail.names[level], levelMetres: D.detail.metres[level],
               levelsRead: state.levelsRead };
    },
    screenPoint: function (code) {
      for (var i = 0; i < newUnits.length; i++) if (newUnits[i].code === code) {
        var p = containerPoint(newUnits[i].label), r = document.getElementById("map").getBoundingClientRect();
        return [p[0] + r.left, p[1] + r.top];
      }
      return null;
    },
    markers: function () { return state.markers.slice(); },
    /* points of the drawn outline of a new unit (0 when off screen), and of all new units' outlines drawn */
    vertices: function (code) {
      if (code === undefined) return outlineLayers.reduce(function (n, l) { return n + l.drawnVertices(); }, 0);
      for (var i = 0; i < newUnits.length; i++) if (newUnits[i].code === code) return outlineLayers[i].drawnVertices();
      return null;
    },
    /* the lines drawn from the selected unit's old units to its seat (colouring by access) */
    accessLines: function () {
      return highlight.getLayers().filter(function (l) { return !(l instanceof L.Polygon); }).length;
    },
    fillOf: function (code) {
      for (var i = 0; i < newUnits.length; i++) if (newUnits[i].code === code) return colourer(newUnits[i]);
      return null;
    },
    oldFillOf: function (code) {
      for (var i = 0; i < oldUnits.length; i++) if (oldUnits[i].code === code) return oldColourer ? oldColourer(oldUnits[i], i) : null;
      return null;
    },
    zoomTo: function (code) { for (var i = 0; i < newUnits.length; i++) if (newUnits[i].code === code) zoomTo(i); },
    render: redraw,
    /* ms of one redraw after a pan of (dx, dy) pixels, as when the hand lets go while panning */
    panBy: function (dx, dy) { var t = performance.now(); map.panBy([dx, dy], { animate: false }); return performance.now() - t; }
  };
})();
