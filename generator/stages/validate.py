"""Raw documents -> typed records. Every problem is reported as file:line with a fix."""

from __future__ import annotations

import datetime
import difflib
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from generator.errors import Collector, key_path
from generator.records import models
from generator.stages import embeds
from generator.stages.load import Loc, RawDocument

PLACEHOLDER = "TODO"  # what the scaffold (generator/commands/scaffold.py) writes in a required field

RESERVED_ANCHORS = frozenset(
    "summary background context-and-need strategy process outcomes analysis factors lifecycle timeline "
    "people lessons related literature contradictions cite layers conclusions reviewed data provenance".split()
)


@dataclass(frozen=True)
class Loaded:
    """A validated record with where it came from."""

    doc: RawDocument
    record: BaseModel

    @property
    def kind(self) -> str:
        return self.doc.kind.name

    @property
    def id(self) -> str:
        return self.record.id  # type: ignore[attr-defined]  # every record model has an id; the Loaded record is typed as their base, BaseModel


def validate_document(doc: RawDocument, problems: Collector) -> Loaded | None:
    if not isinstance(doc.data, dict):  # pragma: no cover - load refuses non-mappings
        problems.add(doc.path, 1, "", "the file must be a mapping of keys to values.")
        return None
    model = doc.kind.model
    try:
        record = model.model_validate(doc.data)
    except ValidationError as e:
        for err in e.errors():
            loc: Loc = tuple(err["loc"])
            problems.add(doc.path, doc.line_of(loc), key_path(loc), explain(err, model, doc.data))
        return None
    stem = doc.path.rsplit("/", 1)[-1].removesuffix(".yaml")
    if record.id != stem:  # type: ignore[attr-defined]  # every record model has an id
        problems.add(
            doc.path,
            doc.line_of(("id",)),
            "id",
            f"the id '{record.id}' differs from the file name "  # type: ignore[attr-defined]  # as above
            f"'{stem}.yaml'. Make them the same: rename the file or change the id.",
        )
        return None
    before = len(problems.problems)
    for loc, message in check_record(record, placeholders="TODO" in repr(doc.data)):
        problems.add(doc.path, doc.line_of(loc), key_path(loc), message)
    return Loaded(doc, record) if len(problems.problems) == before else None


# --- pydantic errors in plain words --------------------------------------------------------------


def explain(err: Any, model: type[BaseModel], data: object) -> str:
    kind, loc, value = err["type"], tuple(err["loc"]), err.get("input")
    ctx = err.get("ctx") or {}
    if kind == "missing" and loc and loc[-1] == "sources":
        return (
            "no sources: this needs at least one. Add 'sources:' with '- work: <id of a work in content/literature/>' "
            "(and 'locator:'), or '- section: <a place in the 2008 report>'."
        )
    if kind == "missing":
        return "required field is missing. Add it (every field is described in schemas/)."
    if kind == "extra_forbidden":
        return _unknown_key(loc, model)
    if kind == "literal_error":
        allowed = _literal_values(ctx.get("expected", ""))
        near = difflib.get_close_matches(str(value), allowed, n=1)
        hint = f" Did you mean '{near[0]}'?" if near else ""
        return f"'{value}' is not allowed here; use one of: {', '.join(allowed)}.{hint}"
    if kind == "string_pattern_mismatch" and value == PLACEHOLDER:
        return (
            "still holds the scaffold's placeholder TODO. Write the real content, or remove the key if it is optional."
        )
    if kind == "string_pattern_mismatch":
        return _pattern_message(loc, value, ctx.get("pattern", ""))
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bound = next(iter(ctx.values()))
        word = "at least" if kind.startswith("greater") else "at most"
        what = "a year" if loc[-1] in ("year", "start", "end", "end_year") else "a number"
        return f"{value} is out of range: expected {what} {word} {bound}."
    if kind in ("string_too_long", "too_long"):
        return f"too long: at most {ctx.get('max_length')} characters. Shorten it."
    if kind in ("string_too_short", "too_short"):
        return "must not be empty. Fill it in or remove the key."
    expected = _EXPECTED.get(kind)
    if expected:
        return f"expected {expected}, got {_describe(value)}.{_quote_hint(kind, value)}"
    return f"{err['msg']}."


