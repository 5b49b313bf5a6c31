"""Bokeh's JSON filled in by hand (generator/charts/bokeh_json.py) is exactly the JSON Bokeh itself
gives (`bokeh.embed.json_item`), for every real chart drawn from a prototype and every shape the
synthetic corpus makes; and the one Bokeh version constant agrees with every other place that names
a Bokeh version."""

from __future__ import annotations

import json
import re
import sys
import tomllib
from pathlib import Path

import pytest
from conftest import REPO

from generator.charts import bokeh_json, figures
from generator.charts.draw import draw, draw_all, embed
from generator.charts.figures import FIGURES
from generator.charts.plan import chart_specs
from generator.pipeline import check

if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
from bench import corpus  # noqa: E402


def _timelines(root: Path) -> dict[str, dict]:
    index = check(root)
    return {name: data for name, (kind, data, _) in chart_specs(index).items() if kind == "timeline"}


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """Timelines of 40 synthetic cases: every shape the corpus makes (phase spans, spread events)."""
    return _timelines(corpus.make_project(tmp_path_factory.mktemp("corpus") / "p", 40))


def _direct(name: str, data: dict, kind: str = "timeline") -> dict:
    """What Bokeh draws (json_item, ids renumbered)."""
    return json.loads(draw(name, kind, data))


def _filled(name: str, data: dict, memo: dict, kind: str = "timeline", template_from: dict | None = None) -> dict:
    """The prototype of the data's shape (drawn from `template_from`, else from `data`), filled in."""
    figure = FIGURES[kind]
    assert figure.parts is not None and figure.shape is not None
    source = template_from if template_from is not None else data
    key = json.dumps([kind, figure.shape(source)])
    if key not in memo:  # drawn once per shape, as draw_all does
        memo[key] = bokeh_json.prototype_item(kind, source)
    prototype = memo[key]
    item = bokeh_json.fill_prototype(prototype, figure.parts(data), name)
    return json.loads(json.dumps(item, ensure_ascii=False))


def test_every_real_timeline_filled_by_hand_is_what_bokeh_draws() -> None:
    memo: dict = {}
    specs = _timelines(REPO)
    assert len(specs) >= 7
    for name, data in specs.items():
        assert _filled(name, data, memo) == _direct(name, data), name
    assert len(memo) < len(specs)  # some real cases share a prototype


def test_synthetic_timelines_of_every_shape_filled_by_hand_match_bokeh(synthetic: dict[str, dict]) -> None:
    memo: dict = {}
    shapes = {tuple(figures.timeline_shape(d)) for d in synthetic.values()}
    assert len(shapes) >= 2
    # one case per shape drawn directly is the prototype; check two others of each shape besides
    seen: dict[tuple, int] = {}
    for name, data in sorted(synthetic.items()):
        shape = tuple(figures.timeline_shape(data))
        filled = _filled(name, data, memo)
        if seen.get(shape, 0) < 3:
            assert filled == _direct(name, data), name
            seen[shape] = seen.get(shape, 0) + 1


def test_timelines_without_phases_or_spread_events_filled_by_hand_match_bokeh(synthetic: dict[str, dict]) -> None:
    memo: dict = {}
    for name, data in list(sorted(synthetic.items()))[:3]:
        flat = json.loads(json.dumps(data))
        for event in flat["events"]:
            event["end"], event["other"] = event["year"], []
        bare = {**flat, "phases": []}
        for variant in (flat, bare):
            assert figures.timeline_shape(variant)[1] == 0
            assert _filled(name, variant, memo) == _direct(name, variant), name


@pytest.mark.parametrize(("name", "kind"), [("cross-timeline", "cross_timeline"), ("evidence-map", "evidence_map")])
def test_cross_case_charts_filled_by_hand_are_what_bokeh_draws(tmp_path: Path, name: str, kind: str) -> None:
    specs = chart_specs(check(REPO))
    spec_kind, data, _ = specs[name]
    assert spec_kind == kind and FIGURES[kind].parts is not None
    assert _filled(name, data, {}, kind) == _direct(name, data, kind)
    # a prototype drawn from other data (here: a synthetic corpus of 12 cases) fills in to the same chart
    other = chart_specs(check(corpus.make_project(tmp_path / "p", 12)))[name][1]
    assert other != data
    assert _filled(name, data, {}, kind, template_from=other) == _direct(name, data, kind)


