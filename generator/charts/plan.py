"""Index -> charts. Pure and deterministic, and cached by content.

Each chart is described by a plain dict drawn from the index. The dict, the chart kind, the Bokeh
version and the generator's code are hashed; a cached chart with that hash is reused, so a warm build
that changed one case redraws only that case's charts (and the cross-case ones), and an unchanged
build imports no Bokeh at all. Per-case timelines, the charts there are most of, are filled into a
template drawn once per shape (see `fill_template`) instead of being drawn by Bokeh one by one.
Cached charts are kept in build/chart-cache through the verified store (`generator/speed/store.py`): a
damaged entry is drawn again, never published.

Each chart's Bokeh JSON is written to its own script, `assets/charts/<content hash>.js`, and the
page holds only `<div data-bokeh-src="charts/<hash>.js">`: `assets/charts.js` loads BokehJS and
that script from the site itself and renders the chart. Pages stay light, and a chart shown on many
pages is downloaded once.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.charts.preview import preview
from generator.errors import BuildError
from generator.speed import store
from generator.speed.sources import version_key
from generator.stages.index import Index, case_uses
from generator.stages.notes import source_label

BOKEH_VERSION = "3.9.2"
BOKEH_FILE = f"assets/javascripts/bokeh-{BOKEH_VERSION}.min.js"


@dataclass(frozen=True)
class Charts:
    """What the charts add to the site: the HTML each page embeds, and the chart files it loads."""

    html: dict[str, str]  # chart name -> the snippet a page embeds
    files: dict[str, bytes]  # path in the docs folder -> a chart's data script


@dataclass(frozen=True)
class Spec:
    """One chart to show: the figures function that draws it, its accessible name, its input (built
    only when needed), and the records that input comes from."""

    builder: str
    alt: str
    data: Callable[[], dict[str, Any]]
    sources: tuple[tuple[str, str], ...]  # (kind, id)


def build_charts(index: Index, cache_dir: Path | None) -> Charts:
    """Every chart the pages show: its HTML and its data file. A chart whose records' files are
    unchanged since the last build is taken from the cache without building its input again."""
    plan = chart_plan(index)
    known = _read_sources(cache_dir)
    items, used, todo = {}, {}, {}
    for name, spec in plan.items():
        skey = source_key(index, name, spec)
        item = _cached(cache_dir, known.get(skey)) if skey else None
        if item is None:
            todo[name] = (skey, spec.builder, spec.data())
        else:
            items[name], used[skey] = item, known[skey]
    items.update(draw_all({name: (builder, data) for name, (_, builder, data) in todo.items()}, cache_dir))
    used.update({skey: cache_key(builder, data) for skey, builder, data in todo.values() if skey})
    _write_sources(cache_dir, known, used)
    html_out: dict[str, str] = {}
    files: dict[str, bytes] = {}
    for name, spec in sorted(plan.items()):
        path, script = chart_file(items[name])
        files[path] = script
        html_out[name] = embed(
            name,
            path.removeprefix("assets/"),
            spec.alt,
            root_height(items[name]),
            preview(name, spec.builder, spec.data),
        )
    return Charts(html_out, files)


def source_key(index: Index, name: str, spec: Spec) -> str | None:
    """Changes when a file the chart's records come from, or the generator's code, changes; None when
    a record was not read from a file (then only the input itself can key the chart)."""
    digests = []
    for kind, rid in spec.sources:
        digest = index.records[kind][rid].doc.digest
        if not digest:
            return None
        digests.append(f"{kind}/{rid}/{digest}")
    payload = json.dumps([version_key(), BOKEH_VERSION, name, spec.builder, digests])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


SOURCES_FILE = "by-source.json"


def _read_sources(cache_dir: Path | None) -> dict[str, str]:
    """{source key: cache key} from the last build; empty when missing or damaged."""
    known = None if cache_dir is None else store.read_json(cache_dir / SOURCES_FILE)
    return known if isinstance(known, dict) and all(isinstance(v, str) for v in known.values()) else {}


def _write_sources(cache_dir: Path | None, known: dict[str, str], used: dict[str, str]) -> None:
    if cache_dir is not None and used != known:
        store.write_json(cache_dir / SOURCES_FILE, used)


def _cached(cache_dir: Path | None, key: str | None) -> str | None:
    """A chart's Bokeh JSON from the verified store; None when it is not there or damaged."""
    if cache_dir is None or key is None or not re.fullmatch(r"[0-9a-f]{32}", key):
        return None
    return store.read_text(cache_dir / f"{key}.json")


