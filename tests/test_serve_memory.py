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
    from generator.speed import charts, pages

    cache._MEMORY.clear()
    cache._SOURCES.clear()
    speed._DOWNLOADS.clear()
    pages._ANSWERS.clear()
    charts._EMBEDDED.clear()


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


def _as_a_clean_build(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`project`'s build/docs is byte for byte what a clean build of a copy gives, with no cache."""
    import shutil

    from generator.config import load_config
    from generator.pipeline import generate

    clean = tmp_path / "clean"
    shutil.copytree(project, clean, symlinks=True, ignore=shutil.ignore_patterns("build"))
    monkeypatch.delenv("HANDBOOK_SERVE")
    generate(load_config(clean, cache=False))
    assert _tree(project / "build" / "docs") == _tree(clean / "build" / "docs")


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_an_edit_under_serve_shows_its_page_first_and_the_pages_listing_it_next(
    mini_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a preview build the edited case's own page is rendered at once; pages that only list it
    (its short title on the cases list) and the downloads wait for the next build, which gives
    exactly a clean build's pages and files."""

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
    # the pages that only list it were left as they were, for the next build to check and render
    assert first.counts["deferred"] + first.counts["unchecked"] > 0
    assert first.counts["rendered"] < 10  # its own pages, not the listing pages
    assert "Rivertown Youth" not in (docs / "cases" / "index.md").read_text(encoding="utf-8")
    assert first.counts["deferred_files"] > 0  # the downloads too, kept as the last build wrote them
    for download in ("downloads/cases/riverton.json", "downloads/cases.csv", "downloads/handbook.json"):
        assert "Rivertown Youth" not in (docs / download).read_text(encoding="utf-8"), download

    second = generate(config)  # the build the preview asks for next
    assert second.counts["deferred"] == 0 and second.counts["unchecked"] == 0
    assert second.counts["rendered"] >= 1  # the cases list at least
    assert second.counts["deferred_files"] == 0
    assert "[Rivertown Youth](riverton.md" in (docs / "cases" / "index.md").read_text(encoding="utf-8")
    for download in ("downloads/cases/riverton.json", "downloads/cases.csv", "downloads/handbook.json"):
        assert "Rivertown Youth" in (docs / download).read_text(encoding="utf-8"), download
    _as_a_clean_build(mini_project, tmp_path, monkeypatch)  # nothing stale is left
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


def test_a_case_pages_notes_follow_an_edit_to_a_work_it_cites_under_serve(
    mini_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The hash of a case's notes and evidence summary is kept between preview builds only while the
    case and the works are the same: a work's new evidence kind renders the case page that cites it."""

    from generator.config import load_config
    from generator.pipeline import generate
    from generator.speed import pages

    monkeypatch.setenv("HANDBOOK_SERVE", "1")
    literature = mini_project / "content" / "literature"
    work = literature / "riverton-review-2007.yaml"  # a work the case cites only as a source of a statement
    work.write_text(
        (literature / "moore-1995.yaml")
        .read_text(encoding="utf-8")
        .replace("moore-1995", "riverton-review-2007")
        .replace("Creating Public Value", "A Review of Riverton"),
        encoding="utf-8",
    )
    _cite(mini_project, "riverton-review-2007")
    config = load_config(mini_project)
    docs = mini_project / "build" / "docs"
    generate(config)
    generate(config)  # nothing changed: the notes' hashes are now kept
    assert any(name == "evidence" for _, name, _ in pages._ANSWERS)
    assert "inspection report" not in _rests_on(docs / "cases" / "riverton.md")
    work.write_text(work.read_text(encoding="utf-8") + "evidence: inspection\n", encoding="utf-8")
    first = generate(config)
    assert first.counts["rendered"] >= 1
    assert "inspection report" in _rests_on(docs / "cases" / "riverton.md")
    generate(config)  # the follow-up build
    _as_a_clean_build(mini_project, tmp_path, monkeypatch)


def _rests_on(page: Path) -> str:
    """The line of a case page that counts its sources by kind (index.evidence)."""
    return next(row for row in page.read_text(encoding="utf-8").splitlines() if "What the evidence rests on" in row)


def test_a_kept_answer_hash_is_used_only_while_its_case_and_the_works_are_the_same(
    mini_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PageCache.digest: under serve, the hash of `evidence(case)` is kept between builds; a change to
    a work (its evidence kind) gives the hash of the new answer, not the kept one."""
    from generator.pipeline import check
    from generator.speed import Speed
    from generator.speed.pages import PageCache

    monkeypatch.setenv("HANDBOOK_SERVE", "1")
    speed = Speed(mini_project / "build")
    call = ("index", "evidence", ("riverton",))

    def digests() -> tuple[str, str]:
        index = check(mini_project, speed)
        cache = PageCache(mini_project / "build" / "cache", mini_project / "build" / "docs", index, "static")
        kept = cache.digest(*call)
        return kept, PageCache(cache.folder, cache.docs_dir, index, "static").answer(*call)[1]

    first, fresh = digests()
    assert first == fresh
    assert digests() == (first, first)  # the same inputs: the same (kept) hash
    _cite(mini_project, "moore-1995")
    second, fresh = digests()
    assert second == fresh != first  # the case changed
    work = mini_project / "content" / "literature" / "moore-1995.yaml"
    work.write_text(work.read_text(encoding="utf-8") + "evidence: inspection\n", encoding="utf-8")
    third, fresh = digests()
    assert third == fresh != second  # only a work changed


def test_under_serve_the_references_of_a_changed_file_are_walked_again(
    mini_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """build_index keeps each record's references by its file's SHA-256 between preview builds: an
    unchanged file's come from memory, an edited file's are found again, and nothing else is kept."""
    from generator.pipeline import check
    from generator.speed import Speed
    from generator.stages.index import references

    monkeypatch.setenv("HANDBOOK_SERVE", "1")
    speed = Speed(mini_project / "build")
    index = check(mini_project, speed)
    memo = speed.reference_memo()
    assert memo is not None and len(memo) == sum(len(items) for items in index.records.values())
    old = index.records["case-study"]["riverton"]
    assert memo[("case-study", "riverton", old.doc.digest)] == list(references(old.record))
    _cite(mini_project, "moore-1995")
    index = check(mini_project, speed)
    new = index.records["case-study"]["riverton"]
    assert ("case-study", "riverton", old.doc.digest) not in memo
    refs = memo[("case-study", "riverton", new.doc.digest)]
    assert refs == list(references(new.record)) != list(references(old.record))
    cited = [(kind, rid, loc) for kind, rid, loc in index.backlinks[("work", "moore-1995")] if rid == "riverton"]
    assert len(cited) == 2  # the case's citations, and the new source


def _cite(project: Path, work: str) -> None:
    """Make the mini project's case cite `work` as one more source of a statement."""
    case = project / "casestudies" / "riverton.yaml"
    old = "    - section: 'Section 5.1'\n      lines: '2004-2015'\n"
    text = case.read_text(encoding="utf-8")
    assert old in text
    case.write_text(text.replace(old, old + f"    - work: {work}\n"), encoding="utf-8")


def test_under_serve_a_chart_is_made_again_only_when_its_files_change(
    mini_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The chart snippets and data files kept in memory between preview builds: an edit to a case's
    timeline gives its chart anew in the preview build itself, and the docs folder then equals a
    clean build's; charts of unchanged files come from memory."""
    import re

    from generator.config import load_config
    from generator.pipeline import generate
    from generator.speed import charts

    monkeypatch.setenv("HANDBOOK_SERVE", "1")
    config = load_config(mini_project)
    generate(config)
    docs = mini_project / "build" / "docs"
    before = set(re.findall(r'data-bokeh-src="([^"]+)"', (docs / "cases" / "riverton.md").read_text("utf-8")))
    kept = dict(charts._EMBEDDED)
    assert kept  # every chart of the build is kept
    path = mini_project / "casestudies" / "riverton.yaml"
    text = path.read_text(encoding="utf-8")
    assert "label: Ofsted rates the youth service poor" in text
    path.write_text(text.replace("label: Ofsted rates the youth service poor", "label: Ofsted finds it poor"), "utf-8")
    generate(config)  # the preview build
    after = set(re.findall(r'data-bokeh-src="([^"]+)"', (docs / "cases" / "riverton.md").read_text("utf-8")))
    assert before - after and after - before  # the case's timeline has a new data file at once
    assert any("Ofsted finds it poor" in (docs / "assets" / src).read_text("utf-8") for src in after - before)
    unchanged = [key for key in kept if "riverton" not in key[0]]
    assert unchanged and all(charts._EMBEDDED[key] is kept[key] for key in unchanged)  # taken from memory
    generate(config)  # the follow-up build
    _as_a_clean_build(mini_project, tmp_path, monkeypatch)


def test_under_serve_a_source_file_is_read_again_only_when_its_stat_changes(
    mini_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A preview build hashes only the files whose stat changed since the last build in the process;
    an edit that keeps the file's size is still seen (its modification time changed)."""
    from generator.config import load_config
    from generator.pipeline import generate

    monkeypatch.setenv("HANDBOOK_SERVE", "1")
    config = load_config(mini_project)
    generate(config)
    assert cache._SOURCES and all(len(digest) == 64 for _, digest in cache._SOURCES.values())
    reads: list[str] = []
    real = cache.read_source
    monkeypatch.setattr(
        cache, "read_source", lambda root, path, rel, problems: reads.append(rel) or real(root, path, rel, problems)
    )
    generate(config)
    assert reads == []  # nothing changed: nothing read
    path = mini_project / "casestudies" / "riverton.yaml"
    text = path.read_text(encoding="utf-8")
    assert "outcomes: Attendance rose" in text
    path.write_text(
        text.replace("outcomes: Attendance rose", "outcomes: Attendance fell"), encoding="utf-8"
    )  # same size
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
    generate(config)
    assert reads == ["casestudies/riverton.yaml"]
    assert "Attendance fell" in (mini_project / "build" / "docs" / "cases" / "riverton.md").read_text("utf-8")
