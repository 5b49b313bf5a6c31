"""Nothing lost: a failed build leaves the last good site byte for byte; sources are never
changed; two builds of the same sources are identical."""

from __future__ import annotations

import hashlib
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import MINI, REPO, make_project

from generator.config import load_config
from generator.errors import ContentError, TemplateError
from generator.output.publish import PublishError
from generator.pipeline import build


def tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def good(tmp_path: Path) -> Path:
    project = make_project(tmp_path / "p", MINI)
    build(load_config(project))
    return project


def _own_templates(project: Path) -> Path:
    (project / "site_templates").unlink()
    shutil.copytree(REPO / "site_templates", project / "site_templates")
    return project / "site_templates"


def test_content_error_leaves_the_site(good: Path) -> None:
    before = tree(good / "site")
    path = good / "casestudies" / "riverton.yaml"
    path.write_text(path.read_text().replace("level: borough", "level: galaxy"))
    with pytest.raises(ContentError):
        build(load_config(good))
    assert tree(good / "site") == before


def test_template_error_leaves_the_site(good: Path) -> None:
    before = tree(good / "site")
    templates = _own_templates(good)
    (templates / "factor.md.j2").write_text("{{ record.no_such_field }}")
    with pytest.raises(TemplateError) as info:
        build(load_config(good))
    assert str(info.value) == (
        "site_templates: template error: 'generator.records.models.Factor object' has no attribute "
        "'no_such_field'. Fix the template; nothing was published."
    )
    assert tree(good / "site") == before


def test_strict_mode_warning_leaves_the_site(good: Path) -> None:
    before = tree(good / "site")
    templates = _own_templates(good)
    page = templates / "about.md.j2"
    page.write_text(page.read_text() + "\n[a page that does not exist](nowhere.md)\n")
    with pytest.raises(PublishError) as info:
        build(load_config(good))
    assert "nowhere.md" in str(info.value)
    assert tree(good / "site") == before
    assert not list(good.glob(".site-*")), "the staging folder is cleaned up"


def test_a_build_killed_part_way_leaves_the_site(good: Path) -> None:
    before = tree(good / "site")
    path = good / "casestudies" / "riverton.yaml"
    path.write_text(path.read_text().replace("Attendance rose", "Attendance rose sharply"))
    proc = subprocess.Popen([sys.executable, "-m", "generator", "--root", str(good), "build"], start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list(good.glob(".site-new-*")):
        time.sleep(0.02)  # wait until MkDocs is writing the new site...
    time.sleep(0.3)
    import os

    os.killpg(proc.pid, signal.SIGKILL)  # ...then kill the whole build, MkDocs included
    proc.wait()
    assert tree(good / "site") == before
    from generator.output import publish

    left = publish.scratch_folder(good) / f"{publish.SEARCH_PREFIX}{proc.pid}-"
    assert list(left.parent.glob(left.name + "*")), "the killed build's copies of its pages are left..."
    build(load_config(good))
    assert not list(left.parent.glob(left.name + "*")), "...until the next build removes them"


def test_the_build_never_changes_a_source(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", MINI)
    sources = {name: tree(project / name) for name in ("casestudies", "content", "toolkit")}
    build(load_config(project))
    build(load_config(project))
    assert {name: tree(project / name) for name in sources} == sources


def test_two_builds_are_identical(tmp_path: Path) -> None:
    first = make_project(tmp_path / "a", MINI)
    second = make_project(tmp_path / "b", MINI)
    build(load_config(first))
    time.sleep(1.1)  # a clock-dependent build would now differ
    build(load_config(second))
    assert tree(first / "site") == tree(second / "site")


def test_a_warm_rebuild_with_no_change_writes_nothing(good: Path) -> None:
    from generator.pipeline import generate

    result = generate(load_config(good))
    assert result.written == [] and result.removed == []


# --- MkDocs started ahead, and the charts drawn while it runs (pipeline.build) ---------------------


def test_a_build_that_stops_before_mkdocs_leaves_no_mkdocs_running(good: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.output import publish

    started: list[subprocess.Popen[str]] = []

    class Watched(publish.StartedMkDocs):
        def __init__(self, mkdocs_file: Path) -> None:
            super().__init__(mkdocs_file)
            assert self.proc is not None
            started.append(self.proc)

    monkeypatch.setattr(publish, "StartedMkDocs", Watched)
    path = good / "casestudies" / "riverton.yaml"
    path.write_text(path.read_text().replace("level: borough", "level: galaxy"))
    with pytest.raises(ContentError):
        build(load_config(good))
    assert len(started) == 1 and started[0].poll() is not None, "the MkDocs started ahead was ended"


def test_charts_drawn_while_mkdocs_runs_reach_the_site_and_the_docs_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import re

    from generator.output import publish

    project = make_project(tmp_path / "p", MINI)
    charts = project / "build" / "docs" / "assets" / "charts"
    at_start: list[int] = []
    run = publish._run_mkdocs

    def watched(*args: object) -> None:
        at_start.append(len(list(charts.glob("*.js"))) if charts.is_dir() else 0)
        run(*args)  # type: ignore[arg-type]  # the arguments build_site gives

    monkeypatch.setattr(publish, "_run_mkdocs", watched)
    scratch = publish.scratch_folder(project)
    searching = set(scratch.glob(publish.SEARCH_PREFIX + "*"))
    result = build(load_config(project))  # cold: every chart is drawn
    assert at_start == [0], "MkDocs started before any chart was drawn"
    site = project / "site"
    named = {
        name
        for page in site.rglob("*.html")
        for name in re.findall(r'data-bokeh-src="charts/([0-9a-f]{20}\.js)"', page.read_text())
    }
    assert named and "charts_wait" in result.timings
    assert {p.name: p.read_bytes() for p in (site / "assets" / "charts").iterdir()} == {
        p.name: p.read_bytes() for p in charts.iterdir()
    }
    assert named <= {p.name for p in charts.iterdir()}
    assert {f"assets/charts/{name}" for name in named} <= set(result.written)  # the build's account is whole
    assert not list(project.glob(".site-*")) and set(scratch.glob(publish.SEARCH_PREFIX + "*")) <= searching


def test_a_chart_that_fails_to_draw_while_mkdocs_runs_leaves_the_site(
    good: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.charts import bokeh_json

    before = tree(good / "site")
    shutil.rmtree(good / "build" / "chart-cache")  # every chart is drawn again

    def other_bokeh() -> None:
        raise bokeh_json.BokehVersionError("Bokeh 0.0 is installed (a test)")

    monkeypatch.setattr(bokeh_json, "check_bokeh_version", other_bokeh)
    with pytest.raises(bokeh_json.BokehVersionError):
        build(load_config(good))
    assert tree(good / "site") == before
    assert not list(good.glob(".site-*"))
