"""The chunked report on a Dask cluster of two worker processes: the single-machine files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from test_stream import STATIONS, hourly_rows

from hazeguard.aqi.stream import write_station_dataset
from hazeguard.cli import main

distributed = pytest.importorskip("distributed")
pytestmark = pytest.mark.slow  # two worker processes start: about 10 s on an idle machine


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        yield cluster.scheduler_address


def test_the_cluster_writes_the_files_of_the_single_machine_run(
    tmp_path: Path, scheduler: str
) -> None:
    times, values = hourly_rows()
    write_station_dataset(times, STATIONS, values, tmp_path / "hourly")
    runner = CliRunner()
    common = ["aqi", "rolling", str(tmp_path / "hourly"), "--chunk-stations", "2"]
    here = runner.invoke(main, [*common, "-o", str(tmp_path / "here")])
    assert here.exit_code == 0, here.output
    there = runner.invoke(main, [*common, "-o", str(tmp_path / "there"), "--scheduler", scheduler])
    assert there.exit_code == 0, there.output
    assert "in 4 chunks" in there.output
    names = sorted(p.name for p in (tmp_path / "here").glob("*.parquet"))
    assert names == sorted(p.name for p in (tmp_path / "there").glob("*.parquet"))
    assert len(names) == 4
    for name in names:
        pd.testing.assert_frame_equal(
            pd.read_parquet(tmp_path / "there" / name), pd.read_parquet(tmp_path / "here" / name)
        )


def test_a_chunked_run_refuses_one_output_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["aqi", "daily", str(tmp_path), "--chunk-stations", "2", "-o", "out.csv"]
    )
    assert result.exit_code == 2
    assert "writes a directory" in result.output
