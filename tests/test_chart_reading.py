"""Charts that read right (issue 19 points 2, 3, 4, 7, 9; issue 18 point 2), checked on the charts'
Bokeh JSON and the generated pages of the real handbook. The browser side is in
tests/test_chart_reading_browser.py."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from conftest import REPO

from generator.charts import draw, figures
from generator.charts import plan as charts
from generator.output.pages import Settings, render_pages
from generator.pipeline import check
from generator.stages.index import case_uses

SETTINGS = Settings("Test Handbook", "https://handbook.example.org/", "", "2026-11-30")


@pytest.fixture(scope="module")
def index() -> Any:
    return check(REPO)


@pytest.fixture(scope="module")
def built(index: Any) -> draw.Charts:
    return draw.build_charts(index, None)


@pytest.fixture(scope="module")
def drawn(built: draw.Charts) -> dict[str, dict[str, Any]]:
    """{chart name: Bokeh JSON} of every chart, as the build writes them."""
    out = {}
    for snippet in built.html.values():
        name = re.search(r'id="chart-([^"]+)"', snippet).group(1)  # type: ignore[union-attr]  # no match fails the test here
        src = re.search(r'data-bokeh-src="([^"]+)"', snippet).group(1)  # type: ignore[union-attr]  # no match fails the test here
        out[name] = draw.chart_item(built.files["assets/" + src])
    return out


@pytest.fixture(scope="module")
def pages(index: Any, built: draw.Charts) -> dict[str, str]:
    return render_pages(index, SETTINGS, REPO / "site_templates", built.html)


def _models(value: Any) -> list[dict[str, Any]]:
    """Every Bokeh model object in a chart's JSON."""
    found = []
    if isinstance(value, dict):
        if value.get("type") == "object":
            found.append(value)
        for v in value.values():
            found += _models(v)
    elif isinstance(value, list):
        for v in value:
            found += _models(v)
    return found


def _named(item: dict[str, Any], name: str) -> dict[str, Any]:
    matches = [m for m in _models(item) if m.get("attributes", {}).get("name") == name]
    assert len(matches) == 1, name
    return matches[0]["attributes"]


def _data(attrs: dict[str, Any]) -> dict[str, Any]:
    return dict(attrs["data"]["entries"])


def test_timelines_have_no_active_drag_so_a_swipe_scrolls_the_page(drawn: dict[str, dict]) -> None:
    timelines = {n: i for n, i in drawn.items() if n.startswith("timeline-") or n == "cross-timeline"}
    assert len(timelines) >= 8
    for name, item in timelines.items():
        toolbars = [m["attributes"] for m in _models(item) if m["name"] == "Toolbar"]
        assert toolbars, name
        for toolbar in toolbars:
            # None (JSON null) means no tool is active; a missing key would be Bokeh's "auto"
            assert "active_drag" in toolbar and toolbar["active_drag"] is None, name
            assert "active_scroll" in toolbar and toolbar["active_scroll"] is None, name
        tools = [m["name"] for t in toolbars for m in _models(t.get("tools", []))]
        assert "PanTool" in tools, name  # panning stays available from the toolbar


def test_cross_timeline_axis_can_be_found_by_name(drawn: dict[str, dict]) -> None:
    axis = _named(drawn["cross-timeline"], "hb-cross-xaxis")
    assert axis["axis_label"] == "Year"


def test_cross_timeline_notes_the_events_before_its_years(drawn: dict[str, dict], index: Any) -> None:
    item = drawn["cross-timeline"]
    rng = _named(item, "hb-cross-range")
    cal_start, rel_start = rng["tags"][0], rng["tags"][2]
    points = _data(_named(item, "hb-cross-points"))
    outside = _data(_named(item, "hb-cross-outside"))
    notes = dict(zip(outside["y"], outside["text_cal"], strict=True))
    rel_notes = dict(zip(outside["y"], outside["text_rel"], strict=True))
    for row in set(points["y"]):
        early = sorted(x for x, y in zip(points["x_cal"], points["y"], strict=True) if y == row and x < cal_start)
        if early:
            assert notes[row] == figures.outside_note(early), row
        else:
            assert not notes.get(row), row
        rel_early = [x for x, y in zip(points["x_rel"], points["y"], strict=True) if y == row and x < rel_start]
        assert bool(rel_notes.get(row)) == bool(rel_early), row
    # the report's Pittsburgh story starts long before its timeline's period (issue 19 point 3)
    assert notes["Pittsburgh"].startswith("◀ 7 earlier events (1800–1955)")


