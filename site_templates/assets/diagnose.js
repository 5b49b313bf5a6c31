/* The self-diagnosis page (toolkit/self-diagnosis/).
 *
 * The rules are data: toolkit/diagnosis/*.yaml, exported by generator/output/selfdiagnosis.py as
 * toolkit/diagnosis.json (fetched relative to the page) and embedded in the form's data-rules
 * attribute (used from file://, where fetch is blocked, or when the fetch fails). This script
 * applies them exactly as generator/output/selfdiagnosis.py does, on whole numbers, so both give the same
 * result; tests/test_diagnose_browser.py compares the two.
 *
 * Answers live in the page's query string (?s=...&a=..&c=..&v=..&p=...&m=...): reloading or
 * sharing the address restores them. Nothing is sent anywhere.
 *
 * The page's own <script> tag loads this file; Material's instant navigation runs that tag again
 * on every visit, so a second run only initialises the new form. Initialisation is idempotent
 * and also runs on document$ and DOMContentLoaded.
 */
(function () {
  "use strict";
  if (window.hbDiagnose) { window.hbDiagnose.init(); return; }

  var CORNERS = ["authority", "capacity", "value"];
  var QUERY_KEYS = {authority: "a", capacity: "c", value: "v"};
  var script = document.currentScript;
  var SITE_ROOT = script && script.src ? new URL("../", script.src).href : new URL("../../", location.href).href;

  /* --- answers and the address ------------------------------------------------------------ */

  function emptyAnswers() { return {statements: [], corners: {}, present: [], missing: []}; }

  function fromQuery(search) {
    var params = new URLSearchParams(search || "");
    function ids(key) {
      var out = [];
      params.getAll(key).forEach(function (v) {
        v.split(".").forEach(function (id) { if (id && out.indexOf(id) < 0) out.push(id); });
      });
      return out;
    }
    var answers = emptyAnswers();
    answers.statements = ids("s");
    CORNERS.forEach(function (c) {
      var v = params.get(QUERY_KEYS[c]);
      if (v !== null && /^\d+$/.test(v)) answers.corners[c] = parseInt(v, 10);
    });
    answers.present = ids("p");
    answers.missing = ids("m").filter(function (id) { return answers.present.indexOf(id) < 0; });
    return answers;
  }

  function toQuery(answers) {
    var parts = [];
    if (answers.statements.length) parts.push("s=" + answers.statements.slice().sort().join("."));
    CORNERS.forEach(function (c) {
      if (c in answers.corners) parts.push(QUERY_KEYS[c] + "=" + answers.corners[c]);
    });
    if (answers.present.length) parts.push("p=" + answers.present.slice().sort().join("."));
    if (answers.missing.length) parts.push("m=" + answers.missing.slice().sort().join("."));
    return parts.length ? "?" + parts.join("&") : "";
  }

  function readForm(form) {
    var answers = emptyAnswers();
    form.querySelectorAll("input[name='s']:checked").forEach(function (el) { answers.statements.push(el.value); });
    CORNERS.forEach(function (c) {
      var el = form.querySelector("input[name='" + c + "']:checked");
      if (el) answers.corners[c] = parseInt(el.value, 10);
    });
    form.querySelectorAll("input[name^='f-']:checked").forEach(function (el) {
      var id = el.name.slice(2);
      if (el.value === "p") answers.present.push(id);
      else if (el.value === "m") answers.missing.push(id);
    });
    return answers;
  }

  function writeForm(form, answers) {
    form.querySelectorAll("input[name='s']").forEach(function (el) {
      el.checked = answers.statements.indexOf(el.value) >= 0;
    });
    CORNERS.forEach(function (c) {
      form.querySelectorAll("input[name='" + c + "']").forEach(function (el) {
        el.checked = (c in answers.corners) && parseInt(el.value, 10) === answers.corners[c];
      });
    });
    form.querySelectorAll("input[name^='f-']").forEach(function (el) {
      var id = el.name.slice(2);
      var want = answers.present.indexOf(id) >= 0 ? "p" : answers.missing.indexOf(id) >= 0 ? "m" : "";
      el.checked = el.value === want;
    });
  }

  /* --- the rules (the same steps as generator/output/selfdiagnosis.py) -------------------------------- */

  function has(list, id) { return list.indexOf(id) >= 0; }
  function topLevel(data) { return Math.max.apply(null, data.scale.map(function (s) { return s.level; })); }
  function numbers(data) {
    var n = {};
    data.phases.forEach(function (p) { n[p.id] = p.number; });
    return n;
  }
  function factorSide(f, answers) {
    return has(answers.present, f.id) ? "present" : has(answers.missing, f.id) ? "missing" : null;
  }

  function score(data, answers) {
    var top = topLevel(data), scoring = data.scoring, points = {};
    data.phases.forEach(function (p) { points[p.id] = 0; });
    data.statements.forEach(function (s) {
      if (!has(answers.statements, s.id)) return;
      Object.keys(s.points).forEach(function (ph) { points[ph] += s.points[ph] * scoring.statement_multiplier; });
    });
    CORNERS.forEach(function (c) {
      if (!(c in answers.corners)) return;
      data.phases.forEach(function (p) {
        points[p.id] += (top - Math.abs(answers.corners[c] - data.profiles[p.id][c])) * scoring.corner_multiplier;
      });
    });
    data.factors.forEach(function (f) {
      var side = factorSide(f, answers);
      if (!side) return;
      Object.keys(f[side]).forEach(function (ph) { points[ph] += f[side][ph] * scoring.factor_multiplier; });
    });
    return points;
  }

  function enough(data, answers) {
    var ticked = data.statements.filter(function (s) { return has(answers.statements, s.id); }).length;
    var all = CORNERS.every(function (c) { return c in answers.corners; });
    return ticked >= data.scoring.min_statements || all;
  }

  function reasons(data, answers, phase) {
    var top = topLevel(data), profile = data.profiles[phase];
    var out = {statements_for: [], statements_against: [], factors_for: [], factors_against: []};
    data.statements.forEach(function (s) {
      if (!has(answers.statements, s.id)) return;
      var pts = s.points[phase] || 0;
      if (pts > 0) out.statements_for.push(s.id);
      else if (pts < 0) out.statements_against.push(s.id);
    });
    data.factors.forEach(function (f) {
      var side = factorSide(f, answers);
      var pts = side ? (f[side][phase] || 0) : 0;
      if (pts > 0) out.factors_for.push([f.id, side]);
      else if (pts < 0) out.factors_against.push([f.id, side]);
    });
    var answered = CORNERS.filter(function (c) { return c in answers.corners; });
    function distanceTo(prof) {
      return answered.reduce(function (sum, c) { return sum + Math.abs(answers.corners[c] - prof[c]); }, 0);
    }
    out.corners_answered = answered;
    out.distance = distanceTo(profile);
    out.closest_distance = Math.min.apply(null, data.phases.map(function (p) { return distanceTo(data.profiles[p.id]); }));
    out.max_distance = top * answered.length;
    return out;
  }

  function weakestCorner(data, answers, phase) {
    var profile = data.profiles[phase];
    var answered = profile.priority.filter(function (c) { return c in answers.corners; });
    if (!answered.length) return null;
    var worst = answered[0], lowest = answered[0];
    answered.forEach(function (c) {
      if (profile[c] - answers.corners[c] > profile[worst] - answers.corners[worst]) worst = c;
      if (answers.corners[c] < answers.corners[lowest]) lowest = c;
    });
    if (profile[worst] - answers.corners[worst] > 0) {
      return {corner: worst, level: answers.corners[worst], expected: profile[worst], "short": true};
    }
    return {corner: lowest, level: answers.corners[lowest], expected: profile[lowest], "short": false};
  }

  function similarCases(data, answers, phase) {
    var sim = data.similarity, number = numbers(data), found = [];
    data.cases.forEach(function (c) {
      var shared = c.factors.filter(function (f) { return has(answers.present, f); });
      var conflicts = c.factors.filter(function (f) { return has(answers.missing, f); });
      var best = null;
      c.states.forEach(function (state, i) {
        var distance = Math.abs(number[phase] - number[state.phase]);
        var pts = sim.phase_points[distance] - (state.current ? 0 : sim.past_phase_points_off) +
          shared.length * sim.shared_factor_points - conflicts.length * sim.conflict_points;
        if (best === null || pts > best.points) best = {id: c.id, state: i, points: pts, distance: distance};
      });
      if (best !== null && best.points >= sim.min_points) {
        best.shared = shared;
        best.conflicts = conflicts;
        best.number = c.number;
        found.push(best);
      }
    });
    found.sort(function (a, b) { return b.points - a.points || a.number - b.number; });
    return found.slice(0, sim.show).map(function (c) {
      return {id: c.id, state: c.state, points: c.points, distance: c.distance, shared: c.shared, conflicts: c.conflicts};
    });
  }

  function diagnose(data, answers) {
    if (!enough(data, answers)) return {phase: null};
    var points = score(data, answers), number = numbers(data);
    var ranking = data.phases.map(function (p) { return p.id; });
    ranking.sort(function (a, b) { return points[b] - points[a] || number[a] - number[b]; });
    var phase = ranking[0];
    var lead = ranking.length > 1 ? points[phase] - points[ranking[1]] : points[phase];
    var band = data.confidence[data.confidence.length - 1].id;
    for (var i = 0; i < data.confidence.length; i++) {
      if (lead >= data.confidence[i].min_lead) { band = data.confidence[i].id; break; }
    }
    return {
      phase: phase,
      points: points,
      ranking: ranking,
      lead: lead,
      confidence: band,
      reasons: reasons(data, answers, phase),
      weakest: weakestCorner(data, answers, phase),
      cases: similarCases(data, answers, phase),
      missing: data.factors.filter(function (f) { return has(answers.missing, f.id); }).map(function (f) { return f.id; })
    };
  }

  /* --- the action sheet ------------------------------------------------------------------- */

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  /* A record's page ("cases/knowsley.md") -> this site's address for it. The hosted site
     addresses pages as folders (cases/knowsley/, index.html added when read from disk); the
     offline edition as files (cases/knowsley.html). The page's hb-page-urls meta tag says which. */
  function pageAddress(path) {
    var meta = document.querySelector("meta[name='hb-page-urls']");
    var flat = meta ? meta.getAttribute("content") === "flat" :
      /\.html$/.test(location.pathname) && !/\/index\.html$/.test(location.pathname);
    var page;
    if (flat) page = path.replace(/\.md$/, ".html");
    else {
      page = path.replace(/(^|\/)index\.md$/, "$1").replace(/\.md$/, "/");
      if (location.protocol === "file:") page += "index.html";
    }
    return new URL(page, SITE_ROOT).href;
  }

  function byId(list, id) {
    for (var i = 0; i < list.length; i++) if (list[i].id === id) return list[i];
    return null;
  }

  function phaseTitle(p) { return "Phase " + p.number + ": " + p.name; }
  function levelLabel(data, level) {
    var s = data.scale.filter(function (x) { return x.level === level; })[0];
    return level + (s ? " (" + s.label + ")" : "");
  }
  function cornerLabel(data, corner) {
    var c = data.corners.filter(function (x) { return x.corner === corner; })[0];
    return c ? c.label : corner;
  }
  function quoteList(items) {
    return items.map(function (t) { return "\u201c" + t.replace(/\.$/, "") + "\u201d"; }).join("; ");
  }
  function someNames(data, ids) {
    var names = ids.map(function (f) { return byId(data.factors, f).name.toLowerCase(); });
    return names.length > 3 ? names.slice(0, 3).join(", ") + " and " + (names.length - 3) + " more" : names.join(", ");
  }
  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }

  /* A copy of a part of the phase guide, without its label paragraph or any id. */
  function guidePart(article, phase, selector) {
    var guide = article.querySelector(".hb-diag-guide[data-phase='" + phase + "']");
    var part = guide && guide.querySelector(selector);
    if (!part) return null;
    var copy = part.cloneNode(true);
    var first = copy.firstElementChild;
    if (first && first.tagName === "P" && first.firstElementChild && first.firstElementChild.tagName === "STRONG" &&
        first.firstElementChild === first.firstChild) {
      first.removeChild(first.firstElementChild);
      if (!first.textContent.trim()) copy.removeChild(first);
    }
    copy.removeAttribute("data-part");
    copy.removeAttribute("data-corner");
    copy.querySelectorAll("[id]").forEach(function (n) { n.removeAttribute("id"); });
    copy.classList.add("hb-diag-copy");
    return copy;
  }

  function reasonItems(data, result) {
    var r = result.reasons, phase = byId(data.phases, result.phase), items = [];
    var text = function (id) { return byId(data.statements, id).text; };
    var fname = function (pair) { return byId(data.factors, pair[0]).name + " (" + pair[1] + ")"; };
    if (r.statements_for.length) {
      items.push("You ticked " + plural(r.statements_for.length, "statement", "statements") +
        " that point to this phase: " + quoteList(r.statements_for.map(text)) + ".");
    }
    if (r.statements_against.length) {
      items.push(plural(r.statements_against.length, "ticked statement counts", "ticked statements count") +
        " against it: " + quoteList(r.statements_against.map(text)) + ".");
    }
    if (r.corners_answered.length) {
      var prof = data.profiles[result.phase];
      var expects = r.corners_answered.map(function (c) { return cornerLabel(data, c).toLowerCase() + " " + prof[c]; }).join(", ");
      if (r.distance === 0) {
        items.push("Your triangle matches what the report's " + phase.name + " triangle expects (" + expects + ").");
      } else {
        items.push("Your triangle is " + plural(r.distance, "step", "steps") + " away from what the " + phase.name +
          " triangle expects (" + expects + ")" + (r.distance === r.closest_distance ?
            ", as close as any phase's." : "; another phase's triangle is closer, at " +
            plural(r.closest_distance, "step", "steps") + "."));
      }
    }
    if (r.factors_for.length) items.push("Factors that point here: " + r.factors_for.map(fname).join(", ") + ".");
    if (r.factors_against.length) items.push("Factors that count against it: " + r.factors_against.map(fname).join(", ") + ".");
    var second = result.ranking[1];
    if (second) {
      items.push("Next best fit: " + phaseTitle(byId(data.phases, second)) + ", with " +
        result.points[second] + " points against " + result.points[result.phase] + ".");
    }
    return items;
  }

  /* The action sheet in three lines, before its details: phase, weakest corner, closest cases,
     and links down to each part. */
  function summary(data, result, phase, band) {
    var facts = ["Likely phase: " + phaseTitle(phase) + " (how sure: " + band.label.toLowerCase() + ")."];
    var w = result.weakest;
    if (w) {
      facts.push("Weakest corner: " + cornerLabel(data, w.corner).toLowerCase() +
        (w["short"] ? " (you rated it " + w.level + ", the phase expects " + w.expected + ")." : " (none is below what the phase expects)."));
    }
    if (result.cases.length) {
      facts.push("Closest case" + (result.cases.length > 1 ? "s" : "") + ": " +
        result.cases.map(function (m) { return byId(data.cases, m.id).title; }).join("; ") + ".");
    }
    var parts = [["hb-diag-phase", "why this phase"], ["hb-diag-weakest", "weakest corner"],
      ["hb-diag-moving-on", "moving on"], ["hb-diag-questions", "questions"], ["hb-diag-cases", "similar cases"]];
    var jump = el("p", {"class": "hb-diag-jump"}, ["Read on: "]);
    parts.forEach(function (p, i) {
      if (i) jump.appendChild(document.createTextNode(" \u00b7 "));
      jump.appendChild(el("a", {href: "#" + p[0]}, [p[1]]));
    });
    return el("div", {"class": "hb-diag-summary", id: "hb-diag-summary"}, [
      el("p", {}, [el("strong", {}, ["In short. "]), facts.join(" ")]), jump]);
  }

  function render(article, form, data, result) {
    var section = article.querySelector("#hb-diag-result");
    if (!section) return;
    section.textContent = "";
    section.hidden = false;
    section.appendChild(el("h2", {}, ["Your action sheet"]));
    section.appendChild(el("p", {"class": "hb-diag-caveat"}, [
      "Best bets, not certainties: a structured reading of the report's model, not a verdict on your service."]));
    if (!result.phase) {
      article.removeAttribute("data-hb-diagnosed");
      section.appendChild(el("p", {"class": "hb-diag-empty"}, [
        "Tick at least " + plural(data.scoring.min_statements, "statement", "statements") +
        " in question 1, or rate all three corners in question 2, to see your likely phase."]));
      return;
    }
    article.setAttribute("data-hb-diagnosed", result.phase);
    var phase = byId(data.phases, result.phase);
    var band = byId(data.confidence, result.confidence);

    section.appendChild(summary(data, result, phase, band));

    var head = el("div", {"class": "hb-diag-headline", id: "hb-diag-phase"}, [
      el("h3", {}, ["Likely phase: ", el("a", {href: pageAddress(phase.url), "class": "hb-diag-phase-link"}, [phaseTitle(phase)])]),
      el("p", {"class": "hb-diag-confidence", "data-confidence": band.id}, [
        el("strong", {}, ["How sure: " + band.label + "."]), " " + band.meaning + " (" +
        plural(result.lead, "point", "points") + " ahead of the next phase.)"]),
      el("ul", {"class": "hb-diag-reasons"}, reasonItems(data, result).map(function (t) { return el("li", {}, [t]); }))
    ]);
    section.appendChild(head);

    var corner = el("div", {"class": "hb-diag-block hb-diag-weakest", id: "hb-diag-weakest"});
    if (result.weakest) {
      var w = result.weakest;
      corner.appendChild(el("h3", {}, ["Weakest corner: " + cornerLabel(data, w.corner)]));
      corner.appendChild(el("p", {}, [w["short"] ?
        "You rated it " + levelLabel(data, w.level) + "; the " + phase.name + " triangle expects " +
          levelLabel(data, w.expected) + "." :
        "No corner falls below what the " + phase.name + " triangle expects; your lowest-rated corner is " +
          cornerLabel(data, w.corner).toLowerCase() + ", at " + levelLabel(data, w.level) + "."]));
      var advice = guidePart(article, result.phase, "[data-corner='" + w.corner + "']");
      if (advice) corner.appendChild(advice);
    } else {
      corner.appendChild(el("h3", {}, ["Weakest corner"]));
      corner.appendChild(el("p", {}, ["Rate the three corners in question 2 to see which is weakest."]));
    }
    section.appendChild(corner);

    var cols = el("div", {"class": "hb-diag-cols"}, [
      el("div", {"class": "hb-diag-block", id: "hb-diag-moving-on"}, [el("h3", {}, ["Moving on (Table A2)"]), guidePart(article, result.phase, "[data-part='progression']")]),
      el("div", {"class": "hb-diag-block"}, [el("h3", {}, ["Pitfalls (Table A2)"]), guidePart(article, result.phase, "[data-part='pitfalls']")])
    ]);
    section.appendChild(cols);
    section.appendChild(el("div", {"class": "hb-diag-block hb-diag-questions", id: "hb-diag-questions"}, [
      el("h3", {}, ["Questions to ask (Step Three)"]), guidePart(article, result.phase, "[data-part='questions']")]));

    var cases = el("div", {"class": "hb-diag-block hb-diag-cases", id: "hb-diag-cases"}, [el("h3", {}, ["Most similar case studies"])]);
    if (result.cases.length) {
      var list = el("ul", {});
      result.cases.forEach(function (m) {
        var c = byId(data.cases, m.id), state = c.states[m.state], sp = byId(data.phases, state.phase);
        var why = [m.distance === 0 ? "same phase" : plural(m.distance, "phase", "phases") + " apart"];
        if (m.shared.length) why.push("shares " + someNames(data, m.shared));
        if (m.conflicts.length) why.push("but had " + someNames(data, m.conflicts) + ", which you marked missing");
        var where = sp.name + (state.years ? ", " + state.years : "") +
          (state.current ? "; when the report was written; placement: " : "; ") + state.strength;
        var next = state.current ? state.next :
          byId(data.phases, state.next_phase).name + ", " + state.next_years + ". " + state.next;
        list.appendChild(el("li", {"data-case": c.id}, [
          el("a", {href: pageAddress(c.url)}, [c.title]), " (" + where + "). ",
          el("span", {"class": "hb-diag-why"}, ["Why: " + why.join("; ") + ". "]),
          el("em", {}, ["Next: "]), next.trim()
        ]));
      });
      cases.appendChild(list);
    } else {
      cases.appendChild(el("p", {}, ["No case study is close enough to your answers to be a useful comparison."]));
    }
    section.appendChild(cases);

    if (result.missing.length) {
      section.appendChild(el("div", {"class": "hb-diag-block hb-diag-gaps"}, [
        el("h3", {}, ["Gaps you named"]),
        el("p", {}, result.missing.map(function (id, i) {
          var f = byId(data.factors, id);
          var a = el("a", {href: pageAddress("factors/" + id + ".md")}, [f.name]);
          return i ? el("span", {}, ["; ", a]) : a;
        }))
      ]));
    }
    section.appendChild(el("p", {"class": "hb-diag-link"}, ["This scenario: ", el("a", {href: location.href}, [location.href])]));
  }

  /* --- wiring ---------------------------------------------------------------------------- */

  var cache = {};

  function loadRules(form) {
    var embedded = function () { return JSON.parse(form.getAttribute("data-rules")); };
    var rel = form.getAttribute("data-rules-url");
    if (!rel || location.protocol === "file:" || !window.fetch) return Promise.resolve(embedded());
    var url = new URL(rel, location.href).href;
    if (cache[url]) return Promise.resolve(cache[url]);
    return fetch(url).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    }).then(function (data) {
      cache[url] = data;
      return data;
    }).catch(function () { return embedded(); });
  }

  function init() {
    var form = document.getElementById("hb-diag-form");
    if (!form || form.hasAttribute("data-hb-bound")) return;
    form.setAttribute("data-hb-bound", "");
    var article = form.closest("article") || document.body;
    loadRules(form).then(function (data) {
      if (!document.body.contains(form)) return;
      if (data.format !== 1) { console.warn("diagnose.js: unknown rules format"); return; }
      writeForm(form, fromQuery(location.search));
      var update = function () {
        var answers = readForm(form);
        var url = new URL(location.href);
        url.search = toQuery(answers);
        if (url.href !== location.href) history.replaceState(history.state, "", url.href);
        render(article, form, data, diagnose(data, answers));
        form.setAttribute("data-hb-ready", "");
      };
      form.addEventListener("change", update);
      form.addEventListener("submit", function (ev) { ev.preventDefault(); });
      var actions = form.querySelector(".hb-diag-actions");
      if (actions) {
        actions.hidden = false;
        var status = actions.querySelector(".hb-diag-status");
        actions.addEventListener("click", function (ev) {
          var button = ev.target.closest("[data-hb-action]");
          if (!button) return;
          var action = button.getAttribute("data-hb-action");
          if (action === "print") window.print();
          if (action === "clear") { writeForm(form, emptyAnswers()); update(); }
          if (action === "copy") {
            var done = function (ok) { if (status) status.textContent = ok ? "Link copied." : "Copy the address from the address bar."; };
            if (navigator.clipboard && navigator.clipboard.writeText) {
              navigator.clipboard.writeText(location.href).then(function () { done(true); }, function () { done(false); });
            } else done(false);
          }
        });
      }
      update();
    }).catch(function (err) {
      form.removeAttribute("data-hb-bound");
      console.warn("diagnose.js: " + err.message);
    });
  }

  window.hbDiagnose = {init: init, diagnose: diagnose, fromQuery: fromQuery, toQuery: toQuery};
  if (typeof document$ !== "undefined" && document$.subscribe && !document$.isStopped) document$.subscribe(init);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
