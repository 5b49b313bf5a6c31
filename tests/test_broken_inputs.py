"""The corpus of broken inputs: one file per mistake, each with the exact messages it must produce.

Each file in tests/broken/ starts with `# target: <path>` (where it is placed in a copy of the
small fixture site) and one `# expect: <message>` line per problem. The check must report exactly
those problems, as `file:line: key: message`, and the CLI must exit 1 with no traceback.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MINI, make_project

from generator.errors import ContentError
from generator.pipeline import check

BROKEN = sorted((Path(__file__).parent / "broken").glob("*.yaml"))


def _header(text: str) -> tuple[str, list[str]]:
    target = next(line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("# target:"))
    expect = [line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("# expect:")]
    return target, expect


@pytest.mark.parametrize("case", BROKEN, ids=[p.stem for p in BROKEN])
def test_broken_input_gives_exact_messages(case: Path, tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", MINI)
    target, expect = _header(case.read_text(encoding="utf-8"))
    (project / target).parent.mkdir(parents=True, exist_ok=True)
    (project / target).write_bytes(case.read_bytes())
    with pytest.raises(ContentError) as info:
        check(project)
    assert sorted(str(p) for p in info.value.problems) == sorted(expect)


def test_every_problem_in_every_file_is_reported_in_one_run(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", MINI)
    expected = []
    for case in BROKEN:
        target, expect = _header(case.read_text(encoding="utf-8"))
        if (project / target).exists():
            continue
        (project / target).write_bytes(case.read_bytes())
        expected += expect
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(project), "check"], capture_output=True, text=True
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert sorted(lines[:-1]) == sorted(expected)
    files = len({e.split(":", 1)[0] for e in expected})
    assert lines[-1] == f"{len(expected)} errors in {files} files; nothing was written."


def test_non_utf8_bytes_and_bom(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", MINI)
    good = (project / "content/factors/underperformance.yaml").read_bytes()
    (project / "content/factors/underperformance.yaml").write_bytes(b"\xef\xbb\xbf" + good)  # a BOM is fine
    (project / "content/factors/latin1.yaml").write_bytes(b"id: latin1\nname: Caf\xe9\n")
    with pytest.raises(ContentError) as info:
        check(project)
    assert [str(p) for p in info.value.problems] == [
        "content/factors/latin1.yaml:2: bytes that are not UTF-8 (byte 0xe9). Save the file as UTF-8."
    ]


def test_file_names_sizes_and_symlinks(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", MINI)
    src = project / "content/factors/underperformance.yaml"
    (project / "content/factors/Café Culture.yaml").write_bytes(src.read_bytes())
    (project / "content/factors/huge.yaml").write_text("id: huge\nname: '" + "x" * 600_000 + "'\n")
    outside = tmp_path / "outside.yaml"
    outside.write_bytes(src.read_bytes())
    (project / "content/factors/linked.yaml").symlink_to(outside)
    with pytest.raises(ContentError) as info:
        check(project)
    assert sorted(str(p) for p in info.value.problems) == sorted(
        [
            "content/factors/Café Culture.yaml: file name must be lowercase letters, digits and hyphens, ending in "
            ".yaml (no spaces or accents). Rename it, e.g. to 'cafe-culture.yaml'.",
            "content/factors/huge.yaml: file is 600,018 bytes; the limit is 524,288. Split the record or shorten it.",
            "content/factors/linked.yaml: symbolic link to a file outside the project. Copy the file in instead.",
        ]
    )


def test_same_old_id_claimed_twice(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", MINI)
    path = project / "content/factors/external-inspection.yaml"
    path.write_text(path.read_text() + "moved_from: [underperformance]\n")
    with pytest.raises(ContentError) as info:
        check(project)
    assert [str(p) for p in info.value.problems] == [
        "content/factors/external-inspection.yaml:8: moved_from[0]: the old id 'underperformance' is still in use "
        "by another factor. An old id can only point to one record."
    ]
