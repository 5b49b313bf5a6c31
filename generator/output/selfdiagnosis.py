"""The self-diagnosis page's rules, as pure functions.

The rules are data: toolkit/diagnosis/*.yaml, validated by models.DiagnosisRules. `export` turns
them, with the phases, factors and cases they need, into one plain JSON document; the build
publishes it (toolkit/diagnosis.json) and embeds it in the page, and the page's script
(site_templates/assets/diagnose.js, whose `diagnose` is `assess` here) runs the same steps over it.
Every number is a whole number, so Python and the browser agree to the point.

    answers --score--> points per phase --rank--> likely phase, lead, confidence band
            --profile of that phase--> weakest corner
            --phase distance + shared factors--> most similar cases
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, quote

from markupsafe import Markup

from generator.errors import Collector, key_path
from generator.records import models
from generator.records.kinds import BY_NAME
from generator.stages.index import Index, case_uses

KIND = "diagnosis-rules"
CORNERS = ("authority", "capacity", "value")
JSON_PATH = "toolkit/diagnosis.json"  # beside the page, which lives at toolkit/self-diagnosis/
PAGE_PATH = BY_NAME["diagnosis-rules"].page  # toolkit/self-diagnosis.md
FORMAT = 1


# --- answers ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answers:
    """What the user said. Unanswered corners are absent; factors are present, missing or neither."""

    statements: frozenset[str] = frozenset()
    corners: Mapping[str, int] = field(default_factory=dict)
    present: frozenset[str] = frozenset()
    missing: frozenset[str] = frozenset()

    @classmethod
    def of(
        cls,
        statements: Iterable[str] = (),
        corners: Mapping[str, int] | None = None,
        present: Iterable[str] = (),
        missing: Iterable[str] = (),
    ) -> Answers:
        return cls(frozenset(statements), dict(corners or {}), frozenset(present), frozenset(missing))


# The page keeps the answers in its query string, e.g. ?s=frontline-pockets.little-room-to-grow&a=1&c=1&v=0&p=...&m=...
QUERY_KEYS = {"authority": "a", "capacity": "c", "value": "v"}


def to_query(answers: Answers) -> str:
    """The query string the page writes for `answers` (ids are lowercase-hyphen, so nothing needs escaping)."""
    parts = []
    if answers.statements:
        parts.append("s=" + ".".join(sorted(answers.statements)))
    for corner in CORNERS:
        if corner in answers.corners:
            parts.append(f"{QUERY_KEYS[corner]}={answers.corners[corner]}")
    if answers.present:
        parts.append("p=" + ".".join(sorted(answers.present)))
    if answers.missing:
        parts.append("m=" + ".".join(sorted(answers.missing)))
    return "?" + "&".join(quote(p, safe="=.-") for p in parts) if parts else ""


def from_query(query: str) -> Answers:
    """The answers in a query string, as the page reads them (unknown ids are kept; scoring ignores them)."""
    q = parse_qs(query.lstrip("?"))

    def ids(key: str) -> frozenset[str]:
        return frozenset(i for v in q.get(key, []) for i in v.split(".") if i)

    corners = {}
    for corner, key in QUERY_KEYS.items():
        value = q.get(key, [""])[0]
        if value.isdigit():
            corners[corner] = int(value)
    present = ids("p")
    return Answers(ids("s"), corners, present, ids("m") - present)


# --- the exported rules ------------------------------------------------------------------------------


def rules_of(index: Index) -> models.DiagnosisRules | None:
    records = index.all(KIND)
    return records[0] if records else None


def export(index: Index) -> dict[str, Any] | None:
    """Everything the page's script needs, as plain JSON data; None when there are no rules."""
    rules = rules_of(index)
    if rules is None:
        return None
    phases = index.all("phase")
    factor_ids = [f.factor for f in rules.factors]
    return {
        "format": FORMAT,
        "id": rules.id,
        "scale": [{"level": s.level, "label": s.label} for s in rules.scale],
        "phases": [{"id": p.id, "number": p.number, "name": p.name, "url": index.url("phase", p.id)} for p in phases],
        "statements": [
            {"id": s.id, "row": s.row, "text": s.text, "points": {pp.phase: pp.points for pp in s.points}}
            for s in rules.statements
        ],
        "corners": [{"corner": c.corner, "label": c.label} for c in rules.corners],
        "profiles": {
            p.phase: {"authority": p.authority, "capacity": p.capacity, "value": p.value, "priority": list(p.priority)}
            for p in rules.profiles
        },
        "factors": [
            {
                "id": f.factor,
                "name": index.get("factor", f.factor).name,
                "category": index.get("factor", f.factor).category,
                "present": {pp.phase: pp.points for pp in f.present},
                "missing": {pp.phase: pp.points for pp in f.missing},
            }
            for f in rules.factors
        ],
        "cases": [_case_data(index, note, factor_ids) for note in [*rules.cases, *contributed_notes(index, rules)]],
        "scoring": rules.scoring.model_dump(),
        "confidence": [
            {"id": b.id, "label": b.label, "min_lead": b.min_lead, "meaning": b.meaning} for b in rules.confidence
        ],
        "similarity": rules.similarity.model_dump(),
    }


