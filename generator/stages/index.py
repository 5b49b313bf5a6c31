"""One cross-reference index: id -> record, every reference resolved, back-links built."""

from __future__ import annotations

import difflib
import functools
import hashlib
import re
import typing
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from generator.errors import Collector, key_path
from generator.jobs import Mapper, in_turn
from generator.records import models
from generator.records.kinds import BY_NAME, KINDS
from generator.stages import notes
from generator.stages.load import Loc
from generator.stages.validate import Loaded

ROLES = ("triggers", "drivers", "enablers")


@dataclass(frozen=True)
class Use:
    """A factor used by a case in one role."""

    case: models.CaseStudy
    role: str  # "trigger" | "driver" | "enabler"
    use: models.FactorUse


@dataclass
class Index:
    records: dict[str, dict[str, Loaded]] = field(default_factory=lambda: {k.name: {} for k in KINDS})
    backlinks: dict[tuple[str, str], list[tuple[str, str, Loc]]] = field(default_factory=lambda: defaultdict(list))
    terms_used: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    moved: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, old id) -> new id
    _sorted: dict[str, list[Any]] = field(default_factory=dict, repr=False, compare=False)
    _uses: dict[str, list[Use]] | None = field(default=None, repr=False, compare=False)

    # --- lookups used by templates (the records never change once the index is built) -----------
    def all(self, kind: str) -> list[Any]:
        """Records of a kind in a stable order (by number/order where the kind has one, else id)."""
        if kind not in self._sorted:
            self._sorted[kind] = sorted((loaded.record for loaded in self.records[kind].values()), key=_sort_key)
        return list(self._sorted[kind])

    def get(self, kind: str, rid: str) -> Any:
        return self.records[kind][rid].record

    def case_notes(self, case_id: str) -> notes.CaseNotes:
        """The case page's numbered notes (generator/stages/notes.py)."""
        return notes.case_notes(self.get("case-study", case_id), self._works())

    def evidence(self, case_id: str) -> list[notes.EvidenceCount]:
        """What the case's evidence rests on, counted by kind from its sources."""
        return notes.evidence_summary(self.case_notes(case_id))

    def _works(self) -> dict[str, Any]:
        return {rid: item.record for rid, item in self.records["work"].items()}

    def source_path(self, kind: str, rid: str) -> str:
        return self.records[kind][rid].doc.path

    def url(self, kind: str, rid: str) -> str:
        return BY_NAME[kind].url(self.get(kind, rid))

    def cited_by(self, kind: str, rid: str, from_kind: str | None = None) -> list[Any]:
        """Records that refer to (kind, rid), each once, in stable order."""
        seen: dict[tuple[str, str], Any] = {}
        for fk, fid, _ in self.backlinks.get((kind, rid), []):
            if from_kind is None or fk == from_kind:
                seen.setdefault((fk, fid), self.get(fk, fid))
        return [seen[k] for k in sorted(seen)]

    def citing_pairs(self, kind: str, rid: str) -> list[tuple[str, Any]]:
        seen: dict[tuple[str, str], Any] = {}
        for fk, fid, _ in self.backlinks.get((kind, rid), []):
            seen.setdefault((fk, fid), self.get(fk, fid))
        return [(k[0], seen[k]) for k in sorted(seen)]

    def factor_uses(self, factor_id: str) -> list[Use]:
        if self._uses is None:
            self._uses = defaultdict(list)
            for case in self.all("case-study"):
                for u in case_uses(case):
                    self._uses[u.use.factor].append(u)
        return list(self._uses.get(factor_id, []))

    def cases_at_phase(self, phase_id: str) -> list[models.CaseStudy]:
        return [c for c in self.all("case-study") if c.phase is not None and c.phase.phase == phase_id]

    def triangles_of(self, phase_id: str) -> list[models.Triangle]:
        return [t for t in self.all("triangle") if t.phase == phase_id]

    def term_users(self, term_id: str) -> list[tuple[str, Any]]:
        users = [key for key, terms in self.terms_used.items() if term_id in terms]
        return [(k, self.get(k, i)) for k, i in sorted(users)]

    def terms_of(self, kind: str, rid: str) -> list[models.Term]:
        return [self.get("term", t) for t in self.terms_used.get((kind, rid), [])]


