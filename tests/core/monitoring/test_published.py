"""The city daily AQI through the monitoring path against the published daily AQI.

The shipped slice (December 2015: the demo's 12 station files, the published Beijing days of
``data/``) always runs; the full 2014-2016 comparison of docs/monitoring.md needs
``../shared/data`` (marker ``shared_data``, skipped with a reason when it is absent).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from hazeguard.cli import main
from hazeguard.io.beijing import demo_path
from hazeguard.monitoring.published import compare_daily

PUBLISHED_SLICE = Path(__file__).parent / "data" / "beijing-published-2015-12.csv"
FIGURES = re.compile(
    r"(\d+) days: bias ([+-][\d.]+), MAE ([\d.]+), r ([\d.]+), same category ([\d.]+)%; "
    r"AQI > 200: (\d+) hits, (\d+) misses, (\d+) false alarms"
)


def test_the_figures_of_a_comparison_worked_by_hand() -> None:
    days = pd.date_range("2015-12-01", periods=4)
    computed = pd.Series([100.0, 210.0, 50.0, np.nan], index=days)
    published = pd.Series([90.0, 190.0, 60.0, 300.0], index=days)
    figures = compare_daily(computed, published)
    # The day without a computed value is left out: differences +10, +20, −10.
    assert figures.days == 3
    assert figures.bias == pytest.approx(20 / 3)
    assert figures.mae == pytest.approx(40 / 3)
    assert figures.correlation == pytest.approx(np.corrcoef([100, 210, 50], [90, 190, 60])[0, 1])
    # Categories: 100/90 both 良; 210 重度 vs 190 中度; 50 优 vs 60 良.
    assert figures.same_category == pytest.approx(1 / 3)
    assert (figures.hits, figures.misses, figures.false_alarms, figures.quiet) == (0, 0, 1, 2)


def test_no_common_day_is_an_error() -> None:
    days = pd.date_range("2015-12-01", periods=2)
    with pytest.raises(ValueError, match="no day has both"):
        compare_daily(pd.Series([1.0, 2.0], index=days), pd.Series([np.nan, np.nan], index=days))


def _compare(*arguments: str) -> list[tuple[float, ...]]:
    result = CliRunner().invoke(main, ["monitor", "compare", *arguments])
    assert result.exit_code == 0, result.output
    print(result.output)
    return [tuple(float(v) for v in m.groups()) for m in FIGURES.finditer(result.output)]


def test_december_2015_agrees_with_the_published_days(tmp_path: Path) -> None:
    days_file = tmp_path / "days.csv"
    daily, mean_hourly = _compare(
        str(demo_path()),
        "--layout",
        "beijing-multisite",
        "--published",
        str(PUBLISHED_SLICE),
        "-o",
        str(days_file),
    )
    # Two red alerts that month: all 13 published days over 200 found, none invented.
    assert daily[0] == mean_hourly[0] == 31
    assert daily[5:] == mean_hourly[5:] == (13, 0, 0)
    assert daily[4] == mean_hourly[4] == 100.0  # same HJ 633 category every day
    assert abs(daily[1]) < 3
    assert daily[2] < 5
    assert mean_hourly[3] > 0.99
    table = pd.read_csv(days_file)
    assert len(table) == 31
    assert table.loc[table["date"] == "2015-12-01", "published_aqi"].item() == 473


def test_a_published_file_without_days_names_the_file(tmp_path: Path) -> None:
    published = tmp_path / "published.csv"
    published.write_text("date,aqi\n2020-01-01,80\n", encoding="utf-8")
    result = CliRunner().invoke(
        main,
        ["monitor", "compare", str(demo_path()), "--layout", "beijing-multisite",
         "--published", str(published)],
    )  # fmt: skip
    assert result.exit_code == 2
    assert "published.csv: no day has both" in result.output


def test_a_period_without_days_is_refused() -> None:
    result = CliRunner().invoke(
        main,
        ["monitor", "compare", str(demo_path()), "--layout", "beijing-multisite",
         "--published", str(PUBLISHED_SLICE), "--from", "2020-01-01"],
    )  # fmt: skip
    assert result.exit_code == 2
    assert "no computed or published day between --from and --to" in result.output


@pytest.mark.shared_data
def test_beijing_2014_2016_against_the_published_daily_aqi(shared_data: Path) -> None:
    stations = sorted((shared_data / "beijing-multisite").glob("PRSA_Data_*.csv"))
    assert len(stations) == 12
    daily, mean_hourly = _compare(
        *map(str, stations),
        "--layout",
        "beijing-multisite",
        "--published",
        str(shared_data / "city-daily-aqi" / "beijing.csv"),
        "--from",
        "2014-01-01",
        "--to",
        "2016-12-31",
    )
    # docs/monitoring.md: the figures and why the two computed series differ.
    assert daily[0] >= 1085
    assert mean_hourly[0] == 1096
    assert daily[3] > 0.95
    assert daily[4] > 70
    assert daily[5] >= 118
    assert daily[6] <= 8
    assert abs(mean_hourly[1]) < 3
    assert mean_hourly[2] < 5
    assert mean_hourly[4] > 90
    assert mean_hourly[6] <= 3
    assert mean_hourly[7] <= 3