def test_every_kind_drawn_from_a_template_is_filled_in_by_draw_all() -> None:
    """The registry decides which kinds are filled by hand: those the build draws that way are
    exactly the ones checked above, and each gives the same JSON as Bokeh through draw_all."""
    templated = sorted(kind for kind, f in FIGURES.items() if f.parts is not None)
    assert templated == ["cross_timeline", "evidence_map", "timeline"]
    assert all((f.parts is None) == (f.shape is None) for f in FIGURES.values())
    specs = chart_specs(check(REPO))
    chosen = {name: (kind, data) for name, (kind, data, _) in specs.items() if kind in templated}
    chosen = {n: chosen[n] for n in ("cross-timeline", "evidence-map", "timeline-highlands")}
    drawn = draw_all(chosen, None)
    for name, (kind, data) in chosen.items():
        assert json.loads(drawn[name]) == _direct(name, data, kind), name


def test_a_template_missing_a_named_model_is_refused(synthetic: dict[str, dict]) -> None:
    with_spread = next(iter(synthetic.values()))
    without = json.loads(json.dumps(with_spread))
    for event in without["events"]:
        event["end"], event["other"] = event["year"], []
    prototype = bokeh_json.prototype_item("timeline", without)
    with pytest.raises(ValueError, match="hb-spread"):
        bokeh_json.fill_prototype(prototype, figures.timeline_parts(with_spread), "x")


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


def test_a_chart_without_a_known_height_reserves_none() -> None:
    item = json.dumps({"doc": {"roots": [{"type": "object", "attributes": {"sizing_mode": "stretch_both"}}]}})
    assert bokeh_json.root_height(item) is None
    assert "style=" not in embed("x", "charts/x.js", "A chart of nothing in particular")


# --- one Bokeh version --------------------------------------------------------------------------------


def test_the_installed_bokeh_is_the_one_the_json_is_made_for() -> None:
    import importlib.metadata

    assert importlib.metadata.version("bokeh") == bokeh_json.BOKEH_VERSION
    bokeh_json.check_bokeh_version()  # does not raise


def test_another_installed_bokeh_is_refused_with_a_clear_message(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.metadata

    monkeypatch.setattr(importlib.metadata, "version", lambda name: "3.0.0" if name == "bokeh" else "0")
    with pytest.raises(bokeh_json.BokehVersionError) as caught:
        bokeh_json.bokeh_assets()
    assert str(caught.value) == (
        f"Bokeh 3.0.0 is installed but the handbook is made for Bokeh {bokeh_json.BOKEH_VERSION} "
        "(generator/charts/bokeh_json.py, pinned in pyproject.toml). "
        "Reinstall the pinned version: .venv/bin/pip install -e ."
    )


def test_every_place_that_names_a_bokeh_version_names_the_constant() -> None:
    """BOKEH_VERSION is the one home: pyproject's pin, the BokehJS file charts.js loads and the file
    the build serves must agree with it, and no other file in generator/ names a version."""
    version = bokeh_json.BOKEH_VERSION
    deps = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    assert [d.replace(" ", "") for d in deps if re.match(r"bokeh\b", d)] == [f"bokeh=={version}"]
    charts_js = (REPO / "site_templates" / "assets" / "charts.js").read_text(encoding="utf-8")
    assert re.findall(r"bokeh-([\d.]+)\.min\.js", charts_js) == [version]
    assert bokeh_json.BOKEH_FILE == f"assets/javascripts/bokeh-{version}.min.js"
    assert f'"{bokeh_json.BOKEH_FILE.removeprefix("assets/")}"' in charts_js  # the path charts.js asks for
    others = [
        p.relative_to(REPO).as_posix()
        for p in sorted((REPO / "generator").rglob("*.py"))
        if p.name != "bokeh_json.py" and re.search(r"bokeh[-=_ ]+\d+\.\d+", p.read_text(encoding="utf-8"), re.I)
    ]
    assert others == []


def test_no_chart_is_drawn_by_another_bokeh(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.metadata

    data = {"corners": {c: {"weight": "small", "note": ""} for c in ("authority", "capacity", "value")}, "links": []}
    monkeypatch.setattr(importlib.metadata, "version", lambda name: "3.0.0" if name == "bokeh" else "0")
    monkeypatch.setattr(bokeh_json, "draw_item", lambda *a: pytest.fail("drawn by Bokeh 3.0.0"))
    with pytest.raises(bokeh_json.BokehVersionError):
        draw_all({"triangle-x": ("triangle", data)}, None)
    assert draw_all({}, None) == {}  # nothing to draw: nothing checked