_EXPECTED = {
    "string_type": "text",
    "int_type": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "list_type": "a list (lines starting with '- ')",
    "dict_type": "a mapping of keys to values",
    "model_type": "a mapping of keys to values",
    "model_attributes_type": "a mapping of keys to values",
    "int_from_float": "a whole number",
    "union_tag_invalid": "one of the allowed forms",
}


def _describe(value: object) -> str:
    if isinstance(value, bool):
        return f"{'true' if value else 'false'} (a yes/no value)"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return f"a date ({value.isoformat()})"
    if isinstance(value, float):
        return f"the number {value!r}"
    if isinstance(value, int):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text '{value[:40]}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "nothing" if value is None else type(value).__name__


def _quote_hint(kind: str, value: object) -> str:
    if kind != "string_type":
        return " Check the value's form against schemas/."
    if isinstance(value, bool):
        return " YAML reads yes/no/on/off as true/false: put the value in quotes, e.g. 'no'."
    if isinstance(value, (datetime.date, float, int)):
        return " YAML read it as a date or number: put the value in quotes, e.g. '1.10' or '2004-05-01'."
    return ""


def _unknown_key(loc: Loc, model: type[BaseModel]) -> str:
    fields = _fields_at(model, loc[:-1])
    near = difflib.get_close_matches(str(loc[-1]), fields, n=1, cutoff=0.6)
    hint = f" Did you mean '{near[0]}'?" if near else f" Allowed keys here: {', '.join(fields)}."
    return f"unknown key '{loc[-1]}'.{hint}"


