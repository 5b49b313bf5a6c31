"""Drawing the planned charts (generator/charts/draw.py): chart files, the static first views, and the
optional chart cache (generator/speed/charts.py), with which or without which the charts are the same."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import REPO

from generator.charts import draw as draw_module
from generator.charts import figures, shipped
from generator.charts.draw import (
    Charts,
    build_charts,
    chart_file,
    chart_item,
    chart_path,
    draw,
    draw_all,
    draw_planned,
    plan_charts,
)
from generator.charts.plan import chart_plan, chart_specs
from generator.pipeline import check
from generator.speed.charts import SOURCES_FILE, ChartCache


def _timelines(root: Path) -> dict[str, dict]:
    index = check(root)
    return {name: data for name, (kind, data, _) in chart_specs(index).items() if kind == "timeline"}


@pytest.mark.parametrize("shipped_prototypes", [True, False])
def test_cache_serves_a_second_build_and_follows_the_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shipped_prototypes: bool
) -> None:
    """With the prototypes shipped with the generator, the cache keeps the charts; without them
    (another Bokeh, changed chart code), the prototypes Bokeh drew too."""
    if not shipped_prototypes:
        monkeypatch.setattr(shipped, "FOLDER", tmp_path / "none")
    tmp_path = tmp_path / "cache"
    specs = dict(list(_timelines(REPO).items())[:2])
    first = draw_all({n: ("timeline", d) for n, d in specs.items()}, ChartCache(tmp_path))
    files = sorted(p.name for p in tmp_path.iterdir())
    prototypes = 0 if shipped_prototypes else len({tuple(figures.timeline_shape(d)) for d in specs.values()})
    assert len(files) == 2 + prototypes
    assert draw_all({n: ("timeline", d) for n, d in specs.items()}, ChartCache(tmp_path)) == first
    assert sorted(p.name for p in tmp_path.iterdir()) == files  # nothing new drawn
    name, data = next(iter(specs.items()))
    changed = json.loads(json.dumps(data))
    changed["events"][0]["label"] = "A label nobody wrote"
    again = draw_all({name: ("timeline", changed)}, ChartCache(tmp_path))
    assert "A label nobody wrote" in again[name] and again[name] != first[name]


def test_a_cache_without_a_folder_keeps_and_finds_nothing(tmp_path: Path) -> None:
    index = check(REPO)
    cache = ChartCache(None)
    name, data = next(iter(_timelines(REPO).items()))
    assert cache.drawn(name, "timeline", data, chart_path(name, "timeline", data)) is None
    cache.keep(name, "{}")
    cache.save()
    assert cache.prototype("timeline", figures.timeline_shape(data)) is None
    spec = next(iter(chart_plan(index).values()))
    assert cache.unchanged(index, "x", spec) is None
    assert list(tmp_path.iterdir()) == []


@pytest.fixture(scope="module")
def uncached() -> Charts:
    return build_charts(check(REPO), None)


def test_charts_are_byte_identical_with_no_cache_a_cold_cache_and_a_warm_one(tmp_path: Path, uncached: Charts) -> None:
    index = check(REPO)
    assert build_charts(index) == uncached  # no cache given at all
    assert build_charts(index, ChartCache(None)) == uncached
    cold = build_charts(index, ChartCache(tmp_path))
    kept = sorted(p.name for p in tmp_path.iterdir())
    assert SOURCES_FILE in kept and len(kept) > len(uncached.files)  # every chart, the prototypes, the map
    warm_cache = ChartCache(tmp_path)
    warm = build_charts(index, warm_cache)
    assert len(warm_cache.used) == len(uncached.html)  # every chart found by the files it comes from
    assert cold == uncached and warm == uncached
    assert sorted(p.name for p in tmp_path.iterdir()) == kept  # the warm build drew nothing new
    for path, script in uncached.files.items():
        assert cold.files[path] == script and warm.files[path] == script, path


def test_a_warm_build_takes_every_chart_from_the_cache_without_drawing(
    tmp_path: Path, uncached: Charts, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = check(REPO)
    build_charts(index, ChartCache(tmp_path))
    from generator.charts import bokeh_json

    def refuse(*args: object) -> None:
        pytest.fail("a chart was drawn although the cache held it")

    monkeypatch.setattr(bokeh_json, "draw_item", refuse)
    monkeypatch.setattr(bokeh_json, "fill_prototype", refuse)
    assert build_charts(index, ChartCache(tmp_path)) == uncached


def test_a_chart_file_is_named_by_its_input_and_round_trips(monkeypatch: pytest.MonkeyPatch) -> None:
    data = {
        "corners": {c: {"weight": "small", "note": "</script>"} for c in ("authority", "capacity", "value")},
        "links": [],
    }
    item = draw("triangle-x", "triangle", data)
    path = chart_path("triangle-x", "triangle", data)
    assert re.fullmatch(r"assets/charts/[0-9a-f]{20}\.js", path)
    assert chart_item(chart_file(path, item)) == json.loads(item)
    assert chart_path("triangle-x", "triangle", json.loads(json.dumps(data))) == path  # the same input, the same name
    other = json.loads(json.dumps(data))
    other["corners"]["value"]["weight"] = "large"
    assert chart_path("triangle-x", "triangle", other) != path  # another input
    assert chart_path("triangle-y", "triangle", data) != path  # another chart (its ids are named after it)
    monkeypatch.setattr(draw_module, "code_version", lambda: "the charts' code changed")
    assert chart_path("triangle-x", "triangle", data) != path  # another drawing of the same input


def test_pages_name_every_chart_before_bokeh_has_drawn_any(uncached: Charts, monkeypatch: pytest.MonkeyPatch) -> None:
    """What lets the build write the pages and start MkDocs while the charts are drawn (pipeline.build):
    the snippets come from the plan alone and are those of the drawn charts."""
    from generator.charts import bokeh_json

    index = check(REPO)
    with monkeypatch.context() as m:
        for name in ("draw_item", "fill_prototype", "prototype_item", "import_bokeh"):
            m.setattr(bokeh_json, name, lambda *a: pytest.fail("Bokeh was asked to draw while planning"))
        planned = plan_charts(index)
    assert planned.html == uncached.html and planned.files == {}
    assert {planned.paths[name] for name in planned.todo} == set(uncached.files)
    assert draw_planned(planned) == uncached.files


# --- what a page holds before a chart is drawn (issue 17) ---------------------------------------------


def test_every_chart_box_is_reserved_at_its_drawn_height_and_has_a_static_picture(uncached: Charts) -> None:
    for name, snippet in uncached.html.items():
        src = re.search(r'data-bokeh-src="([^"]+)"', snippet).group(1)  # type: ignore[union-attr]  # no match fails the test here
        item = chart_item(uncached.files["assets/" + src])
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
