"""Under `handbook serve` (HANDBOOK_SERVE set) the cache files a build read or wrote stay in memory
for the next build in the same process, for as long as the file on disk is the one it saw."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.speed import sources as cache


@pytest.fixture(autouse=True)
def _fresh_memory() -> None:
    cache._MEMORY.clear()


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
