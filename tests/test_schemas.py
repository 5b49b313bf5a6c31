"""The JSON Schemas editors use: committed, in step with the models, and agreeing with them."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from generator.records.kinds import KINDS
from generator.records.schemas import schema_comment, schema_files

REPO = Path(__file__).resolve().parent.parent
SOURCES = [(k, p) for k in KINDS for p in sorted((REPO / k.folder).glob("*.yaml"))]


@pytest.mark.parametrize("name", sorted(schema_files()))
def test_committed_schema_matches_its_model(name: str) -> None:
    committed = REPO / "schemas" / name
    assert committed.exists(), f"schemas/{name} is missing: run `handbook schemas` and commit it"
    assert committed.read_bytes() == schema_files()[name], (
        f"schemas/{name} has drifted from generator/records/models.py: run `handbook schemas` and commit it")


@pytest.mark.parametrize("name", sorted(schema_files()))
def test_schema_is_valid_draft_07(name: str) -> None:
    schema = json.loads(schema_files()[name])
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    jsonschema.Draft7Validator.check_schema(schema)
    assert "$defs" not in json.dumps(schema) and "prefixItems" not in json.dumps(schema)


@pytest.mark.parametrize("kind, path", SOURCES, ids=[p.relative_to(REPO).as_posix() for _, p in SOURCES])
def test_content_validates_against_its_schema_independently(kind, path: Path) -> None:
    schema = json.loads(schema_files()[f"{kind.name}.schema.json"])
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(data), key=str)
    assert not errors, f"{path.relative_to(REPO)}: {errors[0].message}"


@pytest.mark.parametrize("kind, path", SOURCES, ids=[p.relative_to(REPO).as_posix() for _, p in SOURCES])
def test_every_source_names_its_schema_on_the_first_line(kind, path: Path) -> None:
    assert path.read_text(encoding="utf-8").splitlines()[0] == schema_comment(kind)


def test_schema_catches_a_misspelt_key_as_the_model_does() -> None:
    schema = json.loads(schema_files()["factor.schema.json"])
    bad = {"id": "x", "name": "X", "category": "driver", "cluster": "will-to-change", "descripton": "typo",
           "sources": [{"section": "Table 1"}]}
    messages = [e.message for e in jsonschema.Draft7Validator(schema).iter_errors(bad)]
    assert "Additional properties are not allowed ('descripton' was unexpected)" in messages
    assert "'description' is a required property" in messages