PAST_STRENGTH = "the handbook's own reading of its timeline (the report dates no phase)"


def contributed_notes(index: Index, rules: models.DiagnosisRules) -> list[models.CaseNote]:
    """Contributed cases placed in a phase take part in the matching without an entry in the rules:
    what they did next is on their own page."""
    listed = {note.case for note in rules.cases}
    return [
        models.CaseNote.model_construct(
            case=case.id, next="Its case study page tells what happened next.", sources=case.phase.sources
        )
        for case in index.all("case-study")
        if case.origin == "contributed" and case.phase is not None and case.id not in listed
    ]


def case_phase(case: models.CaseStudy) -> str | None:
    """The phase the report (or the handbook's reading of it) leaves the case in."""
    return case.phase.phase if case.phase is not None else None


def _years(start: int, end: int | None) -> str:
    return f"{start} onwards" if end is None else (str(start) if end == start else f"{start}-{end}")


def case_states(case: models.CaseStudy, note: models.CaseNote) -> list[dict[str, Any]]:
    """The states a case can be matched in: each earlier phase of its phase_spans (what it did next is
    the following span), then the phase the report leaves it in (what it did next is the rules' note)."""
    current = case_phase(case)
    spans = sorted(case.phase_spans, key=lambda s: s.start)
    states: list[dict[str, Any]] = []
    for span, following in zip(spans, spans[1:], strict=False):
        if span.phase == current:
            break
        states.append(
            {
                "phase": span.phase,
                "current": False,
                "basis": span.basis,
                "strength": PAST_STRENGTH,
                "years": _years(span.start, span.end),
                "next_phase": following.phase,
                "next_years": _years(following.start, following.end),
                "next": following.note or "",
            }
        )
    if current is not None:
        last = next((s for s in spans if s.phase == current), None)
        states.append(
            {
                "phase": current,
                "current": True,
                "basis": case.phase.basis if case.phase else "inferred",
                "strength": case.placement_strength or models.PLACEMENT_WORDS["inferred"],
                "years": _years(last.start, last.end) if last else "",
                "next_phase": None,
                "next_years": "",
                "next": note.next,
            }
        )
    return states


def _case_data(index: Index, note: models.CaseNote, asked: list[str]) -> dict[str, Any]:
    case = index.get("case-study", note.case)
    factors = sorted({u.use.factor for u in case_uses(case)})
    return {
        "id": case.id,
        "number": case.number if case.number is not None else 999,
        "title": case.short_title,
        "url": index.url("case-study", case.id),
        "factors": [f for f in factors if f in asked],
        "states": case_states(case, note),
    }


def export_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def export_files(index: Index) -> dict[str, bytes]:
    """{path in the docs folder: bytes} for the build: the rules as JSON, when there are rules."""
    data = export(index)
    return {} if data is None else {JSON_PATH: (export_json(data) + "\n").encode("utf-8")}


def page_context(index: Index) -> dict[str, Any]:
    """What site_templates/self-diagnosis.md.j2 needs."""
    rules = rules_of(index)
    data = export(index)
    if rules is None or data is None:
        return {"rules": None, "rules_attr": Markup(""), "factor_groups": [], "cases_by_phase": {}, "phase_of": {}}
    groups = []
    for category, title in (("trigger", "Triggers"), ("driver", "Drivers"), ("enabler", "Enablers")):
        members = [index.get("factor", f["id"]) for f in data["factors"] if f["category"] == category]
        if members:
            groups.append((title, members))
    cases_by_phase: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]] = {}
    for case in data["cases"]:
        for state in case["states"]:
            cases_by_phase.setdefault(state["phase"], []).append((case, state))
    return {
        "rules": rules,
        "rules_attr": Markup(html.escape(export_json(data), quote=True)),
        "factor_groups": groups,
        "cases_by_phase": cases_by_phase,
        "advice": {(a.phase, a.corner): a for a in rules.corner_advice},
        "profiles": {p.phase: p for p in rules.profiles},
    }


# --- the rules, applied ------------------------------------------------------------------------------


