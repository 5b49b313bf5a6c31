"""The JSON Schemas editors use: committed, in step with the models, and agreeing with them."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import yaml

from generator.records.kinds import KINDS
from generator.records.schemas import schema_comment, schema_files

REPO = Path(__file__).resolve().parent.parent
SOURCES = [(k, p) for k in KINDS for p in sorted((REPO / k.folder).glob("*.yaml"))]


def _report(problems: list[str]) -> str:
    return f"{len(problems)} problem(s):\n" + "\n".join(problems)


def test_every_committed_schema_matches_its_model() -> None:
    generated = schema_files()
    assert generated, "no schemas generated at all"
    problems = []
    for name, content in sorted(generated.items()):
        committed = REPO / "schemas" / name
        if not committed.exists():
            problems.append(f"schemas/{name} is missing: run `handbook schemas` and commit it")
        elif committed.read_bytes() != content:
            problems.append(
                f"schemas/{name} has drifted from generator/records/models.py: run `handbook schemas` and commit it"
            )
    assert not problems, _report(problems)


def test_every_schema_is_valid_draft_07() -> None:
    problems = []
    for name, content in sorted(schema_files().items()):
        schema = json.loads(content)
        if schema.get("$schema") != "http://json-schema.org/draft-07/schema#":
            problems.append(f"schemas/{name}: $schema is {schema.get('$schema')!r}, not draft-07")
        try:
            jsonschema.Draft7Validator.check_schema(schema)
        except jsonschema.SchemaError as e:
            problems.append(f"schemas/{name}: not a valid draft-07 schema: {e.message}")
        if "$defs" in content.decode() or "prefixItems" in content.decode():
            problems.append(f"schemas/{name}: uses $defs or prefixItems, which draft-07 editors do not read")
    assert not problems, _report(problems)


def test_all_content_validates_against_its_schema_independently() -> None:
    assert len(SOURCES) > 100, "the content folders were not found"
    validators = {name: jsonschema.Draft7Validator(json.loads(content)) for name, content in schema_files().items()}
    problems = []
    for kind, path in SOURCES:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for error in sorted(validators[f"{kind.name}.schema.json"].iter_errors(data), key=str):
            where = "/".join(str(part) for part in error.absolute_path) or "(top)"
            problems.append(f"{path.relative_to(REPO)}: {where}: {error.message}")
    assert not problems, _report(problems)


def test_every_source_names_its_schema_on_the_first_line() -> None:
    assert len(SOURCES) > 100, "the content folders were not found"
    problems = [
        f"{path.relative_to(REPO)}:1: the first line must be `{schema_comment(kind)}`"
        for kind, path in SOURCES
        if path.read_text(encoding="utf-8").splitlines()[:1] != [schema_comment(kind)]
    ]
    assert not problems, _report(problems)


def test_schema_catches_a_misspelt_key_as_the_model_does() -> None:
    schema = json.loads(schema_files()["factor.schema.json"])
    bad = {
        "id": "x",
        "name": "X",
        "category": "driver",
        "cluster": "will-to-change",
        "descripton": "typo",
        "sources": [{"section": "Table 1"}],
    }
    messages = [e.message for e in jsonschema.Draft7Validator(schema).iter_errors(bad)]
    assert "Additional properties are not allowed ('descripton' was unexpected)" in messages
    assert "'description' is a required property" in messages
