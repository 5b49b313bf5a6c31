"""How a stage runs a list of independent jobs (files to read, charts to draw, pages to render).

A stage takes an optional `Mapper` and runs its jobs with it, or `in_turn` without one; the speed
package (`generator.speed.Speed.map`) passes one that splits the jobs with a second process. A
mapper returns the results in the jobs' order, so the stage's output does not depend on it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R")
R_co = TypeVar("R_co", covariant=True)


class Mapper(Protocol):
    def __call__(self, func: Callable[[T], R], jobs: list[T], /) -> list[R]: ...


def in_turn(func: Callable[[T], R], jobs: list[T], /) -> list[R]:
    """[func(job) for job in jobs], in this process."""
    return [func(job) for job in jobs]


class Pending(Protocol[R_co]):
    """A job's result, asked for when it is needed (generator.speed.parallel.Background runs it
    beside the build; `Done` has it already)."""

    def result(self) -> R_co: ...


class Done(Generic[R]):
    """A result already at hand, asked for like one still being computed."""

    def __init__(self, value: R) -> None:
        self.value = value

    def result(self) -> R:
        return self.value
