"""Progress of a long run, by stage, with an estimate of the time left.

The engine and the report say when each stage starts (``stage``); whoever runs them (the
command line: a bar on standard error, nothing with ``--quiet``) listens with ``reporting``. With
no listener a stage costs nothing, so the library, the platform and the tests run silently.

The estimate: each stage has a weight, its share of a whole run's time as measured on synthetic
states from 200,000 to 2,000,000 students (docs/performance.md, "Where the time goes"); the time
left is the time so far times the weight still to come over the weight done. It is an estimate:
on a shared machine, or with a small memory limit (spilling), stages stretch unevenly.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

# The stages of a report, in order, with their weights (shares of a whole run).
STAGES: dict[str, float] = {
    "reading the input": 0.20,
    "checking schools, students, calendar and enrollments": 0.06,
    "checking attendance values": 0.12,
    "placing attendance on school days": 0.20,
    "counting days and students": 0.16,
    "counting groups": 0.08,
    "writing the tables": 0.18,
    "writing the page": 0.10,  # with --html only
}


@dataclass(frozen=True)
class Step:
    """Where a run is: the stage starting, its number, and the estimate."""

    stage: str
    number: int  # 1-based, in STAGES' order
    of: int
    done: float  # the share of the run's weight done before this stage (0 to 1)
    elapsed: float  # seconds since the run started
    left: float | None  # seconds left, estimated (None before anything is done)


Listener = Callable[[Step], None]


@dataclass
class _Run:
    listener: Listener
    started: float
    reached: int = -1  # the latest stage announced


_run: ContextVar[_Run | None] = ContextVar("progress", default=None)


@contextmanager
def reporting(listener: Listener) -> Iterator[None]:
    """Send every ``stage`` started inside the block to ``listener``."""
    token = _run.set(_Run(listener, time.monotonic()))
    try:
        yield
    finally:
        _run.reset(token)


def estimate(done: float, elapsed: float) -> float | None:
    """Seconds left when ``done`` of the weight took ``elapsed`` seconds."""
    if done <= 0:
        return None
    return elapsed * (1 - done) / done


def stage(name: str) -> None:
    """Say that the stage ``name`` (one of STAGES) starts. A stage before the latest one (last
    year's run, computed after this year's) is part of the stage under way, and not said."""
    run = _run.get()
    names = list(STAGES)
    number = names.index(name)
    if run is None or number <= run.reached:
        return
    run.reached = number
    done = sum(STAGES[n] for n in names[:number]) / sum(STAGES.values())
    elapsed = time.monotonic() - run.started
    run.listener(Step(name, number + 1, len(names), done, elapsed, estimate(done, elapsed)))
