"""HTML legends shown beside the charts (issue 19 point 9, issue 18 point 2): what each marker
shape and colour, line and shaded band means. Plain HTML with small inline SVG keys, so a legend
reads before BokehJS loads, wraps on a phone, and is in the page for screen readers and search.
Shapes and colours come from generator.charts.figures, so a legend cannot drift from its chart."""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

from markupsafe import Markup

from generator.charts.figures import EVENT_STYLE, EVENT_TYPES, OUTLINE, PHASE_COLOURS, PHASE_NOTE, phase_mark

# SVG paths of Bokeh's markers in a 16 x 16 box (centre 8, 8), close to how BokehJS draws them.
_SHAPES = {
    "star": "M8 1.5 9.9 6 14.6 6.3 11 9.3 12.1 14 8 11.4 3.9 14 5 9.3 1.4 6.3 6.1 6Z",
    "square": "M2.5 2.5H13.5V13.5H2.5Z",
    "triangle": "M8 2 14 13.5H2Z",
    "diamond": "M8 1.5 13 8 8 14.5 3 8Z",
    "hex": "M4.5 2.5H11.5L14.5 8 11.5 13.5H4.5L1.5 8Z",
    "inverted_triangle": "M2 2.5H14L8 14Z",
    "plus": "M6 2H10V6H14V10H10V14H6V10H2V6H6Z",
    "square_pin": "M2.5 2.5Q8 5 13.5 2.5 11 8 13.5 13.5 8 11 2.5 13.5 5 8 2.5 2.5Z",
    "circle": "M8 2.5A5.5 5.5 0 1 1 7.99 2.5Z",
}


def _svg(body: str, width: int = 16) -> str:
    return (
        f'<svg class="hb-key" width="{width}" height="16" viewBox="0 0 {width} 16" aria-hidden="true" '
        f'focusable="false">{body}</svg>'
    )


def marker_key(event_type: str, faint: bool = False) -> str:
    colour, shape = EVENT_STYLE[event_type]
    dash = ' stroke-dasharray="2 1.5"' if faint else ""
    alpha = "0.25" if faint else "1"
    return _svg(
        f'<path d="{_SHAPES[shape]}" fill="{colour}" fill-opacity="{alpha}" stroke="{OUTLINE}" '
        f'stroke-width="1.4"{dash}/>'
    )


def _line_key(colour: str, dash: str | None, width: float = 3, alpha: float = 1.0, arrow: bool = False) -> str:
    dashes = f' stroke-dasharray="{dash}"' if dash else ""
    head = f'<path d="M24 3 30 8 24 13" fill="none" stroke="{colour}" stroke-width="2"/>' if arrow else ""
    return _svg(
        f'<line x1="1" y1="8" x2="29" y2="8" stroke="{colour}" stroke-width="{width}" '
        f'stroke-opacity="{alpha}"{dashes}/>{head}',
        width=32,
    )


def _band_key(colour: str = "#E69F00", mark: str = "") -> str:
    number = (
        f'<text x="4" y="12" font-size="11" font-weight="bold" fill="#222">{html.escape(mark)}</text>' if mark else ""
    )
    return _svg(
        f'<rect x="1" y="1" width="30" height="14" fill="{colour}" fill-opacity="0.25" stroke="#999"/>{number}', 32
    )


def _legend(items: Iterable[tuple[str, str]], label: str) -> Markup:
    lis = "".join(f"<li>{key} {html.escape(text)}</li>" for key, text in items)
    return Markup(f'<ul class="hb-legend" aria-label="{html.escape(label, quote=True)}">{lis}</ul>')


def _types(events: Iterable[Any]) -> list[str]:
    present = {e.type for e in events}
    return [t for t in EVENT_TYPES if t in present]


def _years(start: int, end: int) -> str:
    return str(start) if end == start else f"{start}–{end}"


def timeline_legend(case: Any, index: Any = None) -> Markup:
    """The legend of a case's timeline: a key for each event type on it, and for faint markers,
    grey bars and shaded phase bands where the chart has them; with the index, each band's number
    (all the chart shows of it) with the phase's name and years."""
    events = list(case.timeline)
    items = [(marker_key(t), t) for t in _types(events)]
    if any(e.certainty != "sure" for e in events):
        items.append((marker_key(events[0].type, faint=True), "faint, dashed outline: date probable or ambiguous"))
    if any((e.end_year and e.end_year != e.year) or e.other_years for e in events):
        items.append((_line_key("#555555", "4 2", alpha=0.6), "grey bar: over several years, or other years given"))
    if case.phase_spans:
        items.append((_band_key(), PHASE_NOTE))
    for span in case.phase_spans if index is not None else ():
        phase = index.get("phase", span.phase)
        years = f"from {span.start}" if span.end is None else _years(span.start, span.end)
        items.append(
            (
                _band_key(PHASE_COLOURS[phase.number % 5], phase_mark({"number": phase.number})),
                f"phase {phase.number}, {phase.name}: {years}",
            )
        )
    return _legend(items, "Legend of the timeline")


