"""Issue 14 point 5: the cross-case views and listings show a default selection of at most 25 cases
on a synthetic corpus of 40, say so in a sentence, and link to the case finder and the downloads
for the rest. (Sizes are the benchmark's output, docs/benchmarks.md, not asserted here.)"""

from __future__ import annotations

import re

import pytest
from conftest import MINI, REPO

from bench import corpus
from generator.charts import plan as charts
from generator.charts.draw import build_charts
from generator.charts.plan import CASE_CAP, chart_specs
from generator.output.pages import Settings, render_pages
from generator.pipeline import check
from generator.stages.index import Index

SETTINGS = Settings("Test Handbook", "https://handbook.example.org/", "", "2026-11-30")
N = 40


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> tuple[Index, dict[str, str]]:
    project = corpus.make_project(tmp_path_factory.mktemp("listings") / "p", N)
    index = check(project)
    pages = render_pages(index, SETTINGS, REPO / "site_templates", build_charts(index, None).html)
    return index, pages


def _first_ids(index: Index, n: int = CASE_CAP) -> list[str]:
    cases = index.all("case-study")
    report = sorted((c for c in cases if c.number is not None), key=lambda c: c.number)
    others = sorted((c for c in cases if c.number is None), key=lambda c: c.id)
    return [c.id for c in report + others][:n]


def test_the_charts_draw_the_report_cases_first_and_at_most_25(big: tuple[Index, dict[str, str]]) -> None:
    index, _ = big
    specs = chart_specs(index)
    assert len(index.all("case-study")) == N
    timeline_rows = specs["cross-timeline"][1]["rows"]
    assert len(timeline_rows) == CASE_CAP
    with_timeline = [cid for cid in _first_ids(index, N) if index.get("case-study", cid).timeline]
    assert [r["url"] for r in timeline_rows] == [index.url("case-study", cid) for cid in with_timeline[:CASE_CAP]]
    assert specs["evidence-map"][1]["cases"] == [index.get("case-study", c).short_title for c in _first_ids(index)]
    assert "the first 25 case studies" in specs["evidence-map"][2]
    assert specs["cross-timeline"][2].startswith("The first 25 case-study timelines")


def _note(page: str) -> str:
    found = re.findall(r'<p class="hb-shown-note" markdown>(.*?)</p>', page)
    assert len(found) == 1, found
    return found[0]


def test_the_text_versions_follow_the_selection_and_say_so(big: tuple[Index, dict[str, str]]) -> None:
    index, pages = big
    shown = _first_ids(index)
    hidden = [c.id for c in index.all("case-study") if c.id not in shown]

    cases_page = pages["cases/index.md"]
    note = _note(cases_page)
    timed = sum(1 for c in index.all("case-study") if c.timeline)
    assert timed > CASE_CAP and f"25 of the {timed} case studies with a timeline" in note
    assert "(index.md#all)" in note and "(../downloads/timeline-events.csv)" in note
    timeline_table = cases_page.split('id="chart-cross-timeline-text"')[1]
    timed_ids = [cid for cid in _first_ids(index, N) if index.get("case-study", cid).timeline]
    assert all(f"({cid}.md#timeline)" in timeline_table for cid in timed_ids[:CASE_CAP])
    assert all(f"({cid}.md#timeline)" not in timeline_table for cid in timed_ids[CASE_CAP:])
    assert sum("#timeline)" in line for line in timeline_table.splitlines()) == CASE_CAP

    factors_page = pages["factors/index.md"]
    note = _note(factors_page)
    assert "25 of the 40 case studies" in note
    assert "(../cases/index.md#all)" in note and "(../downloads/factor-case-matrix.csv)" in note
    text = factors_page.split('id="chart-evidence-map-text"')[1]
    phone = text.split('<div class="hb-evidence-list"')[1].split("</div>")[0]
    table = text.split("</div>")[1]
    for cid in hidden:
        title = index.get("case-study", cid).short_title
        assert title not in phone and f"(../cases/{cid}.md#factors)" not in table
    assert sum("#factors) |" in line for line in table.splitlines()) == CASE_CAP


def test_factor_and_phase_pages_list_the_first_cases_and_link_to_the_filtered_finder(
    big: tuple[Index, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    # 40 synthetic cases spread over many factors and five phases: no factor or phase has more than
    # 25, so these pages are rendered again with the cap at 5 (the templates read it at render time).
    index, _ = big
    cap = 5
    monkeypatch.setattr(charts, "CASE_CAP", cap)
    pages = render_pages(index, SETTINGS, REPO / "site_templates", build_charts(index, None).html)
    users = {f.id: {u.case.id for u in index.factor_uses(f.id)} for f in index.all("factor")}
    busy = [f for f in users if len(users[f]) > cap]
    quiet = [f for f in users if 0 < len(users[f]) <= cap]
    assert busy and quiet
    for fid in busy:
        page = pages[f"factors/{fid}.md"]
        listed = set(re.findall(r"\]\(\.\./cases/([^/)]+)\.md#factors\)", page))
        assert len(listed) == cap, fid
        assert f"{len(users[fid])} case studies use this factor; the first {cap} are listed" in page
        for role in {u.role for u in index.factor_uses(fid)}:
            assert f"(../cases/index.md?{role}={fid}#all)" in page, (fid, role)
    for fid in quiet:
        assert "in the case finder" not in pages[f"factors/{fid}.md"]
    crowded = 0
    for p in index.all("phase"):
        page = pages[f"lifecycle/{p.id}.md"]
        placed = index.cases_at_phase(p.id)
        items = re.findall(r"^- \[.*#lifecycle\)", page, flags=re.M)
        assert len(items) == min(len(placed), cap)
        assert (f"(../cases/index.md?phase={p.id}#all)" in page) == (len(placed) > cap)
        crowded += len(placed) > cap
        assert (f"more in the case finder](../cases/index.md?phase={p.id}#all)" in pages["lifecycle/index.md"]) == (
            len(placed) > cap
        )
    assert crowded
    # the factors list caps each row too, and links to the finder filtered by role and factor
    listing = pages["factors/index.md"]
    assert any(
        "more in the case finder](../cases/index.md?" in line and f"={fid}#all)" in line
        for fid in busy
        for line in listing.splitlines()
    )


def test_the_small_site_shows_every_case_and_no_note() -> None:
    index = check(MINI)
    pages = render_pages(index, SETTINGS, REPO / "site_templates", build_charts(index, None).html)
    assert not any("hb-shown-note" in page for page in pages.values())
