"""`mkdocs` started before it is needed: `python -m generator.output.mkdocs_child`.

`handbook build` starts this process while the generator is still checking the sources and writing
the docs folder, on the second core. It imports what `mkdocs build` imports (MkDocs, Material, the
Markdown extensions in mkdocs.yml, the modules the hooks use: about a third of a second of a small
build) and then waits. `generator/output/publish.py` sends it one line on its standard input, a JSON
object {"args": [...], "env": {...}}, once the docs folder is complete; it then runs MkDocs'
own command line with those arguments and variables, exactly as `python -m mkdocs` would, and exits
with its status. When its input closes without that line (the build stopped on an error first),
it exits having done nothing.
"""

from __future__ import annotations

import importlib
import json
import os
import sys

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


def main() -> int:
    preload()
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
