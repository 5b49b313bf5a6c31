"""Data for the case finder (cases/) and the compare page (compare/), as scripts.

The finder's page holds a complete plain list of the cases (it works without JavaScript and stays
small at a thousand cases); its filters come from `assets/finder/cases.js`, which the page's
script loads after the page: the facet values and counts are computed from the records here, so
a value no record has never appears. The compare page loads one small script per case it shows,
`assets/finder/case-<id>.js` (facts, factors, phase, triangle, timeline). Scripts rather than JSON
files, so that both load from file:// in the offline edition, where fetch() cannot.
"""

from __future__ import annotations

import json
import re
from typing import Any

from generator.charts.plan import plain, trigger_year
from generator.records.models import EVIDENCE_LABELS
from generator.stages.index import Index

FOLDER = "assets/finder"
CASES_FILE = f"{FOLDER}/cases.js"
# Facets in the order the finder shows them: (key, label). Values of each come from the records.
FACETS = [
    ("country", "Country"),
    ("level", "Level of government"),
    ("field", "Service field"),
    ("phase", "Lifecycle phase"),
    ("trigger", "Triggers"),
    ("driver", "Drivers"),
    ("enabler", "Enablers"),
    ("type", "Case type"),
    ("origin", "Origin"),
    ("status", "Review status"),
    ("evidence", "Evidence it rests on"),
    ("period", "Period"),
]
STATUSES = {"reviewed": "Reviewed", "draft": "Draft (not yet reviewed)"}
SUMMARY_CHARS = 600  # the whole summary (the model caps it at 600): about 0.9 KB a case in all
CASE_TYPES = {"full": "Full case study", "mini": "Mini case study", "experiment": "Experiment"}


def field_value(service_field: str) -> str:
    """The service field without its explanation in brackets: "Youth services"."""
    return re.split(r"\s*[(;]", service_field, maxsplit=1)[0].strip() or service_field


ORIGINS = {"report2008": "The 2008 report", "contributed": "Contributed"}


def decades(start: int, end: int | None) -> list[str]:
    """The decades a case's period touches: "1990s", "2000s"."""
    last = end if end is not None else start
    return [f"{d}s" for d in range(start // 10 * 10, last // 10 * 10 + 1, 10)]


def case_facets(index: Index, case: Any) -> dict[str, list[str]]:
    """{facet key: the case's value ids}."""
    return {
        "country": [case.country],
        "level": [case.level],
        "field": [field_value(case.service_field)],
        "phase": [case.phase.phase] if case.phase else [],
        "trigger": [u.factor for u in case.triggers],
        "driver": [u.factor for u in case.drivers],
        "enabler": [u.factor for u in case.enablers],
        "type": [case.case_type],
        "origin": [case.origin],
        "status": [case.status],
        "evidence": [count.kind for count in index.evidence(case.id)],
        "period": decades(case.period.start, case.period.end),
    }


def _labels(index: Index, key: str, values: set[str]) -> dict[str, str]:
    if key == "phase":
        return {v: index.get("phase", v).name for v in values}
    if key in ("trigger", "driver", "enabler"):
        return {v: index.get("factor", v).name for v in values}
    if key == "type":
        return {v: CASE_TYPES.get(v, v) for v in values}
    if key == "origin":
        return {v: ORIGINS[v] for v in values}
    if key == "level":
        return {v: v.capitalize() for v in values}
    if key == "status":
        return {v: STATUSES.get(v, v) for v in values}
    if key == "evidence":
        return {v: EVIDENCE_LABELS[v][1].capitalize() for v in values}
    return {v: v for v in values}


def _order(index: Index, key: str, labels: dict[str, str]) -> list[str]:
    if key == "phase":
        return sorted(labels, key=lambda v: index.get("phase", v).number)
    if key == "period":
        return sorted(labels)
    if key == "evidence":
        return [k for k in EVIDENCE_LABELS if k in labels]
    return sorted(labels, key=lambda v: labels[v].lower())


def finder_data(index: Index) -> dict[str, Any]:
    cases = index.all("case-study")
    rows = []
    seen: dict[str, set[str]] = {key: set() for key, _ in FACETS}
    for case in cases:
        facets = case_facets(index, case)
        for key, values in facets.items():
            seen[key].update(values)
        rows.append(
            {
                "id": case.id,
                "short": case.short_title,
                "place": case.place,
                "facets": {k: v for k, v in facets.items() if v},
                # what the text query looks in (the script adds the names of the case's factors from
                # the facets), lower-cased once here
                "text": " ".join(
                    [
                        case.title,
                        case.place,
                        case.country,
                        case.service_field,
                        case.innovation_kind,
                        plain(case.summary, SUMMARY_CHARS),
                    ]
                ).lower(),
            }
        )
    facet_menus: list[dict[str, Any]] = []
    for key, label in FACETS:
        labels = _labels(index, key, seen[key])
        facet_menus.append({"key": key, "label": label, "values": [[v, labels[v]] for v in _order(index, key, labels)]})
    return {"facets": facet_menus, "cases": rows}


def shown_facets(index: Index) -> list[tuple[str, str]]:
    """(key, label) of the facets the finder shows, in its order: those some case has a value for.
    The cases page lists them, so the finder's filters hold their place before its script runs."""
    have: set[str] = set()
    for case in index.all("case-study"):
        have.update(key for key, values in case_facets(index, case).items() if values)
    return [(key, label) for key, label in FACETS if key in have]


def case_data(index: Index, case: Any) -> dict[str, Any]:
    """What the compare page shows of one case."""
    tri = index.get("triangle", case.phase.triangle) if case.phase and case.phase.triangle else None
    return {
        "id": case.id,
        "title": case.title,
        "short": case.short_title,
        "facts": [
            ["Place", case.place],
            ["Country", case.country],
            ["Level of government", case.level.capitalize()],
            ["Service field", case.service_field],
            ["Kind of innovation", case.innovation_kind],
            ["Period", f"{case.period.start}–{case.period.end}" if case.period.end else f"{case.period.start} onwards"],
            ["Case type", CASE_TYPES.get(case.case_type, case.case_type)],
            ["Origin", ORIGINS[case.origin]],
        ],
        "factors": [
            [role[:-1], u.factor, index.get("factor", u.factor).name]
            for role in ("triggers", "drivers", "enablers")
            for u in getattr(case, role)
        ],
        "phase": [
            case.phase.phase,
            index.get("phase", case.phase.phase).name,
            case.phase.basis,
            case.placement_strength,
        ]
        if case.phase
        else None,
        "triangle": [
            tri.id,
            tri.title,
            {name: getattr(tri.corners, name).weight for name in ("authority", "capacity", "value")},
        ]
        if tri
        else None,
        "trigger_year": trigger_year(case),
        "timeline": [[e.year, e.end_year, e.label, e.type, e.id] for e in case.timeline],
    }


def _script(call: str, data: Any) -> bytes:
    # json.dumps escapes no "<": "</script>" inside a string cannot end a script here (a separate
    # file), and "\u2028" is valid in JavaScript since ES2019
    return f"{call}({json.dumps(data, ensure_ascii=False, separators=(',', ':'))});\n".encode()


def finder_files(index: Index) -> dict[str, bytes]:
    files = {CASES_FILE: _script("window.hbFinderData", finder_data(index))}
    for case in index.all("case-study"):
        files[f"{FOLDER}/case-{case.id}.js"] = _script("window.hbCaseData", case_data(index, case))
    return files
