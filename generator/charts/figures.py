"""Bokeh figures from plain data (dicts and lists, never records), so each chart's input can be
hashed for the cache. Every builder returns a Bokeh model; nothing here reads or writes files.
Builders are found through `FIGURES` (at the end), never by name: one entry per kind of chart.

Colours are the Okabe-Ito palette (safe for colour-blind readers), and no meaning rests on colour
alone: event types also differ in marker shape and row, triangle corners are labelled, and
evidence-map cells carry a letter.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

EVENT_TYPES = (
    "trigger",
    "inspection",
    "leadership",
    "strategy",
    "structure",
    "funding",
    "recognition",
    "crisis",
    "outcome",
)
EVENT_STYLE = {  # type -> (colour, marker)
    "trigger": ("#D55E00", "star"),
    "inspection": ("#0072B2", "square"),
    "leadership": ("#009E73", "triangle"),
    "strategy": ("#CC79A7", "diamond"),
    "structure": ("#56B4E9", "hex"),
    "funding": ("#E69F00", "inverted_triangle"),
    "recognition": ("#7A6A00", "plus"),
    "crisis": ("#000000", "square_pin"),
    "outcome": ("#882255", "circle"),
}
# Markers are outlined in near-black so every shape stands out from the white plot at more than
# 3:1 (WCAG 1.4.11); the lighter Okabe-Ito fills alone (sky blue, orange) do not.
OUTLINE = "#1a1a1a"
PHASE_COLOURS = ("#999999", "#E69F00", "#56B4E9", "#009E73", "#0072B2")
ROLE_STYLE = {"trigger": ("#D55E00", "T"), "driver": ("#0072B2", "D"), "enabler": ("#009E73", "E")}
CORNER_POS = {"authority": (0.5, 0.86), "capacity": (0.12, 0.16), "value": (0.88, 0.16)}
CORNER_LABEL = {"authority": "Authority", "capacity": "Organisational capacity", "value": "Value"}
CORNER_SHORT = {"authority": "Authority", "capacity": "Capacity", "value": "Value"}
CORNER_COLOUR = {"authority": "#0072B2", "capacity": "#E69F00", "value": "#009E73"}
WEIGHT_SIZE = {"none": 6, "small": 16, "moderate": 26, "large": 38, "very-large": 50}
# Tooltip format: Bokeh escapes every @field it fills in (we never use the {safe} format).
TIP = (
    '<div class="hb-tip" style="max-width:22em;white-space:normal;font-size:13px;line-height:1.35">'
    "<b>{head}</b><br>{body}</div>"
)
# Said under every timeline that shades phase periods (issue 18): the report names a case's phase
# but never dates one, so the bands are the handbook's reading.
PHASE_NOTE = "Shaded bands: the handbook's reading of the phases; the report dates none."
# A phase band's number sits in its lower left corner (screen px from the band's start and the
# plot's foot), on a light box so it reads over grid lines and markers.
PHASE_MARK_Y, PHASE_MARK_OFFSET, PHASE_MARK_FONT = 4, 3, "11px"
# On a tap, charts.js opens the mark's link (on touch: names the mark first, opens on a second tap).
OPEN_JS = (
    "const i = source.selected.indices[0], d = source.data;"
    " source.selected.indices = [];"  # else a second tap on the mark would unselect it, opening nothing
    " if (i != null && window.hbOpen) window.hbOpen(d.url[i], d.tap ? d.tap[i] : d.label ? d.label[i] : '');"
)


def _figure(**kwargs: Any) -> Any:
    from bokeh.plotting import figure

    fig = figure(**{"sizing_mode": "stretch_width", "toolbar_location": "above", **kwargs})
    fig.toolbar.logo = None
    fig.background_fill_color = "#ffffff"
    fig.border_fill_color = "#ffffff"
    return fig


def _years_figure(parts: dict[str, dict[str, Any]], name: str, y: str, x: str, **extra: Any) -> Any:
    """A figure of rows (a factor range) against years, pannable and zoomable along the years; its
    height and both ranges come from `parts`, under the model names given."""
    from bokeh.models import FactorRange, Range1d

    fig = _figure(
        name=name,
        height=parts[name]["height"],
        y_range=FactorRange(name=y, **parts[y]),
        x_range=Range1d(name=x, **parts[x]),
        tools="xpan,xwheel_zoom,reset",
        # No drag or scroll tool is active until the reader picks one in the toolbar: a swipe or a
        # wheel turn over the chart scrolls the page (a phone reader is never trapped on it).
        active_drag=None,
        active_scroll=None,
        **extra,
    )
    fig.xaxis.axis_label = "Year"
    fig.xaxis[0].name = f"{name}-xaxis"  # charts.js finds the axis by this name to relabel it
    return fig


def _tap(fig: Any, source: Any, renderers: list[Any]) -> None:
    from bokeh.models import CustomJS, TapTool

    fig.add_tools(TapTool(renderers=renderers, callback=CustomJS(args={"source": source}, code=OPEN_JS)))


def timeline_shape(data: dict[str, Any]) -> list[int]:
    """What makes two timelines different models rather than the same models with other values:
    how many phase spans they shade and whether any event spans several years. Timelines of one
    shape are drawn from one prototype (bokeh_json.fill_prototype) with `timeline_parts` filled in."""
    return [len(data["phases"]), int(bool(_spread(data["events"])))]


def _spread(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in events if e["end"] != e["year"] or e["other"]]


def _event_types(events: list[dict[str, Any]]) -> list[str]:
    return [t for t in EVENT_TYPES if any(e["type"] == t for e in events)]


def timeline_height(data: dict[str, Any]) -> int:
    return 110 + 34 * len(_event_types(data["events"]))


def timeline_parts(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every value of a timeline that depends on its data, by the name of the model that holds it."""
    events = data["events"]
    types = _event_types(events)
    years = [e["year"] for e in events] + [e["end"] for e in events] + [y for e in events for y in e["other"]]
    lo, hi = min(years) - 1, max(years) + 1
    parts: dict[str, dict[str, Any]] = {
        "hb-timeline": {"height": timeline_height(data)},
        "hb-timeline-x": {"start": lo, "end": hi},
        "hb-timeline-y": {"factors": list(reversed(types))},
    }
    for i, span in enumerate(data["phases"]):
        end = span["end"] if span["end"] is not None else hi
        parts[f"hb-phase-{i}"] = {
            "left": span["start"],
            "right": end + 0.999,
            "fill_color": PHASE_COLOURS[span["number"] % 5],
        }
        parts[f"hb-phase-label-{i}"] = {"x": span["start"], "text": phase_mark(span)}
    spread = _spread(events)
    if spread:
        parts["hb-spread"] = {
            "data": {
                "x0": [min([e["year"], *e["other"]]) for e in spread],
                "x1": [max([e["end"], *e["other"]]) for e in spread],
                "y": [e["type"] for e in spread],
                "dash": ["dashed" if e["other"] else "solid" for e in spread],
            }
        }
    parts["hb-events"] = {
        "data": {
            "x": [e["year"] for e in events],
            "y": [e["type"] for e in events],
            "label": [e["label"] for e in events],
            "when": [e["when"] for e in events],
            "desc": [e["desc"] for e in events],
            "src": [e["source"] for e in events],
            "colour": [EVENT_STYLE[e["type"]][0] for e in events],
            "marker": [EVENT_STYLE[e["type"]][1] for e in events],
            "alpha": [1.0 if e["certainty"] == "sure" else 0.25 for e in events],
            "dash": ["solid" if e["certainty"] == "sure" else "dashed" for e in events],
            "certainty": [e["certainty"] for e in events],
            "url": [e["url"] for e in events],
        }
    }
    return parts


