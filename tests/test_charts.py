"""Charts drawn from templates are the charts Bokeh would draw; chart files and the chart cache."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from conftest import REPO

from generator.charts import figures
from generator.charts import plan as charts
from generator.pipeline import check

if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
from bench import corpus  # noqa: E402


def _timelines(root: Path) -> dict[str, dict]:
    index = check(root)
    return {name: data for name, (builder, data, _) in charts.chart_specs(index).items() if builder == "timeline"}


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """Timelines of 40 synthetic cases: every shape the corpus makes (phase spans, spread events)."""
    return _timelines(corpus.make_project(tmp_path_factory.mktemp("corpus") / "p", 40))


def _direct(name: str, data: dict) -> dict:
    return json.loads(charts.draw(name, "timeline", data))


def _filled(name: str, data: dict, memo: dict) -> dict:
    item = charts.fill_template(charts._template("timeline", data, memo, None), figures.timeline_parts(data), name)
    return json.loads(json.dumps(item, ensure_ascii=False))


def test_every_real_timeline_from_its_template_is_what_bokeh_draws() -> None:
    memo: dict = {}
    specs = _timelines(REPO)
    assert len(specs) >= 7
    for name, data in specs.items():
        assert _filled(name, data, memo) == _direct(name, data), name
    assert len(memo) < len(specs)  # some real cases share a template


def test_synthetic_timelines_of_every_shape_match_bokeh(synthetic: dict[str, dict]) -> None:
    memo: dict = {}
    shapes = {tuple(figures.timeline_shape(d)) for d in synthetic.values()}
    assert len(shapes) >= 2
    # one case per shape drawn directly is the template; check two others of each shape besides
    seen: dict[tuple, int] = {}
    for name, data in sorted(synthetic.items()):
        shape = tuple(figures.timeline_shape(data))
        filled = _filled(name, data, memo)
        if seen.get(shape, 0) < 3:
            assert filled == _direct(name, data), name
            seen[shape] = seen.get(shape, 0) + 1


def test_timelines_without_phases_or_spread_events_match_bokeh(synthetic: dict[str, dict]) -> None:
    memo: dict = {}
    for name, data in list(sorted(synthetic.items()))[:3]:
        flat = json.loads(json.dumps(data))
        for event in flat["events"]:
            event["end"], event["other"] = event["year"], []
        bare = {**flat, "phases": []}
        for variant in (flat, bare):
            assert figures.timeline_shape(variant)[1] == 0
            assert _filled(name, variant, memo) == _direct(name, variant), name


def test_a_template_missing_a_named_model_is_refused(synthetic: dict[str, dict]) -> None:
    with_spread = next(iter(synthetic.values()))
    without = json.loads(json.dumps(with_spread))
    for event in without["events"]:
        event["end"], event["other"] = event["year"], []
    template = charts.draw_item(charts.TEMPLATE_ID, "timeline", without)
    with pytest.raises(ValueError, match="hb-spread"):
        charts.fill_template(template, figures.timeline_parts(with_spread), "x")


def test_ids_are_renamed_for_the_chart() -> None:
    name, data = next(iter(_timelines(REPO).items()))
    item = _filled(name, data, {})
    ids = [v for k, v in _pairs(item) if k in ("id", "root_id")]
    assert ids and all(i.startswith(name + "-") for i in ids)


def _pairs(value: object):
    if isinstance(value, dict):
        for k, v in value.items():
            yield k, v
            yield from _pairs(v)
    elif isinstance(value, list):
        for v in value:
            yield from _pairs(v)


def test_cache_serves_a_second_build_and_follows_the_input(tmp_path: Path) -> None:
    specs = dict(list(_timelines(REPO).items())[:2])
    first = charts.draw_all({n: ("timeline", d) for n, d in specs.items()}, tmp_path)
    files = sorted(p.name for p in tmp_path.iterdir())
    assert len(files) == 2 + len({tuple(figures.timeline_shape(d)) for d in specs.values()})  # charts + templates
    assert charts.draw_all({n: ("timeline", d) for n, d in specs.items()}, tmp_path) == first
    assert sorted(p.name for p in tmp_path.iterdir()) == files  # nothing new drawn
    name, data = next(iter(specs.items()))
    changed = json.loads(json.dumps(data))
    changed["events"][0]["label"] = "A label nobody wrote"
    again = charts.draw_all({name: ("timeline", changed)}, tmp_path)
    assert "A label nobody wrote" in again[name] and again[name] != first[name]


def test_chart_file_round_trips_and_is_named_by_content() -> None:
    item = charts.draw(
        "triangle-x",
        "triangle",
        {
            "corners": {c: {"weight": "small", "note": "</script>"} for c in ("authority", "capacity", "value")},
            "links": [],
        },
    )
    path, script = charts.chart_file(item)
    assert path.startswith("assets/charts/") and path.endswith(".js")
    assert charts.chart_item(script) == json.loads(item)
    assert charts.chart_file(item) == (path, script)
    assert charts.chart_file(item.replace("small", "large"))[0] != path


@pytest.mark.parametrize("name", ["cross-timeline", "evidence-map"])
def test_cross_case_charts_from_their_template_are_what_bokeh_draws(tmp_path: Path, name: str) -> None:
    specs = charts.chart_specs(check(REPO))
    builder, data, _ = specs[name]
    assert builder in charts.TEMPLATED
    filled = charts.fill_template(charts._template(builder, data, {}, None), charts._parts(builder, data), name)
    assert json.loads(json.dumps(filled, ensure_ascii=False)) == json.loads(charts.draw(name, builder, data))
    # a template drawn from other data (here: only the first case) fills in to the same chart
    index = check(corpus.make_project(tmp_path / "p", 12))
    other = charts.chart_specs(index)[name][1]
    template = charts._template(builder, other, {}, None)
    filled = charts.fill_template(template, charts._parts(builder, data), name)
    assert json.loads(json.dumps(filled, ensure_ascii=False)) == json.loads(charts.draw(name, builder, data))


# --- what a page holds before a chart is drawn (issue 17) ---------------------------------------------


@pytest.fixture(scope="module")
def real_charts(tmp_path_factory: pytest.TempPathFactory) -> charts.Charts:
    return charts.build_charts(check(REPO), tmp_path_factory.mktemp("chart-cache"))


def test_every_chart_box_is_reserved_at_its_drawn_height_and_has_a_static_picture(real_charts: charts.Charts) -> None:
    import re

    for name, snippet in real_charts.html.items():
        src = re.search(r'data-bokeh-src="([^"]+)"', snippet).group(1)  # type: ignore[union-attr]
        item = charts.chart_item(real_charts.files["assets/" + src])
        height = item["doc"]["roots"][0]["attributes"]["height"]
        assert f'style="height:{height}px"' in snippet, name
        assert '<div class="hb-chart-static" aria-hidden="true" data-search-exclude>' in snippet, name
        ids = re.findall(r' id="([^"]+)"', snippet)
        assert len(ids) == len(set(ids)) and all(i.startswith(f"chart-{name}") or name in i for i in ids), ids


def test_a_triangle_picture_shows_its_corners_weights_and_links() -> None:
    from generator.charts.preview import preview

    data = {
        "corners": {
            "authority": {"weight": "large", "note": ""},
            "capacity": {"weight": "small", "note": ""},
            "value": {"weight": "none", "note": ""},
        },
        "links": [{"source": "authority", "target": "capacity", "strength": "broken"}],
    }
    svg = preview("triangle-x", "triangle", lambda: data)
    assert svg.count("<polygon") == 3
    assert "Authority (large)" in svg and "Capacity (small)" in svg and "Value (none)" in svg
    assert svg.count('stroke="#B00020"') == 2 and 'stroke-dasharray="6"' in svg  # a broken link: red, dashed
    assert 'marker-end="url(#hb-triangle-x-head-0)"' in svg
    assert preview("x", "no-such-chart", lambda: pytest.fail("input built for a kind with no picture")) == ""


def test_a_chart_without_a_known_height_reserves_none() -> None:
    item = json.dumps({"doc": {"roots": [{"type": "object", "attributes": {"sizing_mode": "stretch_both"}}]}})
    assert charts.root_height(item) is None
    assert "style=" not in charts.embed("x", "charts/x.js", "A chart of nothing in particular")