def cross_timeline_legend(cases: Iterable[Any]) -> Markup:
    """The legend of the cross-case timeline."""
    events = [e for c in cases for e in c.timeline]
    items = [(marker_key(t), t) for t in _types(events)]
    if any(e.certainty != "sure" for e in events):
        items.append((marker_key(events[0].type, faint=True), "faint: date probable or ambiguous"))
    items.append((_line_key("#0072B2", None, width=8, alpha=0.3), "pale bar: the case's years on the chart"))
    items.append(("◀", "earlier events: a case's events before the years shown, with how many and when"))
    return _legend(items, "Legend of the cross-case timeline")


LINK_TEXT = {
    "strong": ("#333333", None, "solid arrow: a strong link"),
    "weak": ("#333333", "5 3", "dashed arrow: a weak link"),
    "broken": ("#B00020", "5 3", "red dashed arrow: a broken link"),
}


def triangle_legend(tri: Any) -> Markup:
    """The legend of a strategic triangle: the kinds of link it draws, and what a corner's size means."""
    kinds = [k for k in LINK_TEXT if any(lk.strength == k for lk in tri.links)]
    items = [(_line_key(LINK_TEXT[k][0], LINK_TEXT[k][1], width=2.5, arrow=True), LINK_TEXT[k][2]) for k in kinds]
    size = _svg('<path d="M5 11 8 6 11 11Z" fill="#999"/><path d="M14 15 22 1 30 15Z" fill="#999"/>', 32)
    items.append((size, "corner size: how strong that corner is (none to very large)"))
    return _legend(items, "Legend of the triangle")


def cross_outside(index: Any) -> list[tuple[str, str]]:
    """(case name, note) for each case whose earliest events fall before the cross-case timeline's
    years, as the chart itself notes them (the chart's own parts, so text and chart agree)."""
    from generator.charts.figures import cross_timeline_parts
    from generator.charts.plan import case_events, cross_timeline_data, timeline_cases

    cases = timeline_cases(index)
    if not cases:
        return []
    data = cross_timeline_data(index, {c.id: case_events(c) for c in cases})
    found = cross_timeline_parts(data)["hb-cross-outside"]["data"]
    return [(name, note.removeprefix("◀ ")) for name, note in zip(found["y"], found["text_cal"], strict=True) if note]


def evidence_by_factor(index: Any) -> list[tuple[Any, list[tuple[str, list[Any]]]]]:
    """The evidence map one factor at a time, in the map's row order: each factor with, for each role
    it has somewhere (trigger, driver, enabler), the cases where it has it."""
    from generator.charts.plan import ROLE_ORDER, evidence_factors, shown_cases
    from generator.stages.index import case_uses

    cases = shown_cases(index.all("case-study"))
    uses = [(u.use.factor, u.role, c) for c in cases for u in case_uses(c)]
    out = []
    for f in evidence_factors(index):
        roles = [(role, _unique(c for fid, r, c in uses if fid == f.id and r == role)) for role in ROLE_ORDER]
        out.append((f, [(role, found) for role, found in roles if found]))
    return out


def _unique(cases: Iterable[Any]) -> list[Any]:
    """Each case once (a case may use one factor twice, under two labels), in the order given."""
    return list({c.id: c for c in cases}.values())


def timeline_shown(index: Any) -> list[Any]:
    """The cases the cross-case timeline draws (its default selection)."""
    from generator.charts.plan import timeline_cases

    return timeline_cases(index)


def map_shown(index: Any) -> list[Any]:
    """The cases the evidence map draws (its default selection)."""
    from generator.charts.plan import shown_cases

    return shown_cases(index.all("case-study"))


def first_uses(uses: Iterable[Any], cap: int | None = None) -> tuple[list[Any], int]:
    """The uses of the first `cap` cases (a case's uses kept together) and how many cases use it in all."""
    from generator.charts.plan import CASE_CAP

    uses = list(uses)
    ids = list({u.case.id: None for u in uses})
    kept = set(ids[: cap or CASE_CAP])
    return [u for u in uses if u.case.id in kept], len(ids)


def case_cap() -> int:
    """How many cases a listing or cross-case view shows before it points to the finder."""
    from generator.charts.plan import CASE_CAP

    return CASE_CAP


# What the page templates may call (generator/output/pages.py adds these to the Jinja globals).
GLOBALS = {
    "timeline_legend": timeline_legend,
    "cross_timeline_legend": cross_timeline_legend,
    "triangle_legend": triangle_legend,
    "cross_outside": cross_outside,
    "evidence_by_factor": evidence_by_factor,
    "timeline_shown": timeline_shown,
    "map_shown": map_shown,
    "first_uses": first_uses,
    "case_cap": case_cap,
}
