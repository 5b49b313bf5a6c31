"""Under `handbook serve` (HANDBOOK_SERVE set) the cache files a build read or wrote stay in memory
for the next build in the same process, for as long as the file on disk is the one it saw."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.speed import sources as cache


@pytest.fixture(autouse=True)
def _fresh_memory() -> None:
    from generator import speed

    cache._MEMORY.clear()
    speed._DOWNLOADS.clear()


def test_serve_reuses_what_it_wrote_until_the_file_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HANDBOOK_SERVE", "1")
    entries = {"a": ("digest", object())}
    cache.write_pickle(tmp_path, "records-00", entries)
    assert cache.read_pickle(tmp_path, "records-00") is entries  # not unpickled again
    newer = {"b": ("other", 1)}
    cache.write_pickle(tmp_path, "records-00", newer)  # a new file: the new entries
    assert cache.read_pickle(tmp_path, "records-00") is newer
    path = tmp_path / "records-00.pickle"
    data = path.read_bytes()
    path.unlink()
    path.write_bytes(data)  # replaced from outside (another file, another time): read from disk again
    os.utime(path, ns=(1, 1))
    read = cache.read_pickle(tmp_path, "records-00")
    assert read == newer and read is not newer


def test_other_commands_read_the_file_every_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HANDBOOK_SERVE", raising=False)
    entries = {"a": ("digest", 1)}
    cache.write_pickle(tmp_path, "terms", entries)
    first = cache.read_pickle(tmp_path, "terms")
    assert first == entries and first is not entries
    assert cache.read_pickle(tmp_path, "terms") is not first
    assert not cache._MEMORY


def test_a_corrupt_file_is_still_ignored_in_serve(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HANDBOOK_SERVE", "1")
    (tmp_path / "pages.pickle").write_bytes(b"not a pickle")
    assert cache.read_pickle(tmp_path, "pages") == {}


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_an_edit_under_serve_shows_its_page_first_and_the_pages_listing_it_next(
    mini_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a preview build the edited case's own page is rendered at once; pages that only list it
    (its short title on the cases list) and the downloads wait for the next build, which gives
    exactly a clean build's pages and files."""
    import shutil

    from generator.config import load_config
    from generator.pipeline import generate

    monkeypatch.setenv("HANDBOOK_SERVE", "1")
    config = load_config(mini_project)
    generate(config)
    path = mini_project / "casestudies" / "riverton.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("short_title: Riverton", "short_title: Rivertown Youth").replace(
            "outcomes: Attendance rose", "outcomes: Attendance doubled"
        ),
        encoding="utf-8",
    )
    docs = mini_project / "build" / "docs"
    first = generate(config)
    page = (docs / "cases" / "riverton.md").read_text(encoding="utf-8")
    assert "Attendance doubled" in page and "Rivertown Youth" in page
    assert first.counts["deferred"] > 0  # listing pages were left for the next build
    assert "Rivertown Youth" not in (docs / "cases" / "index.md").read_text(encoding="utf-8")
    assert first.counts["deferred_files"] > 0  # the downloads too, kept as the last build wrote them
    for download in ("downloads/cases/riverton.json", "downloads/cases.csv", "downloads/handbook.json"):
        assert "Rivertown Youth" not in (docs / download).read_text(encoding="utf-8"), download

    second = generate(config)  # the build the preview asks for next
    assert second.counts["deferred"] == 0 and second.counts["rendered"] >= first.counts["deferred"]
    assert second.counts["deferred_files"] == 0
    assert "[Rivertown Youth](riverton.md" in (docs / "cases" / "index.md").read_text(encoding="utf-8")
    for download in ("downloads/cases/riverton.json", "downloads/cases.csv", "downloads/handbook.json"):
        assert "Rivertown Youth" in (docs / download).read_text(encoding="utf-8"), download
    clean = tmp_path / "clean"
    shutil.copytree(mini_project, clean, symlinks=True, ignore=shutil.ignore_patterns("build"))
    monkeypatch.delenv("HANDBOOK_SERVE")
    generate(load_config(clean, cache=False))
    assert _tree(docs) == _tree(clean / "build" / "docs")  # nothing stale is left
    assert generate(config).counts["rendered"] == 0  # and nothing is left to render


def test_outside_serve_an_edit_renders_every_page_that_read_it(
    mini_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.config import load_config
    from generator.pipeline import generate

    monkeypatch.delenv("HANDBOOK_SERVE", raising=False)
    config = load_config(mini_project)
    generate(config)
    path = mini_project / "casestudies" / "riverton.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("short_title: Riverton", "short_title: Rivertown Youth"),
        encoding="utf-8",
    )
    result = generate(config)
    assert result.counts["deferred"] == 0
    assert "[Rivertown Youth](riverton.md" in (mini_project / "build" / "docs" / "cases" / "index.md").read_text(
        encoding="utf-8"
    )


def test_the_preview_watches_the_sources_and_the_pending_folder_not_the_generated_docs(
    mini_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The generator writes build/docs before MkDocs reads it, so those writes must not start another
    build; a build that left pages for the next one writes into build/serve-pending/, which is watched."""
    from types import SimpleNamespace

    from generator.hooks import serve

    monkeypatch.setenv("HANDBOOK_SERVE", "1")
    config = SimpleNamespace(
        config_file_path=str(mini_project / "mkdocs.yml"),
        extra={},
        watch=[],
        docs_dir=str(mini_project / "build" / "docs"),
    )
    serve.on_config(config)
    assert str(mini_project / "build" / "serve-pending") in config.watch
    assert str(mini_project / "casestudies") in config.watch
    unwatched: list[str] = []
    server = SimpleNamespace(unwatch=unwatched.append)
    assert serve.on_serve(server, config, None) is server
    assert unwatched == [config.docs_dir]
    monkeypatch.delenv("HANDBOOK_SERVE")
    unwatched.clear()
    serve.on_serve(server, config, None)
    assert unwatched == []  # `mkdocs serve` on its own keeps MkDocs' own watching