def score(data: Mapping[str, Any], answers: Answers) -> dict[str, int]:
    """Points per phase for the answers."""
    phases = [p["id"] for p in data["phases"]]
    scoring = data["scoring"]
    top = max(s["level"] for s in data["scale"])
    points = dict.fromkeys(phases, 0)
    for s in data["statements"]:
        if s["id"] in answers.statements:
            for phase, pts in s["points"].items():
                points[phase] += pts * scoring["statement_multiplier"]
    for corner in CORNERS:
        if corner in answers.corners:
            level = answers.corners[corner]
            for phase in phases:
                points[phase] += (top - abs(level - data["profiles"][phase][corner])) * scoring["corner_multiplier"]
    for f in data["factors"]:
        side = "present" if f["id"] in answers.present else "missing" if f["id"] in answers.missing else None
        if side:
            for phase, pts in f[side].items():
                points[phase] += pts * scoring["factor_multiplier"]
    return points


def enough(data: Mapping[str, Any], answers: Answers) -> bool:
    ticked = sum(1 for s in data["statements"] if s["id"] in answers.statements)
    all_corners = all(c in answers.corners for c in CORNERS)
    return ticked >= data["scoring"]["min_statements"] or all_corners


def assess(data: Mapping[str, Any], answers: Answers) -> dict[str, Any]:
    """The whole result, as plain data (the browser builds the same dict; the tests compare them)."""
    if not enough(data, answers):
        return {"phase": None}
    points = score(data, answers)
    number = {p["id"]: p["number"] for p in data["phases"]}
    ranking = sorted(points, key=lambda p: (-points[p], number[p]))
    phase = ranking[0]
    lead = points[phase] - points[ranking[1]] if len(ranking) > 1 else points[phase]
    band = next((b["id"] for b in data["confidence"] if lead >= b["min_lead"]), data["confidence"][-1]["id"])
    return {
        "phase": phase,
        "points": points,
        "ranking": ranking,
        "lead": lead,
        "confidence": band,
        "reasons": reasons(data, answers, phase),
        "weakest": weakest_corner(data, answers, phase),
        "cases": similar_cases(data, answers, phase),
        "missing": [f["id"] for f in data["factors"] if f["id"] in answers.missing],
    }


def reasons(data: Mapping[str, Any], answers: Answers, phase: str) -> dict[str, Any]:
    """What pushed the phase up or down: statements, the triangle's distance, factors."""
    top = max(s["level"] for s in data["scale"])
    profile = data["profiles"][phase]
    statements_for = [
        s["id"] for s in data["statements"] if s["id"] in answers.statements and s["points"].get(phase, 0) > 0
    ]
    statements_against = [
        s["id"] for s in data["statements"] if s["id"] in answers.statements and s["points"].get(phase, 0) < 0
    ]
    factors_for, factors_against = [], []
    for f in data["factors"]:
        side = "present" if f["id"] in answers.present else "missing" if f["id"] in answers.missing else None
        pts = f[side].get(phase, 0) if side else 0
        if pts > 0:
            factors_for.append([f["id"], side])
        elif pts < 0:
            factors_against.append([f["id"], side])
    answered = [c for c in CORNERS if c in answers.corners]
    distance = sum(abs(answers.corners[c] - profile[c]) for c in answered)
    closest = min(
        (sum(abs(answers.corners[c] - data["profiles"][p["id"]][c]) for c in answered) for p in data["phases"]),
        default=0,
    )
    return {
        "statements_for": statements_for,
        "statements_against": statements_against,
        "corners_answered": answered,
        "distance": distance,
        "closest_distance": closest,
        "max_distance": top * len(answered),
        "factors_for": factors_for,
        "factors_against": factors_against,
    }


def weakest_corner(data: Mapping[str, Any], answers: Answers, phase: str) -> dict[str, Any] | None:
    """The answered corner furthest below what the phase's triangle expects (ties: the phase's priority
    order). When none falls short, the lowest-rated corner, marked short=False."""
    profile = data["profiles"][phase]
    answered = [c for c in profile["priority"] if c in answers.corners]
    if not answered:
        return None
    gaps = {c: profile[c] - answers.corners[c] for c in answered}
    worst = max(answered, key=lambda c: gaps[c])  # max keeps the first (highest-priority) of equals
    if gaps[worst] > 0:
        return {"corner": worst, "level": answers.corners[worst], "expected": profile[worst], "short": True}
    lowest = min(answered, key=lambda c: answers.corners[c])
    return {"corner": lowest, "level": answers.corners[lowest], "expected": profile[lowest], "short": False}