def phase_mark(span: dict[str, Any]) -> str:
    """What a timeline's phase band is labelled with: the phase's number only. Names did not fit: at
    phone width a two-year band is about 30 px wide and its name up to 110 px, so names crowded each
    other and the last ran off the chart (issue 19 point 9). The legend under the chart gives each
    number's name and years (legends.timeline_legend)."""
    return str(span["number"])


def timeline(data: dict[str, Any]) -> Any:
    """One case's events on a year axis, one row per event type, phases shaded. Every value that
    depends on the data comes from `timeline_parts`, set on a model named as its key there."""
    from bokeh.models import BoxAnnotation, ColumnDataSource, HoverTool, Label, Title

    parts = timeline_parts(data)
    fig = _years_figure(parts, "hb-timeline", "hb-timeline-y", "hb-timeline-x", title=None)
    if data["phases"]:
        fig.add_layout(
            Title(
                name="hb-phase-note",
                text=PHASE_NOTE.replace(" of the", "\nof the"),  # two short lines fit a phone
                text_font_size="11px",
                text_font_style="italic",
                text_color="#333333",
            ),
            "below",
        )
    for i in range(len(data["phases"])):
        fig.add_layout(BoxAnnotation(name=f"hb-phase-{i}", fill_alpha=0.12, level="underlay", **parts[f"hb-phase-{i}"]))
        fig.add_layout(
            Label(
                name=f"hb-phase-label-{i}",
                y=PHASE_MARK_Y,
                y_units="screen",
                x_offset=PHASE_MARK_OFFSET,
                text_font_size=PHASE_MARK_FONT,
                text_font_style="bold",
                text_color="#222222",
                background_fill_color="#ffffff",
                background_fill_alpha=0.8,
                **parts[f"hb-phase-label-{i}"],
            )
        )
    if "hb-spread" in parts:
        seg = ColumnDataSource(name="hb-spread", **parts["hb-spread"])
        fig.segment(
            "x0", "y", "x1", "y", source=seg, line_width=3, line_alpha=0.6, line_color="#555555", line_dash="dashed"
        )
    source = ColumnDataSource(name="hb-events", **parts["hb-events"])
    points = fig.scatter(
        "x",
        "y",
        source=source,
        marker="marker",
        size=16,
        fill_color="colour",
        fill_alpha="alpha",
        line_color=OUTLINE,
        line_width=2,
        line_dash="dash",
    )
    fig.add_tools(
        HoverTool(
            renderers=[points],
            tooltips=TIP.format(head="@when: @label", body="@desc<br><i>Date: @certainty. Source: @src</i>"),
        )
    )
    _tap(fig, source, [points])
    fig.ygrid.grid_line_alpha = 0.3
    return fig


