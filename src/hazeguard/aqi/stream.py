"""The AQI of hourly data too large for memory: chunks of stations in, a partitioned table out.

A chunk holds every hour of some stations, so each chunk's windows (24-h means, 8-h means,
daily maxima) are complete inside it and no window crosses a chunk edge; each chunk runs the
in-memory path (:func:`hazeguard.aqi.indicators.hourly_grid` and
:func:`hazeguard.aqi.from_hourly.report_frame`) unchanged, so the results are those of one
in-memory run. Peak memory is set by the chunk (stations × hours), not by the network.

Inputs:

* a Parquet dataset partitioned by station and month (hive layout,
  ``ROOT/station=S0001/month=2025-01/*.parquet``, columns ``time`` and pollutants), written for
  example by :func:`write_station_dataset`;
* a Parquet dataset partitioned by time with all stations in each file, sorted by station in
  row groups (:mod:`hazeguard.aqi.sorted_dataset`, the archives' layout), read by row-group
  pushdown;
* CSV (or Parquet) files, read a few files at a time: each station's rows must all be in one
  file group, as in one file per station (the Beijing multi-site layout).

The output is a directory of Parquet files, ``part-00000.parquet`` … one per chunk, in station
order; read it back with ``pandas.read_parquet(directory)``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from hazeguard.aqi.from_hourly import Report, Rounding, report_frame
from hazeguard.aqi.indicators import POLLUTANTS, HourlyGrid, hourly_grid
from hazeguard.aqi.report import ReusedBuffers
from hazeguard.aqi.sorted_dataset import (
    SortedReader,
    column_array,
    dataset_stations,
    is_sorted_dataset,
    sorted_files,
)
from hazeguard.io.measurements import HourLabel, Measurements, read_measurements

__all__ = [
    "BYTES_PER_STATION_HOUR",
    "DEFAULT_MEMORY",
    "ChunkSource",
    "ReportOptions",
    "check_disjoint",
    "chunk_report",
    "csv_chunks",
    "grid_report",
    "parquet_chunks",
    "part_path",
    "run_chunk",
    "stations_per_chunk",
    "stream_report",
    "write_chunk",
    "write_station_dataset",
]

#: Peak memory of one chunk per station-hour through the whole report (reading, grid,
#: indicators, index, frame): the rolling report, the heavier, measured on a chunk of 200
#: stations × 1 year (400 B, docs/scale.md), plus the next chunk's input, read meanwhile
#: (time and six pollutants, 56 B). [bytes]
BYTES_PER_STATION_HOUR: Final = 456
#: Default memory for one chunk: fits a 2 GB machine with room for Python and its libraries.
DEFAULT_MEMORY: Final = 1_500_000_000  # [bytes]
STATION: Final = "station"
MONTH: Final = "month"
TIME: Final = "time"
#: Threads reading a chunk's files (pyarrow releases the GIL while it decodes a file).
READ_THREADS: Final = 2


@dataclass(frozen=True)
class ReportOptions:
    """What :func:`report_frame` is asked for each chunk (see its parameters)."""

    report: Report
    standard: str | None = None
    mode: str | None = None
    rounding: Rounding = "auto"


def chunk_report(
    measurements: Measurements, options: ReportOptions, buffers: ReusedBuffers | None = None
) -> pd.DataFrame:
    """The report of one chunk of stations: the in-memory path, unchanged.

    ``buffers``, kept from chunk to chunk, hold the index's outputs (allocated once).
    """
    return grid_report(
        hourly_grid(measurements.times, measurements.concentrations, measurements.stations),
        options,
        buffers,
    )


def grid_report(
    grid: HourlyGrid, options: ReportOptions, buffers: ReusedBuffers | None = None
) -> pd.DataFrame:
    """The report of a chunk's grid (:func:`chunk_report` once the grid is made)."""
    return report_frame(
        grid,
        options.report,
        standard=options.standard,
        mode=options.mode,
        rounding=options.rounding,
        buffers=buffers,
    )