def case_uses(case: models.CaseStudy) -> Iterator[Use]:
    for role in ROLES:
        for use in getattr(case, role):
            yield Use(case, role[:-1], use)


def _sort_key(record: Any) -> tuple[Any, ...]:
    for name in ("number", "order"):
        value = getattr(record, name, None)
        if value is not None:
            return (0, str(value).zfill(8) if isinstance(value, str) else value, record.id)
    return (1, 0, record.id)


TermMemo = dict[tuple[str, str], list[str]]  # (phrases key, file's SHA-256) -> the terms its record uses
RefMemo = dict[tuple[str, str, str], list[tuple[Loc, str, str]]]  # (kind, id, file's SHA-256) -> its references


def build_index(
    loaded: list[Loaded],
    problems: Collector,
    memo: TermMemo | None = None,
    kept: TermMemo | None = None,
    run: Mapper | None = None,
    refs: RefMemo | None = None,
) -> Index:
    """Records by kind and id, every reference checked; term matches are looked up in `memo` and
    every match made or used is put in `kept` (see cache.SourceCache). With `refs` (kept in memory
    under `handbook serve`), the references of a record whose file is unchanged are not walked
    again; `refs` is left holding those of this build's records."""
    index = Index()
    for item in loaded:
        index.records[item.kind][item.id] = item
    _register_moves(index, problems)
    found = record_references(loaded, refs)
    for item, item_refs in zip(loaded, found, strict=True):
        for loc, kind, target in item_refs:
            _resolve(index, item, loc, kind, target, problems)
    _check_unique_numbers(index, problems)
    _check_contributed_works(index, problems)
    _resolve_step_links(index, problems)
    index.terms_used = find_term_uses(index, memo, kept, run)
    return index


def record_references(loaded: list[Loaded], memo: RefMemo | None) -> list[list[tuple[Loc, str, str]]]:
    """Each record's references; from `memo` for a record whose file has the SHA-256 it had there
    (the record is a function of its file's bytes), and `memo` then holds exactly this build's."""
    if memo is None:
        return [list(references(item.record)) for item in loaded]
    found, new = [], {}
    for item in loaded:
        key = (item.kind, item.id, item.doc.digest or "")
        refs = memo.get(key) if item.doc.digest else None
        if refs is None:
            refs = list(references(item.record))
        if item.doc.digest:
            new[key] = refs
        found.append(refs)
    memo.clear()
    memo.update(new)
    return found


def _register_moves(index: Index, problems: Collector) -> None:
    for kind, items in index.records.items():
        for item in items.values():
            for i, old in enumerate(getattr(item.record, "moved_from", [])):
                if old in items or (kind, old) in index.moved:
                    problems.add(
                        item.doc.path,
                        item.doc.line_of(("moved_from", i)),
                        f"moved_from[{i}]",
                        f"the old id '{old}' is still in use by another {BY_NAME[kind].label}. "
                        "An old id can only point to one record.",
                    )
                index.moved[(kind, old)] = item.id


def _resolve(index: Index, item: Loaded, loc: Loc, kind: str, target: str, problems: Collector) -> None:
    known = index.records[kind]
    if target in known:
        index.backlinks[(kind, target)].append((item.kind, item.id, loc))
        return
    label = BY_NAME[kind].label
    if (kind, target) in index.moved:
        hint = f" It was renamed: use '{index.moved[(kind, target)]}'."
    else:
        near = difflib.get_close_matches(target, list(known), n=1, cutoff=0.6)
        hint = f" Did you mean '{near[0]}'?" if near else f" Add {BY_NAME[kind].folder}/{target}.yaml or fix the id."
    problems.add(item.doc.path, item.doc.line_of(loc), key_path(loc), f"unknown {label} '{target}'.{hint}")


def _resolve_step_links(index: Index, problems: Collector) -> None:
    """Pathway steps link '<kind>/<id>#anchor'; the record must exist (MkDocs checks the anchor)."""
    for item in index.records["pathway"].values():
        for i, step in enumerate(item.record.steps):  # type: ignore[attr-defined]  # index.records['pathway'] is typed by the models' base, BaseModel
            kind, _, rest = step.link.partition("/")
            _resolve(index, item, ("steps", i, "link"), kind, rest.partition("#")[0], problems)


