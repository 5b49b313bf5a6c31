"""Chart data -> a light static picture shown in a chart's box until the interactive Bokeh chart
replaces it (assets/charts.js), so that a page opening with a chart in view shows it at once, before
any BokehJS is loaded: inline SVG for the strategic triangles and the lifecycle curve, plain HTML
boxes laid out by handbook.css for the timelines and the evidence map (`PREVIEWS`, by chart kind).
A kind without one shows a short note in its reserved box; its text version follows on the page.

The pictures follow generator/charts/figures.py's geometry (ranges, sizes, colours) closely enough that the
swap to the drawn chart does not jump; they are decoration for sighted readers (aria-hidden: the
chart's box carries the accessible name and points to the text version) and kept out of search.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable
from typing import Any

from generator.charts import figures


def preview(name: str, builder: str, data: Callable[[], dict[str, Any]]) -> str:
    """The static picture for the chart `name` drawn by figures.`builder`, or "" when that kind has
    none; `data` (the chart's input) is only built for kinds that have one."""
    draw = PREVIEWS.get(builder)
    if draw is None:
        return ""
    return f'<div class="hb-chart-static" aria-hidden="true" data-search-exclude>{draw(data(), f"hb-{name}")}</div>'


def _attrs(**values: Any) -> str:
    return " ".join(f'{k.rstrip("_").replace("_", "-")}="{html.escape(str(v), quote=True)}"' for k, v in values.items())


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


# --- strategic triangle (figures.triangle: 260 px tall, at most 440 px wide, no axes) --------------

TRI_W, TRI_H, BORDER = 440, 260, 5
TRI_X, TRI_Y = (-0.12, 1.12), (-0.08, 1.05)


def _tri_xy(x: float, y: float) -> tuple[str, float]:
    """Chart coordinates -> (x in per cent of the picture's width, y in pixels): like the drawn
    chart, the picture stretches sideways (up to 440 px) and keeps its height."""
    border = BORDER / TRI_W * 100
    px = border + (x - TRI_X[0]) / (TRI_X[1] - TRI_X[0]) * (100 - 2 * border)
    py = TRI_H - BORDER - (y - TRI_Y[0]) / (TRI_Y[1] - TRI_Y[0]) * (TRI_H - 2 * BORDER)
    return f"{px:.2f}%", py


def triangle_svg(data: dict[str, Any], key: str) -> str:
    parts = []
    heads: dict[str, str] = {}
    ring = [_tri_xy(*figures.CORNER_POS[c]) for c in ("authority", "capacity", "value", "authority")]
    for (xa, ya), (xb, yb) in zip(ring, ring[1:], strict=False):
        line = _attrs(x1=xa, y1=_num(ya), x2=xb, y2=_num(yb))
        parts.append(f'<line {line} stroke="#dddddd" stroke-width="1"/>')
    for link in data["links"]:
        (x0, y0), (x1, y1) = figures.CORNER_POS[link["source"]], figures.CORNER_POS[link["target"]]
        dx, dy = x1 - x0, y1 - y0
        norm = math.hypot(dx, dy)
        ox, oy = -dy / norm * 0.035, dx / norm * 0.035  # as figures.triangle: two-way links side by side
        start = _tri_xy(x0 + dx * 0.16 + ox, y0 + dy * 0.16 + oy)
        end = _tri_xy(x1 - dx * 0.16 + ox, y1 - dy * 0.16 + oy)
        colour = "#B00020" if link["strength"] == "broken" else "#333333"
        head = heads.setdefault(colour, f"{key}-head-{len(heads)}")
        dash = {"stroke_dasharray": "6"} if link["strength"] != "strong" else {}
        line = _attrs(x1=start[0], y1=_num(start[1]), x2=end[0], y2=_num(end[1]))
        parts.append(f'<line {line} {_attrs(stroke=colour, stroke_width=2.5, **dash)} marker-end="url(#{head})"/>')
    for corner, (x, y) in figures.CORNER_POS.items():
        weight = data["corners"][corner]["weight"]
        cx, cy = _tri_xy(x, y)
        r = figures.WEIGHT_SIZE[weight] / 2  # BokehJS's triangle marker of this size
        h = r * math.sqrt(3)
        a = h / 3
        pts = f"{_num(-r)},{_num(a)} {_num(r)},{_num(a)} 0,{_num(a - h)}"
        colour = figures.CORNER_COLOUR[corner]
        mark = _attrs(points=pts, fill=colour, fill_opacity=0.85, stroke="#222222", stroke_width=1)
        parts.append(f'<svg x="{cx}" y="{_num(cy)}" overflow="visible"><polygon {mark}/></svg>')
        tx, ty = _tri_xy(x, y - 0.13 if corner != "authority" else y + 0.09)
        label = f"{figures.CORNER_SHORT[corner]} ({weight.replace('-', ' ')})"
        parts.append(f"<text {_attrs(x=tx, y=_num(ty), text_anchor='middle')}>{html.escape(label)}</text>")
    defs = "".join(
        f'<marker id="{mid}" viewBox="0 0 12 12" refX="10" refY="6" markerWidth="12" markerHeight="12" '
        f'markerUnits="userSpaceOnUse" orient="auto"><polyline points="1,1 10,6 1,11" fill="none" '
        f'stroke="{colour}" stroke-width="2"/></marker>'
        for colour, mid in heads.items()
    )
    return (
        '<svg class="hb-tri-static" width="100%" height="100%" font-size="11" font-family="sans-serif" '
        f'fill="#222222" focusable="false"><defs>{defs}</defs>{"".join(parts)}</svg>'
    )


# --- lifecycle curve (figures.lifecycle_curve: full width, 300 px tall) ------------------------------

# The plot frame inside the box, in per cent of its width and height (axes left and below).
FRAME = (4.2, 10.0, 99.3, 90.5)  # left, top, right, bottom


def lifecycle_svg(data: dict[str, Any], key: str) -> str:
    phases = data["phases"]
    n = max(len(phases), 1)
    left, top, right, bottom = FRAME
    width, height = right - left, bottom - top

    def fx(i: float) -> float:  # phase units (0..n) -> per cent of the box
        return left + i / n * width

    def fy(v: float) -> float:  # value (0..1.12) -> per cent of the box
        return bottom - v / 1.12 * height

    inner = []
    for i, p in enumerate(phases):
        colour = figures.PHASE_COLOURS[p["number"] % 5]
        box = _attrs(x=f"{i / n * 100:.2f}", y=f"{(1 - 1.0 / 1.12) * 100:.2f}", width=f"{100 / n:.2f}")
        inner.append(f'<rect {box} height="{1.0 / 1.12 * 100:.2f}" fill="{colour}" fill-opacity=".15"/>')
    xs = [i / 20 for i in range(0, n * 20 + 1)]
    mid = n * 0.55
    curve = " ".join(
        f"{x / n * 100:.2f},{(1 - (0.06 + 0.86 / (1 + math.exp(-(x - mid) * 1.8)))) / 1.12 * 100:.2f}" for x in xs
    )
    inner.append(
        f'<polyline points="{curve}" fill="none" stroke="#222222" stroke-width="3" vector-effect="non-scaling-stroke"/>'
    )
    trigger = 1 / n * 100
    inner.append(
        f'<line x1="{trigger:.2f}" y1="0" x2="{trigger:.2f}" y2="100" stroke="#D55E00" stroke-dasharray="6" '
        'vector-effect="non-scaling-stroke"/>'
    )
    frame = _attrs(x=f"{left}%", y=f"{top}%", width=f"{width}%", height=f"{height}%")
    parts = [f'<svg {frame} viewBox="0 0 100 100" preserveAspectRatio="none">{"".join(inner)}</svg>']
    for i, p in enumerate(phases):
        label = f"{p['number']}. {p['name']}"
        parts.append(
            f'<text x="{fx(i + 0.5):.2f}%" y="{fy(1.04):.2f}%" text-anchor="middle">{html.escape(label)}</text>'
        )
    parts.append(f'<text x="{fx(1) + 0.5:.2f}%" y="{fy(0.5):.2f}%" fill="#A04000">Trigger point</text>')
    parts.append(f'<text x="{left + width / 2:.2f}%" y="97%" text-anchor="middle" font-weight="bold">Time</text>')
    parts.append(
        f'<text x="0" y="0" text-anchor="middle" font-weight="bold" '
        f'transform="translate(11 {300 * (top + height / 2) / 100:.0f}) rotate(-90)">Public value created</text>'
    )
    return (
        '<svg class="hb-curve-static" width="100%" height="100%" font-size="11" font-family="sans-serif" '
        f'fill="#222222" focusable="false">{"".join(parts)}</svg>'
    )


# --- year charts and the evidence map: plain HTML boxes, laid out by handbook.css ---------------------


def _pct(value: float, lo: float, hi: float) -> str:
    """Where `value` falls between lo and hi, in per cent (to a tenth: a pixel of a 1,000 px chart)."""
    return f"{(value - lo) / (hi - lo) * 100:.1f}%"


def _width(start: float, end: float, lo: float, hi: float) -> str:
    """How much of lo..hi the years start..end take, in per cent."""
    return f"{(end - start) / (hi - lo) * 100:.1f}%"


def _marks(events: list[dict[str, Any]], lo: float, hi: float, typed: bool = True) -> str:
    """A dot per event, coloured by its type (`typed`), else a plain dot per year that has events
    (the cross-case view's lighter picture). Dots that would fall on one another are drawn once."""
    out = []
    for e in events:
        if not lo <= e["year"] <= hi:
            continue
        faint = "opacity:.35" if e.get("certainty", "sure") != "sure" else ""
        if typed:
            colour = figures.EVENT_STYLE.get(e["type"], ("#999999", ""))[0]
            style = f"left:{_pct(e['year'], lo, hi)};background:{colour}" + (f";{faint}" if faint else "")
        else:
            style = f"left:{_pct(e['year'], lo, hi)}"
        out.append(f'<b style="{style}"></b>')
    return "".join(dict.fromkeys(out))


def _axis(lo: float, hi: float) -> str:
    step = next(s for s in (1, 2, 5, 10, 20, 50, 100) if (hi - lo) / s <= 8)
    first = math.ceil(lo / step) * step
    ticks = range(int(first), int(hi) + 1, step)
    labels = "".join(f'<span style="left:{_pct(t, lo, hi)}">{t}</span>' for t in ticks)
    return f'<span></span><span class="hb-rows-axis">{labels}</span>'


def _rows(rows: list[tuple[str, str]], lo: float, hi: float, row_height: int, top: int, plain: bool = False) -> str:
    """A label column and a year track per row, then the year axis (see .hb-rows in handbook.css).
    `plain`: the dots are not coloured by type, and the picture says so above the rows (the legend
    under the chart is for the drawn chart)."""
    cells = "".join(
        f'<span class="hb-rows-label">{html.escape(label)}</span><span class="hb-rows-track">{track}</span>'
        for label, track in rows
    )
    style = f"--hb-row:{row_height}px;--hb-top:{top}px"
    kind = "hb-rows hb-rows--plain" if plain else "hb-rows"
    return f'<div class="{kind}" style="{style}">{cells}{_axis(lo, hi)}</div>'


def cross_timeline_html(data: dict[str, Any], key: str) -> str:
    """Each case's span and the years of its events, uncoloured: the view lists up to 25 cases, and
    the drawn chart (and the text version under it) gives each event's type."""
    rows = data["rows"]
    lo, hi = min(r["first"] for r in rows) - 1, max(r["last"] for r in rows) + 1
    out = []
    for r in rows:
        bar = f'<i style="left:{_pct(r["first"], lo, hi)};width:{_width(r["first"], r["last"], lo, hi)}"></i>'
        out.append((r["name"], bar + _marks(r["events"], lo, hi, typed=False)))
    return _rows(out, lo, hi, 40, 30, plain=True)


def timeline_html(data: dict[str, Any], key: str) -> str:
    events = data["events"]
    types = [t for t in figures.EVENT_TYPES if any(e["type"] == t for e in events)]
    years = [e["year"] for e in events] + [e["end"] for e in events] + [y for e in events for y in e["other"]]
    lo, hi = min(years) - 1, max(years) + 1
    bands, marks = "", ""
    for span in data["phases"]:
        start, end = max(span["start"], lo), min(span["end"] + 1 if span["end"] is not None else hi, hi)
        if end > start:
            colour = figures.PHASE_COLOURS[span["number"] % 5]
            bands += (
                f'<u style="left:{_pct(start, lo, hi)};width:{_width(start, end, lo, hi)};background:{colour}"></u>'
            )
            # the band's number in its lower left corner, as figures.timeline draws it
            marks += f'<em class="hb-phase-mark" style="left:{_pct(start, lo, hi)}">{figures.phase_mark(span)}</em>'
    rows = [(t, bands + _marks([e for e in events if e["type"] == t], lo, hi)) for t in types]
    if rows:
        rows[-1] = (rows[-1][0], rows[-1][1] + marks)
    return _rows(rows, lo, hi, 34, 30)


def evidence_map_html(data: dict[str, Any], key: str) -> str:
    cases, factors = data["cases"], data["factors"]
    cells = {(c["factor"], c["case"]): c["role"] for c in data["cells"]}
    head = "<span></span>" + "".join(f'<span class="hb-map-case">{html.escape(c)}</span>' for c in cases)
    body = []
    for f in factors:
        body.append(f'<span class="hb-rows-label">{html.escape(f)}</span>')
        for c in cases:
            role = cells.get((f, c), "")
            colour, letter = figures.ROLE_STYLE.get(role, ("#F2F2F2", ""))
            body.append(f'<i style="background:{colour}">{letter}</i>')
    style = f"grid-template-columns:fit-content(40%) repeat({len(cases)},minmax(0,1fr))"
    return f'<div class="hb-map" style="{style}">{head}{"".join(body)}</div>'


PREVIEWS: dict[str, Callable[[dict[str, Any], str], str]] = {
    "triangle": triangle_svg,
    "lifecycle_curve": lifecycle_svg,
    "timeline": timeline_html,
    "cross_timeline": cross_timeline_html,
    "evidence_map": evidence_map_html,
}
