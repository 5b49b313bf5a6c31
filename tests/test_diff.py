"""`handbook diff BASE` on a fixture git repository with real commits."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MINI, REPO, git, make_project

from generator.output.urls import url_path


def handbook(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(repo), *args], cwd=REPO, capture_output=True, text=True
    )


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The mini fixture committed, then a second commit that changes a case and a factor and adds
    a glossary term."""
    project = make_project(tmp_path / "repo", MINI)
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "the mini handbook")
    edit(project / "casestudies" / "riverton.yaml", "Attendance rose and", "Attendance doubled and")
    edit(project / "content" / "factors" / "underperformance.yaml", "known to be.", "known to be so.")
    (project / "content" / "glossary" / "third-sector.yaml").write_text(
        "id: third-sector\nterm: third sector\ndefinition: Charities and social enterprises.\n"
        "sources:\n  - section: 'Section 6.1'\n",
        encoding="utf-8",
    )
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "a case and a factor changed, a term added")
    return project


def test_diff_lists_records_and_the_pages_they_affect(repo: Path) -> None:
    proc = handbook(repo, "diff", "HEAD~1")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == (
        "## What this change does to the handbook\n"
        "\n"
        "Compared with `HEAD~1`: 1 added, 2 changed and 0 removed records; 3 generated pages differ.\n"
        "\n"
        "### Records added\n"
        "\n"
        "- glossary term `third-sector`: `glossary/#third-sector`; pages that refer to it: `cases/riverton/`\n"
        "\n"
        "### Records changed\n"
        "\n"
        "- case study `riverton`: `cases/riverton/`; pages that refer to it: "
        "`findings/assumption/#assumption-free-money`\n"
        "- factor `underperformance`: `factors/underperformance/`; pages that refer to it: `cases/riverton/`\n"
        "\n"
        "### Generated pages\n"
        "\n"
        "- changed (3): `cases/riverton/`, `factors/underperformance/`, `glossary/`\n"
    )


def test_diff_of_the_working_tree_against_its_own_head_is_empty_then_sees_an_uncommitted_removal(repo: Path) -> None:
    proc = handbook(repo, "diff", "HEAD")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.endswith(
        "0 added, 0 changed and 0 removed records; 0 generated pages differ.\n\nNo record and no page changes.\n"
    )
    (repo / "content" / "glossary" / "third-sector.yaml").unlink()  # uncommitted: the working tree counts
    proc = handbook(repo, "diff", "HEAD")
    assert proc.stdout.endswith(
        "0 added, 0 changed and 1 removed record; 2 generated pages differ.\n\n### Records removed\n\n"
        "- glossary term `third-sector`: `glossary/#third-sector`; pages that refer to it: `cases/riverton/`\n\n"
        "### Generated pages\n\n- changed (2): `cases/riverton/`, `glossary/`\n"
    )


def test_an_unknown_revision_exits_2_with_a_clear_message(repo: Path) -> None:
    proc = handbook(repo, "diff", "no-such-branch")
    assert proc.returncode == 2
    assert "'no-such-branch' is not a commit of this repository" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_content_errors_in_the_working_tree_exit_1(repo: Path) -> None:
    edit(repo / "casestudies" / "riverton.yaml", "factor: underperformance", "factor: underperformence")
    proc = handbook(repo, "diff", "HEAD")
    assert proc.returncode == 1
    assert "casestudies/riverton.yaml:" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("index.md", ""),
        ("cases/index.md", "cases/"),
        ("cases/gouda.md", "cases/gouda/"),
        ("glossary.md#x", "glossary/#x"),
        ("findings/assumption.md#a-1", "findings/assumption/#a-1"),
    ],
)
def test_published_addresses(path: str, expected: str) -> None:
    assert url_path(path) == expected
