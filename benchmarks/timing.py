"""What every benchmark shares: repeated timing (min and median), the load, and the verdict.

On a shared machine the wall time includes waiting for a core; the process CPU time does not,
so both are reported, with the load average at the time of the run.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Timing(Generic[T]):
    """Wall and CPU times of repeated runs [s], and the result of the last run."""

    walls: tuple[float, ...]
    cpus: tuple[float, ...]
    result: T

    @property
    def wall(self) -> float:
        """Fastest wall time [s]."""
        return min(self.walls)

    @property
    def cpu(self) -> float:
        """Smallest CPU time [s]."""
        return min(self.cpus)

    @property
    def wall_median(self) -> float:
        """Median wall time [s]."""
        return statistics.median(self.walls)

    @property
    def cpu_median(self) -> float:
        """Median CPU time [s]."""
        return statistics.median(self.cpus)

    def cells(self) -> str:
        """``min / median`` of wall and CPU, for a table row."""
        return f"{self.wall:9.3f} {self.wall_median:9.3f} {self.cpu:9.3f} {self.cpu_median:9.3f}"


HEADER = f"{'wall min':>9s} {'median':>9s} {'CPU min':>9s} {'median':>9s}"


def repeat(repeats: int, work: Callable[[], T]) -> Timing[T]:
    """Run ``work`` ``repeats`` times (at least once) and time each run."""
    walls, cpus = [], []
    result: T
    for _ in range(max(1, repeats)):
        wall, cpu = time.perf_counter(), time.process_time()
        result = work()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return Timing(tuple(walls), tuple(cpus), result)


def load() -> str:
    """The 1, 5 and 15 min load averages and the core count, to print with every figure."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def verdict(
    what: str, measured: float, target: float, unit: str = "s", *, at_least: bool = False
) -> str:
    """One line: the measured value against its target (at most, or ``at_least``)."""
    met = measured >= target if at_least else measured <= target
    bound = "at least" if at_least else "at most"
    state = "met" if met else "NOT met"
    return f"{what}: {measured:.3g} {unit}, target {bound} {target:.3g} {unit}: {state}"
