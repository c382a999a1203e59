"""Samples, percentiles and the rows of the benchmark's table.

A figure is only worth its neighbour in the same run: every row names its
baseline, measured minutes apart on the same machine, and the ratio between
the two is what a reader should compare across machines.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Timing:
    """Milliseconds per call: P50, P95 and the slowest of `n` samples."""

    n: int
    p50: float
    p95: float
    max: float

    @classmethod
    def of(cls, samples_ms: list[float]) -> Timing:
        ordered = sorted(samples_ms)
        return cls(len(ordered), _percentile(ordered, 50), _percentile(ordered, 95), ordered[-1])


def _percentile(ordered: list[float], pct: int) -> float:
    """Nearest-rank percentile: the value below which `pct` % of the samples lie."""
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def sample(call: Callable[[], Any], *, n: int = 100, warmup: int = 5, budget_seconds: float = 20.0,
           at_least: int = 10, before: Callable[[], Any] | None = None) -> Timing:
    """Time `call` up to `n` times after `warmup` untimed calls. Slow calls stop once
    `budget_seconds` are spent (never below `at_least` samples), so a baseline that
    takes a second per call does not take the run hostage; `n` says how many were taken.
    `before` runs untimed ahead of every call (to pick the next customer, say)."""
    for _ in range(warmup):
        if before:
            before()
        call()
    samples: list[float] = []
    deadline = time.perf_counter() + budget_seconds
    while len(samples) < n and (len(samples) < at_least or time.perf_counter() < deadline):
        if before:
            before()
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return Timing.of(samples)


def stopwatch(call: Callable[[], Any]) -> tuple[float, Any]:
    """Seconds one call took, and what it returned."""
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


@dataclass(frozen=True)
class Row:
    """One line of the table: ours, or a baseline (`is_baseline`), or a reference figure.

    `ratio` compares this row with the row named `versus` in the same section:
    how many times faster (or, for rates, higher) this row is. Below 1 means slower.
    """

    section: str
    name: str
    who: str = ""
    timing: Timing | None = None
    seconds: float | None = None       # one-off durations (rebuild, load)
    rate: float | None = None          # per second (drain)
    unit: str = "ms"
    is_baseline: bool = False
    versus: str | None = None
    ratio: float | None = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.section}:{self.name}:{self.who}"

    @property
    def headline(self) -> float | None:
        """The number a target is judged by: P95, seconds or rate."""
        if self.timing is not None:
            return self.timing.p95
        return self.seconds if self.seconds is not None else self.rate

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["timing"] = asdict(self.timing) if self.timing else None
        return data


def speedup(ours: Row, baseline: Row) -> float | None:
    """How many times better `ours` is than `baseline` (times: shorter is better; rates: higher)."""
    a, b = ours.headline, baseline.headline
    if a is None or b is None or a <= 0 or b <= 0:
        return None
    return a / b if ours.rate is not None else b / a


def compared(ours: Row, baseline: Row, *more: Row) -> Row:
    """`ours`, carrying its ratio to `baseline` (and, in `extra["ratios"]`, to `more` baselines)."""
    from dataclasses import replace

    ratios = {_label(ours, b): speedup(ours, b) for b in more}
    extra = {**ours.extra, "ratios": ratios} if ratios else ours.extra
    return replace(ours, versus=_label(ours, baseline), ratio=speedup(ours, baseline), extra=extra)


def _label(ours: Row, baseline: Row) -> str:
    return baseline.name if baseline.who == ours.who else f"{baseline.name} ({baseline.who})"
