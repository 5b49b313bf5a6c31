"""Planned charts -> what the site holds: each chart's data script and the HTML a page embeds.

Each chart is drawn by Bokeh, or filled into a prototype drawn once per shape (the kinds whose
`figures.FIGURES` entry has `parts`): drawing one Bokeh figure costs ~0.1 s, nearly all of it
building and serialising models that are the same for every chart of the kind; filling a prototype
costs ~1 ms. Both go through generator/charts/bokeh_json.py, the one module that knows Bokeh's JSON.

An optional chart cache (`generator/speed/charts.py`) reuses charts from earlier builds; without one
(None), every chart is drawn and nothing is kept, and the output is byte for byte the same.

Each chart's Bokeh JSON is written to its own script, `assets/charts/<hash>.js`, and the page
holds only `<div data-bokeh-src="charts/<hash>.js">`: `assets/charts.js` loads BokehJS and that
script from the site itself and renders the chart. Pages stay light, and a chart shown on many pages
is downloaded once. The hash is of the chart's input and the code that draws it (`chart_path`), not
of the drawn JSON, so the pages can be written, and MkDocs started on them, while Bokeh is still
drawing (`plan_charts`, then `draw_planned`; generator/pipeline.py).
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.charts import bokeh_json, shipped
from generator.charts.figures import FIGURES
from generator.charts.plan import Spec, chart_plan
from generator.charts.preview import preview
from generator.jobs import Mapper, in_turn

if TYPE_CHECKING:
    from generator.speed.charts import ChartCache
    from generator.stages.index import Index


@dataclass(frozen=True)
class Charts:
    """What the charts add to the site: the HTML each page embeds, and the chart files it loads."""

    html: dict[str, str]  # chart name -> the snippet a page embeds
    files: dict[str, bytes]  # path in the docs folder -> a chart's data script


@dataclass(frozen=True)
class Planned:
    """The charts of a build before Bokeh has drawn any (`plan_charts`): the HTML every page embeds,
    the data files of the charts already at hand (from the cache), and the charts left to draw
    (`draw_planned`). A chart's file is named from its input, so its page can be written before it
    is drawn."""

    html: dict[str, str]  # chart name -> the snippet a page embeds
    files: dict[str, bytes]  # path in the docs folder -> data script, for the charts at hand
    todo: dict[str, tuple[str, dict[str, Any]]]  # chart name -> (kind, input), for the charts to draw
    paths: dict[str, str]  # chart name -> its data file's path in the docs folder (every chart)
    specs: dict[str, Spec]


def build_charts(index: Index, cache: ChartCache | None = None, run: Mapper | None = None) -> Charts:
    """Every chart the pages show: its HTML and its data file. With a cache, a chart whose records'
    files are unchanged since the last build is taken from it without building its input again."""
    planned = plan_charts(index, cache)
    return Charts(planned.html, {**planned.files, **draw_planned(planned, cache, run)})


def plan_charts(index: Index, cache: ChartCache | None = None) -> Planned:
    """Every chart's snippet and file path, and the file of each chart the cache holds; no Bokeh.
    The box a snippet reserves is the height the chart will have (`figures.Figure.height`)."""
    plan = chart_plan(index)
    html_out: dict[str, str] = {}
    files: dict[str, bytes] = {}
    paths: dict[str, str] = {}
    todo: dict[str, tuple[str, dict[str, Any]]] = {}
    for name, spec in sorted(plan.items()):
        kept = cache.embedded(name, spec, index) if cache is not None else None  # under serve only
        if kept is not None:
            paths[name], files[paths[name]], html_out[name] = kept
            continue
        found = cache.unchanged(index, name, spec) if cache is not None else None
        item: str | None
        height: int | None
        if found is not None:
            item, path = found
            height = bokeh_json.root_height(found[0])
        else:
            data = spec.data()
            path = chart_path(name, spec.kind, data)
            item = cache.drawn(name, spec.kind, data, path) if cache is not None else None
            height = FIGURES[spec.kind].height(data)
            if item is None:
                todo[name] = (spec.kind, data)
        paths[name] = path
        html_out[name] = embed(
            name, path.removeprefix("assets/"), spec.alt, height, preview(name, spec.kind, spec.data)
        )
        if item is not None:
            files[path] = chart_file(path, item)
            if cache is not None:
                cache.keep_embedded(name, spec, (path, files[path], html_out[name]))
    return Planned(html_out, files, todo, paths, plan)


def draw_planned(planned: Planned, cache: ChartCache | None = None, run: Mapper | None = None) -> dict[str, bytes]:
    """{path: data script} for the charts `plan_charts` left to draw, drawn by Bokeh (and kept in
    the cache); the cache's map from source files to charts is saved."""
    items = draw_new(planned.todo, cache, run)  # plan_charts asked the cache for these already
    files: dict[str, bytes] = {}
    for name, item in sorted(items.items()):
        path = planned.paths[name]
        files[path] = chart_file(path, item)
        if cache is not None:
            cache.keep_embedded(name, planned.specs[name], (path, files[path], planned.html[name]))
    if cache is not None:
        cache.save()
    return files


