"""Bokeh's JSON, the one module that relies on Bokeh's internal document format.

Everything here knows how Bokeh lays out a chart as JSON (`bokeh.embed.json_item`): models as
`{"type": "object", "name": ..., "id": ..., "attributes": {...}}`, the root's fixed height, the ids
BokehJS links models by. That format is not a public interface and may change with any Bokeh
release, so it lives in one place, pinned to one version (`BOKEH_VERSION`), and
tests/test_bokeh_json.py checks that a chart filled in here is exactly the JSON Bokeh itself gives.

- `draw_item`: a chart drawn by Bokeh (through the figure registry, `figures.FIGURES`), with ids
  that do not depend on what was drawn before it (`stable_ids`).
- `fill_prototype`: a chart of a shape already drawn once (the "prototype"), with its data put in by
  hand; ~1 ms against ~0.1 s for Bokeh to draw it.
- `root_height`: the height the drawn chart will take, so its page can reserve the box.
- `bokeh_assets`: BokehJS itself, checked against the installed Bokeh (`check_bokeh_version`).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from generator.charts.figures import FIGURES
from generator.errors import BuildError

BOKEH_VERSION = "3.9.2"  # the one place; pyproject's pin and assets/charts.js are tested against it
BOKEH_FILE = f"assets/javascripts/bokeh-{BOKEH_VERSION}.min.js"  # where the site serves BokehJS
PROTOTYPE_ID = "hb-prototype"  # the ids of a prototype are numbered under this name


class BokehVersionError(BuildError):
    """The installed Bokeh is not the version the hand-filled JSON and the served BokehJS are for
    (a build error: exit code 2)."""


def check_bokeh_version() -> None:
    """Raise BokehVersionError unless the installed Bokeh is BOKEH_VERSION."""
    import importlib.metadata

    installed = importlib.metadata.version("bokeh")
    if installed != BOKEH_VERSION:
        raise BokehVersionError(
            f"Bokeh {installed} is installed but the handbook is made for Bokeh {BOKEH_VERSION} "
            "(generator/charts/bokeh_json.py, pinned in pyproject.toml). "
            "Reinstall the pinned version: .venv/bin/pip install -e ."
        )


def import_bokeh() -> None:
    """Import the parts of Bokeh that drawing uses (a few seconds), once: before the drawings are
    split between processes, so that the second one inherits them instead of importing them again."""
    import bokeh.core.serialization  # noqa: F401
    import bokeh.embed  # noqa: F401
    import bokeh.models  # noqa: F401
    import bokeh.plotting  # noqa: F401


def bokeh_assets() -> dict[str, bytes]:
    """BokehJS, served from the site as one versioned file; it must match the Python package."""
    import importlib.util

    check_bokeh_version()
    spec = importlib.util.find_spec("bokeh")
    assert spec is not None and spec.origin is not None
    return {BOKEH_FILE: (Path(spec.origin).parent / "server" / "static" / "js" / "bokeh.min.js").read_bytes()}


def compact(item: dict[str, Any]) -> str:
    """Bokeh JSON as text: compact, keys in Bokeh's order (BokehJS reads them in order)."""
    return json.dumps(item, ensure_ascii=False, separators=(",", ":"))