def _fields_at(model: type[BaseModel], loc: Loc) -> list[str]:
    """The field names of the model found by following `loc` from `model`."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        field = (
            current.model_fields.get(str(part))
            if isinstance(current, type) and issubclass(current, BaseModel)
            else None
        )
        if field is None:
            return []
        current = _model_in(field.annotation)
        if current is None:
            return []
    return sorted(current.model_fields) if isinstance(current, type) and issubclass(current, BaseModel) else []


def _model_in(annotation: Any) -> type[BaseModel] | None:
    import typing

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _literal_values(expected: str) -> list[str]:
    return [part.strip().strip("'") for part in expected.replace(" or ", ", ").split(",") if part.strip()]


def _pattern_message(loc: Loc, value: object, pattern: str) -> str:
    if pattern == models.ID_PATTERN:
        from generator.stages.load import suggest_id

        return (
            f"'{value}' is not a valid id: use lowercase letters, digits and single hyphens, e.g. "
            f"'{suggest_id(str(value))}'."
        )
    if loc and loc[-1] == "year":
        return f"'{value}' is not a year: write '2004', '1995-2005' or 'c.2007', in quotes."
    if loc and loc[-1] == "lines":
        return f"'{value}' is not a line reference: write '4013' or '4013-4016', separated by commas."
    if loc and loc[-1] == "url":
        return f"'{value}' is not an http(s) address. Use a full address starting with https://."
    if loc and loc[-1] == "date":
        return f"'{value}' is not a date: write it as 'YYYY-MM-DD', in quotes."
    return f"'{value}' does not have the expected form ({pattern})."


# --- rules a single record's fields cannot express ------------------------------------------------


def check_record(record: BaseModel, placeholders: bool = True) -> list[tuple[Loc, str]]:
    """Cross-field rules inside one record (no placeholders, no remote resources in any text, a case's
    own rules); cross-record rules live in the index. `placeholders=False` skips the search for the
    scaffold's TODO (its caller saw no TODO anywhere in the file's data)."""
    found: list[tuple[Loc, str]] = [
        (
            loc,
            "still holds the scaffold's placeholder TODO. Write the real content, or remove the key if it is optional.",
        )
        for loc in (_placeholders(record, ()) if placeholders else [])
    ]
    found += [(loc, embeds.message(e)) for loc, text in _strings(record, ()) for e in embeds.remote_embeds(text)]
    found += _check_sources(record, ())
    if isinstance(record, models.CaseStudy):
        found += _check_case(record)
        found += _check_provenance(record)
    return found


SOURCE_FIX = (
    "Give 'section' (a place in the 2008 report, e.g. 'Appendix C, case study 3, section 5.2') or 'work' "
    "(the id of a work in content/literature/)"
)


def _check_sources(value: object, loc: Loc) -> list[tuple[Loc, str]]:
    """Every source names a place in the 2008 report or a work, not both, not neither."""
    if isinstance(value, models.Source):
        if value.section is None and value.work is None:
            return [(loc, f"the source names no place and no work. {SOURCE_FIX}.")]
        if value.section is not None and value.work is not None:
            return [(loc, "the source names both a place in the 2008 report and a work. Split it into two sources.")]
        if value.locator is not None and value.work is None:
            return [
                (
                    (*loc, "locator"),
                    "a locator points into a work, but the source names no work. "
                    "Add 'work', or put the place in 'section'.",
                )
            ]
        return []
    if isinstance(value, BaseModel):
        return [hit for name in type(value).model_fields for hit in _check_sources(getattr(value, name), (*loc, name))]
    if isinstance(value, list):
        return [hit for i, item in enumerate(value) for hit in _check_sources(item, (*loc, i))]
    return []


NO_SOURCE = (
    "{what} has no sources. A contributed case cites a source for each {what_short}: add 'sources:' with "
    "'- work: <id of a work in content/literature/>' (and 'locator:'), or '- section: <a place in the 2008 report>'."
)


def _check_provenance(case: models.CaseStudy) -> list[tuple[Loc, str]]:
    found: list[tuple[Loc, str]] = []
    if case.status == "reviewed" and not case.reviewers:
        found.append(
            (
                ("status",),
                "the case is 'reviewed' but names no reviewers. Add 'reviewers:', or set "
                "status: draft until someone has checked it against its sources.",
            )
        )
    if case.status == "reviewed" and not case.reviewed:
        found.append(
            (
                ("status",),
                "the case is 'reviewed' but its review history is empty. Add an entry under "
                "'reviewed:' with the date and what was checked.",
            )
        )
    if case.origin == "contributed":
        found += _check_contributed(case)
    return found


def _check_contributed(case: models.CaseStudy) -> list[tuple[Loc, str]]:
    found: list[tuple[Loc, str]] = []
    if case.number is not None:
        found.append((("number",), "a contributed case has no case study number in the 2008 report. Remove 'number'."))
    for field in ("process", "analysis"):
        for i, section in enumerate(getattr(case, field)):
            if not section.sources:
                found.append(((field, i), NO_SOURCE.format(what=f"the section '{section.id}'", what_short="section")))
    for field in ("background", "outcome_figures"):
        for i, point in enumerate(getattr(case, field)):
            if not point.sources:
                found.append(((field, i), NO_SOURCE.format(what=f"the figure '{point.label}'", what_short="figure")))
    for role in ("triggers", "drivers", "enablers"):
        for i, use in enumerate(getattr(case, role)):
            if not use.sources:
                found.append(
                    (
                        (role, i),
                        NO_SOURCE.format(what=f"the factor assignment '{use.factor}'", what_short="factor assignment"),
                    )
                )
            if use.in_table1:
                found.append(
                    (
                        (role, i, "in_table1"),
                        "a contributed case is not in the report's Table 1. Set in_table1: false or remove it.",
                    )
                )
    return found


def _strings(value: object, loc: Loc) -> list[tuple[Loc, str]]:
    """Every text in a record with where it is."""
    if isinstance(value, BaseModel):
        return [hit for name in type(value).model_fields for hit in _strings(getattr(value, name), (*loc, name))]
    if isinstance(value, list):
        return [hit for i, item in enumerate(value) for hit in _strings(item, (*loc, i))]
    return [(loc, value)] if isinstance(value, str) else []


def _placeholders(value: object, loc: Loc) -> list[Loc]:
    if isinstance(value, BaseModel):
        return [hit for name in type(value).model_fields for hit in _placeholders(getattr(value, name), (*loc, name))]
    if isinstance(value, list):
        return [hit for i, item in enumerate(value) for hit in _placeholders(item, (*loc, i))]
    return [loc] if isinstance(value, str) and value.strip() == "TODO" else []


def _check_case(case: models.CaseStudy) -> list[tuple[Loc, str]]:
    found: list[tuple[Loc, str]] = []
    if case.period.end is not None and case.period.end < case.period.start:
        found.append(
            (
                ("period", "end"),
                f"the period ends ({case.period.end}) before it starts "
                f"({case.period.start}). Swap them or correct the year.",
            )
        )
    for i, event in enumerate(case.timeline):
        if event.end_year is not None and event.end_year < event.year:
            found.append(
                (
                    ("timeline", i, "end_year"),
                    f"the event ends ({event.end_year}) before it starts "
                    f"({event.year}). Swap them or correct the year.",
                )
            )
        if event.certainty != "sure" and not event.date_note:
            found.append(
                (
                    ("timeline", i, "date_note"),
                    f"certainty is '{event.certainty}' but there is no "
                    "date_note. Say which other year the report gives, and where.",
                )
            )
    triggers = [i for i, event in enumerate(case.timeline) if event.trigger]
    for i in triggers[1:]:
        found.append(
            (
                ("timeline", i, "trigger"),
                f"only one event can be the trigger; timeline[{triggers[0]}] "
                "already is. Set trigger: true on one event only.",
            )
        )
    for i, span in enumerate(case.phase_spans):
        if span.end is not None and span.end < span.start:
            found.append(
                (
                    ("phase_spans", i, "end"),
                    f"the phase span ends ({span.end}) before it starts ({span.start}). Swap them or correct the year.",
                )
            )
    found += _check_placement(case)
    found += _check_table1(case)
    found += _check_anchors(case)
    return found


def _check_table1(case: models.CaseStudy) -> list[tuple[Loc, str]]:
    in_table1 = [
        (role, i)
        for role in ("triggers", "drivers", "enablers")
        for i, u in enumerate(getattr(case, role))
        if u.in_table1
    ]
    if case.origin == "contributed":
        return []  # _check_contributed says that a contributed case is never in Table 1
    if in_table1 and case.table1 is None:
        role, i = in_table1[0]
        return [
            (
                (role, i, "in_table1"),
                "in_table1 is true but the case has no table1 row. Add table1 with the row's order and its "
                "'Case study area' cell as printed, or set in_table1 to false.",
            )
        ]
    if case.table1 is not None and not in_table1:
        return [
            (
                ("table1",),
                "the case has a table1 row but no factor with in_table1: true. Mark the Table 1 cells on "
                "its triggers, drivers and enablers, or remove table1.",
            )
        ]
    return []


def _check_placement(case: models.CaseStudy) -> list[tuple[Loc, str]]:
    placement = case.phase
    if placement is None:
        return []
    if placement.basis == "partial" and placement.hedge is None:
        return [
            (
                ("phase", "basis"),
                "basis is 'partial' but there is no hedge. Quote the report's hedging words under "
                "hedge.quote and say where under hedge.source.",
            )
        ]
    if placement.basis != "partial" and placement.hedge is not None:
        return [
            (
                ("phase", "hedge"),
                f"a hedge is only for basis 'partial', but basis is '{placement.basis}'. "
                "Set basis: partial, or remove the hedge.",
            )
        ]
    return []


def _check_anchors(case: models.CaseStudy) -> list[tuple[Loc, str]]:
    found: list[tuple[Loc, str]] = []
    seen: dict[str, Loc] = {}
    for field in ("process", "analysis"):
        for i, section in enumerate(getattr(case, field)):
            loc = (field, i, "id")
            if section.id in RESERVED_ANCHORS:
                found.append(
                    (
                        loc,
                        f"the section id '{section.id}' is reserved for the page's own headings. "
                        f"Choose another, e.g. '{field}-{section.id}'.",
                    )
                )
            elif section.id in seen:
                found.append(
                    (
                        loc,
                        f"the section id '{section.id}' is used twice in this file "
                        f"(also at {key_path(seen[section.id])}). Section ids must be unique.",
                    )
                )
            seen.setdefault(section.id, loc)
    for list_field in ("timeline", "contradictions"):
        ids: dict[str, int] = {}
        for i, item in enumerate(getattr(case, list_field)):
            if item.id in ids:
                found.append(
                    (
                        (list_field, i, "id"),
                        f"the id '{item.id}' is used twice in {list_field} "
                        f"(also at {list_field}[{ids[item.id]}]). Ids must be unique.",
                    )
                )
            ids.setdefault(item.id, i)
    for i, event in enumerate(case.timeline):
        if event.section is not None and event.section not in seen:
            near = difflib.get_close_matches(event.section, list(seen), n=1)
            hint = f" Did you mean '{near[0]}'?" if near else f" Known sections: {', '.join(seen) or 'none'}."
            found.append((("timeline", i, "section"), f"no section with id '{event.section}' in this case.{hint}"))
    return found
