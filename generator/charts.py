"""Index -> chart embeds. Pure and deterministic, and cached by content.

Each chart is described by a plain dict drawn from the index. The dict, the chart kind and the
Bokeh version are hashed; a cached embed with that hash is reused, so a warm build that changed
one case rebuilds only that case's charts (and the cross-case ones), and an unchanged build
imports no Bokeh at all.

Charts are embedded as a `data-bokeh-item` attribute that `assets/charts.js` renders after
loading BokehJS from the site itself; never as a typed <script> block, which Material's instant
navigation would re-run as JavaScript.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.index import Index, case_uses

BOKEH_VERSION = "3.9.2"
BOKEH_FILE = f"assets/javascripts/bokeh-{BOKEH_VERSION}.min.js"
FIGURES_CODE = hashlib.sha256((Path(__file__).parent / "figures.py").read_bytes()).hexdigest()[:16]


def build_charts(index: Index, cache_dir: Path | None) -> dict[str, str]:
    """{chart name: HTML snippet} for every chart the pages show."""
    from generator import figures

    specs: dict[str, tuple[Callable[[dict[str, Any]], Any], dict[str, Any], str]] = {}
    for case in index.all("case-study"):
        if case.timeline:
            specs[f"timeline-{case.id}"] = (
                figures.timeline,
                timeline_data(index, case),
                f"Timeline of the {case.short_title} case study: "
                f"{len(case.timeline)} events. The events are listed as text below.",
            )
    for tri in index.all("triangle"):
        specs[f"triangle-{tri.id}"] = (figures.triangle, triangle_data(tri), triangle_text(tri))
    rows = cross_timeline_data(index)
    if rows["rows"]:
        specs["cross-timeline"] = (
            figures.cross_timeline,
            rows,
            "All case-study timelines on one chart, one row per case. "
            "The table below lists each case's trigger year and events.",
        )
    if index.all("phase"):
        specs["lifecycle-curve"] = (
            figures.lifecycle_curve,
            lifecycle_data(index),
            "The lifecycle curve: public value rises slowly through the latent and "
            "design phases, then faster from mobilisation to embedding. The phases "
            "are listed in the table below.",
        )
    if index.all("factor") and index.all("case-study"):
        specs["evidence-map"] = (
            figures.evidence_map,
            evidence_data(index),
            "Evidence map of factors by case study. The same data is in the table below.",
        )
    items = draw_all({name: (builder.__name__, data) for name, (builder, data, _) in specs.items()}, cache_dir)
    return {name: embed(name, items[name], alt) for name, (_, _, alt) in sorted(specs.items())}


PARALLEL_FROM = 8  # charts to draw before it pays to start worker processes


def draw_all(specs: dict[str, tuple[str, dict[str, Any]]], cache_dir: Path | None) -> dict[str, str]:
    """{name: Bokeh JSON} for every chart: from the cache where its input is unchanged, the rest
    drawn in parallel processes (each chart is independent; the output does not depend on the order)."""
    keys = {name: cache_key(builder, data) for name, (builder, data) in specs.items()}
    items: dict[str, str] = {}
    for name, key in keys.items():
        path = cache_dir / f"{key}.json" if cache_dir is not None else None
        if path is not None and path.is_file():
            items[name] = path.read_text(encoding="utf-8")
    missing = sorted(name for name in specs if name not in items)
    workers = int(os.environ.get("HANDBOOK_CHART_WORKERS") or min(os.cpu_count() or 1, 4))
    if len(missing) >= PARALLEL_FROM and workers > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=workers) as pool:
            builders = [specs[n][0] for n in missing]
            inputs = [specs[n][1] for n in missing]
            items.update(zip(missing, pool.map(draw, missing, builders, inputs, chunksize=4), strict=True))
    else:
        items.update((name, draw(name, *specs[name])) for name in missing)
    if cache_dir is not None:
        for name in missing:
            _store(cache_dir / f"{keys[name]}.json", items[name])
    return items


def cache_key(builder: str, data: dict[str, Any]) -> str:
    """Changes with the chart's input, the Bokeh version and the code that draws it."""
    payload = json.dumps([BOKEH_VERSION, FIGURES_CODE, builder, data], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


def draw(name: str, builder: str, data: dict[str, Any]) -> str:
    """One chart's Bokeh JSON, with stable ids. A top-level function, so worker processes can run it."""
    from bokeh.embed import json_item

    from generator import figures

    figure = getattr(figures, builder)(data)
    return json.dumps(stable_ids(json_item(figure), name), ensure_ascii=False,  # order matters to BokehJS
                      separators=(",", ":"))


def _store(path: Path, item: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(item, encoding="utf-8")
    tmp.replace(path)


def embed(name: str, item: str, alt: str) -> str:
    """The chart's HTML: a div holding the Bokeh JSON, with an accessible name, and a caption
    linking to the chart's text version. The page template must give the text version (or the
    sentence that introduces it) the id `chart-{name}-text`: the chart's aria-describedby and the
    caption's link both point there."""
    attr = html.escape(item, quote=True)
    label = html.escape(alt, quote=True)
    return (
        f'<div class="hb-figure">'
        f'<div class="hb-chart" id="chart-{name}" role="img" aria-label="{label}" '
        f'aria-describedby="chart-{name}-text" data-bokeh-item="{attr}"></div>'
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
    src = "; ".join(s.section + (f" (lines {s.lines})" if s.lines else "") for s in e.sources)
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


def timeline_data(index: Index, case: Any) -> dict[str, Any]:
    phases = [
        {
            "number": index.get("phase", s.phase).number,
            "name": plain(index.get("phase", s.phase).name, 60),
            "start": s.start,
            "end": s.end,
        }
        for s in case.phase_spans
    ]
    events = sorted((_event("", e) for e in case.timeline), key=lambda e: (e["year"], e["url"]))
    return {"events": events, "phases": phases}


def cross_timeline_data(index: Index) -> dict[str, Any]:
    rows = []
    for case in index.all("case-study"):
        if not case.timeline:
            continue
        url = index.url("case-study", case.id)
        events = sorted((_event(url, e) for e in case.timeline), key=lambda e: (e["year"], e["url"]))
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
            {"number": p.number, "name": plain(p.name, 60), "summary": plain(p.summary, 200), "url": index.url("phase", p.id)}
            for p in index.all("phase")
        ]
    }


def evidence_data(index: Index) -> dict[str, Any]:
    cases = index.all("case-study")
    factors = index.all("factor")
    found = {(u.use.factor, u.case.id): u for c in cases for u in case_uses(c)}
    cells = []
    for f in factors:
        for c in cases:
            u = found.get((f.id, c.id))
            cells.append(
                {
                    "factor": plain(f.name, 80),
                    "case": plain(c.short_title, 60),
                    "role": u.role if u else "",
                    "meaning": plain(u.use.meaning, 220) if u else "",
                    "url": index.url("case-study", c.id) + "#factors",
                }
            )
    return {"factors": [plain(f.name, 80) for f in factors], "cases": [plain(c.short_title, 60) for c in cases],
            "cells": cells}


def bokeh_assets() -> dict[str, bytes]:
    """BokehJS, served from the site as one versioned file; it must match the Python package."""
    import importlib.metadata
    import importlib.util

    installed = importlib.metadata.version("bokeh")
    if installed != BOKEH_VERSION:
        raise RuntimeError(
            f"Bokeh {installed} is installed but the site expects {BOKEH_VERSION}. "
            "Reinstall with the pinned version (pip install -e .)."
        )
    spec = importlib.util.find_spec("bokeh")
    assert spec is not None and spec.origin is not None
    return {BOKEH_FILE: (Path(spec.origin).parent / "server" / "static" / "js" / "bokeh.min.js").read_bytes()}
