"""Chart prototypes shipped with the generator, so that a build need not import Bokeh at all.

Every chart is filled into a prototype of its kind and shape (generator/charts/bokeh_json.py); a
prototype depends only on the code that draws it and the Bokeh version, never on the content. The
prototypes of every shape a chart of the handbook can have (`SHAPES`: timelines with 0-5 phase
spans, with and without events over several years; triangles with 0-6 links; the three cross-case
charts) are drawn by Bokeh from small made-up data (`sample`) and kept in generator/charts/prototypes/,
one JSON file each, with the code version they were drawn by and the SHA-256 of their JSON.

A build fills its charts from these (about 1 ms a chart) and imports Bokeh only for a shape not
shipped. Importing Bokeh and drawing the prototypes took about 0.8 s of CPU time in each build,
half of a small build's second core. A file is used only when its code version is the current one
(`draw.code_version`: Bokeh's version and the charts' code) and its JSON matches its hash; otherwise
the prototype is drawn by Bokeh, exactly as without the file, and the charts are the same bytes.
tests/test_bokeh_json.py checks that each file is what Bokeh draws today and that every real chart
filled from them is what Bokeh draws for it. After changing the charts' code, draw them again:

    .venv/bin/python -m generator.charts.shipped
"""

from __future__ import annotations

import hashlib
import json
import logging
import sys
from pathlib import Path
from typing import Any

from generator.charts import bokeh_json

log = logging.getLogger(__name__)

FOLDER = Path(__file__).parent / "prototypes"
MAX_PHASES = 5  # a case study's phase spans: the lifecycle's five phases
MAX_LINKS = 6  # a triangle's links: each corner to each other corner
SHAPES: dict[str, list[list[int]]] = {
    "timeline": [[phases, spread] for phases in range(MAX_PHASES + 1) for spread in (0, 1)],
    "triangle": [[links] for links in range(MAX_LINKS + 1)],
    "cross_timeline": [[]],
    "evidence_map": [[]],
    "lifecycle_curve": [[]],
}


def file_name(kind: str, shape: list[int]) -> str:
    return kind + "".join(f"-{n}" for n in shape) + ".json"


def digest(item: dict[str, Any]) -> str:
    return hashlib.sha256(bokeh_json.compact(item).encode("utf-8")).hexdigest()


def prototype(kind: str, shape: list[int], version: str) -> dict[str, Any] | None:
    """The shipped prototype of this kind and shape, drawn by the charts' code of `version`; None
    when there is none, or it was drawn by other code, or its file is damaged."""
    path = FOLDER / file_name(kind, shape)
    try:
        kept = json.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as e:
        log.warning("%s: not read (%s); the chart prototype is drawn by Bokeh instead", path, e)
        return None
    item = kept.get("item") if isinstance(kept, dict) else None
    if not isinstance(item, dict) or kept.get("kind") != kind or kept.get("shape") != shape:
        log.warning("%s: not a chart prototype; drawn by Bokeh instead", path)
        return None
    if kept.get("code") != version:
        log.debug("%s: drawn by other code; drawn by Bokeh instead", path)
        return None
    if kept.get("sha256") != digest(item):
        log.warning("%s: its JSON does not match its hash; the chart prototype is drawn by Bokeh instead", path)
        return None
    return item


def sample(kind: str, shape: list[int]) -> dict[str, Any]:
    """Made-up chart data of this kind and shape, to draw a prototype from (its values are all
    replaced when a chart is filled in)."""
    if kind == "timeline":
        phases, spread = shape
        events = [_event(2000, "trigger"), _event(2002, "leadership", end=2004 if spread else 2002)]
        spans = [
            {"number": i + 1, "name": f"Phase {i + 1}", "start": 2000 + i, "end": 2000 + i if i < phases - 1 else None}
            for i in range(phases)
        ]
        return {"events": events, "phases": spans}
    if kind == "triangle":
        pairs = [
            (a, b) for a in ("authority", "capacity", "value") for b in ("authority", "capacity", "value") if a != b
        ]
        strengths = ("strong", "weak", "broken")
        links = [{"source": a, "target": b, "strength": strengths[i % 3]} for i, (a, b) in enumerate(pairs)]
        corner = {"weight": "moderate", "note": "A note."}
        return {"corners": dict.fromkeys(("authority", "capacity", "value"), corner), "links": links[: shape[0]]}
    if kind == "cross_timeline":
        events = [{**_event(2001, "trigger"), "url": "cases/a/#event-e"}]
        row = {"name": "A", "url": "cases/a/", "trigger": 2001, "first": 2000, "last": 2003, "events": events}
        return {"rows": [row]}
    if kind == "evidence_map":
        cell = {"factor": "F", "case": "A", "role": "driver", "meaning": "A meaning.", "url": "cases/a/#factors"}
        return {"factors": ["F"], "cases": ["A"], "cells": [cell]}
    if kind == "lifecycle_curve":
        return {
            "phases": [
                {"number": i + 1, "name": f"Phase {i + 1}", "summary": "A summary.", "url": "p/"} for i in range(5)
            ]
        }
    raise KeyError(kind)


def _event(year: int, kind: str, end: int | None = None) -> dict[str, Any]:
    return {
        "year": year,
        "end": end or year,
        "other": [],
        "type": kind,
        "label": "An event",
        "when": str(year),
        "desc": "What happened.",
        "source": "A source",
        "certainty": "sure",
        "url": "#event-e",
    }


def draw_shipped(folder: Path | None = None) -> list[Path]:
    """Draw every shipped prototype again with Bokeh and write its file into `folder` (FOLDER), only
    when it changed; the files written."""
    from generator.charts.draw import code_version

    folder = folder or FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, shapes in SHAPES.items():
        for shape in shapes:
            item = bokeh_json.prototype_item(kind, sample(kind, shape))
            kept = {"kind": kind, "shape": shape, "code": code_version(), "sha256": digest(item), "item": item}
            path = folder / file_name(kind, shape)
            text = json.dumps(kept, ensure_ascii=False, separators=(",", ":")) + "\n"
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")
                written.append(path)
    return written


if __name__ == "__main__":  # pragma: no cover - the command in the docstring
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    changed = draw_shipped()
    log.info("%d chart prototypes drawn again in %s", len(changed), FOLDER)
    sys.exit(0)
