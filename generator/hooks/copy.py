"""MkDocs hook: the docs folder's static files copied into the site by a second process.

Only when the build asks for it (generator/output/publish.py sets HANDBOOK_BESIDE_MKDOCS=1);
otherwise, as under `handbook serve`, in the offline edition or in a plain `mkdocs build` of the
same Markdown, MkDocs copies them itself.

The docs folder holds a thousand or more files no page is made from (each case's downloads, the
charts' data, BokehJS, the schemas), which MkDocs copies one after the other on its one core after
converting the pages. Here they are copied by a process forked as soon as MkDocs has listed the
files (`on_files`: it has cleared the site folder by then, and is still small), on the second core
while MkDocs converts the pages. Once every page is converted (`on_env`: the links to those files
have been checked against the full list), they are taken off MkDocs' list so that it does not copy
them again; the theme's own files MkDocs still copies. MkDocs waits for the copies at the end
(`on_post_build`). A copy that fails fails the build, so a site with files missing is never
swapped in.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

from generator.output.publish import BESIDE_ENV


class _Copies:
    """One build's copies, from `on_files` to `on_post_build`."""

    def __init__(self, files: list[Any], running: Any) -> None:
        self.files = files  # MkDocs' File objects being copied
        self.running = running  # a generator.speed.parallel.Background


_copies: _Copies | None = None


def copy_all(pairs: list[tuple[str, str]]) -> None:
    """Copy each (source, destination) file, making folders as needed."""
    for src, dest in pairs:
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        shutil.copyfile(src, dest)


def on_pre_build(config: Any) -> None:
    _stop()


def on_files(files: Any, config: Any) -> Any:
    global _copies
    if not os.environ.get(BESIDE_ENV):
        return files
    from generator.speed.parallel import Background

    docs = Path(config.docs_dir).resolve()
    taken = [
        file
        for file in files
        if not file.is_documentation_page()
        and file.inclusion.is_included()
        and file.abs_src_path
        and Path(file.abs_src_path).resolve().is_relative_to(docs)
    ]
    pairs = [(file.abs_src_path, file.abs_dest_path) for file in taken]
    _copies = _Copies(taken, Background(lambda: copy_all(pairs), f"{len(pairs)} static files"))
    return files


def on_env(env: Any, config: Any, files: Any) -> Any:
    if _copies is not None:
        for file in _copies.files:
            try:
                files.remove(file)
            except ValueError:  # another hook took it off already
                pass
    return env


def on_post_build(config: Any) -> None:
    global _copies
    copies, _copies = _copies, None
    if copies is None:
        return
    try:
        copies.running.result()
    except OSError as e:
        raise PluginError(f"copying the docs folder's static files into the site: {e}") from None


def on_build_error(error: Exception) -> None:
    _stop()


def _stop() -> None:
    """No copies left running from a build that stopped on an error (its site is thrown away)."""
    global _copies
    copies, _copies = _copies, None
    if copies is not None:
        try:
            copies.running.result()
        except OSError:
            pass
