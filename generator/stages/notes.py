"""Sources -> numbered notes and an evidence summary: a stage after the index.

Every source of a case study becomes a note a reader can follow: a place in the 2008 report (its
own label, linked to the report's bibliography entry) or a work in the bibliography (with its
locator). Notes are numbered once per page in page order; the same source keeps its number
wherever it is cited again. The evidence summary counts what the notes rest on, by kind; it is
computed here and never typed by hand.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from generator.records.models import EVIDENCE_LABELS, REPORT_WORK, CaseStudy, Source


@dataclass(frozen=True)
class Note:
    number: int
    work: str  # the id of the work the note points to (the 2008 report's for a place in it)
    place: str  # the report's label, or the locator in the work ("" when the work is cited whole)
    kind: str  # the evidence kind (models.EvidenceKind)


@dataclass
class CaseNotes:
    """A case page's notes: by the part of the page that cites them, and all of them in number order."""

    by_part: dict[str, list[Note]] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)

    def at(self, part: str) -> list[Note]:
        return self.by_part.get(part, [])


def source_key(source: Source) -> tuple[str, str]:
    """(work id, place): the identity of a note."""
    if source.work is None:
        return (REPORT_WORK, source.section or "")
    return (source.work, source.locator or "")


def source_label(source: Source) -> str:
    """A source in a few words, without the bibliography at hand: the report's label, or the work's id
    with its locator (chart tooltips; pages show numbered notes instead)."""
    if source.work is None:
        return source.section or ""
    return f"{source.work}, {source.locator}" if source.locator else source.work


def evidence_kind(source: Source, works: dict[str, Any]) -> str:
    if source.work is None or source.work == REPORT_WORK:
        return "report2008"
    work = works.get(source.work)
    return (work.evidence if work is not None else None) or "research"


def case_parts(case: CaseStudy) -> Iterator[tuple[str, list[Source]]]:
    """Every part of a case page that cites sources, in page order, as (part key, sources)."""
    yield "case", case.sources
    for i, point in enumerate(case.background):
        yield f"background/{i}", point.sources
    for s in case.process:
        yield f"section/{s.id}", s.sources
    for i, point in enumerate(case.outcome_figures):
        yield f"outcome/{i}", point.sources
    for role in ("triggers", "drivers", "enablers"):
        for i, use in enumerate(getattr(case, role)):
            yield f"{role}/{i}", use.sources
    for s in case.analysis:
        yield f"section/{s.id}", s.sources
    if case.phase is not None:
        yield "phase", case.phase.sources
    for i, layer in enumerate(case.layers):
        yield f"layer/{i}", layer.sources
    for e in case.timeline:
        yield f"event/{e.id}", e.sources
    for x in case.contradictions:
        for i, reading in enumerate(x.readings):
            yield f"reading/{x.id}/{i}", reading.sources


def case_notes(case: CaseStudy, works: dict[str, Any]) -> CaseNotes:
    """Number every source of the case in page order; `works` maps work ids to works (for their kind)."""
    out = CaseNotes()
    numbers: dict[tuple[str, str], Note] = {}
    for part, sources in case_parts(case):
        here: list[Note] = []
        for source in sources:
            key = source_key(source)
            if key not in numbers:
                numbers[key] = Note(len(numbers) + 1, key[0], key[1], evidence_kind(source, works))
                out.notes.append(numbers[key])
            if numbers[key] not in here:
                here.append(numbers[key])
        if here:
            out.by_part[part] = here
    return out


@dataclass(frozen=True)
class EvidenceCount:
    kind: str
    count: int

    @property
    def words(self) -> str:
        one, many = EVIDENCE_LABELS[self.kind]
        return f"{self.count} {one if self.count == 1 else many}"


def evidence_summary(notes: CaseNotes) -> list[EvidenceCount]:
    """How many sources of each kind the case rests on: places in the 2008 report, and works of each
    kind (each work counted once however many places in it are cited), in EVIDENCE_LABELS order."""
    seen: dict[str, set[str]] = {}
    for note in notes.notes:
        seen.setdefault(note.kind, set()).add(note.place if note.kind == "report2008" else note.work)
    return [EvidenceCount(kind, len(seen[kind])) for kind in EVIDENCE_LABELS if kind in seen]
