"""The command line through its real entry points: exit codes, messages, suggestions."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MINI, REPO, make_project

from generator import cli, pipeline

HANDBOOK = str(Path(sys.executable).parent / "handbook")


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run([HANDBOOK, *args], cwd=cwd, capture_output=True, text=True)


def test_check_passes_on_the_real_content() -> None:
    proc = run("check")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("OK: ") and "every reference resolves" in proc.stdout


def test_python_dash_m_is_the_same_command(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(MINI), "check"], capture_output=True, text=True
    )
    assert proc.returncode == 0 and proc.stdout.startswith("OK: ")


def test_a_content_error_exits_1_with_file_line_and_no_traceback(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", MINI)
    path = project / "casestudies" / "riverton.yaml"
    path.write_text(path.read_text().replace("factor: underperformance", "factor: underperformence"))
    proc = run("--root", str(project), "build")
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert proc.stderr.splitlines() == [
        "casestudies/riverton.yaml:50: drivers[0].factor: unknown factor 'underperformence'. "
        "Did you mean 'underperformance'?",
        "1 error in 1 file; nothing was written.",
    ]
    assert not (project / "site").exists() and not (project / "build").exists()


def test_an_unknown_case_in_the_diagnosis_rules_is_reported_not_a_traceback(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", REPO)
    path = project / "toolkit" / "diagnosis" / "diagnosis.yaml"
    lines = path.read_text().splitlines(keepends=True)
    line = lines.index("  - case: highlands\n") + 1
    lines[line - 1] = "  - case: highland\n"
    path.write_text("".join(lines))
    proc = run("--root", str(project), "check")
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert proc.stderr.splitlines() == [
        f"toolkit/diagnosis/diagnosis.yaml:{line}: cases[0].case: unknown case study 'highland'. "
        "Did you mean 'highlands'?",
        "1 error in 1 file; nothing was written.",
    ]


def test_new_case_study_scaffold_then_check_lists_the_todos(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", MINI)
    proc = run("--root", str(project), "new", "case-study", "bristol-youth")
    assert proc.returncode == 0, proc.stderr
    text = (project / "casestudies" / "bristol-youth.yaml").read_text()
    assert text.startswith("# yaml-language-server: $schema=../schemas/case-study.schema.json")
    for field in ("title", "short_title", "period", "timeline", "drivers", "sources", "reviewed"):
        assert f"\n{field}:" in text or f"\n# {field}:" in text, field
    check = run("--root", str(project), "check")
    assert check.returncode == 1 and "Traceback" not in check.stderr
    assert "casestudies/bristol-youth.yaml:" in check.stderr and "placeholder TODO" in check.stderr


def test_new_refuses_to_overwrite(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", MINI)
    before = (project / "casestudies" / "riverton.yaml").read_bytes()
    proc = run("--root", str(project), "new", "case-study", "riverton")
    assert proc.returncode == 2
    assert proc.stderr.strip() == (
        "casestudies/riverton.yaml already exists; nothing was written. Choose another id or edit that file."
    )
    assert (project / "casestudies" / "riverton.yaml").read_bytes() == before


def test_new_refuses_a_bad_id(tmp_path: Path) -> None:
    proc = run("--root", str(tmp_path), "new", "case-study", "Bristol Youth")
    assert proc.returncode == 2
    assert "not a valid id" in proc.stderr and "Traceback" not in proc.stderr


def _broken_template(tmp_path: Path) -> Path:
    project = make_project(tmp_path / "p", MINI)
    (project / "site_templates").unlink()
    shutil.copytree(REPO / "site_templates", project / "site_templates")
    (project / "site_templates" / "factor.md.j2").write_text("# {{ record.name }}\n{% if %}\n")
    return project


def test_a_template_error_exits_2_with_file_line_and_leaves_no_site(tmp_path: Path) -> None:
    project = _broken_template(tmp_path)
    proc = run("--root", str(project), "build")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.splitlines()[-1] == (
        "site_templates/factor.md.j2:2: template error: Expected an expression, got 'end of statement block'. "
        "Fix the template; nothing was published."
    )
    assert not (project / "site").exists()


def test_debug_adds_the_traceback_to_the_same_message(tmp_path: Path) -> None:
    project = _broken_template(tmp_path)
    proc = run("--root", str(project), "--debug", "build")
    assert proc.returncode == 2
    assert "Traceback (most recent call last)" in proc.stderr and "TemplateSyntaxError" in proc.stderr
    assert proc.stderr.splitlines()[-1].startswith("site_templates/factor.md.j2:2: template error: ")


def test_a_bad_edition_setting_exits_2_not_1(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", MINI)
    env = {**os.environ, "HANDBOOK_EDITION": "latest"}
    proc = subprocess.run([HANDBOOK, "--root", str(project), "build"], capture_output=True, text=True, env=env)
    assert proc.returncode == 2
    assert proc.stderr == "HANDBOOK_EDITION='latest': an edition is named YEAR.NUMBER, e.g. 2027.1.\n"
    assert not (project / "build").exists()


def test_edition_list_without_a_site_exits_2(tmp_path: Path) -> None:
    proc = run("--root", str(tmp_path), "edition", "list", "--into", "nowhere")
    assert proc.returncode == 2
    assert proc.stderr == f"{tmp_path / 'nowhere'}: no built site here. Run `handbook build` first.\n"


def test_a_bokeh_version_mismatch_is_a_build_error_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import importlib.metadata

    real = importlib.metadata.version

    def version(name: str) -> str:  # another Bokeh, as the generator sees it (Bokeh itself still sees its own)
        caller = sys._getframe(1).f_globals.get("__name__", "")
        return "0.0.1" if name == "bokeh" and caller.startswith("generator.") else real(name)

    monkeypatch.setattr(importlib.metadata, "version", version)
    project = make_project(tmp_path / "p", MINI)
    assert cli.main(["--root", str(project), "build"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert (
        err[-1].startswith("Bokeh 0.0.1 is installed but the handbook is made for Bokeh 3.") and "Traceback" not in err
    )
    assert err[-1].endswith("Reinstall the pinned version: .venv/bin/pip install -e .")
    assert not (project / "site").exists()


def test_an_unexpected_error_exits_2_in_one_line_and_debug_shows_its_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def bug(*args: object, **kwargs: object) -> None:
        raise KeyError("riverton")  # stands for a bug in the generator: not one of its own errors

    monkeypatch.setattr(pipeline, "check", bug)
    assert cli.main(["--root", str(MINI), "check"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "handbook: unexpected error (KeyError: 'riverton'). Run again with --debug for the traceback."
    ]
    assert cli.main(["--root", str(MINI), "--debug", "check"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Traceback (most recent call last)") and 'raise KeyError("riverton")' in err
    assert err.splitlines()[-1] == "handbook: unexpected error (KeyError: 'riverton')."


def test_check_changed_reports_only_what_the_change_touches(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", MINI)
    git = ["git", "-c", "user.email=t@example.org", "-c", "user.name=t"]
    subprocess.run([*git, "init", "-q", "-b", "main"], cwd=project, check=True)
    subprocess.run([*git, "add", "-A"], cwd=project, check=True)
    subprocess.run([*git, "commit", "-qm", "base"], cwd=project, check=True)
    # an unrelated, already-broken file on main is not this change's business...
    (project / "content" / "factors" / "underperformance.yaml").unlink()  # ...but a deletion is
    proc = run("--root", str(project), "check", "--changed", "main")
    assert proc.returncode == 1
    assert "unknown factor 'underperformance'" in proc.stderr
    assert "casestudies/riverton.yaml" in proc.stderr  # the reference into the changed file


def test_readme_starts_with_the_two_commands() -> None:
    lines = (REPO / "README.md").read_text().splitlines()
    commands = [line.split("#")[0].strip() for line in lines[:8] if line.startswith("./run")]
    assert commands == ["./run build", "./run test"]
    assert "./run test" in (REPO / ".ci" / "run").read_text()


@pytest.mark.parametrize("options", [[], ["--dirty"]])
def test_serve_previews_and_regenerates_when_a_yaml_file_changes(tmp_path: Path, options: list[str]) -> None:
    import socket
    import time
    import urllib.request

    project = make_project(tmp_path / "p", MINI)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [HANDBOOK, "--root", str(project), "serve", "--dev-addr", f"127.0.0.1:{port}", *options],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )

    def fetch(path: str) -> str:
        for _ in range(240):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/{path}", timeout=5) as r:
                    return r.read().decode()
            except OSError:
                time.sleep(0.5)
        raise AssertionError(f"serve did not answer for {path}")

    try:
        assert "Innovation in youth services in Riverton" in fetch("cases/riverton/")
        path = project / "casestudies" / "riverton.yaml"
        path.write_text(
            path.read_text().replace(
                "title: Innovation in youth services in Riverton", "title: Youth services reinvented in Riverton"
            )
        )
        for _ in range(120):
            if "Youth services reinvented in Riverton" in fetch("cases/riverton/"):
                break
            time.sleep(0.5)
        else:
            raise AssertionError("the preview did not pick up the YAML change")
    finally:
        import os
        import signal

        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
