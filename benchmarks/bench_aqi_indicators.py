"""Benchmark: daily and rolling-24-h AQI reports of N stations × D days, streamed in chunks.

    uv run python benchmarks/bench_aqi_indicators.py --stations 2000 --days 365
    uv run python benchmarks/bench_aqi_indicators.py --stations 20000 --repeats 1 --synthetic
    uv run python benchmarks/bench_aqi_indicators.py --stations 400 --workers 1 2
    uv run python benchmarks/bench_aqi_indicators.py --layout month --dataset /tmp/by-month

Synthetic hourly data of six pollutants (log-normal, 3 % of hours missing) are written once as
a Parquet dataset (``--dataset``, kept for later runs) in one of two layouts (``--layout``):
``station-month`` (one file per station and month) or ``month`` / ``day`` (one file per
period with every station, sorted, a row group per ``--row-group-stations``; see
``hazeguard.aqi.sorted_dataset``). Each run is a separate process, so its peak memory
(maximum resident set) is its own. Measured in the same run, repeated (min and median):

* the chunked report (read, grid, indicators, index, write), by ``--chunk-stations`` or the
  default chunk (``--memory``);
* the in-memory path on the same data (one grid of every station), where it fits;
* the floor: reading every file's bytes (``bytes``), nothing decoded;
* the bound: reading the dataset's six columns once, chunk by chunk, with the pipeline's own
  reader (``parquet_chunks``) into NumPy arrays, nothing computed;
* with ``--workers 1 2``: the same chunks on a Dask ``LocalCluster`` of that many processes.

Targets scale with the size asked for: wall time under 5 s per 2,000 station-years
(17.5 M station-hours), peak memory under 60 bytes per station-hour. "CPU less bound" is the
streamed run's CPU minus the bound's: what computing and writing add to reading.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from hazeguard.aqi.indicators import POLLUTANTS
from hazeguard.io.measurements import Measurements
from timing import load, verdict

MEDIANS = {"pm25": 45.0, "pm10": 80.0, "so2": 10.0, "no2": 40.0, "co": 0.8, "o3": 60.0}
SECONDS_PER_STATION_HOUR = 5.0 / (2000 * 365 * 24)  # target: 5 s for 2,000 station-years
BYTES_PER_STATION_HOUR = 60.0  # target: peak memory [bytes per station-hour]


def synthetic_rows(
    names: list[str], days: int, seed: int
) -> tuple[pd.DatetimeIndex, dict[str, np.ndarray]]:
    """Hourly rows of these stations, station-major: times and concentrations."""
    rng = np.random.default_rng(seed)
    hours = days * 24
    times = pd.date_range("2025-01-01 01:00", periods=hours, freq="h")
    rows = len(names) * hours
    values = {}
    for pollutant in POLLUTANTS:
        column = MEDIANS[pollutant] * rng.lognormal(0.0, 0.6, rows)
        column = np.round(column, 1 if pollutant == "co" else 0)
        column[rng.random(rows) < 0.03] = np.nan
        values[pollutant] = column
    return pd.DatetimeIndex(np.tile(times.to_numpy(), len(names))), values


def write_dataset(
    root: Path, stations: int, days: int, layout: str = "station-month", block: int = 100
) -> None:
    """The synthetic hourly data in ``layout``, written a block of stations at a time."""
    from hazeguard.aqi.sorted_dataset import SortedDatasetWriter
    from hazeguard.aqi.stream import write_station_dataset

    with SortedDatasetWriter(root, "day" if layout == "day" else "month") as writer:
        for first in range(0, stations, block):
            names = [f"S{n:05d}" for n in range(first, min(first + block, stations))]
            times, values = synthetic_rows(names, days, 1 + first)
            if layout == "station-month":
                write_station_dataset(times, names, values, root)
            else:
                writer.write(times, names, values)


@dataclass(frozen=True)
class SyntheticReader:
    """Makes a chunk's hourly rows instead of reading them (``--synthetic``: no dataset)."""

    days: int

    def __call__(self, chunk: tuple[str, ...]) -> Measurements:
        times, values = synthetic_rows(list(chunk), self.days, int(chunk[0][1:]))
        stations = pd.Categorical(np.repeat(np.array(chunk), self.days * 24))
        return Measurements(pd.Series(times), pd.Series(stations), values)