def stations_per_chunk(hours_per_station: int, memory: int = DEFAULT_MEMORY) -> int:
    """Stations per chunk so that a chunk's peak stays within ``memory`` [bytes]."""
    return max(1, memory // (BYTES_PER_STATION_HOUR * max(1, hours_per_station)))


@dataclass(frozen=True)
class ChunkSource:
    """Chunks of stations: a list of chunk descriptions and a function that reads one.

    A description is plain data (station names, or file paths), so a chunk can be read where it
    is computed: in this process, or on a Dask worker.
    """

    chunks: list[tuple[str, ...]]
    read: Callable[[tuple[str, ...]], Measurements]


def parquet_chunks(
    root: str | Path, *, stations: int | None = None, memory: int = DEFAULT_MEMORY
) -> ChunkSource:
    """Chunks of a Parquet dataset, in either layout.

    * partitioned by station and month (``ROOT/station=NAME/month=YYYY-MM/*.parquet``);
    * partitioned by time with every station in each file, sorted by station in row groups
      (:mod:`hazeguard.aqi.sorted_dataset`: any ``*.parquet`` under ``ROOT`` with a ``station``
      column), read by row-group pushdown.

    ``stations`` per chunk, by default as many as fit ``memory`` for the dataset's hours per
    station (from the months present, or the rows per station).
    """
    root = Path(root)
    if is_sorted_dataset(root):
        files = sorted_files(root)
        names, rows = dataset_stations(files)
        if not names:
            raise ValueError(f"{root}: no stations in the {STATION!r} column of its files")
        size = stations or stations_per_chunk(rows // len(names), memory)
        return ChunkSource(_in_chunks(names, size), SortedReader(tuple(files)))
    names = sorted(
        path.name.removeprefix(f"{STATION}=")
        for path in root.iterdir()
        if path.is_dir() and path.name.startswith(f"{STATION}=")
    )
    if stations is None:
        months = max(
            len([p for p in (root / f"{STATION}={name}").iterdir() if p.is_dir()])
            for name in names[:10]
        )
        stations = stations_per_chunk(max(1, months) * 744, memory)
    return ChunkSource(_in_chunks(names, stations), _ParquetReader(str(root)))


def _in_chunks(names: list[str], size: int) -> list[tuple[str, ...]]:
    return [tuple(names[i : i + size]) for i in range(0, len(names), size)]


@dataclass(frozen=True)
class _ParquetReader:
    """Reads the stations of one chunk from the dataset (picklable, for Dask workers).

    Each file is read on its own (``pyarrow.parquet.ParquetFile``), in :data:`READ_THREADS`
    threads: a month of one station is a few kB, so the cost is per file (footer, schema,
    column readers) and a dataset scan's discovery and partition parsing cost half again as
    much. The station column is made from the directories, as codes, never as strings.
    """

    root: str

    def __call__(self, chunk: tuple[str, ...]) -> Measurements:
        paths: list[str] = []
        owners: list[int] = []
        for number, station in enumerate(chunk):
            found = _parquet_files(os.path.join(self.root, f"{STATION}={station}"))
            paths += found
            owners += [number] * len(found)
        with ThreadPoolExecutor(READ_THREADS) as pool:
            tables = list(pool.map(_read_file, paths))
        if not tables:
            raise ValueError(f"{self.root}: no Parquet files for {', '.join(chunk)}")
        table = pa.concat_tables(tables, promote_options="permissive")
        if TIME not in table.column_names:
            raise ValueError(f"{self.root}: no {TIME!r} column in the files of {', '.join(chunk)}")
        rows = np.repeat(np.array(owners, dtype=np.int32), [t.num_rows for t in tables])
        concentrations = {
            p: column_array(table, p).astype(np.float64, copy=False)
            for p in POLLUTANTS
            if p in table.column_names
        }
        return Measurements(
            times=pd.Series(column_array(table, TIME)),
            stations=pd.Series(pd.Categorical.from_codes(rows, categories=pd.Index(chunk))),
            concentrations=concentrations,
        )


def _parquet_files(directory: str) -> list[str]:
    """The Parquet files under one station's directory (its month partitions), in order."""
    with os.scandir(directory) as entries:
        months = sorted(entry.path for entry in entries if entry.is_dir())
    files: list[str] = []
    for month in months:
        with os.scandir(month) as entries:
            files += sorted(e.path for e in entries if e.name.endswith(".parquet"))
    return files


def _read_file(path: str) -> pa.Table:
    """One file's columns of interest (time and the pollutants it has)."""
    parquet = pq.ParquetFile(path)
    names = set(parquet.schema_arrow.names)
    return parquet.read(columns=[c for c in (TIME, *POLLUTANTS) if c in names], use_threads=False)


def csv_chunks(
    paths: Sequence[str],
    *,
    stations: int | None = None,
    memory: int = DEFAULT_MEMORY,
    mapping: dict[str, str] | None = None,
    time_parts: Sequence[str] | None = None,
    hour_label: HourLabel = "end",
    co_unit: str = "mg",
) -> ChunkSource:
    """Chunks of files (CSV or Parquet): groups of files, each station's rows in one group.

    Without ``stations``, a group holds files adding up to ``memory`` / 40 bytes on disk
    (a CSV row of six pollutants is about 40 bytes and becomes ~400 in the chunk); with it,
    ``stations`` files per group (one file per station).
    """
    if stations is None:
        budget = memory * 40 // BYTES_PER_STATION_HOUR
        groups: list[tuple[str, ...]] = []
        current: list[str] = []
        size = 0
        for path in paths:
            if current and size + Path(path).stat().st_size > budget:
                groups.append(tuple(current))
                current, size = [], 0
            current.append(path)
            size += Path(path).stat().st_size
        groups.append(tuple(current))
    else:
        groups = [tuple(paths[i : i + stations]) for i in range(0, len(paths), stations)]
    reader = _FileReader(dict(mapping or {}), tuple(time_parts or ()), hour_label, co_unit)
    return ChunkSource(groups, reader)


@dataclass(frozen=True)
class _FileReader:
    """Reads one group of files with :func:`read_measurements` (picklable, for Dask)."""

    mapping: dict[str, str]
    time_parts: tuple[str, ...]
    hour_label: HourLabel
    co_unit: str

    def __call__(self, chunk: tuple[str, ...]) -> Measurements:
        return read_measurements(
            list(chunk),
            mapping=self.mapping,
            time_parts=list(self.time_parts) or None,
            hour_label=self.hour_label,
            co_unit=self.co_unit,
        )


def part_path(directory: str | Path, number: int) -> Path:
    """The output file of chunk ``number``."""
    return Path(directory) / f"part-{number:05d}.parquet"


def run_chunk(
    source_read: Callable[[tuple[str, ...]], Measurements],
    chunk: tuple[str, ...],
    number: int,
    options: ReportOptions,
    directory: str,
    buffers: ReusedBuffers | None = None,
) -> tuple[int, tuple[str, ...]]:
    """Read, compute and write one chunk; its row count and stations (one Dask task)."""
    path = part_path(directory, number)
    return write_chunk(source_read(chunk), chunk, path, options, buffers)


def write_chunk(
    measurements: Measurements,
    chunk: tuple[str, ...],
    path: Path,
    options: ReportOptions,
    buffers: ReusedBuffers | None,
) -> tuple[int, tuple[str, ...]]:
    """Compute the rows read for ``chunk`` and write them to ``path``; rows and stations."""
    if measurements.stations is None:
        raise ValueError(f"{', '.join(chunk)}: no station column; a chunked run needs one")
    grid = hourly_grid(measurements.times, measurements.concentrations, measurements.stations)
    frame = grid_report(grid, options, buffers)
    frame.to_parquet(path, index=False)
    return len(frame), grid.stations  # the stations with rows, from the grid (no re-scan)


def stream_report(
    source: ChunkSource,
    options: ReportOptions,
    directory: str | Path,
    *,
    on_chunk: Callable[[int], None] | None = None,
) -> int:
    """Compute the report chunk after chunk into ``directory``; the number of rows written.

    The next chunk is read in a background thread while this one is computed (pyarrow
    releases the GIL while it reads), so reading and computing overlap on two cores; the
    input of two chunks is in memory at once.

    Raises ValueError when a station appears in two chunks (its windows would be cut).
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("part-*.parquet"):
        stale.unlink()
    seen: dict[str, int] = {}
    rows = 0
    buffers = ReusedBuffers()  # the index's outputs, allocated at the first chunk only
    with ThreadPoolExecutor(1) as reader:
        upcoming = reader.submit(source.read, source.chunks[0]) if source.chunks else None
        for number, chunk in enumerate(source.chunks):
            assert upcoming is not None
            measurements = upcoming.result()
            if number + 1 < len(source.chunks):
                upcoming = reader.submit(source.read, source.chunks[number + 1])
            path = part_path(directory, number)
            written, names = write_chunk(measurements, chunk, path, options, buffers)
            del measurements
            rows += written
            check_disjoint(seen, names, number, source.chunks)
            if on_chunk is not None:
                on_chunk(number)
    return rows


def check_disjoint(
    seen: dict[str, int],
    names: Sequence[str],
    number: int,
    chunks: Sequence[tuple[str, ...]],
) -> None:
    """Record a chunk's stations; ValueError naming both chunks when one was seen before."""
    for name in names:
        if name in seen:
            first, second = ", ".join(chunks[seen[name]]), ", ".join(chunks[number])
            raise ValueError(
                f"station {name!r} has rows in two chunks ({first}) and ({second}): its 24-h "
                "windows would be cut; put each station's rows in one file, or convert the "
                "files to a station-partitioned Parquet dataset"
            )
        seen[name] = number


def write_station_dataset(
    times: pd.DatetimeIndex,
    stations: Sequence[str],
    concentrations: dict[str, np.ndarray],
    root: str | Path,
) -> None:
    """Write hourly rows as a dataset partitioned by station and month (hive layout).

    ``times`` and each concentration array have one value per (station, hour), station-major:
    the rows of ``stations[0]`` first, each station with the same hours. Stations already in
    ``root`` are kept, so a large network can be written a block of stations at a time.
    [µg/m³; CO mg/m³]
    """
    hours = len(times) // len(stations)
    table = pa.table(
        {
            TIME: times,
            **concentrations,
            STATION: pa.DictionaryArray.from_arrays(
                pa.array(np.repeat(np.arange(len(stations), dtype=np.int32), hours)),
                pa.array(list(stations)),
            ),
            MONTH: pa.array(np.asarray(times.strftime("%Y-%m"))).dictionary_encode(),
        }
    )
    ds.write_dataset(
        table,
        root,
        format="parquet",
        partitioning=ds.partitioning(
            pa.schema([(STATION, pa.string()), (MONTH, pa.string())]), flavor="hive"
        ),
        basename_template=f"part-{stations[0]}-{{i}}.parquet",
        existing_data_behavior="overwrite_or_ignore",
        max_partitions=len(stations) * 1024,
    )
