"""Plausibility checks flag what failing stations do, and keep the values."""

from __future__ import annotations

import numpy as np

from hazeguard.monitoring.plausibility import Flag, plausibility_flags, without_flagged

nan = np.nan


def _flags(pollutant: str, row: list[float]) -> list[int]:
    return [int(f) for f in plausibility_flags({pollutant: np.array([row])})[pollutant][0]]


def test_a_negative_value_is_flagged() -> None:
    assert _flags("so2", [5, -2, 6]) == [0, Flag.NEGATIVE, 0]


def test_six_equal_hours_are_stuck_but_five_are_not() -> None:
    assert _flags("no2", [1, 40, 40, 40, 40, 40, 40, 2]) == [0] + [Flag.STUCK] * 6 + [0]
    assert _flags("no2", [1, 40, 40, 40, 40, 40, 2]) == [0] * 7


def test_a_run_broken_by_a_gap_is_not_stuck() -> None:
    assert Flag.STUCK not in Flag(_flags("no2", [40, 40, 40, nan, 40, 40, 40])[0])


def test_an_isolated_jump_is_a_spike_but_a_rise_that_stays_is_not() -> None:
    assert _flags("pm25", [50, 400, 60]) == [0, Flag.SPIKE, 0]
    assert _flags("pm25", [50, 400, 420]) == [0, 0, 0]
    assert _flags("pm25", [50, 140, 60]) == [0, 0, 0], "three times, but only 90 above"


def test_pm25_above_pm10_flags_both_and_a_gap_is_marked() -> None:
    flags = plausibility_flags({"pm25": np.array([[80.0, 120]]), "pm10": np.array([[100.0, nan]])})
    assert list(flags["pm25"][0]) == [0, 0]
    assert list(flags["pm10"][0]) == [0, Flag.GAP]
    flags = plausibility_flags({"pm25": np.array([[130.0]]), "pm10": np.array([[100.0]])})
    assert flags["pm25"][0, 0] == flags["pm10"][0, 0] == Flag.PM25_ABOVE_PM10


def test_pm25_above_pm10_is_listed_but_still_counts() -> None:
    # Both analysers' values are kept in the means: on humid haze days PM2.5 often reads above
    # PM10 at most stations, and leaving both out would leave the city without PM.
    values = {"pm25": np.array([[130.0, 90.0]]), "pm10": np.array([[100.0, 120.0]])}
    kept = without_flagged(values, plausibility_flags(values))
    assert kept["pm25"].tolist() == [[130.0, 90.0]]
    assert kept["pm10"].tolist() == [[100.0, 120.0]]


def test_flagged_values_are_left_out_of_the_means_but_not_changed() -> None:
    values = {"so2": np.array([[5.0, -2.0, 6.0]])}
    kept = without_flagged(values, plausibility_flags(values))
    assert np.isnan(kept["so2"][0, 1])
    assert values["so2"][0, 1] == -2.0