def child(args: argparse.Namespace) -> None:
    """One measured run in this process; prints wall, CPU [s] and peak RSS [bytes] as JSON."""
    start, cpu = time.perf_counter(), time.process_time()
    if args.child == "bytes":  # the floor: every file's bytes, nothing decoded
        total = 0
        for path in sorted(Path(args.dataset).rglob("*.parquet")):
            with path.open("rb") as file:
                total += len(file.read())
        assert total > 0
    elif args.child == "bound":  # the pipeline's own reader over every chunk, nothing computed
        from hazeguard.aqi.stream import parquet_chunks

        source = parquet_chunks(args.dataset, stations=args.chunk_stations)
        total = sum(
            float(np.nansum(values))
            for chunk in source.chunks
            for values in source.read(chunk).concentrations.values()
        )
        assert total > 0
    elif args.child == "in-memory":
        import pyarrow.dataset as ds

        from hazeguard.aqi.from_hourly import report_frame
        from hazeguard.aqi.indicators import hourly_grid
        from hazeguard.aqi.sorted_dataset import is_sorted_dataset

        # The station is a directory of the station x month layout, a column of the sorted one.
        partitioning = (
            "hive"
            if is_sorted_dataset(args.dataset)
            else ds.HivePartitioning.discover(infer_dictionary=True)
        )
        frame = (
            ds.dataset(args.dataset, format="parquet", partitioning=partitioning)
            .to_table(columns=["time", *POLLUTANTS, "station"])
            .to_pandas()
        )
        values = {p: frame[p].to_numpy() for p in POLLUTANTS}
        grid = hourly_grid(frame["time"], values, frame["station"])
        del frame, values
        report_frame(grid, args.report).to_parquet(Path(args.out) / "all.parquet")
    else:
        from hazeguard.aqi.stream import (
            ChunkSource,
            ReportOptions,
            parquet_chunks,
            stations_per_chunk,
            stream_report,
        )

        if args.synthetic:
            names = [f"S{n:05d}" for n in range(args.stations)]
            size = args.chunk_stations or stations_per_chunk(args.days * 24)
            chunks = [tuple(names[i : i + size]) for i in range(0, len(names), size)]
            source = ChunkSource(chunks, SyntheticReader(args.days))
        else:
            source = parquet_chunks(args.dataset, stations=args.chunk_stations)
        options = ReportOptions(args.report)
        if args.child == "stream":
            stream_report(source, options, args.out)
        else:  # "cluster N": a LocalCluster of N single-threaded worker processes
            from distributed import LocalCluster

            from hazeguard.aqi.distributed import distributed_report

            workers = int(args.child.split()[1])
            with LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=None) as c:
                start, cpu = time.perf_counter(), time.process_time()  # the cluster is up
                distributed_report(source, options, args.out, c.scheduler_address)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(json.dumps({"wall": wall, "cpu": cpu, "peak": peak}))