def similar_cases(data: Mapping[str, Any], answers: Answers, phase: str) -> list[dict[str, Any]]:
    """The cases closest to the answers, each in its best-matching state: the same or a nearby phase
    (a past phase scores a little less than where the report leaves the case), shared factors, few
    conflicts."""
    sim = data["similarity"]
    number = {p["id"]: p["number"] for p in data["phases"]}
    found = []
    for case in data["cases"]:
        shared = [f for f in case["factors"] if f in answers.present]
        conflicts = [f for f in case["factors"] if f in answers.missing]
        best = None
        for i, state in enumerate(case["states"]):
            distance = abs(number[phase] - number[state["phase"]])
            pts = (
                sim["phase_points"][distance]
                - (0 if state["current"] else sim["past_phase_points_off"])
                + len(shared) * sim["shared_factor_points"]
                - len(conflicts) * sim["conflict_points"]
            )
            if best is None or pts > best["points"]:  # equal points: the earlier state stays
                best = {"id": case["id"], "state": i, "points": pts, "distance": distance}
        if best is not None and best["points"] >= sim["min_points"]:
            found.append({**best, "shared": shared, "conflicts": conflicts, "number": case["number"]})
    found.sort(key=lambda c: (-c["points"], c["number"]))
    return [{k: v for k, v in c.items() if k != "number"} for c in found[: sim["show"]]]


# --- rules a single record's fields cannot express -------------------------------------------------------


def check_rules(index: Index, problems: Collector) -> None:
    """Cross-field and cross-record checks of the rules, reported as file:line problems."""
    items = [item for _, item in sorted(index.records.get(KIND, {}).items())]
    for extra in items[1:]:
        problems.add(extra.doc.path, 1, "id", f"only one set of diagnosis rules is allowed; '{items[0].id}' is one.")
    if items:
        rules: models.DiagnosisRules = items[0].record  # type: ignore[assignment]  # the records of this kind are DiagnosisRules
        for loc, message in rule_problems(index, rules):
            problems.add(items[0].doc.path, items[0].doc.line_of(loc), key_path(loc), message)


def rule_problems(index: Index, rules: models.DiagnosisRules) -> list[tuple[tuple[object, ...], str]]:
    found: list[tuple[tuple[object, ...], str]] = []
    phases = [p.id for p in index.all("phase")]

    def unique(field: str, key: Any) -> None:
        seen: dict[Any, int] = {}
        for i, item in enumerate(getattr(rules, field)):
            k = key(item)
            if k in seen:
                found.append(((field, i), f"{k} is already given at {field}[{seen[k]}]; give each only once."))
            seen.setdefault(k, i)

    unique("statements", lambda s: s.id)
    unique("corners", lambda c: c.corner)
    unique("profiles", lambda p: p.phase)
    unique("corner_advice", lambda a: (a.phase, a.corner))
    unique("factors", lambda f: f.factor)
    unique("cases", lambda c: c.case)
    unique("confidence", lambda b: b.id)
    levels = [s.level for s in rules.scale]
    if levels != list(range(len(levels))):
        found.append((("scale",), f"levels must run 0, 1, 2, ... in order; got {levels}."))
    top = max(levels)
    profiled = {p.phase for p in rules.profiles}
    for phase in phases:
        if phase not in profiled:
            found.append((("profiles",), f"no profile for the phase '{phase}'. Add one."))
        for corner in CORNERS:
            if not any(a.phase == phase and a.corner == corner for a in rules.corner_advice):
                found.append((("corner_advice",), f"no advice for a weak {corner} corner in the phase '{phase}'."))
    for i, p in enumerate(rules.profiles):
        if sorted(p.priority) != sorted(CORNERS):
            found.append((("profiles", i, "priority"), "list each of authority, capacity and value once."))
        for corner in CORNERS:
            if getattr(p, corner) > top:
                found.append((("profiles", i, corner), f"{getattr(p, corner)} is above the top of the scale ({top})."))
    for i, s in enumerate(rules.statements):
        if len({pp.phase for pp in s.points}) != len(s.points):
            found.append((("statements", i, "points"), "give each phase at most once."))
    for i, f in enumerate(rules.factors):
        for side in ("present", "missing"):
            if len({pp.phase for pp in getattr(f, side)}) != len(getattr(f, side)):
                found.append((("factors", i, side), "give each phase at most once."))
        if (f.present or f.missing) and not f.sources:
            found.append((("factors", i, "sources"), "a factor that carries points needs sources."))
    known_cases = index.records["case-study"]
    for i, note in enumerate(rules.cases):
        # build_index has already reported an unknown id ("unknown case study ..."); skip it here.
        if note.case in known_cases and case_phase(index.get("case-study", note.case)) is None:
            found.append(
                (("cases", i, "case"), f"the report leaves '{note.case}' in no phase, so it cannot be matched.")
            )
    leads = [b.min_lead for b in rules.confidence]
    if leads != sorted(leads, reverse=True) or len(set(leads)) != len(leads) or leads[-1] != 0:
        found.append((("confidence",), f"min_lead must fall from band to band and end at 0; got {leads}."))
    return found
