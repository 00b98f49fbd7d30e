"""From hourly values to indicators: windows, validity rules, hour labels, city means."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hazeguard.aqi import iaqi
from hazeguard.aqi.indicators import (
    daily_arrays,
    daily_indicators,
    hourly_grid,
    hourly_indicators,
    rolling_arrays,
    rolling_indicators,
)
from hazeguard.aqi.windows import (
    by_row_blocks,
    daily_max,
    daily_mean,
    moving_max,
    moving_mean,
    station_mean,
)

DAY = pd.Timestamp("2015-12-01")


def hours(count: int, start: pd.Timestamp = DAY) -> pd.DatetimeIndex:
    """End labels of ``count`` hours from ``start`` (the first hour ends at start + 1 h)."""
    return pd.date_range(start + pd.Timedelta(hours=1), periods=count, freq="h")


def naive_moving_mean(values: np.ndarray, window: int, min_valid: int) -> np.ndarray:
    out = np.full(values.shape, np.nan)
    for t in range(values.shape[0]):
        part = values[max(0, t - window + 1) : t + 1]
        valid = part[~np.isnan(part)]
        if valid.size >= min_valid:
            out[t] = valid.mean()
    return out


series = st.lists(
    st.one_of(st.none(), st.integers(0, 999).map(float)), min_size=24, max_size=24 * 4
).map(lambda xs: np.array([np.nan if x is None else x for x in xs]))


@settings(max_examples=60, deadline=None)
@given(series, st.sampled_from([(24, 20), (8, 6), (3, 1)]))
def test_moving_mean_equals_a_plain_loop_over_windows(values: np.ndarray, rule: tuple) -> None:
    window, min_valid = rule
    got = moving_mean(values[None, :], window, min_valid)[0]
    np.testing.assert_allclose(got, naive_moving_mean(values, window, min_valid), atol=1e-6)


@settings(max_examples=60, deadline=None)
@given(series, st.integers(1, 30), st.integers(1, 30))
def test_moving_max_equals_a_plain_loop_over_windows(
    values: np.ndarray, window: int, min_valid: int
) -> None:
    got = moving_max(values[None, :], window, min_valid, limit=500.0)[0]
    for t in range(values.size):
        part = values[max(0, t - window + 1) : t + 1]
        valid = part[~np.isnan(part)]
        if valid.size >= min_valid or (valid.size and valid.max() > 500.0):
            assert got[t] == valid.max()
        else:
            assert np.isnan(got[t])


def test_a_24_hour_mean_needs_20_valid_hours() -> None:
    values = np.full((1, 24), 100.0)
    values[0, :4] = np.nan  # 20 valid hours
    assert daily_mean(values, 20)[0, 0] == 100.0
    values[0, 4] = np.nan  # 19 valid hours
    assert np.isnan(daily_mean(values, 20)[0, 0])


def test_an_8_hour_mean_needs_6_of_its_8_hours() -> None:
    values = np.array([[np.nan, np.nan, 10, 10, 10, 10, 10, 40.0]])
    assert moving_mean(values, 8, 6)[0, 7] == 15.0
    values[0, 2] = np.nan
    assert np.isnan(moving_mean(values, 8, 6)[0, 7])


def test_the_daily_maximum_8_hour_mean_uses_the_windows_ending_08_to_24() -> None:
    o3 = np.full(48, 50.0)
    o3[:7] = 300.0  # hours ending 01:00-07:00: no 8-h window of the day ends before 08:00
    o3[24:31] = 300.0  # the next day's first hours: only windows ending next day
    frame = daily_indicators(hourly_grid(hours(48), {"o3": o3}))
    # The window ending 08:00 holds hours ending 01:00-08:00: 7 × 300 + 50.
    assert frame["o3_8h"].tolist() == [(7 * 300 + 50) / 8] * 2
    assert frame["o3_1h"].tolist() == [300.0, 300.0]


def test_the_daily_maximum_8_hour_mean_needs_14_of_17_windows_unless_above_the_limit() -> None:
    eight_hour = np.full((1, 24), 100.0)
    eight_hour[0, 7:11] = np.nan  # 13 of the 17 windows ending 08:00-24:00 remain
    assert np.isnan(daily_max(eight_hour, 8, 14, 160.0)[0, 0])
    eight_hour[0, 20] = 161.0  # above the 160 limit: the exceedance is certain, so it is kept
    assert daily_max(eight_hour, 8, 14, 160.0)[0, 0] == 161.0
    eight_hour[0, 20] = 100.0
    eight_hour[0, 10] = 100.0  # 14 valid windows
    assert daily_max(eight_hour, 8, 14, 160.0)[0, 0] == 100.0


def test_the_hour_ending_at_midnight_belongs_to_the_day_before() -> None:
    pm25 = np.r_[np.full(24, 10.0), np.full(24, 90.0)]
    frame = daily_indicators(hourly_grid(hours(48), {"pm25": pm25}))
    assert frame["date"].tolist() == [DAY, DAY + pd.Timedelta(days=1)]
    assert frame["pm25_24h"].tolist() == [10.0, 90.0]


def test_missing_hours_are_put_on_a_full_grid_as_nan() -> None:
    times = hours(24).delete([3, 4, 5, 6, 7])  # 19 hours left
    frame = daily_indicators(hourly_grid(times, {"pm25": np.full(19, 50.0)}))
    assert np.isnan(frame["pm25_24h"].iat[0])
    hourly = hourly_indicators(hourly_grid(times, {"pm25": np.full(19, 50.0)}))
    assert len(hourly) == 24
    assert hourly["pm25_1h"].isna().sum() == 5


def test_rolling_24_hours_cross_midnight_and_equal_the_daily_value_at_24_00() -> None:
    rng = np.random.default_rng(7)
    concentrations = {p: rng.uniform(0, 400, 72) for p in ("pm25", "so2", "o3")}
    concentrations["pm25"][rng.choice(72, 10, replace=False)] = np.nan
    grid = hourly_grid(hours(72), concentrations)
    daily = daily_arrays(grid)
    rolling = rolling_arrays(grid)
    for name, values in daily.items():
        np.testing.assert_array_equal(rolling[name][0, 23::24], values[0], err_msg=name)
    # At 12:00 of day 2 the window holds the last 12 hours of day 1 and 12 of day 2.
    expected = np.nanmean(concentrations["so2"][12:36])
    assert rolling["so2_24h"][0, 35] == pytest.approx(expected, abs=1e-6)


def test_rolling_indicators_are_labelled_by_the_end_of_the_24_hours() -> None:
    frame = rolling_indicators(hourly_grid(hours(30), {"pm10": np.full(30, 80.0)}))
    assert frame["time"].iat[0] == DAY + pd.Timedelta(hours=1)
    assert np.isnan(frame["pm10_24h"].iat[18])  # 19 hours so far
    assert frame["pm10_24h"].iat[19] == 80.0  # 20 hours: valid


def test_a_mean_of_decimal_data_exactly_on_a_breakpoint_is_not_pushed_over_it() -> None:
    # These 24 one-decimal values sum to exactly 1800 (mean 75, IAQI 100), but in floats the
    # sum divided by 24 is 75.00000000000001, which the ceiling of the IAQI would turn into 101.
    values = np.array(
        [
            72.1,
            70.7,
            77.4,
            79.6,
            76.9,
            79.1,
            78.7,
            76.5,
            75.2,
            73.6,
            74.9,
            73.2,
            71.7,
            75.0,
            76.6,
            75.9,
            77.4,
            73.4,
            70.0,
            72.1,
            72.9,
            75.5,
            73.9,
            77.7,
        ]
    )
    assert values.sum() / 24 > 75.0
    mean = daily_mean(values[None, :], 20)[0, 0]
    assert mean == 75.0
    assert moving_mean(values[None, :], 24, 20)[0, -1] == 75.0
    assert iaqi("pm25_24h", mean, standard="HJ633-2012") == 100


def test_a_city_is_indexed_from_its_mean_concentrations_not_its_mean_aqi() -> None:
    # Station A: PM2.5 150 (IAQI 200), station B: PM2.5 0 (IAQI 0). City mean PM2.5 75 → 100.
    grid = hourly_grid(
        np.tile(hours(24), 2),
        {"pm25": np.r_[np.full(24, 150.0), np.zeros(24)]},
        stations=np.repeat(["A", "B"], 24),
    )
    city = daily_indicators(grid, city=True)
    assert city["station"].tolist() == ["city"]
    assert city["pm25_24h"].tolist() == [75.0]


def test_the_city_mean_skips_stations_without_a_valid_value() -> None:
    values = np.array([[10.0, np.nan], [30.0, np.nan]])
    np.testing.assert_array_equal(station_mean(values), [[20.0, np.nan]])


def test_the_city_o3_maximum_is_taken_from_the_city_series() -> None:
    # Station peaks at different hours: the city's maximum 1-h mean is below each station's.
    o3 = np.zeros((2, 24))
    o3[0, 10], o3[1, 14] = 200.0, 200.0
    grid = hourly_grid(
        np.tile(hours(24), 2), {"o3": o3.ravel()}, stations=np.repeat(["A", "B"], 24)
    )
    assert daily_indicators(grid, city=True)["o3_1h"].tolist() == [100.0]
    assert daily_indicators(grid)["o3_1h"].tolist() == [200.0, 200.0]


def test_stations_are_kept_apart_on_the_grid() -> None:
    times = np.r_[hours(24), hours(24, DAY + pd.Timedelta(days=1))]
    grid = hourly_grid(
        times,
        {"no2": np.r_[np.full(24, 40.0), np.full(24, 80.0)]},
        stations=np.repeat(["B", "A"], 24),
    )
    frame = daily_indicators(grid)
    assert frame["station"].tolist() == ["A", "A", "B", "B"]
    assert frame["no2_24h"].fillna(-1).tolist() == [-1, 80.0, 40.0, -1]


def test_it_rejects_two_rows_for_one_station_and_hour() -> None:
    with pytest.raises(ValueError, match="two rows for the same hour"):
        hourly_grid(hours(2).repeat(2), {"pm25": np.ones(4)}, stations=["A"] * 4)


def test_it_rejects_a_time_not_on_the_hour() -> None:
    times = pd.DatetimeIndex(["2015-12-01 01:00", "2015-12-01 02:30"])
    with pytest.raises(ValueError, match="not on a full hour"):
        hourly_grid(times, {"pm25": np.ones(2)})


def test_it_rejects_timezone_aware_times_and_unknown_pollutants() -> None:
    with pytest.raises(ValueError, match="naive local times"):
        hourly_grid(hours(2).tz_localize("Asia/Shanghai"), {"pm25": np.ones(2)})
    with pytest.raises(ValueError, match="unknown pollutants"):
        hourly_grid(hours(2), {"pm1": np.ones(2)})
    with pytest.raises(ValueError, match="unknown pollutants"):
        hourly_grid(hours(2), {})


def test_it_rejects_concentrations_not_one_per_row() -> None:
    with pytest.raises(ValueError, match=r"2 times but concentrations of shapes \{'o3': \(3,\)\}"):
        hourly_grid(hours(2), {"pm25": np.ones(2), "o3": np.ones(3)})


def test_the_real_time_indicators_include_1_hour_8_hour_and_24_hour_moving_values() -> None:
    frame = hourly_indicators(
        hourly_grid(hours(24), {"o3": np.full(24, 100.0), "pm25": np.ones(24)})
    )
    assert list(frame.columns) == ["station", "time", "pm25_1h", "o3_1h", "o3_8h", "pm25_24h"]
    assert frame["o3_8h"].isna().sum() == 5  # windows ending 01:00-05:00 have < 6 hours


def test_block_by_block_results_equal_whole_array_results() -> None:
    rng = np.random.default_rng(3)
    values = rng.uniform(0, 300, (7, 96))
    values[rng.random(values.shape) < 0.2] = np.nan
    for function in (
        lambda v: moving_mean(v, 24, 20),
        lambda v: moving_max(v, 17, 14, 160.0),
        lambda v: daily_mean(v, 20),
    ):
        whole = function(values)
        blocks = by_row_blocks(function, values, block_bytes=2 * 96 * 8)  # 2 rows a block
        np.testing.assert_array_equal(blocks, whole)


def test_categorical_stations_give_the_same_grid_as_names() -> None:
    names = np.repeat(["Tiantan", "Dongsi", "Aotizhongxin"], 24)
    values = {"pm25": np.arange(72.0)}
    categories = ["Wanliu", "Tiantan", "Dongsi", "Aotizhongxin"]  # one station without rows
    categorical = pd.Categorical(names, categories=categories)
    by_name = hourly_grid(np.tile(hours(24), 3), values, stations=names)
    for stations in (categorical, pd.Series(categorical)):
        grid = hourly_grid(np.tile(hours(24), 3), values, stations=stations)
        assert grid.stations == by_name.stations == ("Aotizhongxin", "Dongsi", "Tiantan")
        np.testing.assert_array_equal(grid.concentrations["pm25"], by_name.concentrations["pm25"])


def test_rows_already_on_a_full_sorted_grid_give_the_same_result_as_shuffled_rows() -> None:
    rng = np.random.default_rng(5)
    times, stations = np.tile(hours(48), 2), np.repeat(["A", "B"], 48)
    values = rng.uniform(0, 100, 96)
    order = rng.permutation(96)
    sorted_grid = hourly_grid(times, {"so2": values}, stations=stations)
    shuffled = hourly_grid(times[order], {"so2": values[order]}, stations=stations[order])
    np.testing.assert_array_equal(sorted_grid.concentrations["so2"], shuffled.concentrations["so2"])


def test_categorical_stations_with_unused_and_unsorted_categories_match_plain_names() -> None:
    times = pd.DatetimeIndex(["2025-01-01 01:00", "2025-01-01 02:00"] * 2)
    names = ["B", "B", "A", "A"]
    values = {"pm25": np.array([1.0, 2.0, 3.0, 4.0])}
    categorical = pd.Categorical(names, categories=["Z", "B", "unused", "A"])
    plain = hourly_grid(times, values, np.array(names, dtype=object))
    coded = hourly_grid(times, values, categorical)
    assert coded.stations == plain.stations == ("A", "B")
    np.testing.assert_array_equal(coded.concentrations["pm25"], plain.concentrations["pm25"])
