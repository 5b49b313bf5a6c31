"""The evidence base as data and citations: pure functions from the index to file bytes.

- downloads/handbook.json: every record, as validated (the same shape as the YAML)
- downloads/cases.csv, timeline-events.csv, factor-case-matrix.csv, works.csv, and codebook.md
- downloads/cases/<id>.json: one case study
- downloads/cite/<kind>-<id>.{bib,ris,json}: BibTeX, RIS and CSL-JSON for the handbook, every
  case study and every literature work

CSV cells that a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage
return) are prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from generator.output.urls import INDEX_PAGE, published_url, url_path
from generator.records.kinds import BY_NAME, KINDS
from generator.records.models import EVIDENCE_LABELS, PLACEMENT_WORDS
from generator.stages.index import Index, case_uses

CSV_TABLES = {  # file -> (description, [(column, description)])
    "cases.csv": (
        "One row per case study.",
        [
            ("id", f"The case study's id (its page is {url_path(BY_NAME['case-study'].page.format(id='<id>'))})."),
            ("number", "The report's case study number."),
            ("title", "Full title."),
            ("short_title", "Short name."),
            ("case_type", "full, mini or experiment."),
            ("place", "Place."),
            ("country", "Country."),
            ("level", "Level of government."),
            ("service_field", "Field of service."),
            ("innovation_kind", "Kind of innovation."),
            ("period_start", "First year covered."),
            ("period_end", "Last year covered (empty if ongoing)."),
            (
                "phase",
                "Lifecycle phase id the case is placed in (empty if not placed); see phase_basis for how strong "
                "that placement is.",
            ),
            (
                "phase_basis",
                "How strong the placement is: " + "; ".join(f"{k} = {v}" for k, v in PLACEMENT_WORDS.items()) + ".",
            ),
            ("phase_strength", "The same in plain words, with the report's hedge quoted for a partial placement."),
            ("phase_hedge", "For a partial placement: the report's hedging words, verbatim."),
            ("trigger_year", "Year of the trigger event."),
            ("summary", "Short summary, in the handbook's words."),
            ("origin", "report2008 (a case study of the 2008 report) or contributed (added from its own sources)."),
            ("status", "reviewed, or draft (drafts are only in a --drafts build)."),
            ("contributors", "Who wrote the record, separated by ';'."),
            ("reviewers", "Who reviewed it, separated by ';'."),
            ("first_published", "Date first published in the handbook."),
            ("last_reviewed", "Date of the last review."),
            *[
                (f"evidence_{kind.replace('-', '_')}", f"Evidence summary: number of {many} among its sources.")
                for kind, (_one, many) in EVIDENCE_LABELS.items()
            ],
        ],
    ),
    "timeline-events.csv": (
        "One row per timeline event.",
        [
            ("case", "Case study id."),
            ("event", "Event id (anchor event-<id> on the case page)."),
            ("year", "Year shown."),
            ("end_year", "Last year of a span."),
            ("type", "Event type."),
            ("trigger", "true for the case's trigger event."),
            ("certainty", "sure, probable or ambiguous."),
            ("other_years", "Other years the report gives, separated by ';'."),
            ("label", "Short label."),
            ("date_note", "Why the date is uncertain."),
        ],
    ),
    "factor-case-matrix.csv": (
        "One row per factor used by a case (the evidence map).",
        [
            ("factor", "Factor id."),
            ("case", "Case study id."),
            ("role", "trigger, driver or enabler."),
            ("in_table1", "true when the report's Table 1 assigns it."),
            ("label", "The case's own words."),
            ("confidence", "sure, probable or ambiguous."),
            ("meaning", "What it meant in this place."),
        ],
    ),
    "works.csv": (
        "One row per literature work.",
        [
            ("id", "Work id."),
            ("authors", "Authors separated by ';'."),
            ("year", "Year."),
            ("title", "Title."),
            ("publisher", "Publisher or journal."),
            ("type", "Kind of work."),
            ("url", "Address as printed."),
            ("footnotes", "Report footnotes citing it, separated by ';'."),
            (
                "evidence",
                "Kind of evidence: " + ", ".join(EVIDENCE_LABELS) + " (empty for works only the report cites).",
            ),
            ("origin", "report2008 (cited by the 2008 report, or the report itself) or contributed."),
            ("accessed", "Date the address was last opened, for a contributed web source."),
        ],
    ),
}


class RecordJson:
    """Each record as compact, key-sorted JSON text; with `kept` (from the last build), a record whose
    file is unchanged is not dumped again. `new` is what the next build may keep."""

    def __init__(self, index: Index, kept: dict[tuple[str, str], tuple[str, str]] | None = None) -> None:
        self.index, self.kept = index, kept or {}
        self.new: dict[tuple[str, str], tuple[str, str]] = {}

    def of(self, kind: str, rid: str) -> str:
        digest = self.index.records[kind][rid].doc.digest
        hit = self.kept.get((kind, rid))
        if digest and hit is not None and hit[0] == digest:
            text = hit[1]
        else:
            text = _json_text(self.index.get(kind, rid).model_dump(mode="json"))
        if digest:
            self.new[(kind, rid)] = (digest, text)
        return text


def export_files(
    index: Index, site_name: str, site_url: str, year: str, texts: RecordJson | None = None, edition: str = ""
) -> dict[str, bytes]:
    texts = texts or RecordJson(index)
    # handbook.json is {kind: [record, ...]} with sorted keys: joined from each record's own text
    kinds = [
        f"{json.dumps(name)}:[{','.join(texts.of(name, r.id) for r in index.all(name))}]"
        for name in sorted(k.name for k in KINDS)
    ]
    files = {"downloads/handbook.json": ("{" + ",".join(kinds) + "}\n").encode("utf-8")}
    for case in index.all("case-study"):
        files[f"downloads/cases/{case.id}.json"] = (texts.of("case-study", case.id) + "\n").encode("utf-8")
    for name, rows in _tables(index).items():
        files[f"downloads/{name}"] = csv_bytes([col for col, _ in CSV_TABLES[name][1]], rows)
    files["downloads/evidence.json"] = evidence_json(index)
    files["downloads/codebook.md"] = codebook().encode("utf-8")
    files.update(citation_files(index, site_name, site_url, year, edition))
    return files


def _json(data: Any) -> bytes:
    return (_json_text(data) + "\n").encode("utf-8")


def _json_text(data: Any) -> str:
    """Compact and sorted: deterministic, and written by json's C encoder (an indent would make it
    fall back to the pure-Python one, several times slower)."""
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False, sort_keys=True)


# --- CSV ---------------------------------------------------------------------------------------------


def safe_cell(value: Any) -> str:
    """A cell a spreadsheet will show as text, never run as a formula."""
    if value is None:
        return ""
    text = "true" if value is True else "false" if value is False else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_bytes(columns: list[str], rows: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([safe_cell(row.get(c)) for c in columns])
    return out.getvalue().encode("utf-8")


def _tables(index: Index) -> dict[str, list[dict[str, Any]]]:
    from generator.charts.plan import trigger_year

    cases = index.all("case-study")
    return {
        "cases.csv": [
            {
                **c.model_dump(
                    include={
                        "id",
                        "number",
                        "title",
                        "short_title",
                        "case_type",
                        "place",
                        "country",
                        "level",
                        "service_field",
                        "innovation_kind",
                        "summary",
                    }
                ),
                "period_start": c.period.start,
                "period_end": c.period.end,
                "phase": c.phase.phase if c.phase else None,
                "phase_basis": c.phase.basis if c.phase else None,
                "phase_strength": c.placement_strength,
                "phase_hedge": c.phase.hedge.quote if c.phase and c.phase.hedge else None,
                "trigger_year": trigger_year(c),
                **_provenance_row(c, index),
            }
            for c in cases
        ],
        "timeline-events.csv": [
            {
                "case": c.id,
                "event": e.id,
                "year": e.year,
                "end_year": e.end_year,
                "type": e.type,
                "trigger": e.trigger,
                "certainty": e.certainty,
                "other_years": ";".join(map(str, e.other_years)),
                "label": e.label,
                "date_note": e.date_note,
            }
            for c in cases
            for e in sorted(c.timeline, key=lambda e: (e.year, e.id))
        ],
        "factor-case-matrix.csv": [
            {
                "factor": u.use.factor,
                "case": u.case.id,
                "role": u.role,
                "in_table1": u.use.in_table1,
                "label": u.use.label,
                "confidence": u.use.confidence,
                "meaning": u.use.meaning,
            }
            for c in cases
            for u in case_uses(c)
        ],
        "works.csv": [
            {
                "id": w.id,
                "authors": ";".join(w.authors),
                "year": w.year,
                "title": w.title,
                "publisher": w.publisher,
                "type": w.type,
                "url": w.url,
                "footnotes": ";".join(map(str, w.footnotes)),
                "evidence": w.evidence,
                "origin": w.origin,
                "accessed": w.accessed,
            }
            for w in index.all("work")
        ],
    }


def _provenance_row(case: Any, index: Index) -> dict[str, Any]:
    counts = {e.kind: e.count for e in index.evidence(case.id)}
    return {
        "origin": case.origin,
        "status": case.status,
        "contributors": ";".join(case.contributors),
        "reviewers": ";".join(case.reviewers),
        "first_published": case.first_published,
        "last_reviewed": case.last_reviewed,
        **{f"evidence_{kind.replace('-', '_')}": counts.get(kind, 0) for kind in EVIDENCE_LABELS},
    }


def evidence_json(index: Index) -> bytes:
    """downloads/evidence.json: per case, its origin, review status and evidence counts by kind."""
    return _json(
        {
            c.id: {"origin": c.origin, "status": c.status, "evidence": {e.kind: e.count for e in index.evidence(c.id)}}
            for c in index.all("case-study")
        }
    )


def codebook() -> str:
    lines = [
        "# Codebook",
        "",
        "Generated from the handbook's models; the JSON Schemas in `schemas/` give every",
        "field of `handbook.json` and the per-case JSON files.",
        "",
    ]
    for name, (about, columns) in CSV_TABLES.items():
        lines += [f"## {name}", "", about, "", "| column | meaning |", "|---|---|"]
        lines += [f"| `{col}` | {text} |" for col, text in columns]
        lines.append("")
    lines += [
        "## evidence.json",
        "",
        "An object keyed by case study id: its `origin`, review `status` and `evidence`,",
        "the number of its sources of each kind (" + ", ".join(EVIDENCE_LABELS) + "), counted from the",
        "sources its record cites: each place in the 2008 report once, each work once.",
        "",
    ]
    lines += ["## handbook.json", "", "An object with one list per kind of record:", ""]
    lines += [
        f"- `{k.name}`: {k.label} records, as in `{k.folder}/` (schema: `schemas/{k.name}.schema.json`)" for k in KINDS
    ]
    lines += [
        "",
        "In `case-study` records, `phase.basis` says how strong a lifecycle placement is: "
        + "; ".join(f"`{k}`, {v}" for k, v in PLACEMENT_WORDS.items())
        + ". A `partial` placement quotes the report's hedge in `phase.hedge`. The per-case `lessons` "
        "and the `phase.triangle` are the handbook's own reading, not the report's.",
    ]
    return "\n".join(lines) + "\n"


# --- citations --------------------------------------------------------------------------------------

WORK_TYPES = {  # handbook type -> (BibTeX entry, RIS type, CSL type)
    "book": ("book", "BOOK", "book"),
    "report": ("techreport", "RPRT", "report"),
    "article": ("article", "JOUR", "article-journal"),
    "chapter": ("incollection", "CHAP", "chapter"),
    "policy": ("techreport", "GOVDOC", "report"),
    "web": ("misc", "ELEC", "webpage"),
    "data": ("misc", "DATA", "dataset"),
    "other": ("misc", "GEN", "document"),
}


def citation_files(index: Index, site_name: str, site_url: str, year: str, edition: str = "") -> dict[str, bytes]:
    """Citations of the handbook and its case studies name the edition ("edition 2027.1", or the
    current version with its build date); those of the works the report cites do not."""
    items = [_handbook_item(site_name, site_url, year) | {"edition": edition or None}]
    items += [
        _case_item(c, index, site_name, site_url, year) | {"edition": edition or None} for c in index.all("case-study")
    ]
    items += [_work_item(w) for w in index.all("work")]
    files = {}
    for item in items:
        stem = f"downloads/cite/{item['key']}"
        files[f"{stem}.bib"] = bibtex(item).encode("utf-8")
        files[f"{stem}.ris"] = ris(item).encode("utf-8")
        files[f"{stem}.json"] = _json([csl(item)])
    return files


def _handbook_item(site_name: str, site_url: str, year: str) -> dict[str, Any]:
    return {
        "key": "handbook",
        "type": "web",
        "authors": [site_name],
        "title": site_name,
        "year": year,
        "url": published_url(site_url, INDEX_PAGE),
        "publisher": None,
        "note": "An evidence handbook built from NESTA and the Young Foundation (2008).",
    }


def _case_item(case: Any, index: Index, site_name: str, site_url: str, year: str) -> dict[str, Any]:
    """A report case cites the handbook and the report; a contributed case its contributors and the handbook."""
    item = {
        "key": f"case-study-{case.id}",
        "type": "web",
        "authors": [site_name],
        "title": case.title,
        "year": year,
        "url": published_url(site_url, index.url("case-study", case.id)),
        "publisher": site_name,
        "note": f"Case study {case.number} of NESTA and the Young Foundation (2008)." if case.number else None,
    }
    if case.origin == "contributed":
        item.update(
            authors=list(case.contributors),
            year=(case.first_published or year)[:4],
            note=f"Contributed case study in {site_name}.",
        )
    return item


def _work_item(work: Any) -> dict[str, Any]:
    return {
        "key": f"work-{work.id}",
        "type": work.type,
        "authors": list(work.authors),
        "title": work.title,
        "year": str(work.year) if work.year else None,
        "url": work.url,
        "publisher": work.publisher,
        "note": None,
    }


def _bib_escape(text: str) -> str:
    text = text.replace("\\", r"\textbackslash{}")
    for ch in "&%$#_{}":
        text = text.replace(ch, "\\" + ch)
    return text.replace("~", r"\textasciitilde{}").replace("^", r"\textasciicircum{}")


def _bib_author(name: str) -> str:
    return _bib_escape(name) if "," in name else "{" + _bib_escape(name) + "}"  # organisations stay whole


def bibtex(item: dict[str, Any]) -> str:
    entry = WORK_TYPES[item["type"]][0]
    fields = [
        ("author", " and ".join(_bib_author(a) for a in item["authors"])),
        ("title", "{" + _bib_escape(item["title"]) + "}"),
    ]
    if item["year"]:
        fields.append(("year", item["year"]))
    if item["publisher"]:
        fields.append(("institution" if entry == "techreport" else "publisher", _bib_escape(item["publisher"])))
    if item["url"]:
        fields += [("url", item["url"]), ("howpublished", "\\url{" + item["url"] + "}")]
    if item.get("edition"):
        fields.append(("version", _bib_escape(item["edition"])))
    if item["note"]:
        fields.append(("note", _bib_escape(item["note"])))
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields)
    return f"@{entry}{{{item['key']},\n{body}\n}}\n"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def ris(item: dict[str, Any]) -> str:
    lines = [("TY", WORK_TYPES[item["type"]][1])]
    lines += [("AU", _one_line(a)) for a in item["authors"]]
    lines.append(("TI", _one_line(item["title"])))
    for tag, key in (("PY", "year"), ("ET", "edition"), ("PB", "publisher"), ("UR", "url"), ("N1", "note")):
        if item.get(key):
            lines.append((tag, _one_line(item[key])))
    return "".join(f"{tag}  - {value}\n" for tag, value in lines) + "ER  - \n"


def csl(item: dict[str, Any]) -> dict[str, Any]:
    def person(name: str) -> dict[str, str]:
        family, sep, given = name.partition(",")
        return {"family": family.strip(), "given": given.strip()} if sep else {"literal": name}

    out: dict[str, Any] = {
        "id": item["key"],
        "type": WORK_TYPES[item["type"]][2],
        "title": item["title"],
        "author": [person(a) for a in item["authors"]],
    }
    if item["year"]:
        out["issued"] = {"date-parts": [[int(item["year"][:4])]]}
    for key, field in (("edition", "version"), ("publisher", "publisher"), ("url", "URL"), ("note", "note")):
        if item.get(key):
            out[field] = item[key]
    return out
