/* The case finder (cases/) and the compare page (compare/), issue 14.

   Finder: the page holds a complete plain list of the cases; this script loads the facets
   (assets/finder/cases.js, written by generator/output/finder.py), shows filters with counts and a text
   query, and hides the cases that do not match. Within a filter the ticked values are
   alternatives (any of them); across filters all must hold. Each value's count says how many
   cases it would show with the other filters as they are. The state lives in the address
   (?country=...&trigger=...&q=...&compare=a,b), so a search can be bookmarked and shared.

   Compare: ?cases=a,b,c names two to four cases; each case's data comes from
   assets/finder/case-<id>.js. Facts, factors (those all the cases share are marked), phase and
   triangle side by side, and the timelines on one axis (calendar years or years since each
   case's trigger).

   Scripts, not fetch(): both work opened from disk (the offline edition). */
(function () {
  "use strict";
  var MAX_COMPARE = 4;
  var configEl = document.getElementById("__config");
  var base = ".";
  try { base = JSON.parse(configEl.textContent).base || "."; } catch (e) { /* keep "." */ }
  var ROOT = new URL(base.replace(/\/$/, "") + "/", location.href);  // resolved once: instant navigation keeps it
  var HTML = /\.html$/.test(location.pathname) || location.protocol === "file:";  // the offline edition's addresses

  function asset(path) { return new URL(path, ROOT).href; }
  function caseUrl(id) { return new URL("cases/" + encodeURIComponent(id) + (HTML ? ".html" : "/"), ROOT).href; }
  function compareUrl(ids) {
    return new URL(HTML ? "compare.html" : "compare/", ROOT).href + (ids.length ? "?cases=" + ids.map(encodeURIComponent).join(",") : "");
  }

  var loading = {};
  /* Load a data script once; `name` is the global callback it calls. */
  function loadScript(src, name) {
    if (loading[src]) return loading[src];
    loading[src] = new Promise(function (resolve, reject) {
      var queue = window[name + "Queue"] = window[name + "Queue"] || [];
      window[name] = function (data) { queue.push(data); };
      var s = document.createElement("script");
      s.src = src;
      s.onload = function () {
        var data = queue.filter(function (d) { return d && (!d.id || src.indexOf("case-" + d.id + ".js") >= 0); }).pop();
        if (data) resolve(data); else reject(new Error(src));
      };
      s.onerror = function () { delete loading[src]; reject(new Error(src)); };
      document.head.appendChild(s);
    });
    return loading[src];
  }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "class") e.className = attrs[k]; else e.setAttribute(k, attrs[k]);
    });
    if (text != null) e.textContent = text;
    return e;
  }

  function params() { return new URLSearchParams(location.search); }

  function setAddress(p) {
    var q = p.toString().replace(/%2C/g, ",");
    history.replaceState(history.state, "", location.pathname + (q ? "?" + q : "") + location.hash);
  }

  /* ---------------------------------------------------------------- finder ---------- */

  function caseIdOf(a) {
    var m = a.getAttribute("href").match(/([^/]+?)(?:\/|\.html)?$/);
    return m ? decodeURIComponent(m[1]) : null;
  }

  function setupFinder(root) {
    if (root.hasAttribute("data-hb-ready")) return;
    root.setAttribute("data-hb-ready", "");
    var list = document.querySelector(".hb-finder-list ul");
    if (!list) return;
    var items = {};
    Array.prototype.forEach.call(list.children, function (li) {
      var a = li.querySelector("a");
      if (a) items[caseIdOf(a)] = li;
    });
    loadScript(asset("assets/finder/cases.js"), "hbFinderData").then(function (data) {
      buildFinder(root, data, items, list);
    }).catch(function () { root.hidden = true; /* the plain list stays, complete */ });
  }

  function buildFinder(root, data, items, list) {
    var p = params();
    /* the text query also finds a case by the names of its triggers, drivers and enablers */
    var names = {};
    data.facets.forEach(function (f) { f.values.forEach(function (v) { names[f.key + ":" + v[0]] = v[1]; }); });
    data.cases.forEach(function (c) {
      ["trigger", "driver", "enabler", "phase"].forEach(function (k) {
        (c.facets[k] || []).forEach(function (v) { c.text += " " + (names[k + ":" + v] || "").toLowerCase(); });
      });
    });
    var query = root.querySelector("#hb-finder-q");
    /* words typed while the data loaded count, unless the address names some */
    var state = { q: p.get("q") || query.value.trim(), picked: {}, compare: [] };
    data.facets.forEach(function (f) {
      state.picked[f.key] = {};
      p.getAll(f.key).forEach(function (v) { state.picked[f.key][v] = true; });
    });
    (p.get("compare") || "").split(",").filter(Boolean).forEach(function (id) {
      if (items[id] && state.compare.length < MAX_COMPARE) state.compare.push(id);
    });

    var facetsBox = root.querySelector("[data-hb-facets]");
    var count = root.querySelector("[data-hb-count]");
    var picked = root.querySelector("[data-hb-picked]");
    var go = root.querySelector("[data-hb-compare-go]");
    query.value = state.q;

    var boxes = {};  // key -> value -> {input, count}
    data.facets.forEach(function (f) {
      /* the page holds each filter's box, closed (so that filling it in moves nothing) */
      var details = facetsBox.querySelector("details[data-hb-facet='" + f.key + "']");
      if (!f.values.length) { if (details) details.remove(); return; }
      if (!details) {
        details = el("details", { class: "hb-facet", "data-hb-facet": f.key });
        details.appendChild(el("summary", {}, f.label));
        facetsBox.appendChild(details);
      }
      if (Object.keys(state.picked[f.key]).length) details.open = true;
      var fs = el("fieldset", {});
      fs.appendChild(el("legend", { class: "hb-visually-hidden" }, f.label));
      boxes[f.key] = {};
      f.values.forEach(function (pair, i) {
        var id = "hb-f-" + f.key + "-" + i;
        var label = el("label", { for: id, class: "hb-facet__value" });
        var input = el("input", { type: "checkbox", id: id, name: f.key, value: pair[0] });
        input.checked = !!state.picked[f.key][pair[0]];
        var n = el("span", { class: "hb-facet__count" });
        label.appendChild(input);
        label.appendChild(document.createTextNode(" " + pair[1] + " "));
        label.appendChild(n);
        fs.appendChild(label);
        boxes[f.key][pair[0]] = { input: input, count: n };
        input.addEventListener("change", function () {
          if (input.checked) state.picked[f.key][pair[0]] = true; else delete state.picked[f.key][pair[0]];
          apply();
        });
      });
      details.appendChild(fs);
    });

    /* a "compare" tick box on every case of the list */
    data.cases.forEach(function (c) {
      var li = items[c.id];
      if (!li || li.querySelector(".hb-pick")) return;
      var label = el("label", { class: "hb-pick" });
      var box = el("input", { type: "checkbox", value: c.id, "aria-label": "Compare " + c.short });
      box.checked = state.compare.indexOf(c.id) >= 0;
      label.appendChild(box);
      label.appendChild(el("span", { "aria-hidden": "true" }, "compare"));
      li.appendChild(label);
      box.addEventListener("change", function () {
        var at = state.compare.indexOf(c.id);
        if (box.checked && at < 0) {
          if (state.compare.length >= MAX_COMPARE) { box.checked = false; picked.textContent = "Four cases at most: untick one first."; return; }
          state.compare.push(c.id);
        } else if (!box.checked && at >= 0) {
          state.compare.splice(at, 1);
        }
        apply();
      });
    });

    var timer = null;
    query.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { state.q = query.value.trim(); apply(); }, 120);
    });
    root.querySelector("[data-hb-clear]").addEventListener("click", function () {
      Object.keys(state.picked).forEach(function (k) { state.picked[k] = {}; });
      state.q = "";
      query.value = "";
      Object.keys(boxes).forEach(function (k) { Object.keys(boxes[k]).forEach(function (v) { boxes[k][v].input.checked = false; }); });
      apply();
    });

    function matchesQuery(c) {
      if (!state.q) return true;
      return state.q.toLowerCase().split(/\s+/).every(function (w) { return c.text.indexOf(w) >= 0; });
    }
    function matchesFacet(c, key) {
      var want = Object.keys(state.picked[key]);
      if (!want.length) return true;
      var has = c.facets[key] || [];
      return want.some(function (v) { return has.indexOf(v) >= 0; });
    }
    function matchesAllBut(c, skip) {
      if (!matchesQuery(c)) return false;
      return data.facets.every(function (f) { return f.key === skip || matchesFacet(c, f.key); });
    }

    function apply() {
      var shown = 0, matched = [];
      data.cases.forEach(function (c) {
        var ok = matchesAllBut(c, null);
        if (items[c.id]) items[c.id].hidden = !ok;
        if (ok) { shown += 1; matched.push(c.id); }
      });
      data.facets.forEach(function (f) {
        if (!boxes[f.key]) return;
        var counts = {};
        data.cases.forEach(function (c) {
          if (!matchesAllBut(c, f.key)) return;
          (c.facets[f.key] || []).forEach(function (v) { counts[v] = (counts[v] || 0) + 1; });
        });
        Object.keys(boxes[f.key]).forEach(function (v) {
          var b = boxes[f.key][v];
          var n = counts[v] || 0;
          b.count.textContent = "(" + n + ")";
          b.input.closest("label").classList.toggle("hb-facet__value--empty", n === 0 && !b.input.checked);
        });
      });
      count.textContent = shown === data.cases.length
        ? "All " + shown + (shown === 1 ? " case study." : " case studies.")  /* as the page says before this script */
        : shown + " of " + data.cases.length + (data.cases.length === 1 ? " case study matches." : " case studies match.");
      var names = state.compare.map(function (id) {
        var c = data.cases.filter(function (x) { return x.id === id; })[0];
        return c ? c.short : id;
      });
      picked.textContent = state.compare.length
        ? "To compare: " + names.join(", ") + (state.compare.length < 2 ? " (tick one more)." : ".")
        : "Tick two to four cases to compare them side by side.";
      if (state.compare.length >= 2) {
        go.href = compareUrl(state.compare);
        go.removeAttribute("aria-disabled");
      } else {
        go.removeAttribute("href");
        go.setAttribute("aria-disabled", "true");
      }
      var p = new URLSearchParams();
      if (state.q) p.set("q", state.q);
      data.facets.forEach(function (f) {
        Object.keys(state.picked[f.key]).forEach(function (v) { p.append(f.key, v); });
      });
      /* the filters alone, for the cross-case views (assets/selection.js) */
      var filters = p.toString().replace(/%2C/g, ",");
      if (state.compare.length) p.set("compare", state.compare.join(","));
      setAddress(p);
      document.dispatchEvent(new CustomEvent("hb-finder-change", {
        detail: { ids: matched, total: data.cases.length, filters: filters }
      }));
    }

    root.hidden = false;
    apply();
    root.setAttribute("data-hb-loaded", "");  /* filters work from here on (the tests wait for it) */
  }

  /* ---------------------------------------------------------------- compare ---------- */

  function setupCompare(root) {
    if (root.hasAttribute("data-hb-ready")) return;
    root.setAttribute("data-hb-ready", "");
    var select = root.querySelector("[data-hb-compare-add]");
    var chosen = root.querySelector("[data-hb-compare-chosen]");
    var out = root.querySelector("[data-hb-compare-out]");
    var ids = (params().get("cases") || "").split(",").filter(Boolean).slice(0, MAX_COMPARE);
    var axis = "calendar";
    root.hidden = false;

    loadScript(asset("assets/finder/cases.js"), "hbFinderData").then(function (data) {
      data.cases.forEach(function (c) { select.appendChild(el("option", { value: c.id }, c.short + " (" + c.place + ")")); });
      select.addEventListener("change", function () {
        if (select.value && ids.indexOf(select.value) < 0 && ids.length < MAX_COMPARE) ids.push(select.value);
        select.value = "";
        render();
      });
    });

    function render() {
      var p = params();
      if (ids.length) p.set("cases", ids.join(",")); else p.delete("cases");
      setAddress(p);
      select.disabled = ids.length >= MAX_COMPARE;
      Promise.all(ids.map(function (id) {
        return loadScript(asset("assets/finder/case-" + encodeURIComponent(id) + ".js"), "hbCaseData").catch(function () { return null; });
      })).then(function (cases) {
        var missing = ids.filter(function (id, i) { return !cases[i]; });
        cases = cases.filter(Boolean);
        ids = cases.map(function (c) { return c.id; });
        out.innerHTML = "";
        chosen.innerHTML = "";
        if (missing.length) chosen.appendChild(el("span", { class: "hb-compare__missing" }, "No case study with the id " + missing.join(", ") + ". "));
        cases.forEach(function (c) {
          var chip = el("span", { class: "hb-compare__chip" });
          chip.appendChild(el("a", { href: caseUrl(c.id) }, c.short));
          var x = el("button", { type: "button", class: "hb-compare__remove", "aria-label": "Remove " + c.short + " from the comparison" }, "×");
          x.addEventListener("click", function () { ids.splice(ids.indexOf(c.id), 1); render(); });
          chip.appendChild(x);
          chosen.appendChild(chip);
        });
        if (cases.length < 2) {
          chosen.appendChild(el("span", {}, cases.length ? " Add at least one more case study." : "No case study chosen yet: add two to four."));
          return;
        }
        out.appendChild(table(cases));
        out.appendChild(timeline(cases));
      });
    }

    function table(cases) {
      var wrap = el("div", { class: "hb-compare__scroll", tabindex: "0", role: "region", "aria-label": "The cases side by side" });
      var t = el("table", { class: "hb-compare__table" });
      var head = el("tr", {});
      head.appendChild(el("th", { scope: "col" }, ""));
      cases.forEach(function (c) {
        var th = el("th", { scope: "col" });
        th.appendChild(el("a", { href: caseUrl(c.id) }, c.short));
        head.appendChild(th);
      });
      var thead = el("thead", {});
      thead.appendChild(head);
      t.appendChild(thead);
      var body = el("tbody", {});
      function section(title) {
        var tr = el("tr", { class: "hb-compare__section" });
        tr.appendChild(el("th", { scope: "colgroup", colspan: String(cases.length + 1) }, title));
        body.appendChild(tr);
      }
      function row(label, cells, cls) {
        var tr = el("tr", cls ? { class: cls } : {});
        tr.appendChild(el("th", { scope: "row" }, label));
        cells.forEach(function (cell) {
          var td = el("td", {});
          if (cell instanceof Node) td.appendChild(cell); else td.textContent = cell == null ? "" : cell;
          tr.appendChild(td);
        });
        body.appendChild(tr);
      }
      section("Facts");
      cases[0].facts.forEach(function (f, i) {
        row(f[0], cases.map(function (c) { return c.facts[i] ? c.facts[i][1] : ""; }));
      });
      section("Lifecycle and strategic triangle");
      row("Phase", cases.map(function (c) {
        if (!c.phase) return "not placed";
        return c.phase[1] + " (" + c.phase[3] + ")";  /* the placement's strength, in the words every page uses */
      }));
      row("Strategic triangle", cases.map(function (c) {
        if (!c.triangle) return "none given";
        var w = c.triangle[2];
        return c.triangle[1] + ": authority " + w.authority.replace(/-/g, " ") + ", capacity " + w.capacity.replace(/-/g, " ") +
          ", value " + w.value.replace(/-/g, " ");
      }));
      ["trigger", "driver", "enabler"].forEach(function (role) {
        var names = {}, order = [];
        cases.forEach(function (c) {
          c.factors.forEach(function (f) {
            if (f[0] !== role) return;
            if (!names[f[1]]) { names[f[1]] = f[2]; order.push(f[1]); }
          });
        });
        if (!order.length) return;
        section(role.charAt(0).toUpperCase() + role.slice(1) + "s (shared by all: marked “shared”)");
        order.sort(function (a, b) {
          var na = cases.filter(function (c) { return has(c, role, a); }).length;
          var nb = cases.filter(function (c) { return has(c, role, b); }).length;
          return nb - na || names[a].localeCompare(names[b]);
        });
        order.forEach(function (id) {
          var all = cases.every(function (c) { return has(c, role, id); });
          row(names[id] + (all ? " — shared" : ""), cases.map(function (c) {
            return has(c, role, id) ? "✓ yes" : "–";
          }), all ? "hb-compare__shared" : null);
        });
      });
      t.appendChild(body);
      wrap.appendChild(t);
      return wrap;
    }

    function has(c, role, id) {
      return c.factors.some(function (f) { return f[0] === role && f[1] === id; });
    }

    function timeline(cases) {
      var box = el("section", { class: "hb-compare__timeline", "aria-label": "Timelines on one axis" });
      box.appendChild(el("h2", { id: "timelines" }, "Timelines on one axis"));
      var fs = el("fieldset", { class: "hb-axis" });
      fs.appendChild(el("legend", {}, "Time axis"));
      [["calendar", "Calendar years"], ["relative", "Years since each case's trigger"]].forEach(function (o) {
        var label = el("label", {});
        var r = el("input", { type: "radio", name: "hb-compare-axis", value: o[0] });
        r.checked = axis === o[0];
        r.addEventListener("change", function () { axis = o[0]; box.replaceWith(timeline(cases)); });
        label.appendChild(r);
        label.appendChild(document.createTextNode(" " + o[1]));
        fs.appendChild(label);
      });
      box.appendChild(fs);
      var usable = cases.filter(function (c) { return c.timeline.length && (axis === "calendar" || c.trigger_year != null); });
      var skipped = cases.filter(function (c) { return usable.indexOf(c) < 0; });
      function x(c, year) { return axis === "calendar" ? year : year - c.trigger_year; }
      var lo = Infinity, hi = -Infinity;
      usable.forEach(function (c) {
        c.timeline.forEach(function (e) { lo = Math.min(lo, x(c, e[0])); hi = Math.max(hi, x(c, e[1] || e[0])); });
      });
      if (!usable.length) { box.appendChild(el("p", {}, "None of these cases has a timeline to draw.")); return box; }
      if (hi === lo) hi = lo + 1;
      var W = 720, left = 120, right = 20, rowH = 44, top = 24;
      var H = top + usable.length * rowH + 30;
      var NS = "http://www.w3.org/2000/svg";
      function s(tag, attrs, text) {
        var e = document.createElementNS(NS, tag);
        Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
        if (text != null) e.textContent = text;
        return e;
      }
      function px(v) { return left + (v - lo) / (hi - lo) * (W - left - right); }
      var svg = s("svg", { viewBox: "0 0 " + W + " " + H, class: "hb-compare__svg", role: "group",
        "aria-label": "Timelines of " + usable.map(function (c) { return c.short; }).join(", ") + (axis === "calendar" ? " in calendar years" : " in years since each case's trigger") });
      var step = Math.max(1, Math.ceil((hi - lo) / 8 / 5) * 5);
      for (var t = Math.ceil(lo / step) * step; t <= hi; t += step) {
        svg.appendChild(s("line", { x1: px(t), x2: px(t), y1: top - 6, y2: H - 26, class: "hb-compare__grid" }));
        svg.appendChild(s("text", { x: px(t), y: H - 10, "text-anchor": "middle", class: "hb-compare__tick" }, axis === "calendar" ? String(t) : (t > 0 ? "+" + t : String(t))));
      }
      if (axis === "relative" && lo <= 0 && hi >= 0) svg.appendChild(s("line", { x1: px(0), x2: px(0), y1: top - 6, y2: H - 26, class: "hb-compare__zero" }));
      usable.forEach(function (c, i) {
        var y = top + i * rowH + rowH / 2;
        svg.appendChild(s("text", { x: left - 8, y: y + 4, "text-anchor": "end", class: "hb-compare__label" }, c.short));
        svg.appendChild(s("line", { x1: left, x2: W - right, y1: y, y2: y, class: "hb-compare__row" }));
        c.timeline.forEach(function (e) {
          var a = document.createElementNS(NS, "a");
          a.setAttribute("href", caseUrl(c.id) + "#" + e[4]);
          a.setAttribute("aria-label", c.short + ", " + e[0] + (e[1] ? "–" + e[1] : "") + ": " + e[2]);
          a.appendChild(s("title", {}, e[0] + (e[1] ? "–" + e[1] : "") + ": " + e[2]));
          if (e[1] && e[1] !== e[0]) {
            a.appendChild(s("rect", { x: px(x(c, e[0])), y: y - 5, width: Math.max(2, px(x(c, e[1])) - px(x(c, e[0]))), height: 10, class: "hb-compare__span hb-compare__ev--" + e[3] }));
          } else {
            a.appendChild(s("circle", { cx: px(x(c, e[0])), cy: y, r: 6, class: "hb-compare__ev hb-compare__ev--" + e[3] }));
          }
          svg.appendChild(a);
        });
      });
      var scroll = el("div", { class: "hb-compare__svgwrap" });
      scroll.appendChild(svg);
      box.appendChild(scroll);
      if (skipped.length) {
        box.appendChild(el("p", {}, "Not drawn: " + skipped.map(function (c) { return c.short; }).join(", ") +
          (axis === "relative" ? " (no trigger event on the timeline)." : " (no timeline).")));
      }
      /* the same as text */
      var text = el("details", { class: "hb-compare__text" });
      text.appendChild(el("summary", {}, "The timelines as text"));
      usable.forEach(function (c) {
        text.appendChild(el("h3", {}, c.short));
        var ul = el("ul", {});
        c.timeline.forEach(function (e) {
          var li = el("li", {});
          var when = axis === "calendar" ? String(e[0]) : (x(c, e[0]) >= 0 ? "+" : "") + x(c, e[0]) + " (" + e[0] + ")";
          li.appendChild(document.createTextNode(when + ": "));
          li.appendChild(el("a", { href: caseUrl(c.id) + "#" + e[4] }, e[2]));
          ul.appendChild(li);
        });
        text.appendChild(ul);
      });
      box.appendChild(text);
      return box;
    }

    render();
  }

  function setup() {
    var f = document.querySelector("[data-hb-finder]");
    if (f) setupFinder(f);
    var c = document.querySelector("[data-hb-compare]");
    if (c) setupCompare(c);
  }
  if (typeof document$ !== "undefined" && document$.subscribe) document$.subscribe(setup);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
