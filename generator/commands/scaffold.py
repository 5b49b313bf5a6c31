"""`handbook new case-study <id>`: a file with every field present and explained in comments."""

from __future__ import annotations

import re
import textwrap
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from generator.errors import BuildError
from generator.records.kinds import BY_NAME, Kind
from generator.records.models import ID_PATTERN, Source
from generator.records.schemas import schema_comment

PLACEHOLDER = "TODO"


class ScaffoldError(BuildError):
    """A bad id, or a record that already exists: nothing was written."""


def write_scaffold(root: Path, kind_name: str, rid: str) -> Path:
    if not re.match(ID_PATTERN, rid):
        raise ScaffoldError(
            f"'{rid}' is not a valid id: use lowercase letters, digits and single hyphens, "
            "e.g. 'bristol-youth-services'."
        )
    kind = BY_NAME[kind_name]
    path = root / kind.folder / f"{rid}.yaml"
    if path.exists():
        raise ScaffoldError(
            f"{path.relative_to(root)} already exists; nothing was written. Choose another id or edit that file."
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as f:  # "x": never overwrite, even in a race
        f.write(scaffold_text(kind, rid))
    return path


def scaffold_text(kind: Kind, rid: str) -> str:
    kind_name = kind.name
    head = [
        schema_comment(kind),
        f"# A new {kind_name.replace('-', ' ')}. Every field is explained in the comment above it.",
        "# Required fields hold a TODO placeholder: `handbook check` fails until each is written.",
        "# Optional fields are commented out: remove the '# ' to use one.",
        *(EVIDENCE_STANDARD if kind_name == "case-study" else []),
        "",
    ]
    values = {"id": rid, **(NEW_CASE if kind_name == "case-study" else {})}
    return "\n".join(head + _fields(kind.model, 0, values)) + "\n"


# Optional fields the scaffold writes out as TODOs: a contributed case's sources are works.
SHOWN = {(Source, "work")}

# A new case study is contributed from its own sources and starts as a draft (CONTRIBUTING.md).
NEW_CASE = {"origin": "contributed", "contributors": "['TODO']", "status": "draft"}
EVIDENCE_STANDARD = [
    "#",
    "# The evidence standard (CONTRIBUTING.md, 'Evidence standard'):",
    "# - Sources: published or checkable material about the place: inspection reports, independent",
    "#   evaluations, official documents (council papers, plans), self-reports (what an organisation",
    "#   says of itself), interviews, news articles, data sets. Add each one once as a work in",
    "#   content/literature/<id>.yaml, with its kind of evidence in `evidence:`.",
    "# - Cite it: every section, figure, timeline event and factor assignment has `sources:`, each",
    "#   `- work: <work id>` with `locator:` (page, section) where it helps. `handbook check` refuses",
    "#   a contributed case where one is missing.",
    "# - Your own words: facts, names, dates and figures carry over; sentences do not. Quote a phrase",
    "#   (one sentence at most) only where the wording matters, in quotation marks, with its source.",
    "# - Contradictions: where sources disagree, record every reading under `contradictions:` with its",
    "#   source, and say which one the page shows and why.",
    "# - Review: keep `status: draft` until a reviewer has checked the case against its sources; then",
    "#   add them to `reviewers:`, set `status: reviewed` and add an entry to `reviewed:`.",
]


def _fields(model: type[BaseModel], indent: int, values: dict[str, str]) -> list[str]:
    out: list[str] = []
    pad = " " * indent
    for name, info in model.model_fields.items():
        for line in textwrap.wrap(info.description or name, 96 - indent):
            out.append(f"{pad}# {line}")
        required = info.is_required() or (model, name) in SHOWN
        prefix = pad if required else f"{pad}# "
        if name in values:
            out.append(f"{prefix}{name}: {values[name]}")
        else:
            out += [prefix + line for line in _value_lines(name, info.annotation, info, required)]
    return out


def _value_lines(name: str, annotation: Any, info: FieldInfo, required: bool) -> list[str]:
    sub = _model_of(annotation)
    is_list = _is_list(annotation)
    if sub is not None:
        body = _fields(sub, 2 if not is_list else 4, {})
        body = [line[2:] if not is_list else line for line in body]
        if is_list:
            body[0] = "  - " + body[0].lstrip()
            return [f"{name}:", *body]
        return [f"{name}:", *["  " + line for line in body]]
    choices = _literal_choices(annotation)
    if choices:
        return [f"{name}: {choices[0]}  # one of: {', '.join(choices)}"]
    if is_list:
        return [f"{name}: []"]
    if _is_int(annotation):
        return [f"{name}: 2008"] if "year" in name or name in ("start", "end") else [f"{name}: 1"]
    return [f"{name}: '{PLACEHOLDER}'"]


def _model_of(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_of(arg)
        if found is not None:
            return found
    return None


def _is_list(annotation: Any) -> bool:
    if typing.get_origin(annotation) is list:
        return True
    return any(_is_list(a) for a in typing.get_args(annotation) if a is not type(None))


def _literal_choices(annotation: Any) -> list[str]:
    if typing.get_origin(annotation) is typing.Literal:
        return [str(a) for a in typing.get_args(annotation)]
    for arg in typing.get_args(annotation):
        found = _literal_choices(arg)
        if found:
            return found
    return []


def _is_int(annotation: Any) -> bool:
    if annotation is int:
        return True
    return any(_is_int(a) for a in typing.get_args(annotation))
