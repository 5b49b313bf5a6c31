/* Renders the handbook's Bokeh charts, each only when a reader comes near it.
 *
 * Each chart is a <div data-bokeh-src="charts/<hash>.js"> naming a script, beside this one, that
 * hands its Bokeh JSON to hbChart(hash, item). BokehJS is loaded from the site itself, once, and
 * only when a chart is about to be shown. Scripts rather than fetch(): pages opened from file://
 * (the offline edition) may load scripts but not fetch files. Rendering is idempotent and runs on a
 * full load, after Material's instant navigation (document$), and from file:// where document$
 * never fires.
 *
 * Loading (issue 17): nothing is loaded while the page opens. A chart is drawn once it comes within
 * about a screen of the viewport (IntersectionObserver) and the reader has shown up: moved or
 * pressed the pointer, turned the wheel, touched the screen or pressed a key. Until then a page
 * opened with a chart in view shows the chart's static picture (generator/charts/preview.py), so BokehJS
 * (a long task on a phone) never runs while the page opens and the reader sees the chart at once.
 * Charts are drawn one at a time, yielding to the browser between them. Each chart's box is as tall as
 * the drawn chart (set by the generator), so drawing moves nothing. On paper charts give way to
 * their text versions (print.css), so printing needs no chart drawn.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  /* The site's assets folder, resolved once at load: pages' own scripts are found from it. */
  window.hbAssetBase = new URL(".", script.src).href;
  var BOKEH = new URL("javascripts/bokeh-3.9.2.min.js", script.src).href;
  var SITE_ROOT = new URL("../", script.src).href;
  var loading = null;

  /* Chart data scripts call hbChart(hash, item); whoever waits for that hash gets the item. The
   * item is not kept: BokehJS may change what it is given, and the browser caches the file. */
  var waiting = {};
  window.hbChart = function (key, item) {
    var calls = waiting[key] || [];
    delete waiting[key];
    calls.forEach(function (call, i) { call.resolve(i ? JSON.parse(JSON.stringify(item)) : item); });
  };

  function loadItem(src) {
    var key = src.replace(/^.*\//, "").replace(/\.js$/, "");
    return new Promise(function (resolve, reject) {
      if (waiting[key]) { waiting[key].push({resolve: resolve, reject: reject}); return; }
      waiting[key] = [{resolve: resolve, reject: reject}];
      var s = document.createElement("script");
      s.src = new URL(src, window.hbAssetBase).href;
      function fail(why) {
        var calls = waiting[key] || [];
        delete waiting[key];
        calls.forEach(function (call) { call.reject(new Error(why + ": " + src)); });
      }
      /* a script that ran without calling hbChart would leave its chart waiting for ever */
      s.onload = function () { s.remove(); fail("chart data script gave no chart"); };
      s.onerror = function () { s.remove(); fail("chart data failed to load"); };
      document.head.appendChild(s);
    });
  }

  function loadBokeh() {
    if (window.Bokeh) return Promise.resolve();
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = BOKEH;
        s.onload = resolve;
        s.onerror = function () { loading = null; reject(new Error("BokehJS failed to load")); };
        document.head.appendChild(s);
      });
    }
    return loading;
  }

  /* A page path as the generator writes it ("cases/gouda.md#event-x") -> this site's address. */
  function pageAddress(path) {
    if (path.charAt(0) === "#") return path;
    var parts = path.split("#");
    var page = parts[0];
    /* hb-page-urls (overrides/main.html): pages as folders, or as .html files (offline edition) */
    var meta = document.querySelector("meta[name='hb-page-urls']");
    var flat = meta ? meta.getAttribute("content") === "flat" : /\.html$/.test(location.pathname);
    if (flat) page = page.replace(/\.md$/, ".html");
    else {
      page = page.replace(/(^|\/)index\.md$/, "$1").replace(/\.md$/, "/");
      if (location.protocol === "file:") page += "index.html";
    }
    return new URL(page, SITE_ROOT).href + (parts[1] ? "#" + parts[1] : "");
  }

  /* On touch, a first tap on a chart's mark names it under the chart (BokehJS shows tooltips on
   * pointer moves only, which a tap is not) and a second tap on the same mark, within 15 s,
   * follows its link; a mouse click follows it at once. */
  var lastTouch = null;
  var armed = {path: null, at: 0};
  document.addEventListener("pointerdown", function (ev) {
    var path = ev.composedPath ? ev.composedPath() : [ev.target];
    var figure = path.filter(function (n) { return n.classList && n.classList.contains("hb-figure"); })[0];
    lastTouch = ev.pointerType === "touch" ? {figure: figure || null} : null;
  }, true);

  function tapNote(figure, text) {
    if (!figure) return;
    var note = figure.querySelector(".hb-tap-note");
    if (!note) {
      note = document.createElement("p");
      note.className = "hb-tap-note";
      note.setAttribute("role", "status");
      var caption = figure.querySelector(".hb-chart-caption");
      figure.insertBefore(note, caption);
    }
    note.textContent = text ? text + " (tap it again to open)" : "";
  }

  function secondTap(path, label) {
    if (!lastTouch) return true;
    var now = Date.now();
    var again = armed.path === path && now - armed.at < 15000;
    armed = again ? {path: null, at: 0} : {path: path, at: now};
    tapNote(lastTouch.figure, again ? "" : (label || "Selected"));
    return again;
  }

  window.hbPageAddress = pageAddress;  /* for assets/selection.js */

  window.hbOpen = function (path, label) {
    if (!secondTap(path, label)) return;
    var target = pageAddress(path);
    if (target.charAt(0) === "#") {
      var el = document.getElementById(target.slice(1));
      if (el) { el.scrollIntoView(); history.replaceState(null, "", target); el.focus({preventScroll: true}); }
      return;
    }
    window.location.href = target;
  };

  /* --- when to draw ------------------------------------------------------------------------- */
  var MARGIN = "100% 0px";  /* a screen above and below the viewport */
  var present = false;      /* has the reader pointed, turned the wheel, touched or typed yet? */
  var near = [];            /* charts near the viewport, waiting for the reader to show up */
  var queue = [];           /* charts to draw, in order */
  var drawing = false;
  var observer = "IntersectionObserver" in window ? new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (!entry.isIntersecting) return;
      observer.unobserve(entry.target);
      if (present) enqueue(entry.target); else near.push(entry.target);
    });
  }, {rootMargin: MARGIN}) : null;

  /* The reader's own input; not "scroll", which a page also gets when it opens at a #fragment. */
  var READER = ["pointermove", "pointerdown", "wheel", "touchstart", "keydown"];
  function readerArrived() {
    if (present) return;
    present = true;
    READER.forEach(function (type) { window.removeEventListener(type, readerArrived, true); });
    near.splice(0).forEach(enqueue);
  }
  READER.forEach(function (type) {
    window.addEventListener(type, readerArrived, {capture: true, passive: true});
  });

  function enqueue(el) {
    if (el.hasAttribute("data-bokeh-done")) return;
    el.setAttribute("data-bokeh-done", "");
    queue.push(el);
    if (!drawing) next();
  }

  /* Let the browser paint and answer input before the next piece of work. */
  function yieldToBrowser() {
    return new Promise(function (resolve) {
      if (window.scheduler && typeof scheduler.yield === "function") scheduler.yield().then(resolve);
      else setTimeout(resolve, 0);
    });
  }

  function idle() {
    return new Promise(function (resolve) {
      if (window.requestIdleCallback) requestIdleCallback(function () { resolve(); }, {timeout: 1000});
      else setTimeout(resolve, 50);
    });
  }

  function next() {
    var el = queue.shift();
    if (!el) { drawing = false; return; }
    drawing = true;
    if (!document.body.contains(el)) { next(); return; }  /* the reader has already moved on */
    /* BokehJS and each chart are long tasks on a phone: start them when the browser is idle, after
       it has answered the input that brought the reader here */
    Promise.all([idle().then(loadBokeh), loadItem(el.getAttribute("data-bokeh-src"))]).then(function (got) {
      return idle().then(function () { return draw(el, got[1]); });
    }).catch(function (err) {
      el.removeAttribute("data-bokeh-done");
      console.warn(err.message);
    }).then(function () { return yieldToBrowser(); }).then(next);
  }

  /* Two frames: Bokeh has laid the chart out (its toolbar settles after the first). */
  function settled() {
    return new Promise(function (resolve) {
      requestAnimationFrame(function () { requestAnimationFrame(function () { setTimeout(resolve, 50); }); });
    });
  }

  /* Draw into a hidden box over which the static picture stays until the chart has settled, so
     the reader sees no half-drawn chart and nothing visible moves. */
  function draw(el, item) {
    if (!document.body.contains(el)) return;
    var stills = Array.prototype.slice.call(el.querySelectorAll(".hb-chart-static"));
    Array.prototype.slice.call(el.childNodes).forEach(function (node) {
      if (stills.indexOf(node) < 0) el.removeChild(node);
    });
    var live = document.createElement("div");
    live.className = "hb-chart-live";
    live.style.visibility = "hidden";
    el.appendChild(live);
    return Bokeh.embed.embed_item(item, live).then(settled).then(function () {
      live.style.visibility = "";
      stills.forEach(function (still) { still.remove(); });
      el.setAttribute("data-bokeh-rendered", "");
      el.dispatchEvent(new CustomEvent("hb-chart-drawn", {bubbles: true}));  /* assets/selection.js */
      /* an axis chosen before the chart was drawn */
      var axis = document.querySelector("input[name='hb-axis']:checked");
      if (axis && axis.value !== "calendar") setAxis(axis.value);
    });
  }

  /* Watch this page's charts (again after each instant navigation: new page, new charts). */
  function render() {
    var els = Array.prototype.slice.call(
      document.querySelectorAll("div[data-bokeh-src]:not([data-bokeh-done])"));
    near = near.filter(function (el) { return document.body.contains(el); });
    if (observer) observer.disconnect();  /* charts of a page left by instant navigation */
    els.forEach(function (el) {
      if (observer) observer.observe(el);
      else if (present) enqueue(el);
      else near.push(el);  /* no IntersectionObserver: every chart counts as near */
    });
  }

  /* The cross-case timeline's switch between calendar years and years since the trigger. Each
   * data column "<name>_cal" / "<name>_rel" holds one view's values of the column "<name>"; the
   * range's tags hold both views' bounds; the axis is found by the name figures.py gives it. */
  var AXIS_TITLE = {calendar: "Year", relative: "Years since the trigger (0 = the trigger's year)"};

  function setAxis(mode) {
    if (!window.Bokeh) return;
    var suffix = mode === "relative" ? "_rel" : "_cal";
    Bokeh.documents.forEach(function (doc) {
      ["hb-cross-points", "hb-cross-lines", "hb-cross-outside"].forEach(function (name) {
        var src = doc.get_model_by_name(name);
        if (!src) return;
        var data = Object.assign({}, src.data);
        Object.keys(data).forEach(function (key) {
          var m = key.match(/^(.+)_(cal|rel)$/);
          if (m && key.slice(-4) === suffix) data[m[1]] = data[key];
        });
        src.data = data;
      });
      var range = doc.get_model_by_name("hb-cross-range");
      if (range) {
        var b = mode === "relative" ? range.tags.slice(2, 4) : range.tags.slice(0, 2);
        range.setv({start: b[0], end: b[1], reset_start: b[0], reset_end: b[1]});
      }
      var axis = doc.get_model_by_name("hb-cross-xaxis");
      if (axis) axis.axis_label = AXIS_TITLE[mode] || AXIS_TITLE.calendar;
    });
  }

  function bindControls() {
    document.querySelectorAll("input[name='hb-axis']:not([data-bound])").forEach(function (input) {
      input.setAttribute("data-bound", "");
      input.addEventListener("change", function () { if (input.checked) setAxis(input.value); });
    });
  }

  /* Draw this chart now, near or not (assets/selection.js: the reader filtered its cases). */
  window.hbDrawChart = function (el) {
    if (observer) observer.unobserve(el);
    near = near.filter(function (n) { return n !== el; });
    enqueue(el);
  };

  function setup() { render(); bindControls(); }
  if (typeof document$ !== "undefined" && document$.subscribe && !document$.isStopped) {
    document$.subscribe(setup);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