def measured(args: argparse.Namespace, what: str, report: str, out: Path) -> dict[str, float]:
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    environment = dict(os.environ)
    if what == "baseline":  # the streamed run of another tree's hazeguard (e.g. main's)
        environment["PYTHONPATH"] = str(args.baseline_src)
        what = "stream"
    dataset = args.dataset
    if what == "other layout":  # the streamed run on --baseline-dataset
        dataset, what = args.baseline_dataset, "stream"
    command = [sys.executable, __file__, "--child", what, "--report", report]
    command += ["--dataset", str(dataset), "--out", str(out)]
    command += ["--stations", str(args.stations), "--days", str(args.days)]
    if args.synthetic:
        command.append("--synthetic")
    if args.chunk_stations:
        command += ["--chunk-stations", str(args.chunk_stations)]
    done = subprocess.run(command, capture_output=True, text=True, check=True, env=environment)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stations", type=int, default=2000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--repeats", type=int, default=3, help="runs of each variant")
    parser.add_argument("--chunk-stations", type=int, help="default: by the memory budget")
    parser.add_argument("--reports", nargs="+", default=["daily", "rolling"])
    parser.add_argument("--dataset", type=Path, help="dataset directory (written if absent)")
    parser.add_argument(
        "--layout",
        choices=["station-month", "month", "day"],
        default="station-month",
        help="layout of the dataset written when --dataset is absent",
    )
    parser.add_argument(
        "--row-group-stations", type=int, default=100, help="stations per row group (month, day)"
    )
    parser.add_argument("--no-in-memory", action="store_true", help="skip the in-memory path")
    parser.add_argument(
        "--synthetic",
        action="store_true",
        help="make each chunk's rows in the run instead of reading a dataset (no disk; no "
        "bound or in-memory rows)",
    )
    parser.add_argument("--workers", type=int, nargs="*", default=[], help="Dask worker counts")
    parser.add_argument(
        "--baseline-src",
        type=Path,
        help="the src directory of another tree (e.g. `git archive main src | tar -x -C DIR`, "
        "then DIR/src): its streamed run is measured as the 'baseline' row, before ours",
    )
    parser.add_argument(
        "--baseline-dataset",
        type=Path,
        help="another dataset of the same data (e.g. the station-month layout): its streamed run "
        "is measured as the 'other layout' row, the baseline of the ratio",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--report", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return

    scratch = Path(tempfile.mkdtemp(prefix="bench-aqi-"))
    if args.dataset is None:
        args.dataset = scratch / "hourly"
    if not args.dataset.exists() and not args.synthetic:
        start = time.perf_counter()
        write_dataset(args.dataset, args.stations, args.days, args.layout, args.row_group_stations)
        print(f"dataset written in {time.perf_counter() - start:.0f} s: {args.dataset}")
    station_hours = args.stations * args.days * 24
    print(
        f"{args.stations:,} stations × {args.days} days = {station_hours:,} station-hours, "
        f"six pollutants, {args.repeats} runs each; {load()}"
    )
    variants = ["stream"] if args.synthetic else ["bytes", "bound", "stream"]
    variants += [] if args.no_in_memory or args.synthetic else ["in-memory"]
    variants += [f"cluster {n}" for n in args.workers]
    if args.baseline_src:
        variants.insert(variants.index("stream"), "baseline")
    if args.baseline_dataset:
        variants.insert(variants.index("stream"), "other layout")
    print(f"{'report':8s}{'run':12s}{'wall min':>9s}{'median':>9s}{'CPU min':>9s}"
          f"{'median':>9s}{'less bound':>11s}{'peak MB':>9s}{'B/st-h':>8s}  load")  # fmt: skip
    verdicts = []
    for report in args.reports:
        fastest: dict[str, float] = {}  # minimum CPU of each variant [s]
        for what in variants:
            runs = [
                measured(args, what, report, scratch / "out") for _ in range(max(1, args.repeats))
            ]
            walls = sorted(r["wall"] for r in runs)
            cpus = sorted(r["cpu"] for r in runs)
            peak = max(r["peak"] for r in runs)
            fastest[what] = cpus[0]
            print(
                f"{report:8s}{what:12s}{walls[0]:9.2f}{walls[len(walls) // 2]:9.2f}"
                f"{cpus[0]:9.2f}{cpus[len(cpus) // 2]:9.2f}"
                f"{cpus[0] - fastest.get('bound', float('nan')):11.2f}"
                f"{peak / 1e6:9.0f}"
                f"{peak / station_hours:8.1f}  {os.getloadavg()[0]:.1f}"
            )
            if what == "stream":
                target = SECONDS_PER_STATION_HOUR * station_hours
                verdicts += [
                    verdict(f"{report}: streamed wall", walls[0], target),
                    verdict(f"{report}: streamed CPU", cpus[0], target),
                    verdict(f"{report}: streamed CPU less bound", cpus[0] - fastest.get(
                        "bound", 0.0), target),
                    verdict(f"{report}: peak per station-hour", peak / station_hours,
                            BYTES_PER_STATION_HOUR, "B"),
                ]  # fmt: skip
        for baseline in ("baseline", "other layout"):
            if baseline in fastest:
                ratio = fastest["stream"] / fastest[baseline]
                verdicts.append(f"{report}: streamed CPU / {baseline}'s: {ratio:.2f}x")
    print("\n".join(verdicts))
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