def _check_contributed_works(index: Index, problems: Collector) -> None:
    """A work a contributed case cites says what kind of evidence it is (for the evidence summary)."""
    kinds = ", ".join(k for k in models.EVIDENCE_LABELS if k != "report2008")
    for item in index.records["case-study"].values():
        if item.record.origin != "contributed":  # type: ignore[attr-defined]  # index.records['case-study'] is typed by the models' base, BaseModel
            continue
        for loc, source in sources_in(item.record, ()):
            work = index.records["work"].get(source.work or "")
            if work is not None and work.record.evidence is None:  # type: ignore[attr-defined]  # index.records['work'] is typed by the models' base, BaseModel
                problems.add(
                    item.doc.path,
                    item.doc.line_of((*loc, "work")),
                    key_path((*loc, "work")),
                    f"the work '{source.work}' does not say what kind of evidence it is. Add 'evidence:' to "
                    f"{work.doc.path} (one of: {kinds}).",
                )


def sources_in(value: Any, loc: Loc) -> Iterator[tuple[Loc, models.Source]]:
    """Every source inside a record, with its location."""
    if isinstance(value, models.Source):
        yield loc, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from sources_in(getattr(value, name), (*loc, name))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from sources_in(item, (*loc, i))


def _check_unique_numbers(index: Index, problems: Collector) -> None:
    for kind in ("phase", "case-study", "toolkit-step"):
        seen: dict[object, str] = {}
        for rid, item in sorted(index.records[kind].items()):
            number = getattr(item.record, "number", None)
            if number is None:
                continue
            if number in seen:
                problems.add(
                    item.doc.path,
                    item.doc.line_of(("number",)),
                    "number",
                    f"number {number} is also used by '{seen[number]}'. Numbers must be unique.",
                )
            seen.setdefault(number, rid)


# --- walking models for references ------------------------------------------------------------------


def references(record: BaseModel) -> Iterator[tuple[Loc, str, str]]:
    """Every (location, kind, id) reference inside a record, found from the Ref annotations."""
    yield from _walk_model(record, ())


def _walk_model(value: BaseModel, loc: Loc) -> Iterator[tuple[Loc, str, str]]:
    for name, ref, item_ref, item_annotation in _plan(type(value)):
        child = getattr(value, name)
        if isinstance(child, str):
            if ref is not None:
                yield ((*loc, name), ref.kind, child)
        elif isinstance(child, list):
            for i, item in enumerate(child):
                if isinstance(item, str):
                    if item_ref is not None:
                        yield ((*loc, name, i), item_ref.kind, item)
                else:
                    yield from _walk(item, item_annotation, (*loc, name, i))
        else:
            yield from _walk(child, None, (*loc, name))


def _walk(value: Any, annotation: Any, loc: Loc) -> Iterator[tuple[Loc, str, str]]:
    if isinstance(value, BaseModel):
        yield from _walk_model(value, loc)
    elif isinstance(value, list):
        inner = _list_item(annotation)
        ref = _ref_of(inner)
        for i, item in enumerate(value):
            if ref is not None and isinstance(item, str):
                yield ((*loc, i), ref.kind, item)
            else:
                yield from _walk(item, inner, (*loc, i))
    elif isinstance(value, str) and annotation is not None:
        ref = _ref_of(annotation)
        if ref is not None:
            yield (loc, ref.kind, value)


_FieldPlan = tuple[str, "models.Ref | None", "models.Ref | None", Any]


@functools.cache
def _plan(model: type[BaseModel]) -> tuple[_FieldPlan, ...]:
    """Once per model class: the fields that can hold a reference, as (name, Ref of a text value,
    Ref of a list's text items, the list items' annotation). Fields of plain text are left out."""
    plan = []
    for name, info in model.model_fields.items():
        ref = _ref_in(info.metadata) or _ref_of(info.annotation)
        inner = _list_item(info.annotation)
        item_ref = _ref_of(inner)
        if ref is not None or item_ref is not None or _holds_model(info.annotation):
            plan.append((name, ref, item_ref, inner))
    return tuple(plan)