def draw_all(
    specs: dict[str, tuple[str, dict[str, Any]]], cache: ChartCache | None = None, run: Mapper | None = None
) -> dict[str, str]:
    """{name: Bokeh JSON} for every chart: from the cache where its input is unchanged, the rest
    drawn (each chart is independent; the output does not depend on the order). What Bokeh itself
    must draw (each chart of a kind without prototypes, one prototype per kind and shape) is listed
    first and mapped with `run` (generator/speed/parallel.py: on two cores); filling is cheap."""
    items: dict[str, str] = {}
    todo = {}
    for name in sorted(specs):
        kind, data = specs[name]
        kept = cache.drawn(name, kind, data, chart_path(name, kind, data)) if cache is not None else None
        if kept is None:
            todo[name] = specs[name]
        else:
            items[name] = kept
    return {**items, **draw_new(todo, cache, run)}


def draw_new(
    specs: dict[str, tuple[str, dict[str, Any]]],
    cache: ChartCache | None = None,
    run: Mapper | None = None,
    use_shipped: bool = True,
) -> dict[str, str]:
    """{name: Bokeh JSON} for charts the cache was asked for and does not hold (`cache.drawn` gave
    None), all drawn, and kept in the cache. Prototypes come from those shipped with the generator
    (generator/charts/shipped.py; not with `use_shipped=False`), else from the cache, else Bokeh."""
    items: dict[str, str] = {}
    todo = sorted(specs)
    if not todo:
        return items
    bokeh_json.check_bokeh_version()  # before the first chart is drawn: none is drawn, or kept, by another Bokeh
    shapes = {name: _shape(*specs[name]) for name in todo}  # None: a kind drawn whole each time
    prototypes: dict[str, dict[str, Any]] = {}  # this build's prototypes, by kind and shape
    jobs: list[Drawing] = []
    for name in todo:
        kind, data = specs[name]
        shape = shapes[name]
        if shape is None:
            jobs.append(("chart", name, kind, data))
        elif (key := json.dumps([kind, shape])) not in prototypes:  # drawn from the first chart of that shape
            stored = shipped.prototype(kind, shape, code_version()) if use_shipped else None
            if stored is None and cache is not None:
                stored = cache.prototype(kind, shape)
            prototypes[key] = stored or {}
            if stored is None:
                jobs.append(("prototype", name, kind, data))
    if jobs:  # Bokeh is imported only when it has something to draw
        bokeh_json.import_bokeh()
    for (what, name, kind, _), item in zip(jobs, (run or in_turn)(_drawing, jobs), strict=True):
        if what == "chart":
            items[name] = bokeh_json.compact(item)
            continue
        shape = shapes[name]
        prototypes[json.dumps([kind, shape])] = item
        if cache is not None:
            cache.keep_prototype(kind, shape, bokeh_json.compact(item))  # type: ignore[arg-type]  # a prototype's chart has a shape
    for name in todo:
        kind, data = specs[name]
        shape = shapes[name]
        if shape is not None:
            parts = FIGURES[kind].parts(data)  # type: ignore[misc]  # a kind with a shape has parts
            items[name] = bokeh_json.compact(
                bokeh_json.fill_prototype(prototypes[json.dumps([kind, shape])], parts, name)
            )
        if cache is not None:
            cache.keep(name, items[name])
    return items


