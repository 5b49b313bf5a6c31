"""`mkdocs` started before it is needed: `python -m generator.output.mkdocs_child MKDOCS_YML`.

`handbook build` starts this process while the generator is still checking the sources and writing
the docs folder, on the second core. It imports what `mkdocs build` imports (MkDocs, Material, the
Markdown extensions in mkdocs.yml, the modules the hooks use: about a third of a second of a small
build), compiles the theme's templates (generator/speed/templates.py: Material's, about 0.15 s,
which MkDocs would compile while it renders the first page) and then waits. `generator/output/publish.py` sends it one line on its standard input, a JSON
object {"args": [...], "env": {...}}, once the docs folder is complete; it then runs MkDocs'
own command line with those arguments and variables, exactly as `python -m mkdocs` would, and exits
with its status. When its input closes without that line (the build stopped on an error first),
it exits having done nothing.
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import sys

import jinja2

from generator.speed.templates import Compiled, compile_ahead

# What `mkdocs build` of the handbook imports, the heaviest first; a module that is not installed is
# simply imported (and reported) by MkDocs itself later.
PRELOAD = (
    "mkdocs.__main__",
    "mkdocs.commands.build",
    "mkdocs.config.defaults",
    "mkdocs.structure.pages",
    "mkdocs.theme",
    "jinja2",
    "markdown",
    "markdown.extensions.abbr",
    "markdown.extensions.admonition",
    "markdown.extensions.attr_list",
    "markdown.extensions.md_in_html",
    "markdown.extensions.def_list",
    "markdown.extensions.tables",
    "markdown.extensions.toc",
    "pymdownx.details",
    "pymdownx.superfences",
    "pymdownx.tasklist",
    "material",
    "material.plugins.search.plugin",
    "generator.output.urls",  # the hooks' own imports (generator/hooks/)
    "generator.output.search",
    "generator.speed.parallel",
)


def preload() -> None:
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001, S112 - MkDocs imports it again and says what is wrong
            continue
    try:  # the entry points MkDocs looks its themes and plugins up in (cached by MkDocs)
        from mkdocs.utils import get_themes

        get_themes()
    except Exception:  # noqa: BLE001, S110 - the same
        pass


_THEME: Compiled | None = None  # the theme's templates compiled ahead (compile_theme)


def compile_theme(mkdocs_file: str) -> None:
    """Compile the templates of mkdocs.yml's theme as MkDocs' build will (`Theme.get_env`), and make
    the build's environment load them from here (`_get_env`). The hooks' filters are not there yet
    (they are added in `on_env`), so a template using one is compiled by the build itself; so is
    any template that fails here. Nothing is logged: MkDocs reads the configuration again."""
    global _THEME  # noqa: PLW0603 - one per process
    logging.disable(logging.CRITICAL)
    try:
        from mkdocs.config import load_config

        theme = load_config(mkdocs_file).theme
        language = theme.get("language") or "en"
        env = theme.get_env()
        names = [
            name
            for name in env.list_templates(extensions=["html", "xml"])
            if not name.startswith("partials/languages/")
            or name.removeprefix("partials/languages/")
            in (
                f"{language}.html",
                "en.html",  # Material's fallback for words a language lacks
            )
        ]
        _THEME = compile_ahead(env, names)
    except Exception:  # noqa: BLE001, S110 - MkDocs loads the configuration again and says what is wrong
        pass
    finally:
        logging.disable(logging.NOTSET)
    if _THEME is not None:
        from mkdocs.theme import Theme

        plain = Theme.get_env

        def _get_env(self: Theme) -> jinja2.Environment:
            env = plain(self)
            env.bytecode_cache = _THEME  # used only where it fits the environment (Compiled.fits)
            return env

        Theme.get_env = _get_env  # type: ignore[method-assign]


def main() -> int:
    preload()
    if len(sys.argv) > 1:
        compile_theme(sys.argv[1])
    line = sys.stdin.readline()
    if not line.strip():  # the build stopped before MkDocs was needed
        return 0
    order = json.loads(line)
    os.environ.update(order.get("env") or {})
    from mkdocs.__main__ import cli

    sys.argv = ["mkdocs", *order["args"]]
    try:
        cli.main(args=order["args"], prog_name="mkdocs", standalone_mode=True)
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