def cross_timeline_shape(data: dict[str, Any]) -> list[int]:
    """Cross-case timelines are all the same models (see timeline_shape)."""
    return []


def cross_timeline_height(data: dict[str, Any]) -> int:
    return 90 + 40 * len(data["rows"])


def cross_timeline_parts(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every value of the cross-case timeline that depends on its data, by model name."""
    rows = data["rows"]
    names = [r["name"] for r in rows]
    cal = [min(r["first"] for r in rows) - 1, max(r["last"] for r in rows) + 1]
    aligned = [r for r in rows if r["trigger"] is not None]
    rel = [
        min((r["first"] - r["trigger"] for r in aligned), default=-5) - 1,
        max((r["last"] - r["trigger"] for r in aligned), default=5) + 1,
    ]
    ev = [(r, e) for r in rows for e in r["events"]]
    outside = _outside(rows, cal, rel)
    return {
        "hb-cross": {"height": cross_timeline_height(data)},
        # the JS switch reads the two views' bounds from the range's tags
        "hb-cross-range": {"start": cal[0], "end": cal[1], "tags": [*cal, *rel]},
        "hb-cross-y": {"factors": list(reversed(names))},
        "hb-cross-lines": {
            "data": {
                "x0_cal": [r["first"] for r in rows],
                "x1_cal": [r["last"] for r in rows],
                "x0_rel": [r["first"] - r["trigger"] if r["trigger"] is not None else math.nan for r in rows],
                "x1_rel": [r["last"] - r["trigger"] if r["trigger"] is not None else math.nan for r in rows],
                "x0": [r["first"] for r in rows],
                "x1": [r["last"] for r in rows],
                "y": names,
                "url": [r["url"] for r in rows],
                "label": [f"Open the {r['name']} case study" for r in rows],
            }
        },
        "hb-cross-points": {
            "data": {
                "x_cal": [e["year"] for _, e in ev],
                "x_rel": [e["year"] - r["trigger"] if r["trigger"] is not None else math.nan for r, e in ev],
                "x": [e["year"] for _, e in ev],
                "y": [r["name"] for r, _ in ev],
                "label": [e["label"] for _, e in ev],
                "when": [e["when"] for _, e in ev],
                "type": [e["type"] for _, e in ev],
                "colour": [EVENT_STYLE[e["type"]][0] for _, e in ev],
                "marker": [EVENT_STYLE[e["type"]][1] for _, e in ev],
                "alpha": [1.0 if e["certainty"] == "sure" else 0.25 for _, e in ev],
                "url": [e["url"] for _, e in ev],
            }
        },
        # a note at the chart's left edge on each row with events before the years shown
        "hb-cross-outside": {
            "data": {
                "x_cal": [cal[0] for _ in outside],
                "x_rel": [rel[0] for _ in outside],
                "x": [cal[0] for _ in outside],
                "y": [r["name"] for r, _, _ in outside],
                "text_cal": [t for _, t, _ in outside],
                "text_rel": [t for _, _, t in outside],
                "text": [t for _, t, _ in outside],
            }
        },
    }


def outside_note(years: list[int]) -> str:
    """'◀ 7 earlier events (1800–1955)': the events of a row that fall before the years shown."""
    span = f"{min(years)}–{max(years)}" if min(years) != max(years) else str(years[0])
    return f"◀ {len(years)} earlier event{'s' if len(years) != 1 else ''} ({span}), not shown"


def _outside(rows: list[dict[str, Any]], cal: list[int], rel: list[int]) -> list[tuple[dict[str, Any], str, str]]:
    """(row, note in calendar years, note in years since the trigger) for every row with events
    before the start of the shown range (a case's events before its period, e.g. Pittsburgh's)."""
    found = []
    for r in rows:
        early_cal = [e["year"] for e in r["events"] if e["year"] < cal[0]]
        shift = r["trigger"] if r["trigger"] is not None else None
        early_rel = [e["year"] for e in r["events"] if shift is not None and e["year"] - shift < rel[0]]
        if early_cal or early_rel:
            found.append(
                (r, outside_note(early_cal) if early_cal else "", outside_note(early_rel) if early_rel else "")
            )
    return found


def cross_timeline(data: dict[str, Any]) -> Any:
    """Every case with a timeline, one row each; x is the calendar year or years since the trigger.
    Every value that depends on the data comes from `cross_timeline_parts`."""
    from bokeh.models import ColumnDataSource, HoverTool

    parts = cross_timeline_parts(data)
    fig = _years_figure(parts, "hb-cross", "hb-cross-y", "hb-cross-range")
    lines = ColumnDataSource(name="hb-cross-lines", **parts["hb-cross-lines"])
    row_glyph = fig.segment("x0", "y", "x1", "y", source=lines, line_width=10, line_alpha=0.18, line_color="#0072B2")
    points = ColumnDataSource(name="hb-cross-points", **parts["hb-cross-points"])
    dots = fig.scatter(
        "x",
        "y",
        source=points,
        marker="marker",
        size=13,
        fill_color="colour",
        fill_alpha="alpha",
        line_color=OUTLINE,
        line_width=1.5,
    )
    fig.add_tools(HoverTool(renderers=[dots], tooltips=TIP.format(head="@y, @when: @label", body="@type")))
    fig.add_tools(HoverTool(renderers=[row_glyph], tooltips=TIP.format(head="@label", body="")))
    _tap(fig, points, [dots])
    _tap(fig, lines, [row_glyph])
    outside = ColumnDataSource(name="hb-cross-outside", **parts["hb-cross-outside"])
    fig.text(
        "x",
        "y",
        text="text",
        source=outside,
        x_offset=4,
        y_offset=-9,
        text_align="left",
        text_baseline="bottom",
        text_font_size="11px",
        text_font_style="italic",
        text_color="#333333",
    )
    return fig


TRIANGLE_HEIGHT = 260  # px
CURVE_HEIGHT = 300  # px, the lifecycle curve


def triangle_shape(data: dict[str, Any]) -> list[int]:
    """Triangles differ in models only by how many links they draw (see timeline_shape)."""
    return [len(data["links"])]


def triangle_parts(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every value of a strategic triangle that depends on its data, by the name of its model."""
    parts: dict[str, dict[str, Any]] = {}
    for i, link in enumerate(data["links"]):
        (x0, y0), (x1, y1) = CORNER_POS[link["source"]], CORNER_POS[link["target"]]
        dx, dy = x1 - x0, y1 - y0
        norm = math.hypot(dx, dy)
        ox, oy = -dy / norm * 0.035, dx / norm * 0.035  # offset so two-way links do not overlap
        shrink = 0.16
        colour = "#B00020" if link["strength"] == "broken" else "#333333"
        parts[f"hb-link-{i}"] = {
            "x_start": x0 + dx * shrink + ox,
            "y_start": y0 + dy * shrink + oy,
            "x_end": x1 - dx * shrink + ox,
            "y_end": y1 - dy * shrink + oy,
            "line_color": colour,
            "line_dash": "solid" if link["strength"] == "strong" else "dashed",  # weak links dashed
        }
        parts[f"hb-head-{i}"] = {"line_color": colour}
    corners = list(CORNER_POS)
    weight = {c: data["corners"][c]["weight"].replace("-", " ") for c in corners}
    parts["hb-corners"] = {
        "data": {
            "x": [CORNER_POS[c][0] for c in corners],
            "y": [CORNER_POS[c][1] for c in corners],
            "size": [WEIGHT_SIZE[data["corners"][c]["weight"]] for c in corners],
            "colour": [CORNER_COLOUR[c] for c in corners],
            "name": [CORNER_LABEL[c] for c in corners],
            "weight": [weight[c] for c in corners],
            "note": [data["corners"][c]["note"] for c in corners],
            "label_y": [CORNER_POS[c][1] - 0.13 if c != "authority" else CORNER_POS[c][1] + 0.09 for c in corners],
            "text": [f"{CORNER_SHORT[c]} ({weight[c]})" for c in corners],
        }
    }
    return parts


def triangle(data: dict[str, Any]) -> Any:
    """Moore's strategic triangle: corners sized by weight, arrows for influence, weak links dashed.
    Every value that depends on the data comes from `triangle_parts`."""
    from bokeh.models import Arrow, ColumnDataSource, HoverTool, LabelSet, OpenHead, Range1d

    parts = triangle_parts(data)
    fig = _figure(
        height=TRIANGLE_HEIGHT,
        x_range=Range1d(-0.12, 1.12),
        y_range=Range1d(-0.08, 1.05),
        tools="",
        toolbar_location=None,
        min_width=200,
        max_width=440,
    )
    fig.axis.visible = False
    fig.grid.visible = False
    fig.outline_line_color = None
    ring = [CORNER_POS[c] for c in ("authority", "capacity", "value", "authority")]
    fig.line([p[0] for p in ring], [p[1] for p in ring], line_color="#dddddd", line_width=1)
    for i in range(len(data["links"])):
        fig.add_layout(
            Arrow(
                name=f"hb-link-{i}",
                end=OpenHead(name=f"hb-head-{i}", size=11, line_width=2, **parts[f"hb-head-{i}"]),
                line_width=2.5,
                **parts[f"hb-link-{i}"],
            )
        )
    source = ColumnDataSource(name="hb-corners", **parts["hb-corners"])
    marks = fig.scatter(
        "x",
        "y",
        source=source,
        marker="triangle",
        size="size",
        fill_color="colour",
        line_color="#222222",
        fill_alpha=0.85,
    )
    fig.add_layout(
        LabelSet(
            x="x",
            y="label_y",
            text="text",
            source=source,
            text_align="center",
            text_font_size="11px",
            text_color="#222222",
        )
    )
    fig.add_tools(HoverTool(renderers=[marks], tooltips=TIP.format(head="@name: @weight", body="@note")))
    return fig


CURVE_BAND = 2.0  # x units per phase


def lifecycle_curve_shape(data: dict[str, Any]) -> list[int]:
    """Lifecycle curves are all the same models (see timeline_shape)."""
    return []


def lifecycle_curve_parts(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every value of the lifecycle curve that depends on its data (the phases), by model name."""
    phases = data["phases"]
    width = CURVE_BAND
    xs = [i / 20 for i in range(0, int(width * len(phases) * 20) + 1)]
    mid = width * len(phases) * 0.55
    return {
        "hb-curve-x": {"end": width * len(phases)},
        "hb-curve-bands": {
            "data": {
                "left": [i * width for i in range(len(phases))],
                "right": [(i + 1) * width for i in range(len(phases))],
                "colour": [PHASE_COLOURS[p["number"] % 5] for p in phases],
                "name": [f"{p['number']}. {p['name']}" for p in phases],
                "summary": [p["summary"] for p in phases],
                "tap": [f"Phase {p['number']}: {p['name']}" for p in phases],
                "url": [p["url"] for p in phases],
                "mid": [(i + 0.5) * width for i in range(len(phases))],
                "label_y": [0.97 for _ in phases],
            }
        },
        "hb-curve-line": {"data": {"x": xs, "y": [0.06 + 0.86 / (1 + math.exp(-(x - mid) * 0.9)) for x in xs]}},
    }


def lifecycle_curve(data: dict[str, Any]) -> Any:
    """Value created over time through the five phases (after the report's Figures 2 and A1).
    Every value that depends on the data comes from `lifecycle_curve_parts`."""
    from bokeh.models import ColumnDataSource, HoverTool, Label, LabelSet, Range1d, Span

    parts = lifecycle_curve_parts(data)
    width = CURVE_BAND
    fig = _figure(
        height=CURVE_HEIGHT,
        x_range=Range1d(name="hb-curve-x", start=0, **parts["hb-curve-x"]),
        y_range=Range1d(0, 1.02),
        tools="",
    )
    fig.xaxis.axis_label = "Time"
    fig.yaxis.axis_label = "Public value created"
    fig.xaxis.major_label_text_font_size = "0px"
    fig.yaxis.major_label_text_font_size = "0px"
    bands = ColumnDataSource(name="hb-curve-bands", **parts["hb-curve-bands"])
    quads = fig.quad(
        left="left",
        right="right",
        bottom=0,
        top=1.0,
        source=bands,
        fill_color="colour",
        fill_alpha=0.15,
        line_color="#ffffff",
        line_width=2,
    )
    # Upright labels, each inside its own band, so they never run into each other however narrow
    # the chart (side by side, five names need about 600 px).
    fig.add_layout(
        LabelSet(
            x="mid",
            y="label_y",
            text="name",
            source=bands,
            angle=math.pi / 2,
            text_align="right",
            text_baseline="middle",
            text_font_size="11px",
            text_color="#222222",
            background_fill_color="#ffffff",
            background_fill_alpha=0.75,
        )
    )
    line = ColumnDataSource(name="hb-curve-line", **parts["hb-curve-line"])
    fig.line("x", "y", source=line, line_width=3, line_color="#222222")
    fig.add_layout(Span(location=width, dimension="height", line_dash="dashed", line_color="#D55E00"))
    fig.add_layout(
        Label(
            x=width,
            y=0.3,
            x_offset=-3,
            text="Trigger point",
            angle=math.pi / 2,
            text_baseline="bottom",
            text_font_size="11px",
            text_color="#A04000",
        )
    )
    fig.add_tools(HoverTool(renderers=[quads], tooltips=TIP.format(head="@name", body="@summary")))
    _tap(fig, bands, [quads])
    return fig


def evidence_map_shape(data: dict[str, Any]) -> list[int]:
    """Evidence maps are all the same models (see timeline_shape)."""
    return []


def evidence_map_height(data: dict[str, Any]) -> int:
    return 120 + 24 * len(data["factors"])


def evidence_map_parts(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every value of the evidence map that depends on its data, by model name."""
    factors, cases, cells = data["factors"], data["cases"], data["cells"]
    return {
        "hb-evidence": {"height": evidence_map_height(data)},
        "hb-evidence-x": {"factors": list(cases)},
        "hb-evidence-y": {"factors": list(reversed(factors))},
        "hb-evidence-cells": {
            "data": {
                "x": [c["case"] for c in cells],
                "y": [c["factor"] for c in cells],
                "colour": [ROLE_STYLE[c["role"]][0] if c["role"] else "#F2F2F2" for c in cells],
                "letter": [ROLE_STYLE[c["role"]][1] if c["role"] else "" for c in cells],
                "role": [c["role"] or "not found in this case" for c in cells],
                "meaning": [c["meaning"] for c in cells],
                "tap": [f"{c['factor']} in {c['case']}: {c['role'] or 'not found'}" for c in cells],
                "url": [c["url"] for c in cells],
            }
        },
    }


def evidence_map(data: dict[str, Any]) -> Any:
    """Factors (rows) by cases (columns); each cell shows the factor's role there, gaps stay visible.
    Every value that depends on the data comes from `evidence_map_parts`."""
    from bokeh.models import ColumnDataSource, FactorRange, HoverTool

    parts = evidence_map_parts(data)
    fig = _figure(
        name="hb-evidence",
        height=parts["hb-evidence"]["height"],
        x_range=FactorRange(name="hb-evidence-x", **parts["hb-evidence-x"]),
        y_range=FactorRange(name="hb-evidence-y", **parts["hb-evidence-y"]),
        tools="",
        x_axis_location="above",
    )
    # Upright labels, each centred on its own column: tilted ones ran over their neighbours'.
    fig.xaxis.major_label_orientation = "vertical"
    fig.grid.visible = False
    source = ColumnDataSource(name="hb-evidence-cells", **parts["hb-evidence-cells"])
    rects = fig.rect("x", "y", 0.94, 0.9, source=source, fill_color="colour", line_color="#cccccc", fill_alpha=0.85)
    fig.text(
        "x",
        "y",
        text="letter",
        source=source,
        text_align="center",
        text_baseline="middle",
        text_color="#000000",  # at least 5.3:1 on every role colour
        text_font_style="bold",
        text_font_size="12px",
    )
    fig.add_tools(HoverTool(renderers=[rects], tooltips=TIP.format(head="@y in @x: @role", body="@meaning")))
    _tap(fig, source, [rects])
    return fig


@dataclass(frozen=True)
class Figure:
    """One kind of chart: the function that draws it and, for kinds drawn from a prototype (see
    generator/charts/bokeh_json.py), the functions giving its data-dependent values (`parts`, by
    model name) and what makes two charts of the kind different models (`shape`)."""

    draw: Callable[[dict[str, Any]], Any]
    height: Callable[[dict[str, Any]], int]  # the drawn chart's height in pixels, known before drawing
    parts: Callable[[dict[str, Any]], dict[str, dict[str, Any]]] | None = None
    shape: Callable[[dict[str, Any]], list[int]] | None = None


FIGURES: dict[str, Figure] = {  # chart kind (a plan's Spec.kind) -> its figure
    "timeline": Figure(timeline, timeline_height, timeline_parts, timeline_shape),
    "cross_timeline": Figure(cross_timeline, cross_timeline_height, cross_timeline_parts, cross_timeline_shape),
    "evidence_map": Figure(evidence_map, evidence_map_height, evidence_map_parts, evidence_map_shape),
    "triangle": Figure(triangle, lambda d: TRIANGLE_HEIGHT, triangle_parts, triangle_shape),
    "lifecycle_curve": Figure(lifecycle_curve, lambda d: CURVE_HEIGHT, lifecycle_curve_parts, lifecycle_curve_shape),
}
