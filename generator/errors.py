"""The handbook's one error family. Every error it reports itself derives from `HandbookError`,
whose `exit_code` is what the command line exits with: 1 for `ContentError` (the sources have
problems, each as `file:line: what is wrong. How to fix.`), 2 for `BuildError` (the build or the
command failed: a template, MkDocs, publishing, a bad argument, a missing file). Anything else is a
bug in the generator: the command line exits 2 with a one-line message (`--debug` shows the
traceback)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one file, reported as `path:line: key: message`."""

    path: str
    line: int
    key: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


class HandbookError(Exception):
    """An error the handbook reports in its own words: `report()` is printed as it is, and the
    command line exits with `exit_code`."""

    exit_code = 2

    def report(self) -> str:
        return str(self)


class BuildError(HandbookError):
    """The build or the command failed, not the sources: a template or MkDocs error, a failed
    publish, a bad argument or setting, a file that is missing or already exists."""

    exit_code = 2


class TemplateError(BuildError):
    """A Jinja template in site_templates/ failed while the pages were rendered."""

    def __init__(self, error: Exception) -> None:
        name = getattr(error, "filename", None) or getattr(error, "name", None)
        where = f"site_templates/{PurePath(name).name}:{getattr(error, 'lineno', 0)}: " if name else "site_templates: "
        message = getattr(error, "message", None) or str(error)
        super().__init__(f"{where}template error: {message}. Fix the template; nothing was published.")


class ContentError(HandbookError):
    """Raised when the sources have problems; carries every problem found."""

    exit_code = 1

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__(self.summary())

    def summary(self) -> str:
        files = len({p.path for p in self.problems})
        noun = "error" if len(self.problems) == 1 else "errors"
        return f"{len(self.problems)} {noun} in {files} file{'s' if files != 1 else ''}; nothing was written."

    def report(self) -> str:
        return "\n".join([*map(str, self.problems), self.summary()])


@dataclass
class Collector:
    """Collects problems across stages; `raise_if_any` fails once with all of them."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, path: str, line: int, key: str, message: str) -> None:
        self.problems.append(Problem(path, line, key, message))

    def raise_if_any(self) -> None:
        if self.problems:
            raise ContentError(self.problems)


def key_path(loc: tuple[object, ...]) -> str:
    """('drivers', 1, 'factor') -> 'drivers[1].factor'."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
