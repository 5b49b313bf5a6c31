"""Data for redrawing the cross-case views on the finder's filters (issue 14 point 5), as scripts.

The cross-case timeline (cases page) and the evidence map (factors page) are drawn for a default
selection (the first CASE_CAP cases, see `plan.shown_cases`), and their text versions list the same
cases. When a reader filters the finder, or opens the factors page with the finder's filters in its
address, `assets/selection.js` redraws both charts and rewrites their text versions for the cases
that match, at most CASE_CAP at once. The data for that lives here, outside the pages, so that a
listing page stays small at a thousand cases:

- `assets/selection/index.js`: the cap and the cases without a timeline (they have no row on the
  cross-case timeline), so the script can pick the rows without loading every case;
- `assets/selection/case-<id>.js`: one case's row of the cross-case timeline (the chart's own data,
  `plan.cross_timeline_data`), its cells on the evidence map and its factors for the text versions.

Scripts rather than JSON files, so that they load from file:// in the offline edition, where
fetch() cannot. Paths inside are the docs folder's (`cases/gouda.md`), as in the chart data; the
script turns them into this build's addresses.
"""

from __future__ import annotations

import json
from typing import Any

from generator.charts.figures import EVENT_STYLE, ROLE_STYLE
from generator.charts.plan import CASE_CAP, case_events, cross_timeline_data, plain
from generator.stages.index import Index, case_uses

FOLDER = "assets/selection"
INDEX_FILE = f"{FOLDER}/index.js"


def case_file(case_id: str) -> str:
    return f"{FOLDER}/case-{case_id}.js"


def selection_index(index: Index) -> dict[str, Any]:
    """What the script needs before loading any case: the cap, which cases have no timeline, and the
    charts' colours and marks (the same as figures.py's)."""
    return {
        "cap": CASE_CAP,
        "without_timeline": [c.id for c in index.all("case-study") if not c.timeline],
        "events": {kind: list(style) for kind, style in EVENT_STYLE.items()},  # type -> [colour, marker]
        "roles": {role: list(style) for role, style in ROLE_STYLE.items()},  # role -> [colour, letter]
    }


def selection_cases(index: Index) -> dict[str, dict[str, Any]]:
    """{case id: what the cross-case views show of it}, every case, in the index's order."""
    cases = index.all("case-study")
    with_timeline = [c for c in cases if c.timeline]
    rows = cross_timeline_data(index, {c.id: case_events(c) for c in with_timeline})["rows"]
    row_of = {c.id: row for c, row in zip(with_timeline, rows, strict=True)}
    return {case.id: case_selection(index, case, row_of.get(case.id)) for case in cases}


def case_selection(index: Index, case: Any, row: dict[str, Any] | None) -> dict[str, Any]:
    """One case: its timeline row (None without a timeline), the figures its text row shows, and
    its factors: on the map a cell per factor name (the last use wins, as in `plan.evidence_data`),
    in the text version every use in the case's order."""
    uses = list(case_uses(case))
    years = [e.year for e in case.timeline]
    return {
        "id": case.id,
        "name": plain(case.short_title, 60),
        "short": case.short_title,
        "url": index.url("case-study", case.id),
        "timeline": row,
        "events": len(case.timeline),
        "years": [min(years), max(years)] if years else None,
        "cells": {plain(index.get("factor", u.use.factor).name, 80): [u.role, plain(u.use.meaning, 220)] for u in uses},
        "uses": [
            [u.role, u.use.factor, index.get("factor", u.use.factor).name, index.url("factor", u.use.factor)]
            for u in uses
        ],
    }


def _script(call: str, data: Any) -> bytes:
    # a separate file: "</script>" inside a string cannot end a script here
    return f"{call}({json.dumps(data, ensure_ascii=False, separators=(',', ':'))});\n".encode()


def selection_files(index: Index) -> dict[str, bytes]:
    """{path in the docs folder: script} for every case, and the index."""
    files = {INDEX_FILE: _script("window.hbSelectionIndex", selection_index(index))}
    for cid, data in selection_cases(index).items():
        files[case_file(cid)] = _script("window.hbSelectionCase", data)
    return files