def draw_item(name: str, kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """The chart `name` of this kind drawn by Bokeh, as Bokeh's JSON with stable ids."""
    from bokeh.embed import json_item

    return stable_ids(json_item(FIGURES[kind].draw(data)), name)  # key order matters to BokehJS


def prototype_item(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """A chart of this data's shape, drawn by Bokeh to be filled in (`fill_prototype`) for others."""
    return draw_item(PROTOTYPE_ID, kind, data)


def stable_ids(item: dict[str, Any], name: str) -> dict[str, Any]:
    """Bokeh numbers models from a process-wide counter; renumber them by first appearance so the
    same chart always has the same ids, whatever was built before it."""
    mapping: dict[str, str] = {}

    def new_id(old: str) -> str:
        return mapping.setdefault(old, f"{name}-{len(mapping) + 1}")

    def walk(value: Any) -> Any:
        if isinstance(value, dict):
            return {
                k: (new_id(v) if k in ("id", "root_id") and isinstance(v, str) else walk(v)) for k, v in value.items()
            }
        if isinstance(value, (list, tuple)):  # CustomJS args arrive as tuples
            return [walk(v) for v in value]
        return value

    return walk(item)


_SAFE_INT = 2**53 - 1  # Bokeh encodes larger integers as floats, with a warning


def _plain(value: Any) -> bool:
    """A value Bokeh's serialiser gives back as it is: a string, a safe integer, a finite float."""
    kind = type(value)
    return kind is str or (kind is int and -_SAFE_INT < value <= _SAFE_INT) or (kind is float and math.isfinite(value))


def fill_prototype(prototype: dict[str, Any], parts: dict[str, dict[str, Any]], name: str) -> dict[str, Any]:
    """A copy of a prototype's Bokeh JSON for the chart `name`: its ids renamed, and every value in
    `parts` set on the model with that name, encoded as Bokeh encodes it. The result is the JSON
    Bokeh would give for the chart (tests/test_bokeh_json.py compares them)."""
    prefix, found = PROTOTYPE_ID + "-", set()

    def encode(value: Any) -> Any:
        """As Bokeh encodes it. Strings, safe integers, finite floats and lists of them (nearly all
        chart data: Bokeh leaves them as they are) and maps with string keys are encoded here, so
        a chart filled in needs none of Bokeh (importing its serialiser takes 0.14 s); anything
        else is left to Bokeh's serialiser."""
        if _plain(value):
            return value
        if isinstance(value, list) and all(_plain(v) for v in value):
            return value
        if isinstance(value, dict) and all(type(k) is str for k in value):
            return {"type": "map", "entries": [[k, encode(v)] for k, v in value.items()]} if value else {"type": "map"}
        from bokeh.core.serialization import Serializer

        return Serializer().encode(value)

    def put(old: Any, new: Any) -> Any:
        """`new` in place of the prototype's value `old`. A property Bokeh holds as a spec (an
        arrow's ends, its line colour) keeps the form the prototype has: a fixed value stays one."""
        if isinstance(old, dict) and old.get("type") == "value" and not isinstance(new, dict):
            return {**old, "value": encode(new)}
        return encode(new)

    def walk(value: Any) -> Any:
        if isinstance(value, dict):
            attrs = value.get("attributes")
            model = attrs.get("name") if value.get("type") == "object" and isinstance(attrs, dict) else None
            fill = parts.get(model) if isinstance(model, str) else None
            out: dict[str, Any] = {}
            for k, v in value.items():
                if k in ("id", "root_id") and isinstance(v, str) and v.startswith(prefix):
                    out[k] = f"{name}-{v[len(prefix) :]}"
                elif k == "attributes" and fill:
                    found.add(model)  # the values filled in replace the prototype's: not walked
                    out[k] = {a: (put(x, fill[a]) if a in fill else walk(x)) for a, x in v.items()}
                    out[k].update((a, encode(x)) for a, x in fill.items() if a not in v)
                else:
                    out[k] = walk(v)
            return out
        if isinstance(value, list):
            return [walk(v) for v in value]
        return value

    item = walk(prototype)
    if found != set(parts):
        raise ValueError(f"chart prototype has no model named {sorted(set(parts) - found)}")
    return item


def root_height(item: str) -> int | None:
    """The height in pixels the chart will take once drawn (its root's fixed height), read from its
    Bokeh JSON; None when the root has none (then the page cannot reserve its box)."""
    roots = json.loads(item).get("doc", {}).get("roots", [])
    height = roots[0].get("attributes", {}).get("height") if len(roots) == 1 else None
    return height if isinstance(height, int) and height > 0 else None
