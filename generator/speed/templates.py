"""Jinja templates compiled ahead of time, in memory, by a process that has a core to spare.

Compiling a template (lexing, parsing, generating and compiling Python code) costs as much as
rendering a few pages with it: the handbook's 28 templates take about 0.2 s, Material's theme about
0.15 s, and a small build compiles both on its critical path. `compile_ahead` compiles templates in
an environment and keeps what Jinja's own bytecode cache would write (`jinja2.BytecodeCache`: each
template's code, marshalled, keyed by its name and file, checked against its source) in a dict,
which crosses from one process to another: the generator compiles its templates in a forked child
while it checks the sources (generator/pipeline.py), and the MkDocs process started ahead compiles
the theme's while it waits for the docs folder (generator/output/mkdocs_child.py).

Nothing is written anywhere: every build compiles every template once. Jinja itself refuses a
template's code when its source changed since (the checksum) or Jinja or Python is another version;
`Compiled` also refuses it to an environment that would compile the template to other code
(another syntax, other extensions, autoescaping or finalize: `signature`), which then compiles it as
usual. The pages are the same bytes either way (tests/test_templates_ahead.py).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

import jinja2
from jinja2.bccache import Bucket

log = logging.getLogger(__name__)


def signature(env: jinja2.Environment) -> tuple[Any, ...]:
    """What, besides a template's source and the filters and tests it uses (`_passes`), decides the
    code Jinja compiles it to in `env`."""
    return (
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.keep_trailing_newline,
        tuple(sorted(env.extensions)),
        env.optimized,
        env.is_async,
        env.autoescape if isinstance(env.autoescape, bool) else _name(env.autoescape),
        _name(env.finalize),
    )


def _name(func: Any) -> str | None:
    """A function by its module and name: the same in every process (the generator's finalize)."""
    return None if func is None else f"{getattr(func, '__module__', '')}.{getattr(func, '__qualname__', repr(func))}"


def _passes(env: jinja2.Environment) -> dict[tuple[str, str], Any]:
    """Each filter and test of `env`, by name, as what Jinja passes it besides its arguments (the
    context, the environment, ...): the compiled call depends on it, not on the function itself. A
    template using a filter the environment lacks does not compile, so code compiled in `env` is
    right for any environment with the same signature whose filters and tests include these."""
    found = {("filter", name): getattr(func, "jinja_pass_arg", None) for name, func in env.filters.items()}
    found.update((("test", name), getattr(func, "jinja_pass_arg", None)) for name, func in env.tests.items())
    return found


class Compiled(jinja2.BytecodeCache):
    """Templates' code, {bucket key: marshalled code}, compiled in environments like the first one
    that compiled into it; another environment (`fits`) compiles its templates itself."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}
        self.like: tuple[tuple[Any, ...], dict[tuple[str, str], Any]] | None = None  # signature, _passes
        self.hits = 0  # templates loaded from here rather than compiled (for the tests)

    def fits(self, env: jinja2.Environment) -> bool:
        """`env` compiles templates to the code kept here."""
        if self.like is None:
            return False
        sig, passes = self.like
        if signature(env) != sig:
            return False
        theirs = _passes(env)
        return all(theirs.get(key, _MISSING) == kind for key, kind in passes.items())

    def load_bytecode(self, bucket: Bucket) -> None:
        found = self.code.get(bucket.key)
        if found is not None and self.fits(bucket.environment):
            bucket.bytecode_from_string(found)  # Jinja drops it when the source's checksum differs
            self.hits += bucket.code is not None

    def dump_bytecode(self, bucket: Bucket) -> None:
        if self.like is None:
            self.like = (signature(bucket.environment), _passes(bucket.environment))
        if self.fits(bucket.environment):
            self.code[bucket.key] = bucket.bytecode_to_string()


_MISSING = object()


def compile_ahead(env: jinja2.Environment, names: Iterable[str]) -> Compiled:
    """The code of each template in `names` as `env` compiles it. A template that does not compile
    is left out: the build compiles it again and reports the error where it always did."""
    ahead = Compiled()
    kept, env.bytecode_cache = env.bytecode_cache, ahead
    try:
        for name in names:
            try:
                env.get_template(name)
            except Exception as e:  # noqa: BLE001 - any failure: this template is compiled later, as without this
                log.debug("%s not compiled ahead: %s", name, e)
    finally:
        env.bytecode_cache = kept
    return ahead
