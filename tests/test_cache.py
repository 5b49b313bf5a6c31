"""The build cache (build/cache): unchanged files are not read again, and the output is the same
as a build without it, whatever state the cache is in. Counts, never timings."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import MINI, REPO, make_project

from generator.config import load_config
from generator.errors import ContentError
from generator.pipeline import check, generate


def _docs(project: Path) -> dict[str, bytes]:
    docs = project / "build" / "docs"
    return {p.relative_to(docs).as_posix(): p.read_bytes() for p in sorted(docs.rglob("*")) if p.is_file()}


def test_an_edit_reads_only_the_edited_file_again(mini_project: Path) -> None:
    config = load_config(mini_project)
    first = generate(config)
    assert first.counts["parsed"] > 5
    assert generate(config).counts["parsed"] == 0
    path = mini_project / "content" / "factors" / "underperformance.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert generate(config).counts["parsed"] == 1


def test_a_corrupt_or_foreign_cache_is_ignored(mini_project: Path) -> None:
    config = load_config(mini_project)
    generate(config)
    expected = _docs(mini_project)
    shutil.rmtree(mini_project / "build" / "docs")
    for i, path in enumerate(sorted((mini_project / "build" / "cache").glob("*.pickle"))):
        path.write_bytes(b"not a pickle" if i % 2 else path.read_bytes()[:20])
    result = generate(config)
    assert result.counts["parsed"] > 5
    assert _docs(mini_project) == expected
    assert generate(config).counts["parsed"] == 0  # the cache was written again


def test_a_cached_file_still_reports_its_own_line(mini_project: Path) -> None:
    generate(load_config(mini_project))
    (mini_project / "content" / "factors" / "underperformance.yaml").unlink()  # riverton.yaml stays cached
    with pytest.raises(ContentError) as e:
        check(mini_project)
    expected = "casestudies/riverton.yaml:50: drivers[0].factor: unknown factor 'underperformance'."
    assert any(str(p).startswith(expected) for p in e.value.problems)


def test_a_file_with_problems_is_read_every_time(mini_project: Path) -> None:
    config = load_config(mini_project)
    generate(config)
    path = mini_project / "casestudies" / "riverton.yaml"
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("short_title:", "short_titel:"), encoding="utf-8")
    reports = []
    for _ in range(2):
        with pytest.raises(ContentError) as e:
            generate(config)
        reports.append([str(p) for p in e.value.problems])
    assert reports[0] == reports[1]
    assert (
        "casestudies/riverton.yaml:5: short_titel: unknown key 'short_titel'. Did you mean 'short_title'?" in reports[0]
    )
    path.write_text(good, encoding="utf-8")
    assert generate(config).written == []


def test_the_mini_site_is_the_same_with_and_without_the_cache(tmp_path: Path) -> None:
    cold = make_project(tmp_path / "cold", MINI)
    generate(load_config(cold))
    warm = make_project(tmp_path / "warm", MINI)
    generate(load_config(warm))
    shutil.rmtree(warm / "build" / "docs")
    generate(load_config(warm))
    assert _docs(warm) == _docs(cold)


def test_pages_whose_inputs_did_not_change_are_reused(mini_project: Path) -> None:
    config = load_config(mini_project)
    first = generate(config)
    assert first.counts["reused"] == 0 and first.counts["rendered"] > 10
    again = generate(config)
    assert (again.counts["rendered"], again.counts["reused"]) == (0, first.counts["rendered"])
    assert again.written == []


def test_a_linked_records_new_name_renders_the_pages_that_show_it(tmp_path: Path) -> None:
    warm = make_project(tmp_path / "warm", MINI)
    generate(load_config(warm))
    for project in (warm, make_project(tmp_path / "cold", MINI)):
        path = project / "content" / "factors" / "underperformance.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("name: ", "name: Renamed ", 1), encoding="utf-8")
    result = generate(load_config(warm))
    assert "cases/riverton.md" in result.written and 0 < result.counts["rendered"] < result.counts["reused"]
    generate(load_config(tmp_path / "cold"))
    assert _docs(warm) == _docs(tmp_path / "cold")


def test_a_changed_template_renders_every_page(mini_project: Path) -> None:
    templates = mini_project / "site_templates"
    shared = templates.resolve()
    templates.unlink()
    shutil.copytree(shared, templates)
    config = load_config(mini_project)
    pages = generate(config).counts["rendered"]
    with open(templates / "case.md.j2", "a", encoding="utf-8") as f:
        f.write("{%# a comment changes no output, but the template is not the same #%}\n")
    result = generate(config)
    assert result.counts["rendered"] == pages and result.written == []


def test_a_page_edited_in_build_docs_is_rendered_again(mini_project: Path) -> None:
    config = load_config(mini_project)
    generate(config)
    page = mini_project / "build" / "docs" / "cases" / "riverton.md"
    expected = page.read_bytes()
    page.write_bytes(b"edited by hand\n")
    result = generate(config)
    assert result.written == ["cases/riverton.md"] and page.read_bytes() == expected


def test_handbook_check_reads_the_cache_and_writes_nothing(
    mini_project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator import cli
    from generator.speed import sources as cache

    generate(load_config(mini_project))
    folder = mini_project / "build" / "cache"
    before = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in folder.iterdir()}
    parsed: list[str] = []
    real = cache.SourceCache.__init__

    def spy(self: cache.SourceCache, *args: object, **kwargs: object) -> None:
        real(self, *args, **kwargs)  # type: ignore[arg-type]  # passes on what the real __init__ was given
        self.parsed = parsed

    monkeypatch.setattr(cache.SourceCache, "__init__", spy)
    monkeypatch.chdir(mini_project)
    assert cli.main(["check"]) == 0
    assert parsed == []  # every record came from the cache
    path = mini_project / "casestudies" / "riverton.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("short_title:", "short_titel:", 1), encoding="utf-8")
    assert cli.main(["check"]) == 1
    assert "casestudies/riverton.yaml:" in capsys.readouterr().err
    assert parsed == ["casestudies/riverton.yaml"]
    assert {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in folder.iterdir()} == before


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_real_content_builds_byte_identical_without_the_speed_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`handbook build --no-cache` uses nothing from generator/speed and reads or writes no cache file,
    and gives the same docs folder and site as a warm build that took everything from the caches."""
    from generator import cli, speed
    from generator.pipeline import build

    cached = make_project(tmp_path / "cached", REPO)
    generate(load_config(cached))  # cold: fills build/cache and build/chart-cache
    warm = build(load_config(cached))
    assert warm.counts["parsed"] == 0 and warm.counts["rendered"] == 0  # every record and page was reused

    # a cold build, with every overlap of pipeline.build at work (charts drawn while MkDocs runs,
    # files written and copied by second processes), gives the same bytes as the warm one
    cold = make_project(tmp_path / "cold", REPO)
    built = build(load_config(cold))
    assert built.counts["rendered"] > 0 and built.counts["reused"] == 0  # nothing came from a cache
    assert _tree(cold / "build" / "docs") == _tree(cached / "build" / "docs")
    assert _tree(cold / "site") == _tree(cached / "site")

    plain = make_project(tmp_path / "plain", REPO)
    opened: list[object] = []
    monkeypatch.setattr(speed.Speed, "__init__", lambda self, *a, **k: opened.append(a))
    assert cli.main(["--root", str(plain), "build", "--no-cache"]) == 0
    assert opened == []  # the speed package was never asked
    assert sorted(p.name for p in (plain / "build").iterdir()) == ["docs"]  # no cache folder, no cache file
    assert _tree(plain / "build" / "docs") == _tree(cached / "build" / "docs")
    assert _tree(plain / "site") == _tree(cached / "site")
