"""Issue 13: provenance a reader can follow, contributed cases, drafts, evidence summaries."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import MINI, REPO, make_project

from generator.config import load_config
from generator.output import selfdiagnosis
from generator.pipeline import build, check
from generator.records.models import Source
from generator.stages import notes

LINE_LOCATOR = re.compile(r"\blines? \d{3,5}\b")


def _published_text(site: Path) -> dict[str, str]:
    """Every page, chart file and search index of a built site, by path."""
    files = [*site.rglob("*.html"), *(site / "assets" / "charts").rglob("*"), *site.rglob("search_index.json")]
    return {str(p.relative_to(site)): p.read_text(encoding="utf-8") for p in files if p.is_file()}


def test_no_line_numbers_or_text_extraction_on_any_page(built_handbook: Path) -> None:
    published = _published_text(built_handbook / "site")
    assert len([p for p in published if p.endswith(".html")]) > 80
    hits = {path: LINE_LOCATOR.findall(text)[:3] for path, text in published.items() if LINE_LOCATOR.search(text)}
    assert hits == {}
    extraction = [path for path, text in published.items() if "text extraction" in text.lower()]
    assert extraction == []


# --- a contributed case and two contributed works (tests/fixtures/contributed/, never published) -----

CONTRIBUTED = Path(__file__).parent / "fixtures" / "contributed"
WORKS = ("eastbrook-inspectorate-2019", "eastbrook-gazette-2021")


def _with_contributed(project: Path, draft: bool = True) -> Path:
    """Add the contributed fixture, and (with `draft`) a draft copy of its case, to a project."""
    shutil.copytree(CONTRIBUTED, project, dirs_exist_ok=True)
    if draft:
        text = (CONTRIBUTED / "casestudies" / "eastbrook.yaml").read_text(encoding="utf-8")
        text = text.replace("id: eastbrook\n", "id: eastbrook-draft\n").replace("status: reviewed", "status: draft")
        text = text.replace("short_title: Eastbrook", "short_title: Eastbrook draft")
        (project / "casestudies" / "eastbrook-draft.yaml").write_text(text, encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def contributed_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = _with_contributed(make_project(tmp_path_factory.mktemp("contributed") / "p", MINI))
    build(load_config(project))
    return project / "site"


def _page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def _notes_links(html: str) -> list[str]:
    paragraphs = re.findall(r'<p class="hb-notes"[^>]*>(.*?)</p>', html, re.S)
    return [href for p in paragraphs for href in re.findall(r'href="([^"]+)"', p)]


def test_contributed_case_shows_origin_review_and_evidence(contributed_site: Path) -> None:
    html = _page(contributed_site, "cases/eastbrook")
    block = re.search(r'<div class="hb-provenance"[^>]*data-origin="contributed"[^>]*>(.*?)</div>', html, re.S)
    assert block is not None
    text = re.sub(r"<[^>]+>", "", block.group(1))
    for words in (
        "contributed to the handbook",
        "Jo Example",
        "Sam Reviewer",
        "Status: reviewed",
        "First published: 2026-11-25",
        "Last reviewed: 2026-11-25",
        "1 inspection report; 1 news article",
    ):
        assert words in text, words
    assert "place in the 2008 report" not in text
    report_case = re.sub(r"<[^>]+>", "", _page(contributed_site, "cases/riverton"))
    assert "the 2008 report, case study 1" in report_case and "5 places in the 2008 report" in report_case


def test_contributed_case_notes_are_numbered_and_link_to_their_works(contributed_site: Path) -> None:
    html = _page(contributed_site, "cases/eastbrook")
    links = _notes_links(html)
    assert {f"../../literature/{w}/" for w in WORKS} <= set(links)
    assert all(link.startswith("../../literature/") for link in links)
    numbers = [int(n) for n in re.findall(r'<span class="hb-note">\((\d+)\)</span>', html)]
    # each work cited whole (1, 2), then each place in them: paragraph 2, p. 2, p. 3, p. 4
    assert sorted(set(numbers)) == [1, 2, 3, 4, 5, 6]
    assert "p. 4" in html and "paragraph 2" in html
    assert "(contributed, not from Table 1)" in html
    for work in WORKS:  # the work's page links back to the case
        assert "../../cases/eastbrook/" in _page(contributed_site, f"literature/{work}")
    assert "Kind of evidence" in _page(contributed_site, f"literature/{WORKS[0]}")
    assert "accessed 2026-11-20" in _page(contributed_site, f"literature/{WORKS[0]}")
    bibliography = _page(contributed_site, "literature")
    contributed = bibliography[bibliography.index('id="contributed"') :]
    assert all(f'href="{w}/"' in contributed for w in WORKS)


def test_contributed_case_is_in_the_cross_case_charts(contributed_site: Path) -> None:
    charts = {p.name: p.read_text(encoding="utf-8") for p in (contributed_site / "assets" / "charts").glob("*.js")}
    cross = [t for t in charts.values() if "hb-cross-points" in t]
    evidence = [t for t in charts.values() if "hb-evidence-cells" in t]
    assert len(cross) == 1 and len(evidence) == 1
    assert "Eastbrook" in cross[0] and "Riverton" in cross[0]
    assert "Eastbrook" in evidence[0]
    assert "Eastbrook" in _page(contributed_site, "cases")  # the cross-case timeline's table


def test_cases_finder_filters_by_origin_status_and_evidence(contributed_site: Path) -> None:
    html = _page(contributed_site, "cases")
    assert re.search(r'eastbrook/">Eastbrook</a> · [^<]*· contributed', html)
    script = (contributed_site / "assets" / "finder" / "cases.js").read_text(encoding="utf-8")
    data = json.loads(script[script.index("{") : script.rindex("}") + 1])
    facets = {f["key"]: dict(f["values"]) for f in data["facets"]}
    assert facets["origin"] == {"report2008": "The 2008 report", "contributed": "Contributed"}
    assert facets["status"] == {"reviewed": "Reviewed"}
    assert facets["evidence"] == {
        "report2008": "Places in the 2008 report",
        "inspection": "Inspection reports",
        "news": "News articles",
    }
    rows = {row["id"]: row["facets"] for row in data["cases"]}
    assert rows["eastbrook"]["origin"] == ["contributed"] and rows["riverton"]["origin"] == ["report2008"]
    assert rows["eastbrook"]["evidence"] == ["inspection", "news"] and rows["riverton"]["evidence"] == ["report2008"]


def test_downloads_carry_origin_and_evidence(contributed_site: Path) -> None:
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO((contributed_site / "downloads" / "cases.csv").read_text()))}
    assert rows["eastbrook"]["origin"] == "contributed" and rows["riverton"]["origin"] == "report2008"
    assert (rows["eastbrook"]["evidence_inspection"], rows["eastbrook"]["evidence_news"]) == ("1", "1")
    assert rows["eastbrook"]["evidence_report2008"] == "0" and rows["riverton"]["evidence_report2008"] == "5"
    assert rows["eastbrook"]["contributors"] == "Jo Example" and rows["eastbrook"]["status"] == "reviewed"
    evidence = json.loads((contributed_site / "downloads" / "evidence.json").read_text())
    assert evidence["eastbrook"] == {
        "origin": "contributed",
        "status": "reviewed",
        "evidence": {"inspection": 1, "news": 1},
    }
    matrix = list(csv.DictReader(io.StringIO((contributed_site / "downloads" / "factor-case-matrix.csv").read_text())))
    assert {(r["factor"], r["in_table1"]) for r in matrix if r["case"] == "eastbrook"} == {
        ("external-inspection", "false"),
        ("underperformance", "false"),
    }
    works = {
        r["id"]: r for r in csv.DictReader(io.StringIO((contributed_site / "downloads" / "works.csv").read_text()))
    }
    assert works[WORKS[0]]["evidence"] == "inspection" and works[WORKS[0]]["origin"] == "contributed"
    codebook = _page(contributed_site, "downloads/codebook")
    assert "<code>origin</code>" in codebook and "<code>evidence_inspection</code>" in codebook
    assert 'id="evidencejson"' in codebook


def test_citation_exports_credit_the_contributors(contributed_site: Path) -> None:
    cite = contributed_site / "downloads" / "cite"
    bib = (cite / "case-study-eastbrook.bib").read_text()
    assert "author = {{Jo Example}}" in bib and "Contributed case study in" in bib and "2026" in bib
    assert "NESTA" not in bib
    ris = (cite / "case-study-eastbrook.ris").read_text()
    assert "AU  - Jo Example" in ris
    assert "NESTA and the Young Foundation (2008)" in (cite / "case-study-riverton.bib").read_text()
    assert "Contributed case study in" in _page(contributed_site, "cases/eastbrook")


def test_a_draft_is_absent_from_the_build(contributed_site: Path) -> None:
    assert not (contributed_site / "cases" / "eastbrook-draft").exists()
    assert "eastbrook-draft" not in _page(contributed_site, "cases")
    assert "eastbrook-draft" not in (contributed_site / "downloads" / "cases.csv").read_text()


def test_a_draft_is_built_with_drafts_and_carries_a_banner(tmp_path: Path) -> None:
    project = _with_contributed(make_project(tmp_path / "p", MINI))
    build(load_config(project, drafts=True))
    html = _page(project / "site", "cases/eastbrook-draft")
    assert "Draft: not yet reviewed" in html and 'data-status="draft"' in html
    assert "Draft: not yet reviewed" not in _page(project / "site", "cases/eastbrook")


def test_contributed_case_joins_the_self_diagnosis(tmp_path: Path) -> None:
    project = _with_contributed(make_project(tmp_path / "p", REPO), draft=False)
    data = selfdiagnosis.export(check(project))
    assert data is not None
    case = next(c for c in data["cases"] if c["id"] == "eastbrook")
    assert case["states"][-1]["phase"] == "latent" and case["factors"]


def test_notes_number_each_source_once_in_page_order(tmp_path: Path) -> None:
    index = check(_with_contributed(make_project(tmp_path / "p", MINI), draft=False))
    cn = index.case_notes("eastbrook")
    assert [n.number for n in cn.notes] == list(range(1, len(cn.notes) + 1))
    assert [(n.work, n.place) for n in cn.at("case")] == [(WORKS[0], ""), (WORKS[1], "")]
    assert cn.at("event/inspection-2019")[0].number == 1  # cited again: the same number
    assert notes.source_key(Source(section="Table 1")) == ("nesta-young-foundation-2008", "Table 1")
    assert [e.words for e in index.evidence("eastbrook")] == ["1 inspection report", "1 news article"]


def test_drafts_are_asked_for_by_flag_or_by_serve(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HANDBOOK_DRAFTS", raising=False)
    assert load_config(REPO).drafts is False
    assert load_config(REPO, drafts=True).drafts is True
    monkeypatch.setenv("HANDBOOK_DRAFTS", "1")  # set by `handbook serve` for its MkDocs process and hook
    assert load_config(REPO).drafts is True


def test_check_validates_drafts_that_the_build_leaves_out(tmp_path: Path) -> None:
    project = _with_contributed(make_project(tmp_path / "p", MINI))
    assert "eastbrook-draft" in check(project).records["case-study"]
    assert "eastbrook-draft" not in check(project, drafts=False).records["case-study"]


def test_serve_generates_drafts_with_their_banner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What `handbook serve` runs before each MkDocs rebuild (generator/hooks/serve.py), with the
    environment `handbook serve` gives it."""
    from types import SimpleNamespace

    from generator.hooks import serve as serve_hook

    project = _with_contributed(make_project(tmp_path / "p", MINI))
    monkeypatch.setenv("HANDBOOK_SERVE", "1")
    monkeypatch.setenv("HANDBOOK_DRAFTS", "1")
    serve_hook.on_pre_build(SimpleNamespace(config_file_path=str(project / "mkdocs.yml")))
    page = (project / "build" / "docs" / "cases" / "eastbrook-draft.md").read_text(encoding="utf-8")
    assert '!!! danger "Draft: not yet reviewed"' in page