def chart_specs(index: Index) -> dict[str, tuple[str, dict[str, Any], str]]:
    """{chart name: (figures function, its input, the chart's accessible name)}, every input built."""
    return {name: (spec.builder, spec.data(), spec.alt) for name, spec in chart_plan(index).items()}


CASE_CAP = 25  # the cross-case views and listings draw at most this many cases; the finder has them all


def shown_cases(cases: list[Any], cap: int | None = None) -> list[Any]:
    """The default selection of the cross-case views: the first `cap` (CASE_CAP) cases in the index's
    order (the report's own cases by number, then the others by id)."""
    return list(cases)[: cap or CASE_CAP]


def chart_plan(index: Index) -> dict[str, Spec]:
    """Every chart the pages show, by name; inputs are built when asked for, each case's events once."""
    cases = index.all("case-study")
    memo: dict[str, list[dict[str, Any]]] = {}

    def events(case: Any) -> list[dict[str, Any]]:
        if case.id not in memo:
            memo[case.id] = case_events(case)
        return memo[case.id]

    every_case = tuple(("case-study", c.id) for c in cases)
    plan: dict[str, Spec] = {}
    for case in cases:
        if case.timeline:
            plan[f"timeline-{case.id}"] = Spec(
                "timeline",
                f"Timeline of the {case.short_title} case study: "
                f"{len(case.timeline)} events. The events are listed as text below.",
                functools.partial(lambda c: timeline_data(index, c, events(c)), case),
                (("case-study", case.id), *(("phase", s.phase) for s in case.phase_spans)),
            )
    for tri in index.all("triangle"):
        plan[f"triangle-{tri.id}"] = Spec(
            "triangle", triangle_text(tri), functools.partial(triangle_data, tri), (("triangle", tri.id),)
        )
    if any(c.timeline for c in cases):
        plan["cross-timeline"] = Spec(
            "cross_timeline",
            ("All case-study timelines" if len(timeline_cases(index)) == sum(1 for c in cases if c.timeline)
             else f"The first {len(timeline_cases(index))} case-study timelines")
            + " on one chart, one row per case. "
            "The table below lists each case's trigger year and events.",
            lambda: cross_timeline_data(index, {c.id: events(c) for c in timeline_cases(index)}),
            every_case,
        )
    phases = index.all("phase")
    if phases:
        plan["lifecycle-curve"] = Spec(
            "lifecycle_curve",
            "The lifecycle curve: public value rises slowly through the latent and "
            "design phases, then faster from mobilisation to embedding. The phases "
            "are listed in the table below.",
            lambda: lifecycle_data(index),
            tuple(("phase", p.id) for p in phases),
        )
    factors = index.all("factor")
    if factors and cases:
        plan["evidence-map"] = Spec(
            "evidence_map",
            "Evidence map of factors by case study"
            + (f", the first {len(shown_cases(cases))} case studies" if len(cases) > CASE_CAP else "")
            + ". The same data is in the table below.",
            lambda: evidence_data(index),
            every_case + tuple(("factor", f.id) for f in factors),
        )
    return plan


# Figures drawn from a template: figures.X_shape(data) says which template, figures.X_parts(data)
# gives the values to fill in. Drawing one Bokeh figure costs ~0.1 s, nearly all of it building and
# serialising models that are the same for every chart of the kind; filling a template costs ~1 ms.
TEMPLATED = ("timeline", "cross_timeline", "evidence_map")
TEMPLATE_ID = "hb-template"


def draw_all(specs: dict[str, tuple[str, dict[str, Any]]], cache_dir: Path | None) -> dict[str, str]:
    """{name: Bokeh JSON} for every chart: from the cache where its input is unchanged, the rest
    drawn (each chart is independent; the output does not depend on the order)."""
    keys = {name: cache_key(builder, data) for name, (builder, data) in specs.items()}
    items = {name: item for name, key in keys.items() if (item := _cached(cache_dir, key)) is not None}
    missing = sorted(name for name in specs if name not in items)
    templates: dict[str, dict[str, Any]] = {}
    for name in missing:
        builder, data = specs[name]
        if builder in TEMPLATED:
            template = _template(builder, data, templates, cache_dir)
            item = fill_template(template, _parts(builder, data), name)
            items[name] = _compact(item)
        else:
            items[name] = draw(name, builder, data)
        if cache_dir is not None:
            store.write_text(cache_dir / f"{keys[name]}.json", items[name])
    return items


