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
import time
from collections.abc import Callable
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from hazeguard.aqi import HJ633_2012, HJ633_2026, index_arrays, index_frame

FloatArray = npt.NDArray[np.float64]
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


def best_of(repeats: int, work: Callable[[], object]) -> tuple[float, float]:
    """Best wall time and the CPU time of that run [s]."""
    best = (float("inf"), float("inf"))
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        work()
        best = min(best, (time.perf_counter() - wall, time.process_time() - cpu))
    return best


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


def _unrounded(rows: int, repeats: int) -> tuple[float, float]:
    unrounded = synthetic_hours(rows, rounded=False)
    return best_of(repeats, lambda: index_arrays(unrounded, mode="realtime"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000, help="station-hours")
    parser.add_argument("--sample", type=int, default=20_000, help="rows for the slow baselines")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    data = synthetic_hours(args.rows)
    sample = {name: values[: args.sample] for name, values in data.items()}
    rows: list[tuple[str, int, float, float]] = []  # label, rows measured, wall, cpu

    wall, cpu = best_of(args.repeats, lambda: [values.sum() for values in data.values()])
    rows.append(("read the 6 input arrays once (np.sum)", args.rows, wall, cpu))
    wall, cpu = best_of(args.repeats, lambda: index_arrays(data, mode="realtime"))
    rows.append(("hazeguard index_arrays (AQI + 6 IAQI + flags)", args.rows, wall, cpu))
    wall, cpu = _unrounded(args.rows, args.repeats)
    rows.append(("  same, arbitrary floats (not on a 0.1 grid)", args.rows, wall, cpu))
    frame_rows = min(args.rows, 1_000_000)
    import pandas as pd

    frame = pd.DataFrame({name: values[:frame_rows] for name, values in data.items()})
    wall, cpu = best_of(max(1, args.repeats // 2), lambda: index_frame(frame, mode="realtime"))
    rows.append(("hazeguard index_frame (full report, strings)", frame_rows, wall, cpu))

    ours_2026 = index_arrays(sample, standard=HJ633_2026, mode="realtime").aqi
    ours_2012 = index_arrays(sample, standard=HJ633_2012, mode="realtime").aqi
    agreement: dict[str, str] = {}
    started = time.perf_counter(), time.process_time()
    theirs = np.array(python_aqi_rows(sample))
    rows.append(
        (
            "python-aqi 0.6 aqi.algos.mep (to_aqi)",
            args.sample,
            time.perf_counter() - started[0],
            time.process_time() - started[1],
        )
    )
    agreement[rows[-1][0]] = f"{np.mean(theirs == ours_2012):.1%} vs 2012"
    started = time.perf_counter(), time.process_time()
    hub = aqi_hub_rows(sample)
    if hub is None:
        print("note: aqi-hub is not installed (uv add --dev aqi-hub); its row is skipped")
    else:
        rows.append(
            (
                "aqi-hub cal_aqi_cn (hourly)",
                args.sample,
                time.perf_counter() - started[0],
                time.process_time() - started[1],
            )
        )
        agreement[rows[-1][0]] = f"{np.mean(np.array(hub) == ours_2026):.2%} vs 2026"

    ours = args.rows / rows[1][2]
    print(f"{args.rows:,} synthetic station-hours, six pollutants; best of {args.repeats}")
    header = f"{'method':48s} {'rows':>10s} {'station-h/s':>13s} {'10M rows [s]':>13s}"
    print(header + f" {'vs hazeguard':>13s} {'CPU/wall':>9s}  AQI agrees")
    for label, measured, wall, cpu in rows:
        rate = measured / wall
        print(
            f"{label:48s} {measured:>10,d} {rate:>13,.0f} {args.rows / rate:>13.3f} "
            f"{rate / ours:>12.3g}x {cpu / wall:>9.2f}  {agreement.get(label, '')}"
        )


if __name__ == "__main__":
    main()
