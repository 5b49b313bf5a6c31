"""The build benchmark (bench/) keeps working: a small N = 10 run of the documented command, and the
synthetic corpus. No timing is asserted; timings are the benchmark's output, not its correctness."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bench import corpus, run  # the repository root is on pytest's pythonpath (pyproject.toml)
from generator.pipeline import check

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def bench_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, str]:
    """`python -m bench` at N = 10, as documented, writing into a temporary results file."""
    tmp = tmp_path_factory.mktemp("bench")
    out, raw = tmp / "benchmarks.md", tmp / "results.json"
    out.write_text(
        "# Benchmarks\n\nHand-written introduction.\n\n" + run.BEGIN + "\nold\n" + run.END + "\n\nAnalysis.\n"
    )
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "--sizes", "10", "--quick", "--out", str(out), "--json", str(raw)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return json.loads(raw.read_text(encoding="utf-8")), out.read_text(encoding="utf-8")


def test_the_corpus_passes_check_and_every_build_kind_ran(bench_run: tuple[dict, str]) -> None:
    data, _ = bench_run
    (res,) = data["results"]
    assert res["n"] == 10 and res["check"]["ok"], res["check"]["message"]
    assert set(res["runs"]) == {"cold", "nochange", "edit", "peer"}  # --quick leaves out the timeline edit
    cold = res["runs"]["cold"]
    assert set(run.STAGES) | {"mkdocs"} <= set(cold["timings"])
    assert len(cold["written"]) > 100 and not cold["removed"]
    assert cold["rss_self_kb"] > 0 and cold["rss_children_kb"] > 0 and res["runs"]["peer"]["rss_children_kb"] > 0


def test_a_warm_build_with_no_change_writes_nothing(bench_run: tuple[dict, str]) -> None:
    data, _ = bench_run
    same = data["results"][0]["runs"]["nochange"]
    assert same["written"] == [] and same["removed"] == []
    assert same["unchanged"] == len(data["results"][0]["runs"]["cold"]["written"])


def test_an_edit_rewrites_the_edited_case_page(bench_run: tuple[dict, str]) -> None:
    data, _ = bench_run
    edited = corpus.case_ids(10)[10 // 2]
    written = data["results"][0]["runs"]["edit"]["written"]
    assert f"cases/{edited}.md" in written
    assert len(written) < 20  # not every page


def test_site_measures_are_plausible(bench_run: tuple[dict, str]) -> None:
    site = bench_run[0]["results"][0]["site"]
    assert site["search_index_bytes"] > 10_000 and site["search_entries"] > 100
    assert 10_000 < site["case_html_mean"] <= site["case_html_max"]
    page = site["case_js_median_page"]
    assert page["material"] > 10_000 and page["charts_js"] > 0  # Material's bundle and the chart loader
    assert page["charts"] >= 1 and page["chart_json"] > 1_000  # at least the case's timeline
    assert page["total"] == sum(page[k] for k in ("material", "charts_js", "other_files", "inline", "chart_json"))


def test_the_results_file_has_every_row_and_keeps_the_text_around_it(bench_run: tuple[dict, str]) -> None:
    _, text = bench_run
    assert text.startswith("# Benchmarks\n\nHand-written introduction.\n") and text.rstrip().endswith("Analysis.")
    assert text.count(run.BEGIN) == 1 and text.count(run.END) == 1 and "\nold\n" not in text
    for _key, label, _limit, _unit in run.TARGETS:
        assert f"| {label} |" in text
    for label in ("Cold build", "Warm, no change", "Warm, one case edited", "Plain `mkdocs build`"):
        assert f"| {label} |" in text
    assert "### Targets at N = 10" in text and "- CPU: " in text and "- Packages: mkdocs " in text
    assert "| Warm, no change: generator writes no files | 0 | holds |" in text


def test_the_corpus_is_deterministic_and_varied(tmp_path: Path) -> None:
    world = corpus.World.read(REPO)
    ids = corpus.case_ids(12)
    assert ids[:10] == list(corpus.REPORT_CASE_IDS) and len(set(ids)) == 12
    a, b = corpus.make_case(11, ids, world), corpus.make_case(11, ids, world)
    assert a == b
    assert corpus.make_case(11, ids, world, seed=8) != a
    texts = [corpus.make_case(i, ids, world)["context_and_need"] for i in range(12)]
    assert len(set(texts)) == 12
    assert len(set(corpus.place_names(3000))) == 3000  # short titles label the cross-case charts' axes
    assert corpus.place_names(50)[:20] == corpus.place_names(20)  # case i does not depend on N
    real = corpus.real_profiles()
    for i in (0, 5, 7, 11):
        case = corpus.make_case(i, ids, world)
        shape = real[i % len(real)]  # calibrated: case i has the shape of the (i mod 10)-th real case
        assert 0.8 * shape.words <= corpus.prose_words(case) <= 1.2 * shape.words, (i, shape.id)
        assert abs(len(case["timeline"]) - shape.events) <= 1
        assert [len(case[r]) for r in ("triggers", "drivers", "enablers")] == list(shape.uses)
        assert len(case["process"]) >= len(shape.process) and len(case["analysis"]) == len(shape.analysis)


def test_the_calibration_table_sets_real_against_synthetic(tmp_path: Path) -> None:
    project = corpus.make_project(tmp_path / "p", 20)
    real, synthetic = corpus.real_profiles(), corpus.synthetic_profiles(project)
    table = corpus.calibration_table(real, synthetic)
    assert "| Words per case (prose) |" in table and "(N = 20)" in table
    mean = lambda ps: sum(p.words for p in ps) / len(ps)  # noqa: E731
    assert 0.85 < mean(synthetic) / mean(real) < 1.15


def test_an_edit_changes_one_sentence_of_one_file(tmp_path: Path) -> None:
    project = corpus.make_project(tmp_path / "p", 10)
    path = project / "casestudies" / "knowsley.yaml"
    before = path.read_text(encoding="utf-8")
    corpus.edit_case(project, "knowsley")
    after = path.read_text(encoding="utf-8")
    old, new = yaml.safe_load(before), yaml.safe_load(after)
    assert old != new and {k for k in old if old[k] != new[k]} == {"context_and_need"}
    corpus.edit_case(project, "knowsley")  # a second edit changes the text again
    assert path.read_text(encoding="utf-8") != after
    assert len(check(project).all("case-study")) == 10


def test_the_lighthouse_cpu_calibration_follows_the_lighthouse_teams_calculator() -> None:
    """bench.lighthouse --cpu calibrate: 4x for a host of benchmark index 1,533 (Lighthouse's
    default), less on a slower host, never under 1x; and the table says which multiplier was used."""
    from bench import lighthouse

    for index, expected in ((1533, 4.0), (1300, 3.0), (800, 2.0), (150, 1.0), (2000, 6.0), (1050, 2.5)):
        assert lighthouse.calibrated_multiplier(index) == pytest.approx(expected, abs=0.01), index
    assert lighthouse.calibrated_multiplier(50) == 1.0
    results = {"pages": [], "lighthouse": "13", "benchmark_index": [871.0], "warnings": {"slow CPU"}}
    info = dict.fromkeys(("cpu", "cores", "ram", "platform", "node", "load", "commit"), "x")
    block = lighthouse.table("t", results, info, 1, "site", "2.14x, calibrated")
    assert "CPU slowdown: 2.14x, calibrated. Lighthouse's warnings: slow CPU." in block
    assert "CPU slowdown: Lighthouse default (4x). Lighthouse's warnings: none." in lighthouse.table(
        "t", {**results, "warnings": set()}, info, 1, "site"
    )
