"""The soak of the platform load benchmark (issue 16 §4): the signed-in users run their scripts
again and again, paced by the think time, for a fixed time; after each pass the resident memory
of the server (gunicorn's arbiter and workers) and the pass's latency percentiles are recorded.

A leak shows as memory that keeps growing after the first passes; a slowdown as a p95 that
grows from the first third of the passes to the last. ``soak`` returns the verdict with the
figures; ``load_platform.py --soak MINUTES`` prints the table (docs/load.md).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from load_http import User, percentiles, run_users

# What a flat run may drift between its first and its last passes (allocator noise, caches
# still filling): more is reported as growth.
MEMORY_GROWTH_LIMIT = 0.10  # fraction of the first pass's memory
P95_GROWTH_LIMIT = 0.50  # fraction of the first third's p95


@dataclass(frozen=True)
class Pass:
    ended: float  # seconds since the soak began [s]
    requests: int
    errors: int
    p95: float  # [ms]
    memory: float  # resident memory of the server and its workers [MiB]
    # The failed requests by page and answer (user names left out), most frequent first.
    failures: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class Soak:
    passes: list[Pass]
    memory_growth: float  # last pass / first pass - 1
    p95_growth: float  # median p95 of the last third / of the first third - 1

    @property
    def flat(self) -> bool:
        return self.memory_growth <= MEMORY_GROWTH_LIMIT and self.p95_growth <= P95_GROWTH_LIMIT


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found += [int(child) for child in task.read_text().split()]
    return found


def server_memory(pid: int) -> float:
    """Resident memory of process ``pid`` and all its descendants [MiB] (Linux ``/proc``)."""
    total_kib, pending = 0, [pid]
    while pending:
        current = pending.pop()
        status = Path(f"/proc/{current}/status").read_text()
        total_kib += next(
            int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")
        )
        pending += _children(current)
    return total_kib / 1024


def _failure_kind(error: str) -> str:
    """``office-3 /staff/j/x/: HTTP 302`` → ``/staff/j/x/: HTTP 302``."""
    return error.partition(" ")[2] or error


def _middle(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def soak(port: int, server_pid: int, users: list[User], minutes: float, think: float) -> Soak:
    """Passes of every user's script, at once, with ``think`` [s] mean think time, until
    ``minutes`` have gone by; at least three passes."""
    passes: list[Pass] = []
    began = time.monotonic()
    while len(passes) < 3 or time.monotonic() - began < minutes * 60:
        outcome = run_users(port, users, budget=600.0, think=think)
        latencies = outcome.all()
        passes.append(
            Pass(
                ended=time.monotonic() - began,
                requests=len(latencies),
                errors=len(outcome.errors),
                p95=percentiles(latencies)["p95"],
                memory=server_memory(server_pid),
                failures=tuple(Counter(map(_failure_kind, outcome.errors)).most_common()),
            )
        )
    third = max(1, len(passes) // 3)
    first = _middle([p.p95 for p in passes[:third]])
    last = _middle([p.p95 for p in passes[-third:]])
    return Soak(
        passes=passes,
        memory_growth=passes[-1].memory / passes[0].memory - 1,
        p95_growth=last / first - 1,
    )


def print_soak(result: Soak, users: int, minutes: float) -> None:
    print(f"\nSOAK: {users} users, {minutes:g} min, {len(result.passes)} passes")
    print(f"  {'ended [s]':>9} {'requests':>8} {'errors':>6} {'p95 [ms]':>9} {'memory [MiB]':>12}")
    for p in result.passes:
        print(f"  {p.ended:>9.0f} {p.requests:>8} {p.errors:>6} {p.p95:>9.0f} {p.memory:>12.1f}")
        for failure, count in p.failures[:5]:
            print(f"      {count:>5} x {failure}")
    verdict = "flat" if result.flat else "GROWING"
    print(
        f"memory {result.memory_growth:+.1%} (limit {MEMORY_GROWTH_LIMIT:+.0%}), p95 "
        f"{result.p95_growth:+.1%} (limit {P95_GROWTH_LIMIT:+.0%}): {verdict}"
    )
