"""JSON Schemas (draft-07, what editors' YAML tooling understands) generated from the models.

`handbook schemas` writes them to schemas/; the build publishes them at <site>/schemas/. A test
fails when a committed schema drifts from its model.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from generator.records.kinds import KINDS, Kind

DRAFT_07 = "http://json-schema.org/draft-07/schema#"


def schema_for(kind: Kind) -> dict[str, Any]:
    """The model's schema with draft-07's `definitions` in place of 2020-12's `$defs`."""
    raw = kind.model.model_json_schema()
    text = json.dumps(raw).replace('"#/$defs/', '"#/definitions/')
    schema = json.loads(text)
    definitions = schema.pop("$defs", None)
    head = {
        "$schema": DRAFT_07,
        "$id": f"{kind.name}.schema.json",
        "title": f"Handbook {kind.label}",
        "description": f"One {kind.label} record: {kind.folder}/<id>.yaml. Generated from generator/records/models.py "
        "by `handbook schemas`; do not edit by hand.",
    }
    return {**head, **schema, **({"definitions": definitions} if definitions else {})}


def schema_files() -> dict[str, bytes]:
    """{'<kind>.schema.json': bytes} for every kind, deterministic."""
    return {
        f"{k.name}.schema.json": (json.dumps(schema_for(k), indent=2, sort_keys=True) + "\n").encode("utf-8")
        for k in KINDS
    }


def write_schemas(root: Path) -> list[Path]:
    """Write schemas/ (only when asked: `handbook schemas`). Returns the files that changed."""
    folder = root / "schemas"
    folder.mkdir(exist_ok=True)
    changed = []
    for name, data in schema_files().items():
        path = folder / name
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
            changed.append(path)
    return changed


def schema_comment(kind: Kind) -> str:
    """The first line every source file of `kind` carries, so VS Code's YAML extension finds its schema."""
    depth = kind.folder.count("/") + 1
    return f"# yaml-language-server: $schema={'../' * depth}schemas/{kind.name}.schema.json"