Drawing = tuple[str, str, str, dict[str, Any]]  # ("chart" or "prototype", the chart's name, kind, data)


def _drawing(job: Drawing) -> dict[str, Any]:
    """What Bokeh draws for one job: the chart itself, or a prototype for its kind and shape."""
    what, name, kind, data = job
    return bokeh_json.draw_item(name, kind, data) if what == "chart" else bokeh_json.prototype_item(kind, data)


def _shape(kind: str, data: dict[str, Any]) -> list[int] | None:
    """The shape of the prototype a chart is filled into, None for a kind drawn whole each time."""
    figure = FIGURES[kind]
    return None if figure.parts is None or figure.shape is None else figure.shape(data)


def draw(name: str, kind: str, data: dict[str, Any]) -> str:
    """One chart's Bokeh JSON, with stable ids, drawn by Bokeh."""
    return bokeh_json.compact(bokeh_json.draw_item(name, kind, data))


@functools.cache
def code_version() -> str:
    """Changes with the Bokeh version and the code that turns a chart's input into its JSON."""
    digest = hashlib.sha256(bokeh_json.BOKEH_VERSION.encode())
    for name in CHART_CODE:
        digest.update(name.encode() + b"\0" + (Path(__file__).parent / name).read_bytes())
    return digest.hexdigest()


CHART_CODE = ("bokeh_json.py", "figures.py", "legends.py", "draw.py")


def chart_path(name: str, kind: str, data: dict[str, Any]) -> str:
    """Where a chart's data script goes: named from everything its JSON is made from (the chart's
    name, kind and input, the Bokeh version and the charts' code), so browsers may cache it for good,
    charts shown on many pages (the strategic triangles) are one file, and a page can name it before
    Bokeh has drawn it. A script rather than a JSON file: pages opened from file:// (the offline
    edition) may load scripts but not fetch files."""
    payload = json.dumps([code_version(), name, kind, data], sort_keys=True, ensure_ascii=False)
    return f"assets/charts/{hashlib.sha256(payload.encode('utf-8')).hexdigest()[:20]}.js"


def chart_file(path: str, item: str) -> bytes:
    """The data script at `path` (`chart_path`) for a chart's Bokeh JSON."""
    digest = path.removeprefix("assets/charts/").removesuffix(".js")
    return f'hbChart("{digest}",{item});\n'.encode()


def chart_item(script: bytes) -> dict[str, Any]:
    """The Bokeh JSON in a chart file written by `chart_file` (for tests and the benchmark)."""
    text = script.decode("utf-8")
    start, end = text.index(",") + 1, text.rindex(");")
    return json.loads(text[start:end])


def embed(name: str, src: str, alt: str, height: int | None = None, static: str = "") -> str:
    """The chart's HTML: a div naming its data file (relative to the assets folder), with an
    accessible name, and a caption linking to the chart's text version. The page template must
    give the text version (or the sentence that introduces it) the id `chart-{name}-text`: the
    chart's aria-describedby and the caption's link both point there. The div is as tall as the
    drawn chart will be, so nothing moves when assets/charts.js draws it (when the reader comes
    near it); until then it shows `static`, a light picture of the chart (generator/charts/preview.py)."""
    label = html.escape(alt, quote=True)
    style = f' style="height:{height}px"' if height else ""
    return (
        f'<div class="hb-figure">'
        f'<div class="hb-chart" id="chart-{name}" role="img" aria-label="{label}" '
        f'aria-describedby="chart-{name}-text" data-bokeh-src="{html.escape(src, quote=True)}"{style}>'
        f"{static}</div>"
        f'<p class="hb-chart-caption"><a href="#chart-{name}-text">Text version of this chart</a></p>'
        f"</div>"
    )
