"""generator/hooks/convert.py: the last pages converted from Markdown by a second process give the
same site, byte for byte, as MkDocs converting every page itself, and what their conversion logs
still counts under `--strict`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import make_project
from test_publish import tree

from generator.config import load_config
from generator.output.publish import BESIDE_ENV
from generator.pipeline import generate

CONVERTED = "pages converted from Markdown by a second process"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real handbook's Markdown, generated and not yet built."""
    project = make_project(tmp_path_factory.mktemp("convert") / "project")
    generate(load_config(project))
    return project


def _mkdocs(project: Path, out: Path, beside: bool) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != BESIDE_ENV}
    env |= {"NO_MKDOCS_2_WARNING": "1", "HANDBOOK_WORKERS": "2", **({BESIDE_ENV: "1"} if beside else {})}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", "mkdocs.yml", "-d", str(out)],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
    )


def test_pages_converted_beside_mkdocs_make_the_same_site(generated: Path, tmp_path: Path) -> None:
    alone = _mkdocs(generated, tmp_path / "alone", beside=False)
    beside = _mkdocs(generated, tmp_path / "beside", beside=True)
    assert alone.returncode == 0, alone.stderr
    assert beside.returncode == 0, beside.stderr
    assert CONVERTED not in alone.stderr
    line = next(line for line in beside.stderr.splitlines() if CONVERTED in line)
    taken, of = (int(w) for w in line.split("-", 1)[1].split()[0:3:2])
    assert 10 <= taken == of, line  # the child converted its share, and MkDocs took every page of it
    assert tree(tmp_path / "beside") == tree(tmp_path / "alone")


def test_a_warning_from_a_page_converted_beside_still_stops_a_strict_build(generated: Path, tmp_path: Path) -> None:
    # the last page by MkDocs' order of files, so in the share the second process converts
    broken = generated / "build" / "docs" / "zzz" / "broken.md"
    broken.parent.mkdir()
    broken.write_text("# Broken\n\n[a page that does not exist](nowhere.md)\n", encoding="utf-8")
    try:
        alone = _mkdocs(generated, tmp_path / "alone", beside=False)
        beside = _mkdocs(generated, tmp_path / "beside", beside=True)
    finally:
        broken.unlink()
        broken.parent.rmdir()
    assert CONVERTED in beside.stderr
    warned = [[line for line in run.stderr.splitlines() if line.startswith("WARNING")] for run in (alone, beside)]
    assert any("nowhere.md" in line for line in warned[0]), alone.stderr
    assert warned[1] == warned[0]
    for run in (alone, beside):
        assert run.returncode != 0
        assert f"Aborted with {len(warned[0])} warnings in strict mode" in run.stdout + run.stderr
