"""A case timeline's phase bands at phone width (issue 19 point 9): every band's label lies inside
the chart and no two overlap, in the static first view (measured as the browser lays it out) and in
the chart BokehJS draws (measured as BokehJS lays the label out on its canvas: each label view's
`_rect`, the box BokehJS computed from the text's real width); the legend names each number."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from conftest import REPO

from generator.charts import figures, legends
from generator.pipeline import check

INDEX = check(REPO)
# Cases with phase bands, the most crowded first: South Tyneside and Tower Hamlets have five bands,
# three of them two years wide; Highlands has four, the last at the right edge.
CASES = ("south-tyneside", "tower-hamlets", "highlands")

Box = tuple[float, float, float, float]  # left, top, right, bottom


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _check_boxes(boxes: list[tuple[str, Box]], frame: Box, where: str) -> None:
    for text, (left, top, right, bottom) in boxes:
        assert right > left and bottom > top, f"{where}: label {text!r} has no size"
        assert frame[0] <= left and right <= frame[2] and frame[1] <= top and bottom <= frame[3], (
            f"{where}: label {text!r} at {(left, top, right, bottom)} is not inside the chart {frame}"
        )
    for i, (text_a, a) in enumerate(boxes):
        for text_b, b in boxes[i + 1 :]:
            assert not _overlap(a, b), f"{where}: labels {text_a!r} {a} and {text_b!r} {b} overlap"


def test_cases_tested_have_phase_bands_and_the_legend_names_every_number() -> None:
    for case_id in CASES:
        case = INDEX.get("case-study", case_id)
        assert len(case.phase_spans) >= 4, case_id
        legend = str(legends.timeline_legend(case, INDEX))
        for span in case.phase_spans:
            phase = INDEX.get("phase", span.phase)
            assert figures.phase_mark({"number": phase.number}) == str(phase.number)
            end = f"–{span.end}" if span.end not in (None, span.start) else ""
            assert re.search(rf"phase {phase.number}, {re.escape(phase.name)}: (from )?{span.start}{end}<", legend), (
                case_id,
                phase.name,
            )


@pytest.fixture(params=[390, 1366], ids=["phone", "desktop"])
def reader(chromium: object, request: pytest.FixtureRequest) -> Iterator[object]:
    context = chromium.new_context(viewport={"width": request.param, "height": 844})  # type: ignore[attr-defined]
    page = context.new_page()
    yield page
    context.close()


_STATIC = """sel => {
  const chart = document.querySelector(sel), box = chart.getBoundingClientRect();
  const marks = [...chart.querySelectorAll('.hb-phase-mark')].map(e => {
    const r = e.getBoundingClientRect(); return [e.textContent, [r.left, r.top, r.right, r.bottom]]; });
  return {frame: [box.left, box.top, box.right, box.bottom], marks};
}"""

_DRAWN = """() => {
  const root = [...Bokeh.index].find(v => v.model.name === 'hb-timeline');
  const f = root.frame.bbox, marks = [];
  for (const v of root.renderer_views.values()) {
    if (!(v.model.name || '').startsWith('hb-phase-label-')) continue;
    const r = v._rect, left = r.sx - r.anchor.x * r.width, top = r.sy - r.anchor.y * r.height;
    marks.push([v.model.text, [left, top, left + r.width, top + r.height]]);
  }
  return {frame: [f.x0, f.y0, f.x1, f.y1], marks};
}"""


@pytest.mark.browser
@pytest.mark.parametrize("case_id", CASES)
def test_phase_labels_lie_inside_the_timeline_and_apart(reader: object, site: str, case_id: str) -> None:
    page = reader
    spans = INDEX.get("case-study", case_id).phase_spans
    selector = f"#chart-timeline-{case_id}"
    width = page.viewport_size["width"]  # type: ignore[attr-defined]
    page.goto(site + f"cases/{case_id}/")  # type: ignore[attr-defined]
    page.locator(selector).scroll_into_view_if_needed()  # type: ignore[attr-defined]
    # the static first view, before the reader does anything (no chart is drawn yet)
    assert not page.locator(f"{selector}[data-bokeh-rendered]").count()  # type: ignore[attr-defined]
    static = page.evaluate(_STATIC, selector)  # type: ignore[attr-defined]
    assert [text for text, _ in static["marks"]] == [str(INDEX.get("phase", s.phase).number) for s in spans]
    _check_boxes([(t, tuple(b)) for t, b in static["marks"]], tuple(static["frame"]), f"{case_id} static, {width} px")
    # the chart BokehJS draws once the reader shows up (a key, the pointer) with the chart in view
    page.keyboard.press("Shift")  # type: ignore[attr-defined]
    page.mouse.move(5, 5)  # type: ignore[attr-defined]
    page.mouse.move(15, 15)  # type: ignore[attr-defined]
    page.wait_for_selector(f"{selector}[data-bokeh-rendered]", state="attached", timeout=30000)  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => { const r = window.Bokeh && [...Bokeh.index].find(v => v.model.name === 'hb-timeline');"
        " return !!r && [...r.renderer_views.values()].some(v => v._rect); }",
        timeout=20000,
    )
    drawn = page.evaluate(_DRAWN)  # type: ignore[attr-defined]
    assert sorted(text for text, _ in drawn["marks"]) == sorted(str(INDEX.get("phase", s.phase).number) for s in spans)
    assert drawn["frame"][2] - drawn["frame"][0] < width  # the plot fits the viewport
    _check_boxes([(t, tuple(b)) for t, b in drawn["marks"]], tuple(drawn["frame"]), f"{case_id} drawn, {width} px")
