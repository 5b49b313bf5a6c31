"""Bokeh's JSON filled in by hand (generator/charts/bokeh_json.py) is exactly the JSON Bokeh itself
gives (`bokeh.embed.json_item`), for every real chart drawn from a prototype and every shape the
synthetic corpus makes; and the one Bokeh version constant agrees with every other place that names
a Bokeh version."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from conftest import REPO

from generator.charts import bokeh_json, figures, shipped
from generator.charts.draw import build_charts, code_version, draw, draw_all, embed
from generator.charts.figures import FIGURES
from generator.charts.plan import chart_specs
from generator.pipeline import check

if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
from bench import corpus  # noqa: E402

SHIPPED = shipped.FOLDER


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


@pytest.mark.parametrize(
    ("name", "kind"),
    [("cross-timeline", "cross_timeline"), ("evidence-map", "evidence_map"), ("lifecycle-curve", "lifecycle_curve")],
)
def test_cross_case_charts_filled_by_hand_are_what_bokeh_draws(tmp_path: Path, name: str, kind: str) -> None:
    specs = chart_specs(check(REPO))
    spec_kind, data, _ = specs[name]
    assert spec_kind == kind and FIGURES[kind].parts is not None
    assert _filled(name, data, {}, kind) == _direct(name, data, kind)
    # a prototype drawn from other data (here: a synthetic corpus of 12 cases) fills in to the same chart
    other = chart_specs(check(corpus.make_project(tmp_path / "p", 12)))[name][1]
    if kind == "lifecycle_curve":  # the corpus keeps the report's phases: fewer, renamed, are other data
        other = {"phases": [{**p, "name": f"Stage {p['number']}", "summary": "Other."} for p in data["phases"][:3]]}
    assert other != data
    assert _filled(name, data, {}, kind, template_from=other) == _direct(name, data, kind)


def test_every_real_triangle_filled_by_hand_is_what_bokeh_draws() -> None:
    """Each triangle filled into a prototype drawn from another triangle with as many links (other
    corners, other strengths: a solid arrow's prototype filled with a dashed or red one), against
    Bokeh's own drawing of it."""
    specs = {name: data for name, (kind, data, _) in chart_specs(check(REPO)).items() if kind == "triangle"}
    assert len(specs) >= 10
    by_shape: dict[tuple, list[str]] = {}
    for name in sorted(specs):
        by_shape.setdefault(tuple(figures.triangle_shape(specs[name])), []).append(name)
    assert len(by_shape) >= 3 and len(by_shape) < len(specs)  # triangles share prototypes
    for names in by_shape.values():
        for i, name in enumerate(names):
            other = specs[names[i - 1]]  # the one before (itself when alone in its shape)
            assert _filled(name, specs[name], {}, "triangle", template_from=other) == _direct(
                name, specs[name], "triangle"
            ), name
    # every strength in every position: a prototype of solid black arrows filled with each other kind
    base = specs[by_shape[max(by_shape)][0]]
    solid = {**base, "links": [{**link, "strength": "strong"} for link in base["links"]]}
    for strength in ("weak", "broken"):
        varied = {**base, "links": [{**link, "strength": strength} for link in base["links"]]}
        for data, source in ((varied, solid), (solid, varied)):
            assert _filled("t", data, {}, "triangle", template_from=source) == _direct("t", data, "triangle")


def test_every_kind_drawn_from_a_template_is_filled_in_by_draw_all() -> None:
    """The registry decides which kinds are filled by hand: those the build draws that way are
    exactly the ones checked above, and each gives the same JSON as Bokeh through draw_all."""
    templated = sorted(kind for kind, f in FIGURES.items() if f.parts is not None)
    assert templated == ["cross_timeline", "evidence_map", "lifecycle_curve", "timeline", "triangle"]
    assert all((f.parts is None) == (f.shape is None) for f in FIGURES.values())
    specs = chart_specs(check(REPO))
    chosen = {name: (kind, data) for name, (kind, data, _) in specs.items() if kind in templated}
    triangles = sorted(n for n in chosen if n.startswith("triangle-"))[:3]
    chosen = {
        n: chosen[n] for n in ("cross-timeline", "evidence-map", "lifecycle-curve", "timeline-highlands", *triangles)
    }
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


# --- the prototypes shipped with the generator (generator/charts/shipped.py) ------------------------


def test_the_shipped_prototypes_are_what_bokeh_draws_today(tmp_path: Path) -> None:
    shipped.draw_shipped(tmp_path)
    fresh = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    kept = {p.name: p.read_bytes() for p in shipped.FOLDER.iterdir()}
    assert sorted(fresh) == sorted(kept)
    stale = sorted(name for name in fresh if fresh[name] != kept[name])
    assert not stale, f"{stale} are out of date: run .venv/bin/python -m generator.charts.shipped"
    assert len(kept) == sum(len(shapes) for shapes in shipped.SHAPES.values())
    assert set(shipped.SHAPES) == set(FIGURES)  # every kind is filled in; none needs Bokeh in a build


def _from_shipped(name: str, kind: str, data: dict) -> dict:
    figure = FIGURES[kind]
    assert figure.parts is not None and figure.shape is not None
    item = shipped.prototype(kind, figure.shape(data), code_version())
    assert item is not None, (name, figure.shape(data))
    return json.loads(bokeh_json.compact(bokeh_json.fill_prototype(item, figure.parts(data), name)))


def test_every_real_chart_filled_from_a_shipped_prototype_is_what_bokeh_draws() -> None:
    specs = chart_specs(check(REPO))
    assert {kind for kind, _, _ in specs.values()} == set(FIGURES)
    for name, (kind, data, _) in specs.items():
        assert _from_shipped(name, kind, data) == _direct(name, data, kind), name


def test_synthetic_timelines_of_every_shape_filled_from_a_shipped_prototype_match_bokeh(
    synthetic: dict[str, dict],
) -> None:
    seen: dict[tuple, int] = {}
    for name, data in sorted(synthetic.items()):
        shape = tuple(figures.timeline_shape(data))
        if seen.get(shape, 0) < 2:
            assert _from_shipped(name, "timeline", data) == _direct(name, data), name
            seen[shape] = seen.get(shape, 0) + 1
    assert len(seen) >= 2


def test_charts_are_the_same_bytes_with_the_shipped_prototypes_or_drawn_by_bokeh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = check(REPO)
    with_shipped = build_charts(index)
    monkeypatch.setattr(shipped, "FOLDER", tmp_path)  # none shipped: every prototype drawn by Bokeh
    assert build_charts(index) == with_shipped


def test_a_build_fills_every_chart_without_importing_bokeh() -> None:
    """Importing Bokeh and drawing took about 0.8 s of CPU time in every build (issue 14 point 6)."""
    script = (
        "import sys\n"
        "from pathlib import Path\nfrom generator.pipeline import check\n"
        "from generator.charts.draw import build_charts\n"
        "charts = build_charts(check(Path('.')))\n"
        "assert len(charts.files) > 10, charts.files.keys()\n"
        "print(sorted(m for m in sys.modules if m == 'bokeh' or m.startswith('bokeh.')))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout


def test_a_damaged_or_outdated_shipped_prototype_is_drawn_by_bokeh_instead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    shutil.copytree(shipped.FOLDER, tmp_path / "p")
    monkeypatch.setattr(shipped, "FOLDER", tmp_path / "p")
    version = code_version()
    path = tmp_path / "p" / shipped.file_name("triangle", [2])
    kept = json.loads(path.read_text(encoding="utf-8"))
    assert shipped.prototype("triangle", [2], version) == kept["item"]
    assert shipped.prototype("triangle", [2], "another version of the charts' code") is None
    assert shipped.prototype("triangle", [7], version) is None  # a shape not shipped
    kept["item"]["doc"]["roots"][0]["attributes"]["height"] = 999  # edited by hand: its hash no longer matches
    path.write_text(json.dumps(kept), encoding="utf-8")
    assert shipped.prototype("triangle", [2], version) is None
    assert "does not match its hash" in caplog.text
    path.write_text(path.read_text(encoding="utf-8")[:500], encoding="utf-8")  # cut short
    assert shipped.prototype("triangle", [2], version) is None
    assert "not read" in caplog.text
    # the triangles with two links are drawn by Bokeh: the same charts as from a sound prototype
    index = check(REPO)
    drawn = build_charts(index)
    monkeypatch.setattr(shipped, "FOLDER", SHIPPED)
    assert build_charts(index) == drawn