def _holds_model(annotation: Any) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_holds_model(arg) for arg in typing.get_args(annotation))


def _ref_in(metadata: list[Any]) -> models.Ref | None:
    return next((m for m in metadata if isinstance(m, models.Ref)), None)


def _ref_of(annotation: Any) -> models.Ref | None:
    if typing.get_origin(annotation) is typing.Annotated:
        found = _ref_in(list(annotation.__metadata__))
        return found if found is not None else _ref_of(typing.get_args(annotation)[0])
    for arg in typing.get_args(annotation):
        found = _ref_of(arg)
        if found is not None:
            return found
    return None


def _list_item(annotation: Any) -> Any:
    if typing.get_origin(annotation) is typing.Annotated:
        return _list_item(typing.get_args(annotation)[0])
    if typing.get_origin(annotation) is list:
        return typing.get_args(annotation)[0]
    for arg in typing.get_args(annotation):
        item = _list_item(arg)
        if item is not None:
            return item
    return None


# --- glossary terms found in running text -------------------------------------------------------------


def find_term_uses(
    index: Index, memo: TermMemo | None = None, kept: TermMemo | None = None, run: Mapper | None = None
) -> dict[tuple[str, str], list[str]]:
    """Which glossary terms each record's text uses: one pass of one pattern over each record (the
    records not in `memo` mapped with `run`: generator/speed/parallel.py, on two cores)."""
    phrases: dict[str, str] = {}
    for term in index.all("term"):
        for phrase in (term.term, *term.matches):
            phrases.setdefault(phrase, term.id)
    if not phrases:
        return {}
    pattern = phrase_pattern(phrases)
    phrases_key = hashlib.sha256(repr(sorted(phrases.items())).encode()).hexdigest()
    known: dict[tuple[str, str], list[str] | None] = {}  # (kind, id) -> the terms its record uses
    for kind, items in index.records.items():
        if kind in ("term", "footnote"):
            continue
        for rid, item in items.items():
            known[(kind, rid)] = memo.get((phrases_key, item.doc.digest)) if memo and item.doc.digest else None
    todo = [ref for ref, found in known.items() if found is None]
    scanned = (run or in_turn)(lambda ref: _terms_in(index.records[ref[0]][ref[1]].record, pattern, phrases), todo)
    known.update(zip(todo, scanned, strict=True))
    uses: dict[tuple[str, str], list[str]] = {}
    for (kind, rid), found in known.items():
        digest = index.records[kind][rid].doc.digest
        if kept is not None and digest:
            kept[(phrases_key, digest)] = found or []
        if found:
            uses[(kind, rid)] = found
    return uses


def phrase_pattern(phrases: Iterable[str]) -> re.Pattern[str]:
    """One pattern matching any of the phrases, longest first where several start at one place.

    The phrases are laid out as a trie (`ab|ac` becomes `a(?:b|c)`), so the regex engine tries one
    branch per character instead of every phrase at every position of the text: about four times
    faster than a flat alternation over the glossary's 170 phrases, with the same matches."""
    trie: dict[str, Any] = {}
    for phrase in phrases:
        node = trie
        for ch in phrase:
            node = node.setdefault(ch, {})
        node[""] = {}  # a phrase ends here

    def emit(node: dict[str, Any]) -> str:
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body  # greedy: the longer phrase is tried first

    return re.compile(emit(trie))


def _terms_in(record: BaseModel, pattern: re.Pattern[str], phrases: dict[str, str]) -> list[str]:
    text = "\n".join(_strings(record))
    return sorted({phrases[m.group(0)] for m in pattern.finditer(text) if _whole_word(text, m.start(), m.end())})


def _whole_word(text: str, start: int, end: int) -> bool:
    def joins(ch: str) -> bool:
        return ch.isalnum() or ch in "_-"

    return not (start > 0 and joins(text[start - 1])) and not (end < len(text) and joins(text[end]))


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            if name not in ("id", "sources", "moved_from"):
                yield from _strings(getattr(value, name))
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, str):
        yield value
