"""The GitHub Actions workflows: valid YAML, the jobs and permissions expected, no
pull_request_target, and every action pinned to a full commit SHA."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.y*ml"))
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")
USES_LINE = re.compile(r"^\s*(?:-\s*)?uses:\s*(\S+)(.*)$")


def load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name}: not a YAML mapping"
    return data


def triggers(workflow: dict[Any, Any]) -> dict[str, Any]:
    on = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on:` key as True
    return on if isinstance(on, dict) else {name: None for name in ([on] if isinstance(on, str) else on)}


def steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def test_there_are_the_two_workflows() -> None:
    assert {p.name for p in WORKFLOWS} >= {"publish.yml", "pull-request.yml"}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_valid_yaml_with_jobs_and_no_pull_request_target(path: Path) -> None:
    workflow = load(path)
    assert workflow.get("jobs"), f"{path.name}: no jobs"
    assert "pull_request_target" not in triggers(workflow), (
        f"{path.name}: pull_request_target runs untrusted code with secrets"
    )
    for name, job in workflow["jobs"].items():
        assert job.get("runs-on") and job.get("steps"), f"{path.name}: job {name} has no runner or steps"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_full_commit_sha_with_its_version(path: Path) -> None:
    uses = [step["uses"] for step in steps(load(path)) if "uses" in step]
    assert uses, f"{path.name}: no actions at all?"
    for ref in uses:
        assert ref.startswith("./") or PINNED.match(ref), f"{path.name}: `{ref}` is not pinned to a 40-hex commit SHA"
    for line in path.read_text(encoding="utf-8").splitlines():
        m = USES_LINE.match(line)
        if m and not m.group(1).startswith("./"):
            assert re.search(r"#\s*v\d+\.\d+\.\d+", m.group(2)), (
                f"{path.name}: `{line.strip()}` lacks a # vX.Y.Z comment"
            )


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_top_level_permissions_are_read_only(path: Path) -> None:
    assert load(path).get("permissions") == {"contents": "read"}, (
        f"{path.name}: top-level permissions must be contents: read"
    )


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_only_a_pages_deploy_job_may_write(path: Path) -> None:
    for name, job in load(path)["jobs"].items():
        granted = job.get("permissions", {})
        writes = {scope for scope, level in granted.items() if level == "write"}
        if not writes:
            continue
        assert writes <= {"pages", "id-token"}, f"{path.name}: job {name} may write {writes}"
        actions = [s.get("uses", "") for s in job["steps"]]
        assert [a.split("@")[0] for a in actions] == ["actions/deploy-pages"], (
            f"{path.name}: {name} writes but does not only deploy"
        )


def test_publish_builds_main_and_deploys_to_pages() -> None:
    workflow = load(REPO / ".github" / "workflows" / "publish.yml")
    assert triggers(workflow)["push"]["branches"] == ["main"]
    assert workflow["concurrency"]["group"]
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert "permissions" not in build  # the top level's contents: read
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    names = [s.get("uses", "").split("@")[0] for s in build["steps"]]
    for action in (
        "actions/checkout",
        "actions/setup-python",
        "actions/configure-pages",
        "actions/upload-pages-artifact",
    ):
        assert action in names, f"the build job does not use {action}"
    pages_id = next(s["id"] for s in build["steps"] if s.get("uses", "").startswith("actions/configure-pages@"))
    built = next(s for s in build["steps"] if s.get("run", "").startswith("./run build"))
    assert built["env"]["HANDBOOK_SITE_URL"] == f"${{{{ steps.{pages_id}.outputs.base_url }}}}/"
    assert "handbook offline" in (REPO / "run").read_text(encoding="utf-8")  # ./run build makes the zip
    upload = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "dist/handbook-offline.zip"
    pages = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert pages["with"]["path"].rstrip("/") == "site"


def test_pull_request_writes_the_change_report_to_the_job_summary() -> None:
    workflow = load(REPO / ".github" / "workflows" / "pull-request.yml")
    check = workflow["jobs"]["check"]
    assert check["steps"][0]["with"]["fetch-depth"] == 0  # the base branch is there to compare with
    runs = [s.get("run", "") for s in check["steps"]]
    assert any("handbook diff" in r and '>> "$GITHUB_STEP_SUMMARY"' in r for r in runs)
    assert any(s.get("uses", "").startswith("actions/upload-artifact@") for s in check["steps"])


def test_pull_request_checks_links_with_the_packaged_link_checker() -> None:
    check = load(REPO / ".github" / "workflows" / "pull-request.yml")["jobs"]["check"]
    runs = [s.get("run", "") for s in check["steps"]]
    build = next(i for i, r in enumerate(runs) if r.startswith("./run build"))
    links = [i for i, r in enumerate(runs) if r.split()[:2] == [".venv/bin/handbook", "linkcheck"]]
    assert links and links[0] > build, "the link check must run `handbook linkcheck` on the strict build's site"
    assert not any("tests" in r for r in runs), "the workflow must not reach into tests/"
