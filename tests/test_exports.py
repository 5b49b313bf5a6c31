"""Citations and the evidence base as data."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from generator.output.exports import RecordJson, bibtex, csl, csv_bytes, export_files, ris, safe_cell
from generator.pipeline import check
from generator.records.kinds import KINDS

REPO = Path(__file__).resolve().parent.parent
INDEX = check(REPO)
FILES = export_files(INDEX, "Test Handbook", "https://handbook.example.org/", "2026")


@pytest.mark.parametrize(
    "value, expected",
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("plain", "plain"),
        (1999, "1999"),
        (None, ""),
        (True, "true"),
    ],
)
def test_csv_cells_are_neutralised_for_spreadsheets(value: object, expected: str) -> None:
    assert safe_cell(value) == expected


def test_csv_round_trips_commas_quotes_and_newlines() -> None:
    data = csv_bytes(["a", "b"], [{"a": 'x, "y"\nz', "b": "=1"}])
    assert list(csv.reader(io.StringIO(data.decode()))) == [["a", "b"], ['x, "y"\nz', "'=1"]]


def test_every_case_has_json_and_citations() -> None:
    for case in INDEX.all("case-study"):
        assert json.loads(FILES[f"downloads/cases/{case.id}.json"])["id"] == case.id
        for ext in ("bib", "ris", "json"):
            assert f"downloads/cite/case-study-{case.id}.{ext}" in FILES
    for work in INDEX.all("work"):
        for ext in ("bib", "ris", "json"):
            assert f"downloads/cite/work-{work.id}.{ext}" in FILES


def test_handbook_json_validates_back_into_the_models() -> None:
    data = json.loads(FILES["downloads/handbook.json"])
    for kind in KINDS:
        records = [kind.model.model_validate_json(json.dumps(r)) for r in data[kind.name]]
        assert records == INDEX.all(kind.name)


def test_matrix_csv_has_every_factor_use() -> None:
    rows = list(csv.DictReader(io.StringIO(FILES["downloads/factor-case-matrix.csv"].decode())))
    expected = sum(len(c.triggers) + len(c.drivers) + len(c.enablers) for c in INDEX.all("case-study"))
    assert len(rows) == expected
    assert {r["role"] for r in rows} == {"trigger", "driver", "enabler"}


def _item(**extra: object) -> dict:
    return {
        "key": "work-x",
        "type": "book",
        "authors": ["Moore, M. H.", "Audit Commission"],
        "title": "Creating Public Value & 100% {more}",
        "year": "1995",
        "url": "https://example.org/a_b",
        "publisher": "Harvard University Press",
        "note": None,
        **extra,
    }


def test_bibtex_escapes_and_keeps_organisations_whole() -> None:
    assert bibtex(_item()) == (
        "@book{work-x,\n"
        "  author = {Moore, M. H. and {Audit Commission}},\n"
        "  title = {{Creating Public Value \\& 100\\% \\{more\\}}},\n"
        "  year = {1995},\n"
        "  publisher = {Harvard University Press},\n"
        "  url = {https://example.org/a_b},\n"
        "  howpublished = {\\url{https://example.org/a_b}}\n"
        "}\n"
    )


def test_ris_has_one_tag_per_line_and_ends_the_record() -> None:
    text = ris(_item(title="Two\nlines"))
    assert text.splitlines() == [
        "TY  - BOOK",
        "AU  - Moore, M. H.",
        "AU  - Audit Commission",
        "TI  - Two lines",
        "PY  - 1995",
        "PB  - Harvard University Press",
        "UR  - https://example.org/a_b",
        "ER  - ",
    ]


def test_csl_json_names() -> None:
    out = csl(_item())
    assert out["author"] == [{"family": "Moore", "given": "M. H."}, {"literal": "Audit Commission"}]
    assert out["issued"] == {"date-parts": [[1995]]} and out["type"] == "book"


def test_case_citation_points_at_the_stable_page_address() -> None:
    bib = FILES["downloads/cite/case-study-highlands.bib"].decode()
    assert "url = {https://handbook.example.org/cases/highlands/}" in bib


def test_handbook_json_joined_from_record_texts_is_one_json_dump() -> None:
    whole = {k.name: [r.model_dump(mode="json") for r in INDEX.all(k.name)] for k in KINDS}
    expected = json.dumps(whole, separators=(",", ":"), ensure_ascii=False, sort_keys=True) + "\n"
    assert FILES["downloads/handbook.json"] == expected.encode("utf-8")


def test_record_texts_kept_from_the_last_build_are_reused_only_for_the_same_file() -> None:
    first = RecordJson(INDEX)
    export_files(INDEX, "Test Handbook", "https://handbook.example.org/", "2026", first)
    assert len(first.new) == sum(len(INDEX.all(k.name)) for k in KINDS)
    # a stale text under the same digest is used as is: the digest is what says a file is unchanged
    key = ("case-study", "gouda")
    digest, _ = first.new[key]
    kept = {**first.new, key: (digest, '{"id":"kept"}')}
    again = export_files(INDEX, "Test Handbook", "https://handbook.example.org/", "2026", RecordJson(INDEX, kept))
    assert again["downloads/cases/gouda.json"] == b'{"id":"kept"}\n'
    # under another digest (the file changed) the record is dumped again
    changed = {**first.new, key: ("0" * 64, '{"id":"kept"}')}
    fresh = export_files(INDEX, "Test Handbook", "https://handbook.example.org/", "2026", RecordJson(INDEX, changed))
    assert fresh == FILES
