/* The cross-case views follow the case finder's filters (issue 14 point 5).

   The cross-case timeline (cases page) and the evidence map (factors page) are built for a default
   selection, the first cases in the handbook's order, and their text versions list the same cases;
   without JavaScript that is all there is. This script redraws them for the cases the finder's
   filters match, at most `cap` at once:

   - on the cases page, whenever the reader changes the finder's filters (finder.js sends
     "hb-finder-change"); clearing the filters brings the default back;
   - on the factors page, when its address carries the finder's filters
     (factors/?country=Netherlands#matrix); the finder links there ("Show these cases on the
     evidence map").

   Each case's data is a small script, assets/selection/case-<id>.js, loaded only for the cases
   drawn (generator/charts/selection.py); the pages hold none of it. The chart is redrawn by setting
   its Bokeh models' values (the same values generator/charts/figures.py gives them); a chart not
   drawn yet is drawn first (charts.js). Scripts, not fetch(): this works opened from disk. */
(function () {
  "use strict";
  var BASE = new URL(".", document.currentScript.src).href;  /* the assets folder */
  var cases = {}, loads = {}, info = null, infoLoad = null;
  window.hbSelectionCase = function (d) { cases[d.id] = d; };
  window.hbSelectionIndex = function (d) { info = d; };

  function loadScript(path) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = new URL(path, BASE).href;
      s.onload = function () { s.remove(); resolve(); };
      s.onerror = function () { s.remove(); reject(new Error("failed to load " + path)); };
      document.head.appendChild(s);
    });
  }

  function loadInfo() {
    if (!infoLoad) {
      infoLoad = loadScript("selection/index.js").then(function () {
        if (!info) throw new Error("selection/index.js gave no data");
        return info;
      });
      infoLoad.catch(function () { infoLoad = null; });
    }
    return infoLoad;
  }

  function loadCase(id) {
    if (!loads[id]) {
      loads[id] = loadScript("selection/case-" + encodeURIComponent(id) + ".js").then(function () {
        if (!cases[id]) throw new Error("no selection data for " + id);
        return cases[id];
      });
      loads[id].catch(function () { delete loads[id]; });
    }
    return loads[id];
  }

  /* The finder's data (finder.js's protocol: cases.js calls window.hbFinderData). */
  function loadFinder() {
    var queue = window.hbFinderDataQueue = window.hbFinderDataQueue || [];
    window.hbFinderData = function (d) { queue.push(d); };
    return loadScript("finder/cases.js").then(function () {
      var data = queue.filter(function (d) { return d && d.facets; }).pop();
      if (!data) throw new Error("finder/cases.js gave no data");
      return data;
    });
  }

  /* The ids of the cases the finder's filters in `search` match, in the finder's order (as
     finder.js matches them: words all in the case's text or its factors' names; within a filter
     any value, across filters all); null when the address names no filter. */
  function matchIds(data, search) {
    var p = new URLSearchParams(search);
    var words = (p.get("q") || "").trim().toLowerCase().split(/\s+/).filter(Boolean);
    var picked = {}, any = words.length > 0;
    data.facets.forEach(function (f) {
      var values = p.getAll(f.key);
      if (values.length) { picked[f.key] = values; any = true; }
    });
    if (!any) return null;
    var names = {};
    data.facets.forEach(function (f) { f.values.forEach(function (v) { names[f.key + ":" + v[0]] = v[1]; }); });
    return data.cases.filter(function (c) {
      var text = c.text;
      ["trigger", "driver", "enabler", "phase"].forEach(function (k) {
        (c.facets[k] || []).forEach(function (v) { text += " " + (names[k + ":" + v] || "").toLowerCase(); });
      });
      if (!words.every(function (w) { return text.indexOf(w) >= 0; })) return false;
      return Object.keys(picked).every(function (k) {
        var has = c.facets[k] || [];
        return picked[k].some(function (v) { return has.indexOf(v) >= 0; });
      });
    }).map(function (c) { return c.id; });
  }

  function address(path, search) {
    var url = new URL(window.hbPageAddress ? window.hbPageAddress(path) : path, location.href);
    url.search = search || "";
    return url.href;
  }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text != null) e.textContent = text;
    return e;
  }

  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }

  /* Row and column labels must differ (Bokeh's factor ranges): a repeated name gets its id. */
  function labels(list) {
    var seen = {};
    return list.map(function (c) {
      var name = seen[c.name] ? c.name + " (" + c.id + ")" : c.name;
      seen[name] = true;
      return name;
    });
  }

  /* ------------------------------------------------------------------ one view ---------- */

  /* A cross-case view on this page: its chart, note, text version, and what it showed at first. */
  function View(name) {
    this.name = name;
    this.chart = document.getElementById("chart-" + name);
    this.figure = this.chart ? this.chart.closest(".hb-figure") : null;
    this.note = document.querySelector("[data-hb-selection-note='" + name + "']");
    this.text = document.getElementById("chart-" + name + "-text");
    this.rows = document.querySelector("[data-hb-rows='" + name + "'] tbody");
    this.defaults = null;  /* the page's own text, kept when the view first changes */
    this.pending = null;   /* chart values waiting for the chart to be drawn */
    this.generation = 0;
    var self = this;
    if (this.chart) {
      this.chart.addEventListener("hb-chart-drawn", function () { self.flush(); });
    }
  }

  View.prototype.present = function () { return !!(this.chart && this.rows); };

  View.prototype.shownNote = function () {
    /* the page's own note on its default selection ("... show 25 of the 1000 case studies") */
    var n = this.figure;
    while (n && n !== this.text) {
      if (n.classList && n.classList.contains("hb-shown-note")) return n;
      n = n.nextElementSibling;
    }
    return null;
  };

  View.prototype.keep = function () {
    if (this.defaults) return;
    var shown = this.shownNote();
    var list = this.name === "evidence-map" ? document.querySelectorAll("[data-hb-factor]") : [];
    this.defaults = {
      rows: this.rows.innerHTML,
      text: this.text ? this.text.innerHTML : "",
      label: this.chart.getAttribute("aria-label"),
      height: this.chart.style.height,
      shown: shown,
      list: Array.prototype.map.call(list, function (p) { return p.innerHTML; })
    };
  };

  /* Back to the page as built (the chart's values from the default cases' data). */
  View.prototype.restore = function (defaultIds) {
    if (!this.defaults) return;
    var d = this.defaults, self = this;
    this.generation += 1;
    this.rows.innerHTML = d.rows;
    if (this.text) this.text.innerHTML = d.text;
    this.chart.setAttribute("aria-label", d.label);
    if (d.shown) d.shown.hidden = false;
    if (this.figure) this.figure.hidden = false;
    document.querySelectorAll("[data-hb-factor]").forEach(function (p, i) {
      if (d.list[i] != null) p.innerHTML = d.list[i];
    });
    if (this.note) { this.note.hidden = true; this.note.textContent = ""; }
    var gen = this.generation;
    this.pick(defaultIds).then(function (got) {
      if (gen !== self.generation) return;
      self.setChart(got.drawn, false);
      self.defaults = null;
    });
  };

  /* {drawn: the case data to draw, matching: how many match} for these ids (the timeline drops the
     cases without one). */
  View.prototype.pick = function (ids) {
    var self = this;
    return loadInfo().then(function (inf) {
      var eligible = ids;
      if (self.name === "cross-timeline") {
        var without = {};
        inf.without_timeline.forEach(function (id) { without[id] = true; });
        eligible = ids.filter(function (id) { return !without[id]; });
      }
      return Promise.all(eligible.slice(0, inf.cap).map(loadCase)).then(function (drawn) {
        return {drawn: drawn, matching: eligible.length, info: inf};
      });
    });
  };

  /* Show these cases. `context`: {total: cases in all, finder: the filters as an address query}. */
  View.prototype.show = function (ids, context) {
    var self = this;
    this.keep();
    this.generation += 1;
    var gen = this.generation;
    this.chart.classList.add("hb-chart--stale");
    return this.pick(ids).then(function (got) {
      if (gen !== self.generation) return;
      self.writeNote(got, context);
      var shown = self.defaults.shown;
      if (shown) shown.hidden = true;
      if (self.figure) self.figure.hidden = got.drawn.length === 0;
      if (self.name === "cross-timeline") self.timelineText(got.drawn);
      else self.mapText(got.drawn);
      self.setChart(got.drawn, true);
    }).catch(function (err) { console.warn(err.message); });
  };

  View.prototype.writeNote = function (got, context) {
    if (!this.note) return;
    var note = this.note, n = got.drawn.length, what;
    var kind = this.name === "cross-timeline" ? "case studies with a timeline" : "case studies";
    var lead = this.name === "cross-timeline" ? "The chart and the table below show " : "The map, its list and its table show ";
    note.textContent = "";
    if (!got.matching) {
      what = "None of the " + kind + " matches the finder's filters, so there is nothing to draw.";
    } else if (n < got.matching) {
      what = lead + "the first " + n + " of the " + got.matching + " " + kind +
        " that the finder's filters match (" + context.total + " case studies in all). Narrow the filters to see the others.";
    } else {
      what = lead + (n === 1 ? "the one case study" : "the " + n + " " + kind) +
        " that the finder's filters match (" + context.total + " case studies in all).";
    }
    note.appendChild(document.createTextNode(what + " "));
    if (this.name === "evidence-map") {
      note.appendChild(el("a", {href: address("cases/index.md#all", context.finder)}, "Change the filters in the case finder"));
      note.appendChild(document.createTextNode(" or "));
      note.appendChild(el("a", {href: address("factors/index.md#matrix", "")}, "show the default selection"));
      note.appendChild(document.createTextNode("."));
    }
    note.hidden = false;
  };

  /* --- text versions ---------------------------------------------------------------------- */

  function outsideNote(years) {
    var lo = Math.min.apply(null, years), hi = Math.max.apply(null, years);
    return plural(years.length, "earlier event", "earlier events") + " (" + (lo === hi ? lo : lo + "–" + hi) + ")";
  }

  View.prototype.timelineText = function (drawn) {
    var rows = this.rows;
    rows.textContent = "";
    drawn.forEach(function (c) {
      var tr = el("tr");
      var td = el("td");
      td.appendChild(el("a", {href: address(c.url + "#timeline")}, c.short));
      tr.appendChild(td);
      var trig = c.timeline ? c.timeline.trigger : null;
      tr.appendChild(el("td", {}, trig != null ? String(trig) : "no trigger event"));
      tr.appendChild(el("td", {}, String(c.events)));
      tr.appendChild(el("td", {}, c.years ? c.years[0] + "–" + c.years[1] : ""));
      rows.appendChild(tr);
    });
    if (!this.text) return;
    var text = "The chart as text: each case's trigger year, number of events and first and last year. Each case study's page lists its events.";
    var rowsData = drawn.map(function (c) { return c.timeline; }).filter(Boolean);
    if (rowsData.length) {
      var start = Math.min.apply(null, rowsData.map(function (r) { return r.first; })) - 1;
      var notes = [];
      rowsData.forEach(function (r) {
        var early = r.events.map(function (e) { return e.year; }).filter(function (y) { return y < start; });
        if (early.length) notes.push(r.name + ", " + outsideNote(early));
      });
      if (notes.length) text += " Not on the chart, which starts with the years the cases' stories cover: " + notes.join("; ") + ".";
    }
    this.text.textContent = text;
  };

  var ROLES = ["trigger", "driver", "enabler"];

  View.prototype.mapText = function (drawn) {
    var rows = this.rows;
    rows.textContent = "";
    drawn.forEach(function (c) {
      var tr = el("tr");
      var td = el("td");
      td.appendChild(el("a", {href: address(c.url + "#factors")}, c.short));
      tr.appendChild(td);
      ROLES.forEach(function (role) {
        var cell = el("td");
        c.uses.filter(function (u) { return u[0] === role; }).forEach(function (u, i) {
          if (i) cell.appendChild(document.createTextNode(", "));
          cell.appendChild(el("a", {href: address(u[3])}, u[2]));
        });
        tr.appendChild(cell);
      });
      rows.appendChild(tr);
    });
    /* the map one factor at a time */
    document.querySelectorAll("[data-hb-factor]").forEach(function (p) {
      var id = p.getAttribute("data-hb-factor");
      var link = p.querySelector("a");
      var parts = [];
      ROLES.forEach(function (role) {
        var found = [];
        drawn.forEach(function (c) {
          var uses = c.uses.some(function (u) { return u[0] === role && u[1] === id; });
          if (uses && found.indexOf(c.short) < 0) found.push(c.short);
        });
        if (found.length) parts.push(role + " in " + found.join(", "));
      });
      p.textContent = "";
      if (link) p.appendChild(link);
      p.appendChild(document.createTextNode(": " + (parts.length ? parts.join("; ") : "not found in the case studies shown") + "."));
    });
  };

  /* --- the chart ----------------------------------------------------------------------------- */

  View.prototype.setChart = function (drawn, filtered) {
    this.pending = drawn;
    if (filtered) {
      this.chart.setAttribute("aria-label", this.name === "cross-timeline"
        ? (drawn.length === 1 ? "The one case-study timeline" : "The " + drawn.length + " case-study timelines") +
          " the finder's filters select, on one chart, one row per case. The table below lists each case's trigger year and events."
        : "Evidence map of factors by case study, the " + plural(drawn.length, "case study", "case studies") +
          " the finder's filters select. The same data is in the table below.");
    }
    if (!this.chart.hasAttribute("data-bokeh-rendered")) {
      /* drawn now, unless hidden (the evidence map on a phone gives way to its list) */
      if (filtered && window.hbDrawChart && drawn.length && this.chart.getClientRects().length) window.hbDrawChart(this.chart);
      else if (!filtered) this.chart.classList.remove("hb-chart--stale");  /* its picture is right again */
      return;
    }
    this.flush();
  };

  function docWith(name) {
    if (!window.Bokeh || !Bokeh.documents) return null;
    for (var i = Bokeh.documents.length - 1; i >= 0; i--) {
      if (Bokeh.documents[i].get_model_by_name(name)) return Bokeh.documents[i];
    }
    return null;
  }

  View.prototype.flush = function () {
    var drawn = this.pending;
    if (!drawn || !drawn.length || !info) return;
    var doc = docWith(this.name === "cross-timeline" ? "hb-cross" : "hb-evidence");
    if (!doc) return;
    var height = this.name === "cross-timeline" ? this.drawTimeline(doc, drawn) : this.drawMap(doc, drawn);
    this.chart.style.height = height + "px";
    this.chart.classList.remove("hb-chart--stale");
    this.pending = null;
  };

  /* As figures.cross_timeline_parts. */
  View.prototype.drawTimeline = function (doc, drawn) {
    var rows = drawn.map(function (c) { return c.timeline; }).filter(Boolean);
    var names = labels(rows.map(function (r, i) { return {name: r.name, id: drawn[i].id}; }));
    var first = rows.map(function (r) { return r.first; }), last = rows.map(function (r) { return r.last; });
    var cal = [Math.min.apply(null, first) - 1, Math.max.apply(null, last) + 1];
    var aligned = rows.filter(function (r) { return r.trigger != null; });
    var rel = [
      (aligned.length ? Math.min.apply(null, aligned.map(function (r) { return r.first - r.trigger; })) : -5) - 1,
      (aligned.length ? Math.max.apply(null, aligned.map(function (r) { return r.last - r.trigger; })) : 5) + 1
    ];
    var relOf = function (r, year) { return r.trigger != null ? year - r.trigger : NaN; };
    var relative = !!document.querySelector("input[name='hb-axis'][value='relative']:checked");
    var lines = {x0_cal: first, x1_cal: last, y: names,
      x0_rel: rows.map(function (r) { return relOf(r, r.first); }),
      x1_rel: rows.map(function (r) { return relOf(r, r.last); }),
      url: rows.map(function (r) { return r.url; }),
      label: rows.map(function (r) { return "Open the " + r.name + " case study"; })};
    lines.x0 = relative ? lines.x0_rel : lines.x0_cal;
    lines.x1 = relative ? lines.x1_rel : lines.x1_cal;
    var points = {x_cal: [], x_rel: [], y: [], label: [], when: [], type: [], colour: [], marker: [], alpha: [], url: []};
    var outside = {x_cal: [], x_rel: [], y: [], text_cal: [], text_rel: []};
    rows.forEach(function (r, i) {
      r.events.forEach(function (e) {
        var style = info.events[e.type] || ["#000000", "circle"];
        points.x_cal.push(e.year);
        points.x_rel.push(relOf(r, e.year));
        points.y.push(names[i]);
        points.label.push(e.label);
        points.when.push(e.when);
        points.type.push(e.type);
        points.colour.push(style[0]);
        points.marker.push(style[1]);
        points.alpha.push(e.certainty === "sure" ? 1.0 : 0.25);
        points.url.push(e.url);
      });
      var earlyCal = r.events.map(function (e) { return e.year; }).filter(function (y) { return y < cal[0]; });
      var earlyRel = r.trigger == null ? [] : r.events.map(function (e) { return e.year; })
        .filter(function (y) { return y - r.trigger < rel[0]; });
      if (earlyCal.length || earlyRel.length) {
        outside.x_cal.push(cal[0]);
        outside.x_rel.push(rel[0]);
        outside.y.push(names[i]);
        outside.text_cal.push(earlyCal.length ? "◀ " + outsideNote(earlyCal) + ", not shown" : "");
        outside.text_rel.push(earlyRel.length ? "◀ " + outsideNote(earlyRel) + ", not shown" : "");
      }
    });
    points.x = relative ? points.x_rel : points.x_cal;
    outside.x = relative ? outside.x_rel : outside.x_cal;
    outside.text = relative ? outside.text_rel : outside.text_cal;
    var height = 90 + 40 * rows.length;
    doc.get_model_by_name("hb-cross-y").factors = names.slice().reverse();
    doc.get_model_by_name("hb-cross-lines").data = lines;
    doc.get_model_by_name("hb-cross-points").data = points;
    doc.get_model_by_name("hb-cross-outside").data = outside;
    var b = relative ? rel : cal;
    doc.get_model_by_name("hb-cross-range").setv({tags: cal.concat(rel), start: b[0], end: b[1], reset_start: b[0], reset_end: b[1]});
    doc.get_model_by_name("hb-cross").height = height;
    return height;
  };

  /* As figures.evidence_map_parts; the rows (factors) stay, the columns are the cases drawn. */
  View.prototype.drawMap = function (doc, drawn) {
    var fig = doc.get_model_by_name("hb-evidence");
    var factors = doc.get_model_by_name("hb-evidence-y").factors.slice().reverse();
    var names = labels(drawn);
    var data = {x: [], y: [], colour: [], letter: [], role: [], meaning: [], tap: [], url: []};
    factors.forEach(function (f) {
      drawn.forEach(function (c, i) {
        var cell = c.cells[f];
        var role = cell ? cell[0] : "";
        data.x.push(names[i]);
        data.y.push(f);
        data.colour.push(role ? info.roles[role][0] : "#F2F2F2");
        data.letter.push(role ? info.roles[role][1] : "");
        data.role.push(role || "not found in this case");
        data.meaning.push(cell ? cell[1] : "");
        data.tap.push(f + " in " + names[i] + ": " + (role || "not found"));
        data.url.push(c.url + "#factors");
      });
    });
    doc.get_model_by_name("hb-evidence-x").factors = names;
    doc.get_model_by_name("hb-evidence-cells").data = data;
    return fig.height;
  };

  /* ------------------------------------------------------------------ wiring ------------- */

  var views = {};
  function view(name) {
    var v = views[name];
    if (!v || !document.body.contains(v.chart)) v = views[name] = new View(name);
    return v.present() ? v : null;
  }

  /* cases page: the finder's filters changed */
  document.addEventListener("hb-finder-change", function (ev) {
    var d = ev.detail, v = view("cross-timeline");
    var link = document.querySelector("[data-hb-map-link]");
    if (link) {
      link.hidden = !d.filters;
      link.href = address("factors/index.md#matrix", d.filters);
    }
    if (!v) return;
    if (d.filters) v.show(d.ids, {total: d.total, finder: d.filters});
    else v.restore(d.ids);
  });

  /* factors page: filters in the address */
  function setup() {
    var v = view("evidence-map");
    if (!v || !location.search) return;
    loadFinder().then(function (data) {
      var ids = matchIds(data, location.search);
      if (ids === null) return;
      var p = new URLSearchParams(location.search);
      var keep = new URLSearchParams();
      p.forEach(function (value, key) {
        if (key === "q" || data.facets.some(function (f) { return f.key === key; })) keep.append(key, value);
      });
      v.show(ids, {total: data.cases.length, finder: keep.toString().replace(/%2C/g, ",")});
    }).catch(function (err) { console.warn(err.message); });
  }
  if (typeof document$ !== "undefined" && document$.subscribe && !document$.isStopped) document$.subscribe(setup);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
