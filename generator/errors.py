"""Content errors: where a problem is, what is wrong, and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass, field


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


class ContentError(Exception):
    """Raised when the sources have problems; carries every problem found."""

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