def test_cross_timeline_text_version_names_the_events_not_on_the_chart(pages: dict[str, str]) -> None:
    text = re.search(r'id="chart-cross-timeline-text">(.*?)</p>', pages["cases/index.md"], re.S).group(1)  # type: ignore[union-attr]  # no match fails the test here
    assert "Not on the chart" in text and "Pittsburgh, 7 earlier events (1800–1955)" in text


def test_evidence_map_labels_sit_on_their_own_columns(drawn: dict[str, dict], index: Any) -> None:
    item = drawn["evidence-map"]
    columns = _named(item, "hb-evidence-x")["factors"]
    assert columns == [charts.plain(c.short_title, 60) for c in index.all("case-study")]
    assert len(columns) == len(set(columns))  # one column (and one label) per case
    cells = _data(_named(item, "hb-evidence-cells"))
    rows = _named(item, "hb-evidence-y")["factors"]
    assert len(cells["x"]) == len(columns) * len(rows)
    # every case's cells are in that case's column: a factor found in the case has its letter there
    for case in index.all("case-study"):
        title = charts.plain(case.short_title, 60)
        found = {charts.plain(index.get("factor", u.use.factor).name, 80) for u in case_uses(case)}
        marked = {
            y
            for x, y, r in zip(cells["x"], cells["y"], cells["role"], strict=True)
            if x == title and r in charts.ROLE_ORDER
        }
        assert marked == found, title
    # upright labels: each is centred on its tick and as wide as a line of text, so none runs over
    # its neighbours' columns (tilted at 0.8 rad they did, and the last column looked unlabelled)
    axes = [m for m in _models(item) if m["name"] == "CategoricalAxis"]
    top = [a["attributes"] for a in axes if a["attributes"].get("major_label_orientation") == "vertical"]
    assert len(top) == 1


def test_evidence_map_rows_are_by_kind_then_name(drawn: dict[str, dict], index: Any) -> None:
    rows = list(reversed(_named(drawn["evidence-map"], "hb-evidence-y")["factors"]))  # top row first
    kinds = {charts.plain(f.name, 80): f.category for f in index.all("factor")}
    order = [charts.ROLE_ORDER.index(kinds[r]) for r in rows]
    assert order == sorted(order) and set(order) == {0, 1, 2}
    for k in range(3):
        names = [r.lower() for r, o in zip(rows, order, strict=True) if o == k]
        assert names == sorted(names)


def test_every_phase_band_is_marked_as_the_handbooks_reading(
    drawn: dict[str, dict], pages: dict[str, str], index: Any
) -> None:
    cases = [c for c in index.all("case-study") if c.phase_spans and c.timeline]
    assert {c.id for c in cases} >= {"highlands", "knowsley", "south-tyneside", "tower-hamlets", "pittsburgh"}
    for case in cases:
        item = drawn[f"timeline-{case.id}"]
        bands = [m for m in _models(item) if str(m.get("attributes", {}).get("name", "")).startswith("hb-phase-label-")]
        assert len(bands) == len(case.phase_spans), case.id
        note = _named(item, "hb-phase-note")
        assert note["text"].replace("\n", " ") == figures.PHASE_NOTE and "handbook" in note["text"]
        page = pages[f"cases/{case.id}.md"]
        legend = re.search(r'<ul class="hb-legend" aria-label="Legend of the timeline">(.*?)</ul>', page, re.S)
        assert legend and html.escape(figures.PHASE_NOTE) in legend.group(1), case.id
        text = re.search(rf'id="chart-timeline-{case.id}-text"[^>]*>(.*?)</p>', page, re.S).group(1)  # type: ignore[union-attr]  # no match fails the test here
        assert "the handbook's reading" in text and "dates none" in text, case.id
        for span in case.phase_spans:
            name = index.get("phase", span.phase).name
            when = (
                f"{span.start}–{span.end}"
                if span.end and span.end != span.start
                else (str(span.start) if span.end else f"from {span.start}")
            )
            assert f"{name} {when}" in text, (case.id, name, when)
    # and a timeline without bands says nothing about them
    for case in index.all("case-study"):
        if case.timeline and not case.phase_spans:
            assert not [
                m
                for m in _models(drawn[f"timeline-{case.id}"])
                if m.get("attributes", {}).get("name") == "hb-phase-note"
            ]


