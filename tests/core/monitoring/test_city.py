"""City values per HJ 663 with known answers, and recomputing only what an hour changes."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from hazeguard.aqi.indicators import hourly_grid, with_cities
from hazeguard.monitoring.city import city_values
from hazeguard.monitoring.recompute import recompute_span


def _grid(stations: dict[str, dict[str, list[float]]], start: str = "2015-12-01T01:00"):
    times, names, columns = [], [], {}
    for station, series in stations.items():
        n = len(next(iter(series.values())))
        times += list(pd.date_range(start, periods=n, freq="h"))
        names += [station] * n
        for pollutant, values in series.items():
            columns.setdefault(pollutant, []).extend(values)
    return hourly_grid(pd.DatetimeIndex(times), columns, np.array(names))


def test_the_city_hour_is_the_index_of_the_mean_of_its_valid_stations() -> None:
    # PM2.5 80 and 100 → mean 90: IAQI (90-75)/40·50+100 = 118.75 → 119 (HJ 633-2012 Table 1).
    grid = _grid({"A": {"pm25": [80.0], "pm10": [100.0]}, "B": {"pm25": [100.0], "pm10": [110.0]}})
    assert city_values(grid).hourly["aqi"].tolist() == [119]


def test_a_flagged_station_is_left_out_of_the_city_mean() -> None:
    # B's negative values (zero drift) are flagged: the city is A alone, PM2.5 80 → 107.
    grid = _grid({"A": {"pm25": [80.0], "pm10": [100.0]}, "B": {"pm25": [-5.0], "pm10": [-3.0]}})
    values = city_values(grid)
    assert values.hourly["aqi"].tolist() == [107]
    assert pd.isna(values.stations.set_index("station").loc["B", "aqi"])


def test_the_daily_aqi_is_hj_633s_daily_report_of_24_hour_means() -> None:
    # PM2.5 24-h mean 150 is the breakpoint of IAQI 200; 140/160 at two stations average 150.
    # Constant values are "stuck" after 6 h; vary them by ±1 to keep every hour valid.
    grid = _grid(
        {
            "A": {"pm25": [140.0 + (k % 2) for k in range(24)]},
            "B": {"pm25": [160.0 - (k % 2) for k in range(24)]},
        }
    )
    values = city_values(grid)
    assert values.daily["date"].dt.date.tolist() == [date(2015, 12, 1)]
    assert values.daily["aqi"].tolist() == [200]
    assert values.rolling["aqi"].iloc[-1] == 200, "at 24:00 the rolling value is the day's"
    assert pd.isna(values.rolling["aqi"].iloc[18]), "19 hours are too few for a 24-h mean"


def test_stuck_hours_are_excluded_so_a_day_of_them_has_no_daily_aqi() -> None:
    grid = _grid({"A": {"pm25": [140.0] * 24}})
    assert pd.isna(city_values(grid).daily["aqi"].iloc[0])


def test_an_arriving_hour_touches_hours_a_minus_5_to_a_plus_28_and_its_days() -> None:
    span = recompute_span([datetime(2015, 12, 2, 12)])
    assert span.hours == (datetime(2015, 12, 2, 7), datetime(2015, 12, 3, 16))
    assert span.days == (date(2015, 12, 2),)
    assert span.inputs[0] <= datetime(2015, 12, 1, 7)
    assert span.inputs[1] >= datetime(2015, 12, 3, 21)
    midnight = recompute_span([datetime(2015, 12, 3, 0)])
    assert midnight.days == (date(2015, 12, 2), date(2015, 12, 3))


@pytest.mark.parametrize("arrival", [30, 47, 48, 60, 95])
def test_recomputing_the_span_gives_what_a_full_recomputation_gives(arrival: int) -> None:
    rng = np.random.default_rng(arrival)
    hours = 24 * 5
    series = {
        station: {
            "pm25": list(rng.uniform(20, 300, hours).round()),
            "pm10": list(rng.uniform(300, 500, hours).round()),
            "o3": list(rng.uniform(5, 200, hours).round()),
        }
        for station in ("A", "B", "C")
    }
    before = city_values(_grid(series))
    series["B"]["pm25"][arrival] = 900.0  # a late or corrected hour: a spike, flagged
    series["A"]["o3"][arrival] = 150.0
    after = city_values(_grid(series))
    end = datetime(2015, 12, 1, 1) + timedelta(hours=arrival)
    span = recompute_span([end])
    first, last = (pd.Timestamp(t) for t in span.inputs)
    ends = pd.date_range("2015-12-01T01:00", periods=hours, freq="h")
    inside = (ends >= first) & (ends <= last)
    window = {
        station: {p: list(np.array(values)[inside]) for p, values in by_pollutant.items()}
        for station, by_pollutant in series.items()
    }
    start = max(first, pd.Timestamp("2015-12-01T01:00"))
    partial = city_values(_grid(window, start.isoformat()), span)
    for report, column in (("hourly", "time"), ("rolling", "time"), ("daily", "date")):
        got = getattr(partial, report).set_index(["city", column])
        full = getattr(after, report).set_index(["city", column])
        old = getattr(before, report).set_index(["city", column])
        pd.testing.assert_frame_equal(got, full.loc[got.index])
        outside = full.index.difference(got.index)
        pd.testing.assert_frame_equal(full.loc[outside], old.loc[outside])


def test_many_cities_in_one_grid_each_get_the_values_they_get_alone() -> None:
    rng = np.random.default_rng(7)
    series = {
        station: {p: list(rng.uniform(5, 250, 48).round()) for p in ("pm25", "pm10", "o3")}
        for station in ("A", "B", "C", "D", "E")
    }
    city_of = {"A": "east", "B": "west", "C": "east", "D": "west", "E": "north"}
    together = city_values(with_cities(_grid(series), city_of))
    for name in ("east", "west", "north"):
        alone = city_values(_grid({s: v for s, v in series.items() if city_of[s] == name}))
        for report in ("hourly", "rolling", "daily"):
            got = getattr(together, report)
            got = got[got["city"] == name].drop(columns="city").reset_index(drop=True)
            want = getattr(alone, report).drop(columns="city")
            pd.testing.assert_frame_equal(got, want)
