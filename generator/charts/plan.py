"""Which charts a build needs, and each chart's data: plain dicts and lists drawn from the index.

`chart_plan` names every chart the pages show, with the kind of figure that draws it
(`figures.FIGURES`), its accessible name, its input (built only when asked for) and the records that
input comes from. Nothing here draws, knows Bokeh, or reads or writes files: generator/charts/draw.py
draws the plan, and the optional chart cache (generator/speed/charts.py) decides what to redraw.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from generator.stages.index import Index, case_uses
from generator.stages.notes import source_label


@dataclass(frozen=True)
class Spec:
    """One chart to show: its kind (a key of `figures.FIGURES`, the figure that draws it), its
    accessible name, its input (built only when needed), and the records that input comes from."""

    kind: str
    alt: str
    data: Callable[[], dict[str, Any]]
    sources: tuple[tuple[str, str], ...]  # (kind, id)


def chart_specs(index: Index) -> dict[str, tuple[str, dict[str, Any], str]]:
    """{chart name: (its kind, its input, the chart's accessible name)}, every input built."""
    return {name: (spec.kind, spec.data(), spec.alt) for name, spec in chart_plan(index).items()}


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
            (
                "All case-study timelines"
                if len(timeline_cases(index)) == sum(1 for c in cases if c.timeline)
                else f"The first {len(timeline_cases(index))} case-study timelines"
            )
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