def cache_key(builder: str, data: Any) -> str:
    """Changes with the chart's input, the Bokeh version and the generator's code (cache.version_key)."""
    payload = json.dumps([BOKEH_VERSION, version_key(), builder, data], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


def draw(name: str, builder: str, data: dict[str, Any]) -> str:
    """One chart's Bokeh JSON, with stable ids, drawn by Bokeh."""
    return _compact(draw_item(name, builder, data))


def _compact(item: dict[str, Any]) -> str:
    """Bokeh JSON as text: compact, keys in Bokeh's order (BokehJS reads them in order)."""
    return json.dumps(item, ensure_ascii=False, separators=(",", ":"))


def draw_item(name: str, builder: str, data: dict[str, Any]) -> dict[str, Any]:
    from bokeh.embed import json_item

    from generator.charts import figures

    return stable_ids(json_item(getattr(figures, builder)(data)), name)  # key order matters to BokehJS


def _parts(builder: str, data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    from generator.charts import figures

    return getattr(figures, f"{builder}_parts")(data)


def _template(builder: str, data: dict[str, Any], memo: dict[str, dict[str, Any]], cache_dir: Path | None) -> Any:
    """The Bokeh JSON of a chart of this data's shape, drawn once per shape (from the first chart
    of that shape to be drawn) and cached; its ids are numbered under TEMPLATE_ID."""
    from generator.charts import figures

    key = cache_key(f"{builder}-template", getattr(figures, f"{builder}_shape")(data))
    if key not in memo:
        cached = None if cache_dir is None else store.read_json(cache_dir / f"{key}.json")
        if isinstance(cached, dict):
            memo[key] = cached
        else:
            memo[key] = draw_item(TEMPLATE_ID, builder, data)
            if cache_dir is not None:
                store.write_text(cache_dir / f"{key}.json", _compact(memo[key]))
    return memo[key]


def fill_template(template: dict[str, Any], parts: dict[str, dict[str, Any]], name: str) -> dict[str, Any]:
    """A copy of a template's Bokeh JSON for the chart `name`: its ids renamed, and every value in
    `parts` set on the model with that name, encoded as Bokeh encodes it. The result is the JSON
    Bokeh would give for the chart (tests/test_charts.py compares them)."""
    from bokeh.core.serialization import Serializer

    prefix, found = TEMPLATE_ID + "-", set()
    serializer = Serializer()

    def encode(value: Any) -> Any:
        """As Bokeh encodes it; plain lists of strings, integers and finite floats (most chart data,
        and Bokeh leaves them as they are) are not walked item by item."""
        if isinstance(value, list) and all(type(v) in _PLAIN for v in value):
            if not any(type(v) is float and not math.isfinite(v) for v in value):
                return value
        if isinstance(value, dict) and all(type(k) is str for k in value):
            return {"type": "map", "entries": [[k, encode(v)] for k, v in value.items()]}
        return serializer.encode(value)

    def walk(value: Any) -> Any:
        if isinstance(value, dict):
            attrs = value.get("attributes")
            model = attrs.get("name") if value.get("type") == "object" and isinstance(attrs, dict) else None
            fill = parts.get(model) if isinstance(model, str) else None
            out = {}
            for k, v in value.items():
                if k in ("id", "root_id") and isinstance(v, str) and v.startswith(prefix):
                    out[k] = f"{name}-{v[len(prefix) :]}"
                elif k == "attributes" and fill:
                    found.add(model)  # the values filled in replace the template's: not walked
                    out[k] = {a: (encode(fill[a]) if a in fill else walk(x)) for a, x in v.items()}
                    out[k].update((a, encode(x)) for a, x in fill.items() if a not in v)
                else:
                    out[k] = walk(v)
            return out
        if isinstance(value, list):
            return [walk(v) for v in value]
        return value

    item = walk(template)
    if found != set(parts):
        raise ValueError(f"chart template has no model named {sorted(set(parts) - found)}")
    return item


_PLAIN = (str, int, float)


def chart_file(item: str) -> tuple[str, bytes]:
    """A chart's data as a script named by its content, so browsers may cache it for good and charts
    shown on many pages (the strategic triangles) are one file. A script rather than a JSON file:
    pages opened from file:// (the offline edition) may load scripts but not fetch files."""
    digest = hashlib.sha256(item.encode("utf-8")).hexdigest()[:20]
    return f"assets/charts/{digest}.js", f'hbChart("{digest}",{item});\n'.encode()


def chart_item(script: bytes) -> dict[str, Any]:
    """The Bokeh JSON in a chart file written by `chart_file` (for tests and the benchmark)."""
    text = script.decode("utf-8")
    start, end = text.index(",") + 1, text.rindex(");")
    return json.loads(text[start:end])


def root_height(item: str) -> int | None:
    """The height in pixels the chart will take once drawn (its root's fixed height), read from its
    Bokeh JSON; None when the root has none (then the page cannot reserve its box)."""
    roots = json.loads(item).get("doc", {}).get("roots", [])
    height = roots[0].get("attributes", {}).get("height") if len(roots) == 1 else None
    return height if isinstance(height, int) and height > 0 else None


def embed(name: str, src: str, alt: str, height: int | None = None, static: str = "") -> str:
    """The chart's HTML: a div naming its data file (relative to the assets folder), with an
    accessible name, and a caption linking to the chart's text version. The page template must
    give the text version (or the sentence that introduces it) the id `chart-{name}-text`: the
    chart's aria-describedby and the caption's link both point there. The div is as tall as the
    drawn chart will be, so nothing moves when assets/charts.js draws it (when the reader comes
    near it); until then it shows `static`, a light picture of the chart (generator/charts/preview.py)."""
    label = html.escape(alt, quote=True)
    style = f' style="height:{height}px"' if height else ""
    return (
        f'<div class="hb-figure">'
        f'<div class="hb-chart" id="chart-{name}" role="img" aria-label="{label}" '
        f'aria-describedby="chart-{name}-text" data-bokeh-src="{html.escape(src, quote=True)}"{style}>'
        f"{static}</div>"
        f'<p class="hb-chart-caption"><a href="#chart-{name}-text">Text version of this chart</a></p>'
        f"</div>"
    )


def stable_ids(item: dict[str, Any], name: str) -> dict[str, Any]:
    """Bokeh numbers models from a process-wide counter; renumber them by first appearance so the
    same chart always has the same ids, whatever was built before it."""
    mapping: dict[str, str] = {}

    def new_id(old: str) -> str:
        return mapping.setdefault(old, f"{name}-{len(mapping) + 1}")

    def walk(value: Any) -> Any:
        if isinstance(value, dict):
            return {
                k: (new_id(v) if k in ("id", "root_id") and isinstance(v, str) else walk(v)) for k, v in value.items()
            }
        if isinstance(value, (list, tuple)):  # CustomJS args arrive as tuples
            return [walk(v) for v in value]
        return value

    return walk(item)


# --- chart data from the index ----------------------------------------------------------------------

_MARKUP = re.compile(r"[*_`#>\[\]]|\(https?://[^)]*\)")


def plain(text: str | None, limit: int = 280) -> str:
    """Markdown -> short plain text for a tooltip (Bokeh escapes it again when it shows it)."""
    if not text:
        return ""
    flat = " ".join(_MARKUP.sub("", text).split())
    flat = flat.replace("<", "‹").replace(">", "›")
    return flat if len(flat) <= limit else flat[: limit - 1].rsplit(" ", 1)[0] + "…"


def _when(start: int, end: int | None) -> str:
    return str(start) if end is None or end == start else f"{start}–{end}"


def _event(case_url: str, e: Any) -> dict[str, Any]:
    src = "; ".join(source_label(s) for s in e.sources)
    return {
        "year": e.year,
        "end": e.end_year or e.year,
        "other": sorted(e.other_years),
        "type": e.type,
        "label": plain(e.label, 120),
        "when": _when(e.year, e.end_year),
        "desc": plain(e.description),
        "source": plain(src, 160),
        "certainty": e.certainty,
        "url": f"{case_url}#event-{e.id}",
    }


def case_events(case: Any) -> list[dict[str, Any]]:
    """A case's events as chart data, in date order; each event's url is its anchor on the case page."""
    return sorted((_event("", e) for e in case.timeline), key=lambda e: (e["year"], e["url"]))


CROSS_KEYS = ("year", "end", "type", "label", "when", "certainty")  # what the cross-case timeline shows


def timeline_data(index: Index, case: Any, events: list[dict[str, Any]]) -> dict[str, Any]:
    phases = [
        {
            "number": index.get("phase", s.phase).number,
            "name": plain(index.get("phase", s.phase).name, 60),
            "start": s.start,
            "end": s.end,
        }
        for s in case.phase_spans
    ]
    return {"events": events, "phases": phases}


def cross_timeline_data(index: Index, by_case: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    rows = []
    for case in index.all("case-study"):
        if case.id not in by_case:
            continue
        url = index.url("case-study", case.id)
        events = [{**{k: e[k] for k in CROSS_KEYS}, "url": url + e["url"]} for e in by_case[case.id]]
        trigger = trigger_year(case)
        rows.append(
            {
                "name": plain(case.short_title, 60),
                "url": url,
                "trigger": trigger,
                "first": max(case.period.start, min(e["year"] for e in events)),
                "last": max(e["end"] for e in events),
                "events": events,
            }
        )
    return {"rows": rows}


def timeline_cases(index: Index) -> list[Any]:
    """The cases the cross-case timeline draws by default: the first CASE_CAP with a timeline."""
    return shown_cases([c for c in index.all("case-study") if c.timeline])


def trigger_year(case: Any) -> int | None:
    """The year of the event marked as the trigger, else of the first event of type 'trigger'."""
    marked = [e.year for e in case.timeline if e.trigger]
    typed = sorted(e.year for e in case.timeline if e.type == "trigger")
    return (marked or typed or [None])[0]


def triangle_data(tri: Any) -> dict[str, Any]:
    corners = {
        name: {"weight": c.weight, "note": plain(c.note or c.basis, 200)}
        for name, c in (
            ("authority", tri.corners.authority),
            ("capacity", tri.corners.capacity),
            ("value", tri.corners.value),
        )
    }
    links = [{"source": lk.source, "target": lk.target, "strength": lk.strength} for lk in tri.links]
    return {"corners": corners, "links": links}


def triangle_text(tri: Any) -> str:
    c = tri.corners
    links = "; ".join(f"{lk.source} to {lk.target}, {lk.strength}" for lk in tri.links) or "no working links"
    return (
        f"Strategic triangle, {tri.title}: authority {c.authority.weight}, organisational capacity "
        f"{c.capacity.weight}, value {c.value.weight}. Links: {links}."
    )


def lifecycle_data(index: Index) -> dict[str, Any]:
    return {
        "phases": [
            {
                "number": p.number,
                "name": plain(p.name, 60),
                "summary": plain(p.summary, 200),
                "url": index.url("phase", p.id),
            }
            for p in index.all("phase")
        ]
    }


ROLE_ORDER = ("trigger", "driver", "enabler")


def evidence_factors(index: Index) -> list[Any]:
    """The factors in the evidence map's order: by kind (triggers, drivers, enablers), then by name."""
    return sorted(index.all("factor"), key=lambda f: (ROLE_ORDER.index(f.category), plain(f.name, 80).lower()))


def evidence_data(index: Index) -> dict[str, Any]:
    cases = shown_cases(index.all("case-study"))
    factors = evidence_factors(index)
    found = {(u.use.factor, u.case.id): u for c in cases for u in case_uses(c)}
    columns = [(c.id, plain(c.short_title, 60), index.url("case-study", c.id) + "#factors") for c in cases]
    cells = []
    for f in factors:
        name = plain(f.name, 80)
        for cid, title, url in columns:
            u = found.get((f.id, cid))
            cells.append(
                {
                    "factor": name,
                    "case": title,
                    "role": u.role if u else "",
                    "meaning": plain(u.use.meaning, 220) if u else "",
                    "url": url,
                }
            )
    return {
        "factors": [plain(f.name, 80) for f in factors],
        "cases": [title for _, title, _ in columns],
        "cells": cells,
    }


def bokeh_assets() -> dict[str, bytes]:
    """BokehJS, served from the site as one versioned file; it must match the Python package."""
    import importlib.metadata
    import importlib.util

    installed = importlib.metadata.version("bokeh")
    if installed != BOKEH_VERSION:
        raise BuildError(
            f"Bokeh {installed} is installed but the site expects {BOKEH_VERSION}. "
            "Reinstall with the pinned version (pip install -e .)."
        )
    spec = importlib.util.find_spec("bokeh")
    assert spec is not None and spec.origin is not None
    return {BOKEH_FILE: (Path(spec.origin).parent / "server" / "static" / "js" / "bokeh.min.js").read_bytes()}
