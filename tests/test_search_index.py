"""The hosted edition's Pagefind index, made beside MkDocs (generator/hooks/search.py, issue 14
point 6): it holds what indexing the built site after MkDocs held, the build waits for it, a
failed index fails the build and leaves the last good site, and a plain `mkdocs build` of the same
Markdown (the benchmark's baseline) does none of this work."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import MINI, make_project

from generator.config import load_config
from generator.hooks import search as hook
from generator.output import search
from generator.output.publish import PublishError
from generator.pipeline import build

HOOK_LINE = "  - generator/hooks/search.py"


def _tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _index(site: Path) -> tuple[dict[str, dict], list[str]]:
    frags = {f["url"]: f for f in search.read_fragments(site)}
    words = json.loads((site / search.BUNDLE / search.WORDS_FILE).read_text(encoding="utf-8"))
    return frags, words


def test_index_made_beside_mkdocs_holds_what_indexing_after_it_held(tmp_path: Path) -> None:
    beside = make_project(tmp_path / "beside", MINI)
    after = make_project(tmp_path / "after", MINI)
    yml = after / "mkdocs.yml"
    text = yml.read_text(encoding="utf-8")
    assert HOOK_LINE in text
    yml.write_text("\n".join(line for line in text.splitlines() if not line.startswith(HOOK_LINE)) + "\n")

    made_beside = build(load_config(beside))
    made_after = build(load_config(after))

    frags, words = _index(beside / "site")
    assert frags, "nothing indexed"
    assert (frags, words) == _index(after / "site")
    # the beside build waited for Pagefind only once MkDocs was done; the other ran it after MkDocs
    assert made_beside.timings["search_index"] > 0
    assert made_beside.timings["search_wait"] <= made_beside.timings["search_index"]
    assert made_after.timings["search_wait"] == made_after.timings["search_index"] > 0
    # the pages carry the same marks either way (the highlighting on arrival reads them)
    page = "cases/riverton/index.html"
    marked = (beside / "site" / page).read_text(encoding="utf-8")
    assert marked.count("data-pagefind-body") == 1
    assert marked == (after / "site" / page).read_text(encoding="utf-8")
    # nothing of the work is left beside the site
    assert sorted(p.name for p in beside.iterdir() if p.name.startswith(".site")) == []


def test_a_failed_index_fails_the_build_and_keeps_the_last_good_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project(tmp_path / "p", MINI)
    build(load_config(project))
    before = _tree(project / "site")
    # a `pagefind` package earlier on the path than the real one, which fails as a broken binary would
    fake = tmp_path / "fake" / "pagefind"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("")
    (fake / "__main__.py").write_text(
        "import sys\nprint('Error: simulated Pagefind failure', file=sys.stderr)\nsys.exit(3)\n"
    )
    monkeypatch.setenv("PYTHONPATH", str(fake.parent))
    with pytest.raises(PublishError) as info:
        build(load_config(project))
    assert "search index" in str(info.value)
    assert "simulated Pagefind failure" in str(info.value)
    assert _tree(project / "site") == before
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".site")) == []


def test_without_the_build_asking_the_hook_does_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A plain `mkdocs build` (the benchmark's baseline), `handbook serve` and the offline edition
    run the hook without HANDBOOK_SEARCH_INDEX: no page is marked, copied or indexed."""
    monkeypatch.delenv(search.ENV, raising=False)
    page = SimpleNamespace(meta={}, title="A page", file=SimpleNamespace(dest_uri="a/index.html"))
    config = SimpleNamespace(site_name="Site", site_dir=str(tmp_path / "site"))
    html = '<article class="md-content__inner md-typeset"><h1>A page</h1><p>Text</p></article>'
    hook.on_pre_build(config)
    assert hook.on_page_content("<p>Text</p>", page, config, None) == "<p>Text</p>"
    hook.on_env(None, config, None)
    assert hook.on_post_page(html, page, config) == html
    hook.on_post_build(config)
    assert list(tmp_path.iterdir()) == []


def test_a_page_excluded_from_search_is_not_indexed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Material's front matter switch, `search: exclude: true`, keeps a page out of Pagefind too."""
    monkeypatch.setenv(search.ENV, str(tmp_path))
    config = SimpleNamespace(site_name="Site", site_dir=str(tmp_path / "site"))
    kept = SimpleNamespace(meta={}, title="Kept", file=SimpleNamespace(dest_uri="kept/index.html"))
    left = SimpleNamespace(
        meta={"search": {"exclude": True}}, title="Left", file=SimpleNamespace(dest_uri="left/index.html")
    )
    hook.on_pre_build(config)
    try:
        hook.on_page_content("<h2 id='x'>Heading words</h2><p>Text</p>", kept, config, None)
        hook.on_page_content("<p>Other</p>", left, config, None)
        pages = tmp_path / search.PAGES_DIR
        assert sorted(p.relative_to(pages).as_posix() for p in pages.rglob("*.html")) == ["kept/index.html"]
        shadow = (pages / "kept" / "index.html").read_text(encoding="utf-8")
        assert '<h1 data-pagefind-weight="10">Kept</h1>' in shadow and "data-pagefind-body" in shadow
        html = '<article class="md-content__inner md-typeset"><h1>Left</h1></article>'
        assert hook.on_post_page(html, left, config) == html
    finally:
        hook._stop()
