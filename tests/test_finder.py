"""The case finder and the compare page (issue 14 points 3 and 4): filter values come from the
records; in Chromium, filters with counts narrow the plain list and live in the address; a
shared address restores them; without JavaScript the list is complete; two to four cases go
side by side with shared factors marked and their timelines on one axis; axe finds nothing
serious or critical; everything fits 375 px."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from browser import Watch, axe_violations
from playwright.sync_api import Browser, Page

from generator.output.finder import case_data, decades, field_value, finder_data
from generator.pipeline import check

REPO = Path(__file__).resolve().parent.parent
INDEX = check(REPO)
CASES = INDEX.all("case-study")
VISIBLE = "els => els.filter(e => !e.closest('li').hidden).map(e => e.getAttribute('href'))"
READY = "[data-hb-finder][data-hb-loaded] [data-hb-facets] details"


def _facet(data: dict, key: str) -> dict[str, str]:
    return dict(next(f["values"] for f in data["facets"] if f["key"] == key))


# --- the data ------------------------------------------------------------------------------------


def test_filter_values_come_from_the_records() -> None:
    data = finder_data(INDEX)
    assert set(_facet(data, "country")) == {c.country for c in CASES}
    assert set(_facet(data, "level")) == {c.level for c in CASES}
    assert set(_facet(data, "field")) == {field_value(c.service_field) for c in CASES}
    assert set(_facet(data, "phase")) == {c.phase.phase for c in CASES if c.phase}
    assert set(_facet(data, "trigger")) == {u.factor for c in CASES for u in c.triggers}
    assert set(_facet(data, "enabler")) == {u.factor for c in CASES for u in c.enablers}
    assert set(_facet(data, "type")) == {c.case_type for c in CASES}
    assert _facet(data, "phase")[CASES[0].phase.phase] == INDEX.get("phase", CASES[0].phase.phase).name
    assert [r["id"] for r in data["cases"]] == [c.id for c in CASES]


def test_field_and_period_values() -> None:
    assert field_value("Youth services") == "Youth services"
    assert field_value("Children's services (education, social work)") == "Children's services"
    assert decades(1997, 2007) == ["1990s", "2000s"]
    assert decades(1966, None) == ["1960s"]
    assert decades(1999, 2010) == ["1990s", "2000s", "2010s"]


def test_compare_data_holds_the_case() -> None:
    case = INDEX.get("case-study", "highlands")
    data = case_data(INDEX, case)
    assert len(data["timeline"]) == len(case.timeline)
    assert {f[1] for f in data["factors"]} == {
        u.factor for r in ("triggers", "drivers", "enablers") for u in getattr(case, r)
    }
    assert data["phase"][0] == case.phase.phase


# --- in Chromium --------------------------------------------------------------------------------


def _finder(page: Page, site: str, query: str = "") -> None:
    page.goto(site + "cases/" + query)
    page.wait_for_selector(READY)


def _shown(page: Page) -> list[str]:
    return page.eval_on_selector_all(".hb-finder-list li > a", VISIBLE)


@pytest.mark.browser
def test_filters_narrow_the_list_with_counts_and_live_in_the_address(page: Page, site: str) -> None:
    watch = Watch(page)
    _finder(page, site)
    assert len(_shown(page)) == len(CASES)
    country = "Netherlands"
    expected = sorted(c.id for c in CASES if c.country == country)
    page.click("summary:has-text('Country')")
    label = page.locator(f"label.hb-facet__value:has(input[value='{country}'])")
    assert f"({len(expected)})" in label.text_content()
    label.click()
    assert sorted(h.strip("/").split("/")[-1] for h in _shown(page)) == expected
    assert parse_qs(urlsplit(page.url).query)["country"] == [country]
    assert f"{len(expected)} of {len(CASES)}" in page.text_content("[data-hb-count]")
    # the text query combines with the filters (all must hold)
    page.fill("#hb-finder-q", "zzzz-no-such-word")
    page.wait_for_function("document.querySelector('[data-hb-count]').textContent.startsWith('0 of')")
    assert _shown(page) == []
    assert "q=zzzz-no-such-word" in page.url
    page.click("[data-hb-clear]")
    assert len(_shown(page)) == len(CASES)
    assert urlsplit(page.url).query == ""
    assert watch.errors == []


@pytest.mark.browser
def test_a_shared_address_restores_the_filters(page: Page, site: str) -> None:
    trigger = CASES[0].triggers[0].factor
    with_trigger = {c.id for c in CASES if trigger in {u.factor for u in c.triggers}}
    level = CASES[0].level
    expected = sorted(c.id for c in CASES if c.id in with_trigger and c.level == level)
    _finder(page, site, f"?trigger={trigger}&level={level}")
    assert sorted(h.strip("/").split("/")[-1] for h in _shown(page)) == expected
    assert page.is_checked(f"input[name='trigger'][value='{trigger}']")
    assert page.is_checked(f"input[name='level'][value='{level}']")
    # the text query alone: words of the case's summary find it
    _finder(page, site, "?q=GIRFEC")
    assert [h.strip("/").split("/")[-1] for h in _shown(page)] == ["highlands"]
    assert page.input_value("#hb-finder-q") == "GIRFEC"


@pytest.mark.browser
def test_without_javascript_the_list_is_complete(chromium: Browser, site: str) -> None:
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(site + "cases/?country=France")
        links = page.eval_on_selector_all(".hb-finder-list li > a", "els => els.map(e => e.getAttribute('href'))")
        assert sorted(h.strip("/") for h in links) == sorted(c.id for c in CASES)
        assert not page.is_visible("[data-hb-finder]")
    finally:
        context.close()


@pytest.mark.browser
def test_pick_cases_in_the_finder_and_compare_them(page: Page, site: str) -> None:
    watch = Watch(page)
    _finder(page, site)
    a, b, c = "highlands", "knowsley", "gouda"
    for cid in (a, b, c):
        page.check(f".hb-finder-list li:has(a[href$='/{cid}/']) .hb-pick input")
    assert parse_qs(urlsplit(page.url).query)["compare"] == [f"{a},{b},{c}"]
    page.click("[data-hb-compare-go]")
    page.wait_for_selector(".hb-compare__table")
    assert parse_qs(urlsplit(page.url).query)["cases"] == [f"{a},{b},{c}"]
    heads = page.eval_on_selector_all(".hb-compare__table thead th a", "els => els.map(e => e.textContent)")
    assert heads == [INDEX.get("case-study", x).short_title for x in (a, b, c)]
    # factors all three share are marked; one only some have is not
    cases = [INDEX.get("case-study", x) for x in (a, b, c)]
    shared = set.intersection(*({u.factor for u in x.drivers} for x in cases))
    marked = page.eval_on_selector_all(".hb-compare__shared th", "els => els.map(e => e.textContent)")
    names = {INDEX.get("factor", f).name for f in shared}
    assert names and all(any(n in m for m in marked) for n in names), (names, marked)
    # the timelines on one axis: one mark per event of each case
    events = sum(len(x.timeline) for x in cases)
    assert page.locator(".hb-compare__svg a").count() == events
    page.check("input[name='hb-compare-axis'][value='relative']")
    assert page.locator(".hb-compare__zero").count() == 1
    # removing a case updates the address
    page.click(f"button[aria-label^='Remove {cases[2].short_title}']")
    page.wait_for_function("location.search.indexOf('gouda') < 0")
    assert page.locator(".hb-compare__table thead th a").count() == 2
    assert watch.errors == []


@pytest.mark.browser
def test_a_case_page_leads_to_the_compare_page(page: Page, site: str) -> None:
    page.goto(site + "cases/lille/")
    page.click("a.hb-compare-with")
    page.wait_for_url(re.compile(r".*/compare/\?cases=lille$"))
    page.select_option("[data-hb-compare-add]", "pittsburgh")
    page.wait_for_selector(".hb-compare__table")
    assert "cases=lille,pittsburgh" in page.url


@pytest.mark.browser
@pytest.mark.parametrize(
    "path", ["cases/?country=France&compare=lille,gouda", "compare/?cases=highlands,knowsley,lille,pittsburgh"]
)
@pytest.mark.parametrize("width", [1280, 375])
def test_finder_and_compare_are_accessible_and_fit_a_phone(chromium: Browser, site: str, path: str, width: int) -> None:
    context = chromium.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    try:
        page.goto(site + path)
        page.wait_for_selector(".hb-compare__table" if path.startswith("compare") else READY)
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        if width == 375:
            assert page.evaluate("document.documentElement.scrollWidth") <= 376
        violations = axe_violations(page)
        assert violations == [], "\n".join(violations)
    finally:
        context.close()
