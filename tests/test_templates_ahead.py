"""Templates compiled ahead by a second process (generator/speed/templates.py): the generator's and
the theme's templates are loaded from code compiled elsewhere, the pages and the site are the same
bytes, and code compiled for another source or another kind of environment is never used."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest
from conftest import make_project
from test_publish import tree

import generator.speed as speed
from generator.config import load_config
from generator.output import mkdocs_child
from generator.output.pages import make_environment, template_names
from generator.pipeline import generate
from generator.speed import pages as page_cache
from generator.speed.templates import Compiled, compile_ahead

TEMPLATES = Path(__file__).resolve().parent.parent / "site_templates"


def _crossed(ahead: Compiled) -> Compiled:
    """As the build's second process hands it over: pickled through a pipe."""
    return pickle.loads(pickle.dumps(ahead))  # noqa: S301 - our own bytes


def test_the_generators_templates_load_from_code_compiled_ahead() -> None:
    names = template_names(make_environment(TEMPLATES))
    ahead = _crossed(compile_ahead(make_environment(TEMPLATES), names))
    assert len(ahead.code) == len(names) >= 20
    env = make_environment(TEMPLATES)
    env.bytecode_cache = ahead
    plain = make_environment(TEMPLATES)
    for name in names:  # the very code this environment compiles the template to
        loaded, compiled = env.get_template(name), plain.get_template(name)
        assert loaded.root_render_func.__code__.co_code == compiled.root_render_func.__code__.co_code, name
        assert sorted(loaded.blocks) == sorted(compiled.blocks), name
    assert ahead.hits == len(names)


def test_a_build_renders_its_pages_from_the_templates_compiled_ahead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project(tmp_path / "project")
    envs: list[jinja2.Environment] = []
    made = page_cache.PageCache.environment

    def environment(self: page_cache.PageCache, templates: Path, make: object) -> jinja2.Environment:
        env = made(self, templates, make)  # type: ignore[arg-type]
        envs.append(env)
        return env

    monkeypatch.setattr(page_cache.PageCache, "environment", environment)
    monkeypatch.setattr(speed, "workers", lambda: 2)  # as on two cores, whatever threads the test run has
    generate(load_config(project))
    ahead = envs[0].bytecode_cache
    assert isinstance(ahead, Compiled) and ahead.hits == len(template_names(envs[0]))
    ahead_docs = tree(project / "build" / "docs")
    monkeypatch.setattr(speed, "workers", lambda: 1)  # one process: every template compiled where it renders
    for path in (project / "build").rglob("*"):
        if path.is_file():
            path.unlink()
    envs.clear()
    generate(load_config(project))
    assert envs[0].bytecode_cache is None
    assert tree(project / "build" / "docs") == ahead_docs


def test_code_compiled_for_another_kind_of_environment_is_not_used(tmp_path: Path) -> None:
    (tmp_path / "page.j2").write_text("{% if x %}\n  {{ x | shout }}\n{% endif %}\nend\n", encoding="utf-8")

    def env(**options: object) -> jinja2.Environment:
        made = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)), **options)  # type: ignore[arg-type]  # noqa: S701
        made.filters["shout"] = lambda v: str(v).upper()
        return made

    ahead = _crossed(compile_ahead(env(trim_blocks=True), ["page.j2"]))
    same = env(trim_blocks=True)
    same.bytecode_cache = ahead
    assert same.get_template("page.j2").render(x="a") == "  A\nend" and ahead.hits == 1
    other = env()  # trim_blocks off: the same source compiles to other code
    other.bytecode_cache = ahead
    assert other.get_template("page.j2").render(x="a") == "\n  A\n\nend" and ahead.hits == 1
    passing = env(trim_blocks=True)  # the filter now takes the context: the call is compiled otherwise
    passing.filters["shout"] = jinja2.pass_context(lambda ctx, v: f"{v}!")
    passing.bytecode_cache = ahead
    assert passing.get_template("page.j2").render(x="a") == "  a!\nend" and ahead.hits == 1


def test_a_template_edited_since_it_was_compiled_ahead_is_compiled_again(tmp_path: Path) -> None:
    page = tmp_path / "page.j2"
    page.write_text("old {{ x }}", encoding="utf-8")
    ahead = _crossed(compile_ahead(jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path))), ["page.j2"]))  # noqa: S701
    page.write_text("new {{ x }}", encoding="utf-8")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)))  # noqa: S701
    env.bytecode_cache = ahead
    assert env.get_template("page.j2").render(x=1) == "new 1"
    assert ahead.hits == 0


def test_a_template_that_does_not_compile_is_left_to_the_build(tmp_path: Path) -> None:
    (tmp_path / "good.j2").write_text("{{ x }}", encoding="utf-8")
    (tmp_path / "bad.j2").write_text("{% if %}", encoding="utf-8")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)))  # noqa: S701
    ahead = compile_ahead(env, ["bad.j2", "good.j2"])
    assert len(ahead.code) == 1
    env.bytecode_cache = ahead
    with pytest.raises(jinja2.TemplateSyntaxError):
        env.get_template("bad.j2")  # reported where it always was


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real handbook's Markdown, generated and not yet built."""
    project = make_project(tmp_path_factory.mktemp("ahead") / "project")
    generate(load_config(project))
    return project


def test_the_mkdocs_process_loads_the_theme_compiled_ahead(generated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mkdocs.config import load_config as mkdocs_config
    from mkdocs.theme import Theme

    monkeypatch.setattr(Theme, "get_env", Theme.get_env)  # compile_theme replaces it: put back afterwards
    monkeypatch.setattr(mkdocs_child, "_THEME", None)
    monkeypatch.chdir(generated)
    mkdocs_child.compile_theme(str(generated / "mkdocs.yml"))
    ahead = mkdocs_child._THEME
    assert ahead is not None and len(ahead.code) >= 30  # Material's base.html and partials, at least
    env = mkdocs_config(str(generated / "mkdocs.yml")).theme.get_env()
    assert env.bytecode_cache is ahead
    env.get_template("base.html")
    env.get_template("partials/header.html")
    assert ahead.hits == 2


def test_the_mkdocs_process_builds_the_same_site_as_mkdocs(generated: Path, tmp_path: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1700000000"}
    args = ["build", "--strict", "-f", str(generated / "mkdocs.yml"), "-d", str(tmp_path / "ahead")]
    order = json.dumps({"args": args, "env": {}}) + "\n"
    child = subprocess.run(
        [sys.executable, "-m", "generator.output.mkdocs_child", str(generated / "mkdocs.yml")],
        cwd=generated,
        input=order,
        capture_output=True,
        text=True,
        env=env,
    )
    assert child.returncode == 0, child.stderr
    plain = subprocess.run(
        [sys.executable, "-m", "mkdocs", *args[:-1], str(tmp_path / "plain")],
        cwd=generated,
        capture_output=True,
        text=True,
        env=env,
    )
    assert plain.returncode == 0, plain.stderr
    assert tree(tmp_path / "ahead") == tree(tmp_path / "plain")
