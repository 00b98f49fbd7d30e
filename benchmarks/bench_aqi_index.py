"""Hourly AQI of six pollutants over 10 million synthetic station-hours.

Run: ``uv run python benchmarks/bench_aqi_index.py [--rows N] [--sample N] [--repeats N]``.

Compares HazeGuard's exact index (``hazeguard.aqi.index_arrays``, real-time report of HJ 633-2026:
six 1 h means, PM on the daily column) with python-aqi's China algorithm (``aqi.algos.mep``) and
aqi-hub's ``cal_aqi_cn`` on a sample of the same values (extrapolated per value), and with a
memory-bandwidth bound: the time to read the six input arrays once (a numpy sum over each).
Not a timed test: the figures depend on the machine and its load; docs/aqi.md records a run.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd

from hazeguard.aqi import HJ633_2012, HJ633_2026, IndexBuffers, index_arrays, index_frame
from timing import HEADER, Timing, load, repeat, verdict

FloatArray = npt.NDArray[np.float64]
TEN_MILLION = 10_000_000
COPY = "copy the 6 inputs into new output arrays"
STEADY = "hazeguard index_arrays, 1 thread, out= reused"
REALTIME = ("pm25_1h", "pm10_1h", "so2_1h", "no2_1h", "co_1h", "o3_1h")


def synthetic_hours(rows: int, seed: int = 20260301, rounded: bool = True) -> dict[str, FloatArray]:
    """Log-normal hourly concentrations, at the reporting resolution if ``rounded``.

    Values stay inside every column so that python-aqi (which raises above its tables) can run.
    [µg/m³; CO mg/m³]
    """
    rng = np.random.default_rng(seed)
    shape = {  # (log-mean, log-sd, top of the 1 h column), roughly a northern Chinese city
        "pm25_1h": (3.6, 0.9, 500),
        "pm10_1h": (4.3, 0.7, 600),
        "so2_1h": (2.3, 0.8, 800),
        "no2_1h": (3.5, 0.5, 3840),
        "co_1h": (-0.1, 0.5, 150),
        "o3_1h": (3.8, 0.7, 1200),
    }
    data = {}
    for name, (mean, sigma, top) in shape.items():
        values = np.minimum(rng.lognormal(mean, sigma, rows), top)
        if rounded:  # CNEMC publishes integers, CO to 0.1 mg/m³
            values = np.round(values, 1 if name == "co_1h" else 0)
        data[name] = values
    return data


def python_aqi_rows(data: dict[str, FloatArray]) -> list[float]:
    import aqi  # the python-aqi package

    keys = {"pm25_1h": aqi.POLLUTANT_PM25, "pm10_1h": aqi.POLLUTANT_PM10}
    size = len(data["pm25_1h"])
    return [
        float(
            aqi.to_aqi(
                [(keys.get(name, name), Decimal(repr(float(data[name][i])))) for name in REALTIME],
                algo=aqi.ALGO_MEP,
            )
        )
        for i in range(size)
    ]


def aqi_hub_rows(data: dict[str, FloatArray]) -> list[float] | None:
    try:
        from aqi_hub.aqi_cn import cal_aqi_cn
    except ImportError:
        return None
    columns = [data[name].tolist() for name in REALTIME]
    return [
        float(cal_aqi_cn(*values, data_type="hourly")[0]) for values in zip(*columns, strict=True)
    ]


def interleaved(rows: int, repeats: int, works: dict[str, Callable[[], object]]) -> list[Row]:
    """Every work timed ``repeats`` times, in rounds that run each work once."""
    walls: dict[str, list[float]] = {label: [] for label in works}
    cpus: dict[str, list[float]] = {label: [] for label in works}
    for _ in range(repeats):
        for label, work in works.items():
            once = repeat(1, work)
            walls[label].append(once.wall)
            cpus[label].append(once.cpu)
    return [
        Row(label, rows, Timing(tuple(walls[label]), tuple(cpus[label]), None)) for label in works
    ]


def timed(label: str, rows: int, repeats: int, work: Callable[[], object]) -> Row:
    return Row(label, rows, repeat(repeats, work))


@dataclass(frozen=True)
class Row:
    label: str
    rows: int  # station-hours measured
    timing: Timing[object]

    @property
    def rate(self) -> float:
        """Station-hours per second of the fastest wall time."""
        return self.rows / self.timing.wall

    @property
    def cpu_rate(self) -> float:
        """Station-hours per CPU-second: what one idle core would do, despite a busy machine."""
        return self.rows / self.timing.cpu


def faults() -> int:
    """Minor page faults of this process so far."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def kernel_seconds() -> float:
    """CPU time this process has spent in the kernel so far (page faults among it) [s]."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_stime


def huge_pages() -> float:
    """Anonymous memory of this process in transparent huge pages [MB] (0 if not Linux)."""
    try:
        text = Path("/proc/self/smaps_rollup").read_text()
    except OSError:
        return 0.0
    for line in text.splitlines():
        if line.startswith("AnonHugePages:"):
            return int(line.split()[1]) / 1024
    return 0.0


def numpy_asks_for_huge_pages() -> bool:
    """Whether numpy madvises huge pages for its large arrays (numpy >= 1.20, Linux)."""
    multiarray = getattr(np, "_core", None) or np.core
    return bool(multiarray.multiarray._get_madvise_hugepage())


def fresh_process(rows: int, what: str) -> None:
    """In a new process: CPU [s] and page faults of the first call and of the calls after it.

    Prints one JSON line. ``what="hazeguard"``: the process start and imports (numpy, pandas),
    the first call of 1,000 rows (builds the lookup tables), the first call of ``rows`` rows
    (new outputs), a second call with new outputs, and two calls writing into buffers
    allocated once (``out=``). ``what="numpy"``: no HazeGuard at all, numpy writing seven new
    arrays of ``rows`` float64 (the size of the index's outputs) twice: what fresh memory costs;
    ``"numpy-4k"`` the same with numpy's huge-page advice off; ``"numpy32"`` the same in
    float32, the floor if the outputs were half the size. Each figure
    also has the kernel's share of the CPU and the huge pages the process holds after it.
    """
    figures: dict[str, float] = {"import": time.process_time()}  # CPU since the process began
    data = synthetic_hours(rows)
    small = {name: values[:1000] for name, values in data.items()}
    buffers = IndexBuffers.allocate(list(data), rows)
    outputs = len(data) + 1  # six sub-indices and the AQI

    def new_arrays(dtype: type = np.float64) -> list[FloatArray]:
        arrays = [np.empty(rows, dtype=dtype) for _ in range(outputs)]
        for array in arrays:
            array.fill(1.0)
        return arrays

    works: list[tuple[str, Callable[[], object]]] = [
        ("tables", lambda: index_arrays(small, mode="realtime", workers=1)),
        ("first", lambda: index_arrays(data, mode="realtime", workers=1)),
        ("second", lambda: index_arrays(data, mode="realtime", workers=1)),
        ("out first", lambda: index_arrays(data, mode="realtime", workers=1, out=buffers)),
        ("out steady", lambda: index_arrays(data, mode="realtime", workers=1, out=buffers)),
    ]
    if what == "numpy":
        works = [("first", new_arrays), ("second", new_arrays)]
    if what == "numpy-4k":  # the same without huge pages: small faults, each cheap
        multiarray = getattr(np, "_core", None) or np.core
        multiarray.multiarray._set_madvise_hugepage(False)
        works = [("first", new_arrays), ("second", new_arrays)]
    if what == "numpy32":
        works = [
            ("first", lambda: new_arrays(np.float32)),
            ("second", lambda: new_arrays(np.float32)),
        ]
    figures["madvise"] = float(numpy_asks_for_huge_pages())
    for label, work in works:
        before, cpu, kernel = faults(), time.process_time(), kernel_seconds()
        kept = work()
        figures[label] = time.process_time() - cpu
        figures[f"{label} faults"] = faults() - before
        figures[f"{label} kernel"] = kernel_seconds() - kernel
        figures[f"{label} huge MB"] = huge_pages()  # while its outputs are alive
        del kept
    print(json.dumps(figures))


def in_new_process(rows: int, what: str) -> dict[str, float]:
    command = [sys.executable, __file__, "--fresh-process", what, "--rows", str(rows)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def least(runs: list[dict[str, float]]) -> dict[str, float]:
    """Each figure's minimum over runs, and its median under ``"<figure> median"``."""
    out = {key: min(run[key] for run in runs) for key in runs[0]}
    for key in runs[0]:
        out[f"{key} median"] = statistics.median(run[key] for run in runs)
    return out


def first_call_rows(rows: int, repeats: int = 1) -> list[str]:
    """The fresh-process figures (minima of ``repeats`` processes each, alternating) as table
    lines, and the first-call verdict."""
    kinds: dict[str, list[dict[str, float]]] = {
        "hazeguard": [],
        "numpy": [],
        "numpy-4k": [],
        "numpy32": [],
    }
    for _ in range(max(1, repeats)):
        for kind, runs in kinds.items():
            runs.append(in_new_process(rows, kind))
    ours, bare, small, half = (least(runs) for runs in kinds.values())
    lines = [
        f"\nin a new process, {rows:,} rows, 1 thread, minima of {max(1, repeats)} processes "
        f"(numpy madvises huge pages: {bool(ours['madvise'])}):",
        f"  {'':42s} {'CPU [s]':>7s}  {'kernel [s]':>10s}  {'minor faults':>12s}  {'THP MB':>7s}",
        f"  process start and imports (numpy, pandas)  {ours['import']:7.3f}",
    ]
    for figures, label, text in (
        (ours, "tables", "first call, 1,000 rows (lookup tables)"),
        (ours, "first", "first call, new outputs"),
        (ours, "second", "second call, new outputs"),
        (ours, "out first", "first call into out= buffers"),
        (ours, "out steady", "steady call into out= buffers"),
        (bare, "first", "numpy alone: write 7 new arrays, 1st time"),
        (bare, "second", "numpy alone: write 7 new arrays, 2nd time"),
        (small, "first", "numpy alone, no huge pages: 1st time"),
        (small, "second", "numpy alone, no huge pages: 2nd time"),
        (half, "first", "numpy alone: 7 new float32 arrays, 1st time"),
    ):
        lines.append(
            f"  {text:42s} {figures[label]:7.3f}  {figures[label + ' kernel']:10.3f}  "
            f"{figures[label + ' faults']:>12,.0f}  {figures[label + ' huge MB']:7.0f}"
        )
    ratio = ours["first"] / ours["out steady"]
    lines.append(verdict("new process: first call / steady call, CPU", ratio, 1.5, "x"))
    lines.append(
        f"  (medians: first call {ours['first median']:.3f} s, steady "
        f"{ours['out steady median']:.3f} s, numpy's first write {bare['first median']:.3f} s)"
    )
    floor = ours["out steady"] + bare["first"]  # the computing, plus first touch of the outputs
    lines.append(
        f"new process: first call / (steady call + numpy alone writing as much new memory the "
        f"first time, the floor) = {ours['first']:.3f} / {floor:.3f} = {ours['first'] / floor:.2f}x"
    )
    lines.append(
        f"numpy alone writing as much new memory the first time costs "
        f"{bare['first'] / ours['out steady']:.1f}x a steady index call: the first call's "
        f"extra cost is the kernel handing out fresh pages"
    )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=TEN_MILLION, help="station-hours")
    parser.add_argument("--fresh-process", help=argparse.SUPPRESS)
    parser.add_argument("--sample", type=int, default=20_000, help="rows for the slow baselines")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument(
        "--first-call-only",
        action="store_true",
        help="only the new-process figures (first call, steady call, the first-touch floor)",
    )
    args = parser.parse_args()
    n, repeats = args.rows, args.repeats
    if args.fresh_process:
        fresh_process(n, args.fresh_process)
        return
    fresh = first_call_rows(n, repeats if args.first_call_only else 1)  # before this process
    if args.first_call_only:  # has touched its memory
        print(f"{load()}\n" + "\n".join(fresh))
        return

    data = synthetic_hours(n)
    unrounded = synthetic_hours(n, rounded=False)
    sample = {name: values[: args.sample] for name, values in data.items()}
    # The first call of the process: new output arrays, each page faulted in as it is written.
    first = repeat(1, lambda: index_arrays(data, mode="realtime", workers=1))
    buffers = IndexBuffers.allocate(list(data), n)
    # Rounds of one run each, so that a change in the machine's load hits every variant alike.
    rows = interleaved(n, repeats, {
        COPY: lambda: [v.copy() for v in data.values()],
        "read the 6 input arrays once (np.sum)": lambda: [v.sum() for v in data.values()],
        "hazeguard index_arrays, 2 threads": lambda: index_arrays(data, mode="realtime", workers=2),
        "hazeguard index_arrays, 1 thread": lambda: index_arrays(data, mode="realtime", workers=1),
        STEADY: lambda: index_arrays(data, mode="realtime", workers=1, out=buffers),
        "  2 threads, arbitrary floats (no 0.1 grid)":
            lambda: index_arrays(unrounded, mode="realtime", workers=2),
    })  # fmt: skip
    rows.insert(0, Row("hazeguard index_arrays, 1 thread, FIRST call", n, first))
    frame = pd.DataFrame({name: values[: min(n, 1_000_000)] for name, values in data.items()})
    rows.append(
        timed(f"hazeguard index_frame, {len(frame):,} rows", len(frame),
              max(1, repeats // 2), lambda: index_frame(frame, mode="realtime"))
    )  # fmt: skip

    ours_2026 = index_arrays(sample, standard=HJ633_2026, mode="realtime").aqi
    ours_2012 = index_arrays(sample, standard=HJ633_2012, mode="realtime").aqi
    agreement: dict[str, str] = {}
    theirs: list[float] = []
    rows.append(
        timed("python-aqi 0.6.1 aqi.algos.mep, sample", args.sample, 1,
              lambda: theirs.extend(python_aqi_rows(sample)))
    )  # fmt: skip
    agreement[rows[-1].label] = f"{np.mean(np.array(theirs) == ours_2012):.1%} (2012)"
    hub: list[float] = []
    if aqi_hub_rows({name: values[:1] for name, values in sample.items()}) is None:
        print("note: aqi-hub is not installed (uv add --dev aqi-hub); its row is skipped")
    else:
        rows.append(
            timed("aqi-hub 0.3.3 cal_aqi_cn hourly, sample", args.sample, 1,
                  lambda: hub.extend(aqi_hub_rows(sample) or []))
        )  # fmt: skip
        agreement[rows[-1].label] = f"{np.mean(np.array(hub) == ours_2026):.2%} (2026)"

    ours = max(row.rate for row in rows if row.label.startswith("hazeguard index_arrays"))
    print(
        f"{n:,} synthetic station-hours, six pollutants (HJ 633-2026 real-time), "
        f"best of {repeats}; {load()}"
    )
    print(f"{'method':47s} {'station-h/s':>12s} {'per CPU-s':>12s} {'10M rows':>9s} "
          f"{'ratio':>8s}  AQI agrees")  # fmt: skip
    for row in rows:
        seconds = TEN_MILLION / row.rate
        print(f"{row.label:47s} {row.rate:>12,.0f} {row.cpu_rate:>12,.0f} {seconds:>8.2f}s "
              f"{row.rate / ours:>7.3g}x  {agreement.get(row.label, '')}")  # fmt: skip
    print("ratio = station-hours per second relative to the fastest hazeguard index_arrays row;")
    print("'per CPU-s' divides by the process CPU time, steadier than wall time on a busy machine.")
    print(f"\n{'':47s}{HEADER}  [s]")
    for row in rows:
        print(f"{row.label:47s}{row.timing.cells()}")
    by_label = {row.label: row.timing for row in rows}
    copy, steady = by_label[COPY], by_label[STEADY]
    # Both targets are ratios to a bound measured at the size asked for, so they scale with it.
    print(verdict("steady index (out=) / copy into new arrays, CPU",
                  steady.cpu / copy.cpu, 2.0, "x"))  # fmt: skip
    print(verdict("steady index (out=) / copy into new arrays, median CPU",
                  steady.cpu_median / copy.cpu_median, 2.0, "x"))  # fmt: skip
    print(verdict("first call / steady call, CPU", first.cpu / steady.cpu, 1.5, "x"))
    print(verdict("first call / steady call, wall", first.wall / steady.wall, 1.5, "x"))
    print("\n".join(fresh))


if __name__ == "__main__":
    main()
