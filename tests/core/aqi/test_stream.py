"""The chunked report: the same values as the in-memory path, whatever the chunks."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from hazeguard.aqi.from_hourly import report_frame
from hazeguard.aqi.indicators import hourly_grid
from hazeguard.aqi.report import ReusedBuffers
from hazeguard.aqi.sorted_dataset import SortedDatasetWriter
from hazeguard.aqi.stream import (
    BYTES_PER_STATION_HOUR,
    ReportOptions,
    csv_chunks,
    parquet_chunks,
    stations_per_chunk,
    stream_report,
    write_station_dataset,
)

STATIONS = ("1001A", "1002A", "1003A", "1004A", "1005A", "1006A", "1007A")
HOURS = 24 * 75  # mid-January to April: windows cross month partitions


def hourly_rows(seed: int = 4) -> tuple[pd.DatetimeIndex, dict[str, np.ndarray]]:
    rng = np.random.default_rng(seed)
    times = pd.date_range("2025-01-17 01:00", periods=HOURS, freq="h")
    rows = len(STATIONS) * HOURS
    values = {}
    for pollutant, median in (("pm25", 60), ("pm10", 90), ("so2", 9), ("no2", 35), ("o3", 70)):
        column = np.round(median * rng.lognormal(0, 0.7, rows))
        column[rng.random(rows) < 0.05] = np.nan
        values[pollutant] = column
    values["co"] = np.round(rng.lognormal(0, 0.5, rows), 1)
    return pd.DatetimeIndex(np.tile(times, len(STATIONS))), values


def in_memory(report: str) -> pd.DataFrame:
    times, values = hourly_rows()
    stations = np.repeat(np.array(STATIONS, dtype=object), HOURS)
    return report_frame(hourly_grid(times, values, stations), report)  # type: ignore[arg-type]


def read_parts(directory: Path) -> pd.DataFrame:
    parts = sorted(directory.glob("part-*.parquet"))
    return pd.concat([pd.read_parquet(p) for p in parts], ignore_index=True)


def assert_same(streamed: pd.DataFrame, expected: pd.DataFrame) -> None:
    streamed = streamed.sort_values(list(expected.columns[:2])).reset_index(drop=True)
    expected = expected.sort_values(list(expected.columns[:2])).reset_index(drop=True)
    assert list(streamed.columns) == list(expected.columns)
    for column in expected.columns:  # value by value, NaN where NaN
        left, right = streamed[column].to_numpy(), expected[column].to_numpy()
        if left.dtype.kind == "f":
            np.testing.assert_array_equal(left, right, err_msg=column)
        else:
            assert [str(v) for v in left] == [str(v) for v in right], column


@pytest.mark.parametrize("report", ["daily", "rolling"])
def test_a_partitioned_dataset_in_chunks_gives_the_in_memory_values(
    tmp_path: Path, report: str
) -> None:
    times, values = hourly_rows()
    write_station_dataset(times, STATIONS, values, tmp_path / "hourly")
    assert len(list((tmp_path / "hourly" / "station=1001A").iterdir())) == 4  # Jan … Apr
    source = parquet_chunks(tmp_path / "hourly", stations=3)
    assert [len(chunk) for chunk in source.chunks] == [3, 3, 1]
    rows = stream_report(source, ReportOptions(report), tmp_path / "out")  # type: ignore[arg-type]
    expected = in_memory(report)
    assert rows == len(expected)
    assert_same(read_parts(tmp_path / "out"), expected)


@pytest.mark.parametrize(("report", "period"), [("daily", "month"), ("rolling", "day")])
def test_a_dataset_by_period_with_sorted_stations_in_chunks_gives_the_in_memory_values(
    tmp_path: Path, report: str, period: str
) -> None:
    times, values = hourly_rows()
    with SortedDatasetWriter(tmp_path / "hourly", period) as writer:  # type: ignore[arg-type]
        for first in range(0, len(STATIONS), 2):  # row groups of 2 stations, chunks of 3
            rows = slice(first * HOURS, min(first + 2, len(STATIONS)) * HOURS)
            block = {p: v[rows] for p, v in values.items()}
            writer.write(times[rows], list(STATIONS[first : first + 2]), block)
    files = sorted((tmp_path / "hourly").rglob("*.parquet"))
    assert len(files) == (4 if period == "month" else 75)
    assert pq.ParquetFile(files[1]).num_row_groups == 4
    source = parquet_chunks(tmp_path / "hourly", stations=3)
    assert source.chunks == [STATIONS[:3], STATIONS[3:6], STATIONS[6:]]
    rows = stream_report(source, ReportOptions(report), tmp_path / "out")  # type: ignore[arg-type]
    expected = in_memory(report)
    assert rows == len(expected)
    assert_same(read_parts(tmp_path / "out"), expected)


def test_sorted_blocks_out_of_order_are_refused(tmp_path: Path) -> None:
    times, values = hourly_rows()
    rows = slice(0, HOURS)
    with SortedDatasetWriter(tmp_path / "hourly") as writer:
        writer.write(times[rows], ["1002A"], {"pm25": values["pm25"][rows]})
        with pytest.raises(ValueError, match=r"ascending station order.*1002A"):
            writer.write(times[rows], ["1001A"], {"pm25": values["pm25"][rows]})


def test_a_sorted_file_with_rows_without_a_station_is_refused_naming_it(tmp_path: Path) -> None:
    times, values = hourly_rows()
    (tmp_path / "hourly" / "month=2025-01").mkdir(parents=True)
    path = tmp_path / "hourly" / "month=2025-01" / "part-0.parquet"
    stations = pa.array(["1001A"] * 10 + [None] * 10)
    pq.write_table(
        pa.table({"station": stations, "time": times[:20], "pm25": values["pm25"][:20]}), path
    )
    with pytest.raises(ValueError, match=r"part-0\.parquet: 10 rows without a station"):
        parquet_chunks(tmp_path / "hourly")


def test_csv_files_of_one_station_each_in_chunks_give_the_in_memory_values(
    tmp_path: Path,
) -> None:
    times, values = hourly_rows()
    paths = []
    for number, station in enumerate(STATIONS):
        rows = slice(number * HOURS, (number + 1) * HOURS)
        frame = pd.DataFrame({"time": times[rows].strftime("%Y-%m-%d %H:%M"), "station": station})
        for pollutant, column in values.items():
            frame[pollutant] = column[rows]
        path = tmp_path / f"{station}.csv"
        frame.to_csv(path, index=False)
        paths.append(str(path))
    stream_report(csv_chunks(paths, stations=2), ReportOptions("daily"), tmp_path / "out")
    assert_same(read_parts(tmp_path / "out"), in_memory("daily"))


def test_a_station_split_across_chunks_is_refused_naming_both(tmp_path: Path) -> None:
    times, values = hourly_rows()
    frame = pd.DataFrame(
        {"time": times[:HOURS], "station": "1001A", "pm25": values["pm25"][:HOURS]}
    )
    frame.iloc[:100].to_csv(tmp_path / "a.csv", index=False)
    frame.iloc[100:].to_csv(tmp_path / "b.csv", index=False)
    paths = [str(tmp_path / "a.csv"), str(tmp_path / "b.csv")]
    with pytest.raises(
        ValueError, match=r"station '1001A' has rows in two chunks .*a\.csv.*b\.csv"
    ):
        stream_report(csv_chunks(paths, stations=1), ReportOptions("daily"), tmp_path / "out")


def test_the_default_chunk_fits_the_memory_given() -> None:
    assert stations_per_chunk(8784, 1_500_000_000) * 8784 * BYTES_PER_STATION_HOUR <= 1_500_000_000
    assert stations_per_chunk(10**9, 1000) == 1


def test_reused_buffers_grow_only_when_needed_and_never_leak_into_a_report() -> None:
    reused = ReusedBuffers()
    first = reused.fit(["pm25_24h", "o3_8h"], 100)
    assert reused.fit(["o3_8h"], 60) is first  # smaller: the same arrays
    grown = reused.fit(["pm25_24h", "co_24h"], 150)
    assert grown is not first
    assert grown.rows == 150
    assert set(grown.iaqi) == {"pm25_24h", "o3_8h", "co_24h"}  # kept what it held
    # Two reports through the same buffers: the first is not changed by the second.
    times, values = hourly_rows()
    stations = np.repeat(np.array(STATIONS, dtype=object), HOURS)
    grid = hourly_grid(times, values, stations)
    other = hourly_grid(*hourly_rows(seed=9), stations)
    reused = ReusedBuffers()
    kept = report_frame(grid, "rolling", buffers=reused)
    report_frame(other, "rolling", buffers=reused)
    assert_same(kept, in_memory("rolling"))