def test_timeline_legends_key_every_marker_shape_on_the_chart(
    drawn: dict[str, dict], pages: dict[str, str], index: Any
) -> None:
    from generator.charts.legends import _SHAPES

    for case in index.all("case-study"):
        if not case.timeline:
            continue
        events = _data(_named(drawn[f"timeline-{case.id}"], "hb-events"))
        legend = re.search(
            r'<ul class="hb-legend" aria-label="Legend of the timeline">(.*?)</ul>', pages[f"cases/{case.id}.md"], re.S
        ).group(1)  # type: ignore[union-attr]  # no match fails the test here
        for marker, colour, kind in {
            (m, c, t) for m, c, t in zip(events["marker"], events["colour"], events["y"], strict=True)
        }:
            assert f'<path d="{_SHAPES[marker]}" fill="{colour}"' in legend and f"</svg> {kind}</li>" in legend, (
                case.id,
                kind,
            )


def test_triangle_legends_explain_their_links(pages: dict[str, str], index: Any) -> None:
    broken = [t for t in index.all("triangle") if any(lk.strength == "broken" for lk in t.links)]
    assert broken
    for tri in index.all("triangle"):
        page = pages[f"triangles/{tri.id}.md"] if f"triangles/{tri.id}.md" in pages else None
        if page is None:
            continue
        legend = re.search(r'<ul class="hb-legend" aria-label="Legend of the triangle">(.*?)</ul>', page, re.S).group(1)  # type: ignore[union-attr]  # no match fails the test here
        for strength in ("strong", "weak", "broken"):
            assert (f"a {strength} link" in legend) == any(lk.strength == strength for lk in tri.links), (
                tri.id,
                strength,
            )


def test_lifecycle_phase_labels_stand_upright_inside_their_bands(drawn: dict[str, dict]) -> None:
    item = drawn["lifecycle-curve"]
    sets = [m["attributes"] for m in _models(item) if m["name"] == "LabelSet"]
    assert len(sets) == 1
    # upright: each label is one line of text wide, narrower than its band even at phone width,
    # so neighbours never collide (side by side they read "0. Lat1. Design and Di2. Mobilisatio")
    angle = sets[0]["angle"]
    assert abs((angle["value"] if isinstance(angle, dict) else angle) - 1.5707963) < 1e-6
    assert sets[0]["x"] == {"type": "field", "field": "mid"}
    bands = [_data(m["attributes"]) for m in _models(item) if m["name"] == "ColumnDataSource"]
    bands = [b for b in bands if "mid" in b]
    assert len(bands) == 1
    assert all(
        left < mid < right
        for left, mid, right in zip(bands[0]["left"], bands[0]["mid"], bands[0]["right"], strict=True)
    )


def test_tap_callbacks_pass_a_name_for_the_first_touch_tap(drawn: dict[str, dict]) -> None:
    codes = {m["attributes"]["code"] for item in drawn.values() for m in _models(item) if m["name"] == "CustomJS"}
    assert codes == {figures.OPEN_JS}
    for item in drawn.values():
        for m in _models(item):
            if m["name"] == "CustomJS":
                ref = m["attributes"]["args"]["entries"][0][1]["id"]
                source = next(s for s in _models(item) if s["id"] == ref and "attributes" in s)
                columns = _data(source["attributes"])
                assert "tap" in columns or "label" in columns, ref
