"""The self-diagnosis page in a real browser: answering, reloading, printing, no JavaScript,
file://, instant navigation, and the script agreeing with generator/output/selfdiagnosis.py."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from browser import Watch
from diagnose_scenarios import BY_NAME, SCENARIOS
from playwright.sync_api import Browser, Page

from generator.output import selfdiagnosis
from generator.pipeline import check

pytestmark = pytest.mark.browser
REPO = Path(__file__).resolve().parent.parent
INDEX = check(REPO)
DATA = selfdiagnosis.export(INDEX)
PAGE = "toolkit/self-diagnosis/"
READY = "#hb-diag-form[data-hb-ready]"


def _answer(page: Page, answers: selfdiagnosis.Answers) -> None:
    """Answer the form by clicking, as a user would."""
    for sid in sorted(answers.statements):
        page.check(f"input[name='s'][value='{sid}']")
    for corner, level in answers.corners.items():
        page.check(f"input[name='{corner}'][value='{level}']")
    for fid in sorted(answers.present):
        page.check(f"input[name='f-{fid}'][value='p']")
    for fid in sorted(answers.missing):
        page.check(f"input[name='f-{fid}'][value='m']")


def _phase_shown(page: Page) -> str:
    return page.get_attribute("article", "data-hb-diagnosed") or ""


def _cases_shown(page: Page) -> list[str]:
    return page.eval_on_selector_all("#hb-diag-result [data-case]", "els => els.map(e => e.dataset.case)")


def test_answering_a_scenario_shows_the_phase_and_cases(page: Page, site: str) -> None:
    watch = Watch(page)
    page.goto(site + PAGE)
    page.wait_for_selector(READY)
    assert page.is_hidden("#hb-diag-result") or "Tick at least" in page.inner_text("#hb-diag-result")
    scenario = BY_NAME["knowsley-2007"]
    answers = scenario.answers(INDEX)
    _answer(page, answers)
    expected = selfdiagnosis.assess(DATA, answers)
    assert _phase_shown(page) == "mobilisation" == expected["phase"]
    result = page.inner_text("#hb-diag-result")
    assert "Likely phase: Phase 2: Mobilisation" in result
    assert "Best bets, not certainties" in result
    assert (
        "Questions to ask (Step Three)" in result and "Do you have the capacity to drive forward innovation?" in result
    )
    assert "Moving on (Table A2)" in result and "Pitfalls (Table A2)" in result
    assert _cases_shown(page) == [c["id"] for c in expected["cases"]]
    assert _cases_shown(page)[0] == "knowsley"
    assert page.evaluate("location.search") == selfdiagnosis.to_query(answers)
    assert watch.errors == []
    assert all(r.startswith(site) for r in watch.requests), "nothing leaves the site"
    assert any(r.endswith("toolkit/diagnosis.json") for r in watch.requests), "the rules are fetched beside the page"


def test_reloading_the_address_restores_the_answers(page: Page, site: str) -> None:
    answers = BY_NAME["highlands-2007"].answers(INDEX)
    page.goto(site + PAGE)
    page.wait_for_selector(READY)
    _answer(page, answers)
    assert _phase_shown(page) == "mainstreaming"
    before = page.inner_text("#hb-diag-result")
    page.reload()
    page.wait_for_selector(READY)
    assert _phase_shown(page) == "mainstreaming"
    assert page.inner_text("#hb-diag-result") == before
    checked = page.eval_on_selector_all("input[name='s']:checked", "els => els.map(e => e.value)")
    assert sorted(checked) == sorted(answers.statements)
    assert page.is_checked("input[name='capacity'][value='3']")


@pytest.mark.parametrize("name", ["tower-hamlets-2007", "highlands-1998"])
def test_a_shared_address_opens_the_scenario(page: Page, site: str, name: str) -> None:
    scenario = BY_NAME[name]
    answers = scenario.answers(INDEX)
    page.goto(site + PAGE + selfdiagnosis.to_query(answers))
    page.wait_for_selector(READY)
    assert _phase_shown(page) == scenario.expected
    assert _cases_shown(page) == [c["id"] for c in selfdiagnosis.assess(DATA, answers)["cases"]]


def test_clearing_the_answers_clears_the_address(page: Page, site: str) -> None:
    page.goto(site + PAGE + selfdiagnosis.to_query(BY_NAME["knowsley-2007"].answers(INDEX)))
    page.wait_for_selector(READY)
    page.click("[data-hb-action='clear']")
    assert page.evaluate("location.search") == ""
    assert _phase_shown(page) == ""
    assert page.eval_on_selector_all("input[name='s']:checked", "els => els.length") == 0


def _pdf_pages(pdf: bytes) -> int:
    return pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")


@pytest.mark.parametrize("name", ["knowsley-2007", "highlands-2000", "south-tyneside-2007"])
def test_the_printed_view_is_a_one_page_action_sheet(page: Page, site: str, name: str) -> None:
    page.goto(site + PAGE + selfdiagnosis.to_query(BY_NAME[name].answers(INDEX)))
    page.wait_for_selector(READY)
    page.emulate_media(media="print")
    assert page.is_visible("#hb-diag-result")
    for hidden in ("#hb-diag-form", ".hb-diag-guide", ".md-sidebar", ".md-header"):
        assert page.is_hidden(hidden), hidden
    sheet = page.inner_text("#hb-diag-result")
    for part in (
        "Likely phase",
        "How sure",
        "Weakest corner",
        "Moving on (Table A2)",
        "Pitfalls (Table A2)",
        "Questions to ask (Step Three)",
        "Most similar case studies",
        "This scenario:",
    ):
        assert part in sheet, part
    assert _pdf_pages(page.pdf(format="A4")) == 1


def test_without_javascript_the_page_is_a_printable_checklist(chromium: Browser, site: str) -> None:
    context = chromium.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site + PAGE + selfdiagnosis.to_query(BY_NAME["knowsley-2007"].answers(INDEX)))
        assert page.is_hidden("#hb-diag-result")
        assert page.is_hidden(".hb-diag-actions")
        assert page.locator("input[name='s']").count() == len(DATA["statements"])
        assert page.locator("input[type='radio'][name^='f-'][value='p']").count() == len(DATA["factors"])
        page.emulate_media(media="print")
        assert page.is_visible("#hb-diag-form")
        for p in INDEX.all("phase"):
            guide = f".hb-diag-guide[data-phase='{p.id}']"
            assert page.is_visible(guide)
            text = page.inner_text(guide)
            assert "Moving on (Table A2)" in text and "What it looks like (Table A1)" in text
    finally:
        context.close()


def test_it_works_from_file_without_fetch(chromium: Browser, built_handbook: Path) -> None:
    context = chromium.new_context()
    try:
        page = context.new_page()
        watch = Watch(page)
        answers = BY_NAME["south-tyneside-2007"].answers(INDEX)
        url = (built_handbook / "site" / PAGE / "index.html").as_uri() + selfdiagnosis.to_query(answers)
        page.goto(url)
        page.wait_for_selector(READY)
        assert _phase_shown(page) == "embedding"
        assert _cases_shown(page)[0] == "south-tyneside"
        assert not [r for r in watch.requests if r.endswith("diagnosis.json")], "file:// uses the embedded rules"
        href = page.get_attribute("#hb-diag-result [data-case] a", "href")
        assert href.startswith("file://") and href.endswith("/cases/south-tyneside/index.html")
        assert watch.errors == []
    finally:
        context.close()


def test_it_starts_after_instant_navigation_and_again_on_return(page: Page, site: str) -> None:
    watch = Watch(page)
    page.goto(site + "toolkit/")
    page.wait_for_load_state("networkidle")
    page.evaluate("window.hbSamePage = true")
    page.click("article a[href$='self-diagnosis/']")
    page.wait_for_function(f"location.pathname.includes('/{PAGE}')")
    page.wait_for_selector(READY)
    _answer(page, BY_NAME["tower-hamlets-2007"].answers(INDEX))
    assert _phase_shown(page) == "embedding"
    page.click("#hb-diag-result a.hb-diag-phase-link")
    page.wait_for_function("location.pathname.includes('/lifecycle/embedding/')")
    page.go_back()
    page.wait_for_function(f"location.pathname.includes('/{PAGE}')")
    page.wait_for_selector(READY)
    assert _phase_shown(page) == "embedding", "the answers come back from the address"
    assert page.evaluate("window.hbSamePage === true"), "instant navigation, not a full load"
    assert page.locator("#hb-diag-result h2").count() == 1, "initialised once"
    # Leaving a chart page before its charts finish drawing makes BokehJS log that the (now removed)
    # chart element is not in the page: harmless, and not this page's doing.
    assert [e for e in watch.errors if "must be under <body>" not in e] == []


def _random_answers(rng: random.Random) -> selfdiagnosis.Answers:
    statements = [s["id"] for s in DATA["statements"] if rng.random() < 0.25]
    corners = {c: rng.randint(0, 3) for c in selfdiagnosis.CORNERS if rng.random() < 0.8}
    factors = [f["id"] for f in DATA["factors"]]
    present = [f for f in factors if rng.random() < 0.25]
    missing = [f for f in factors if f not in present and rng.random() < 0.15]
    return selfdiagnosis.Answers.of(statements, corners, present, missing)


def test_the_script_and_python_give_the_same_result(page: Page, site: str) -> None:
    page.goto(site + PAGE)
    page.wait_for_selector(READY)
    rng = random.Random(2008)
    cases = [s.answers(INDEX) for s in SCENARIOS] + [_random_answers(rng) for _ in range(150)]
    payload = [
        {
            "statements": sorted(a.statements),
            "corners": dict(a.corners),
            "present": sorted(a.present),
            "missing": sorted(a.missing),
        }
        for a in cases
    ]
    from_js = page.evaluate("([data, all]) => all.map(a => hbDiagnose.diagnose(data, a))", [DATA, payload])
    from_py = [json.loads(json.dumps(selfdiagnosis.assess(DATA, a))) for a in cases]
    assert from_js == from_py
    queries = page.evaluate("all => all.map(a => hbDiagnose.toQuery(a))", payload)
    assert queries == [selfdiagnosis.to_query(a) for a in cases]


def test_the_published_rules_match_the_generator(built_handbook: Path) -> None:
    published = json.loads((built_handbook / "site" / "toolkit" / "diagnosis.json").read_text(encoding="utf-8"))
    assert published == DATA
