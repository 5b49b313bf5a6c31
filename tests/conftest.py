"""Shared fixtures: the small fixture site, project copies in tmp folders, the real built handbook."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

REPO = Path(__file__).resolve().parent.parent
MINI = REPO / "tests" / "fixtures" / "mini"
SOURCE_DIRS = ("casestudies", "content", "toolkit")


def make_project(dest: Path, content_from: Path = REPO) -> Path:
    """A project folder in `dest` with the sources of `content_from` and this repo's templates,
    generator and MkDocs configuration: builds there touch nothing in the repository."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in SOURCE_DIRS:
        if (content_from / name).exists():
            shutil.copytree(content_from / name, dest / name)
    shutil.copy(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    for name in ("site_templates", "generator"):
        (dest / name).symlink_to(REPO / name)
    return dest


def git(repo: Path, *args: str) -> str:
    """Run git in `repo` as a fixed author, with nothing from the user's configuration; its output."""
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "PATH": "/usr/bin:/bin",
    }
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True, env=env).stdout


@pytest.fixture
def mini_project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "mini", MINI)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


SITE_PORT = free_port()
SITE_URL = f"http://127.0.0.1:{SITE_PORT}/"


@pytest.fixture(scope="session")
def built_handbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real handbook, built once per session with `mkdocs build --strict`; returns the project.
    Its site_url is the loopback address the browser tests serve it on, as a real host's would be:
    Material's instant navigation only follows links that its sitemap lists under site_url."""
    import os

    from generator.config import load_config
    from generator.pipeline import build

    project = make_project(tmp_path_factory.mktemp("handbook") / "project")
    os.environ["HANDBOOK_SITE_URL"] = SITE_URL
    try:
        build(load_config(project))
    finally:
        del os.environ["HANDBOOK_SITE_URL"]
    return project


@pytest.fixture(scope="session")
def built_mini(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from generator.config import load_config
    from generator.pipeline import build

    project = make_project(tmp_path_factory.mktemp("mini") / "project", MINI)
    build(load_config(project))
    return project


# --- browser fixtures, shared by every browser test ------------------------------------------------


@pytest.fixture(scope="session")
def site(built_handbook: Path) -> Iterator[str]:
    """The built handbook served on loopback at its site_url (so instant navigation is live)."""
    from browser import serve

    with serve(built_handbook / "site", SITE_PORT) as url:
        yield url


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    from browser import browser

    with browser() as b:
        yield b


@pytest.fixture
def page(chromium: Browser) -> Iterator[Page]:
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    p = context.new_page()
    yield p
    context.close()
