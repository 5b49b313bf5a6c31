/* The hosted edition's search: Material's header box (partials/pagefind-search.html) with
   Pagefind's index (pagefind/, written by generator/output/search.py after the MkDocs build).

   - A page load fetches no search data: pagefind.js, its WASM and index chunks are loaded when
     the reader focuses the box or types (or presses "/", "s" or "f", Material's shortcuts).
   - Results show the page title, the best-matching section and an excerpt with the words
     marked; a page appears once. The title link lands on the section that matched best.
   - A mistyped word ("leadrship") that finds nothing is corrected against the words of the
     site's titles and headings (pagefind/words.json, fetched only then) and searched again.
   - On arrival from a result (?highlight=...), the words are marked in the page with Pagefind's
     highlight script, and the page scrolls to the first one unless the address names a section.
   In the offline edition Material's own search is in the header and this script does nothing. */
(function () {
  "use strict";
  var box = document.querySelector("[data-hb-search]");
  if (!box) return;
  var PARAM = "highlight";
  var MAX_RESULTS = 10;
  var root = new URL((box.getAttribute("data-base") || ".") + "/", location.href);
  var toggle = document.getElementById("__search");
  var input = box.querySelector("[data-hb-search-query]");
  var meta = box.querySelector("[data-hb-search-meta]");
  var list = box.querySelector("[data-hb-search-results]");
  var form = box.querySelector("form");
  var engine = null;
  var words = null;
  var latest = 0;

  function bundle(file) { return new URL("pagefind/" + file, root).href; }

  function loadEngine() {
    if (!engine) {
      engine = import(bundle("pagefind.js")).then(function (pf) {
        return pf.options({ baseUrl: root.pathname, highlightParam: PARAM, excerptLength: 24 })
          .then(function () { pf.init(); return pf; });
      });
      engine.catch(function () { engine = null; });
    }
    return engine;
  }

  function loadWords() {
    if (!words) {
      words = fetch(bundle("words.json")).then(function (r) { return r.ok ? r.json() : []; });
      words.catch(function () { words = null; });
    }
    return words;
  }

  /* Damerau-Levenshtein distance (optimal string alignment), stopping early beyond `limit`. */
  function distance(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit) return limit + 1;
    var prev2 = null, prev = [], cur, i, j;
    for (j = 0; j <= b.length; j++) prev[j] = j;
    for (i = 1; i <= a.length; i++) {
      cur = [i];
      var best = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
        if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          cur[j] = Math.min(cur[j], prev2[j - 2] + 1);
        }
        if (cur[j] < best) best = cur[j];
      }
      if (best > limit) return limit + 1;
      prev2 = prev; prev = cur;
    }
    return prev[b.length];
  }

  /* The query with each word of four letters or more that is not a title word replaced by the
     nearest title word (one edit for short words, two from eight letters), or null. */
  function correct(query, vocabulary) {
    var known = {};
    vocabulary.forEach(function (w) { known[w] = true; });
    var changed = false;
    var out = query.toLowerCase().split(/\s+/).filter(Boolean).map(function (word) {
      if (word.length < 4 || known[word]) return word;
      var limit = word.length >= 8 ? 2 : 1, best = null, bestD = limit + 1;
      vocabulary.forEach(function (w) {
        var d = distance(word, w, limit);
        if (d < bestD || (d === bestD && best && w.length < best.length)) { best = w; bestD = d; }
      });
      if (best) { changed = true; return best; }
      return word;
    });
    return changed ? out.join(" ") : null;
  }

  /* Whether every word of four letters or more in the query was found as written (Pagefind
     marks the words it matched in the excerpts; a near miss such as "leading" for "leadrship" is
     no literal match). */
  function literal(query, found) {
    var marks = {};
    found.slice(0, 5).forEach(function (d) {
      var text = [d.excerpt].concat((d.sub_results || []).map(function (s) { return s.excerpt; })).join(" ");
      (text.match(/<mark>[^<]*<\/mark>/g) || []).forEach(function (m) { marks[m.slice(6, -7).toLowerCase()] = true; });
    });
    var seen = Object.keys(marks);
    return query.toLowerCase().split(/\s+/).every(function (w) {
      return w.length < 4 || seen.some(function (m) { return m.indexOf(w) === 0; });
    });
  }

  function sectionScore(sub) {
    return (sub.weighted_locations || []).reduce(function (s, l) { return s + (l.balanced_score || l.weight || 0); }, 0);
  }

  function plainUrl(url) { return url.split("#")[0].split("?")[0]; }

  /* What kind of page a result is, from its folder: tells apart pages that share a title (the
     phase "Phase 0: Latent" and its strategic triangle). */
  var KINDS = { cases: "Case study", factors: "Trigger, driver or enabler", lifecycle: "Lifecycle",
    triangles: "Strategic triangle", literature: "Bibliography", toolkit: "Toolkit", findings: "Findings",
    pathways: "Course pathway", glossary: "Glossary", compare: "Compare" };
  function kindOf(url) {
    var path = plainUrl(url).slice(root.pathname.length).replace(/^\/+/, "");
    return KINDS[path.split("/")[0]] || "";
  }

  function el(tag, cls, html) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (html != null) e.innerHTML = html;
    return e;
  }

  function resultItem(data) {
    var subs = (data.sub_results || []).slice().sort(function (a, b) { return sectionScore(b) - sectionScore(a); });
    var best = subs[0];
    var section = best && best.anchor && best.anchor.element !== "h1";  // the title: the page's top
    var href = section ? best.url : data.url;
    var item = el("li", "md-search-result__item");
    var link = el("a", "md-search-result__link");
    link.href = href;
    var article = el("article", "md-search-result__article md-typeset");
    article.appendChild(el("div", "md-search-result__icon md-icon"));
    var title = el("h1");
    title.textContent = data.meta && data.meta.title ? data.meta.title : plainUrl(data.url);
    var kind = kindOf(data.url);
    if (kind) {
      var tag = el("p", "hb-search-kind");
      tag.textContent = kind;
      article.appendChild(tag);
    }
    article.appendChild(title);
    if (section && best.title && best.title !== title.textContent) {
      var where = el("p", "hb-search-section");
      where.textContent = best.title;
      article.appendChild(where);
    }
    article.appendChild(el("p", null, best && best.excerpt ? best.excerpt : data.excerpt));
    link.appendChild(article);
    item.appendChild(link);
    subs.slice(1, 3).forEach(function (sub) {
      if (!sub.anchor || sub.anchor.element === "h1" || sub.url === href) return;
      var more = el("a", "md-search-result__link");
      more.href = sub.url;
      var a = el("article", "md-search-result__article md-typeset");
      var h = el("h2");
      h.textContent = sub.title;
      a.appendChild(h);
      a.appendChild(el("p", null, sub.excerpt));
      more.appendChild(a);
      item.appendChild(more);
    });
    return item;
  }

  function show(query, found, note) {
    list.innerHTML = "";
    var seen = {};
    var shown = 0;
    found.forEach(function (data) {
      var key = plainUrl(data.url);
      if (seen[key] || shown >= MAX_RESULTS) return;  // a page once
      seen[key] = true;
      shown += 1;
      list.appendChild(resultItem(data));
    });
    var count = shown === 0 ? "No matching pages" : shown === 1 ? "1 matching page" : shown + " matching pages";
    meta.textContent = (note ? note + " " : "") + count;
  }

  function run(query, ticket) {
    return loadEngine().then(function (pf) {
      return pf.debouncedSearch(query, {}, 120).then(function (search) {
        if (search === null || ticket !== latest) return null;  // a newer query took over
        return Promise.all(search.results.slice(0, MAX_RESULTS * 2).map(function (r) { return r.data(); }));
      });
    });
  }

  function update() {
    var query = input.value.trim();
    var ticket = ++latest;
    if (!query) {
      list.innerHTML = "";
      meta.textContent = "Type to start searching";
      return;
    }
    meta.textContent = "Searching…";
    run(query, ticket).then(function (found) {
      if (found === null || ticket !== latest) return;
      if (found.length && literal(query, found)) { show(query, found); return; }
      return loadWords().then(function (vocabulary) {
        var fixed = correct(query, vocabulary || []);
        if (!fixed || ticket !== latest) { if (ticket === latest) show(query, found); return; }
        return run(fixed, ticket).then(function (again) {
          if (again === null || ticket !== latest) return;
          show(fixed, again, "Nothing for “" + query + "”; showing results for “" + fixed + "”.");
        });
      });
    }).catch(function () {
      if (ticket === latest) {
        meta.textContent = "Search could not load. Try reloading the page. (A preview from `handbook serve` has no search index: `handbook build` makes it.)";
      }
    });
  }

  function open() {
    if (toggle && !toggle.checked) { toggle.checked = true; toggle.dispatchEvent(new Event("change")); }
    input.focus();
    input.select();
  }

  function close() {
    if (toggle && toggle.checked) { toggle.checked = false; toggle.dispatchEvent(new Event("change")); }
    input.blur();
  }

  function links() { return Array.prototype.slice.call(list.querySelectorAll("a.md-search-result__link")); }

  input.addEventListener("focus", function () {
    if (toggle && !toggle.checked) toggle.checked = true;
    loadEngine();
  });
  input.addEventListener("input", update);
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var first = links()[0];
    if (first) first.click();
  });
  form.addEventListener("reset", function () { setTimeout(update, 0); });
  list.addEventListener("click", function (e) {
    if (e.target.closest("a")) close();
  });

  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    var typing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
    if (!typing && (e.key === "/" || e.key === "s" || e.key === "f")) {
      e.preventDefault();
      open();
      return;
    }
    if (!toggle || !toggle.checked || !box.contains(t)) return;
    var all = links(), at = all.indexOf(t);
    if (e.key === "Escape") {
      e.preventDefault();
      close();
    } else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (!all.length) return;
      e.preventDefault();
      var next = e.key === "ArrowDown" ? at + 1 : at - 1;
      if (next < 0) { input.focus(); return; }
      all[Math.min(next, all.length - 1)].focus();
    }
  });
  if (toggle) {
    toggle.addEventListener("change", function () {
      if (toggle.checked) setTimeout(function () { input.focus(); }, 0);
      else input.blur();
    });
  }

  /* Arrival from a result: mark the searched words in the article. */
  function highlight() {
    if (!new URLSearchParams(location.search).getAll(PARAM).length) return;
    var article = document.querySelector("article.md-content__inner");
    if (!article || article.hasAttribute("data-hb-highlighted")) return;
    article.setAttribute("data-hb-highlighted", "");
    import(bundle("pagefind-highlight.js")).then(function (mod) {
      var Highlight = mod.default || window.PagefindHighlight;
      new Highlight({
        highlightParam: PARAM,
        markContext: article,
        addStyles: false,
        markOptions: { className: "hb-search-hit", exclude: ["[data-pagefind-ignore]", "[data-pagefind-ignore] *", ".headerlink"] }
      });
      var first = article.querySelector("mark.hb-search-hit");
      if (first && !location.hash) first.scrollIntoView({ block: "center" });
    }).catch(function () { /* the page reads the same without marks */ });
  }

  if (typeof document$ !== "undefined" && document$.subscribe) {
    document$.subscribe(function () { close(); highlight(); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", highlight);
  else highlight();
})();
