"""The electricity check (emission-list.md §8.1) on synthetic meters with known behaviour."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pandas as pd
import pytest

from conftest import MakeReadings
from hazeguard.compliance import (
    AlertWindow,
    MeasuresError,
    ReadingsError,
    check_electricity,
    load_thresholds,
)

ORDER = dt.datetime(2024, 12, 10, 0, 0)  # an orange warning's measures start at midnight
LIFT = dt.datetime(2024, 12, 13, 0, 0)
WINDOW = AlertWindow("orange", ORDER, LIFT)
START = ORDER - dt.timedelta(days=14)


def normal(day: dt.date) -> float:
    return 1.0


def during(share: float, window: AlertWindow = WINDOW) -> object:
    first = window.ordered_at.date()

    def share_of(day: dt.date) -> float:
        return share if day >= first else 1.0

    return share_of


def measures(*rows: tuple[str, str, float | None]) -> pd.DataFrame:
    """(meter, kind, fraction) rows of one enterprise, 'E1'."""
    return pd.DataFrame(
        [{"enterprise": "E1", "meter": m, "kind": k, "fraction": f} for m, k, f in rows]
    )


def by_meter(findings: pd.DataFrame, meter: str) -> pd.DataFrame:
    return findings[findings["meter"] == meter].reset_index(drop=True)


def test_a_real_stop_is_compliant_and_a_fake_stop_is_a_violation(
    make_readings: MakeReadings,
) -> None:
    readings = make_readings({"real": during(0.08), "fake": normal}, START, LIFT)
    findings = check_electricity(
        readings, measures(("real", "stop", None), ("fake", "stop", None)), WINDOW
    )
    real, fake = by_meter(findings, "real"), by_meter(findings, "fake")
    # Three days; the first loses the 6 h grace period after the order.
    assert list(real["day"]) == [
        dt.date(2024, 12, 10),
        dt.date(2024, 12, 11),
        dt.date(2024, 12, 12),
    ]
    assert set(real["status"]) == {"compliant"}
    assert set(fake["status"]) == {"violation"}
    assert fake["ratio_to_baseline"].between(0.95, 1.05).all()
    assert list(fake["hours_over"]) == [18.0, 24.0, 24.0]
    assert (real["hours_over"] == 0).all()
    assert (fake["observed_kwh"] > fake["violation_bound_kwh"]).all()
    # Full day baseline: 12 h x 400 kW + 12 h x 250 kW = 7,800 kWh.
    assert real.loc[1, "baseline_kwh"] == pytest.approx(7800, rel=0.02)
    assert real.loc[1, "expected_kwh"] == pytest.approx(0.25 * 7800, rel=0.02)
    assert set(findings["clause"]) == {findings["clause"][0]}
    assert "§8.1" in findings["clause"][0]
    assert fake["rule"][0].startswith("stop")


def test_the_reported_fifty_percent_cut_with_unchanged_power_is_caught(
    make_readings: MakeReadings,
) -> None:
    # emission-list.md §8.1: "a firm reports a 50% cut while its power use is nearly unchanged".
    readings = make_readings({"m": during(0.97)}, START, LIFT)
    findings = check_electricity(readings, measures(("m", "limit", 0.5)), WINDOW)
    assert set(findings["status"]) == {"violation"}


@pytest.mark.parametrize(
    ("fraction", "share", "status"),
    [
        (0.3, 0.70, "compliant"),  # limit 30 %, cut 30 %
        (0.3, 0.60, "compliant"),  # cut more than asked
        (0.5, 0.70, "suspicious"),  # E* = 0.625 B, tolerance 0.05 B: between 1 and 2 tolerances
        (0.5, 0.80, "violation"),  # cut 20 % of the 50 % asked
    ],
)
def test_a_partial_limit_is_judged_against_its_expected_level(
    make_readings: MakeReadings, fraction: float, share: float, status: str
) -> None:
    readings = make_readings({"m": during(share)}, START, LIFT)
    findings = check_electricity(readings, measures(("m", "limit", fraction)), WINDOW)
    assert list(findings["status"]) == [status] * 3


def test_missing_readings_give_insufficient_data_not_a_verdict(
    make_readings: MakeReadings,
) -> None:
    meters = {"gap": during(1.0), "patchy": during(1.0), "nobase": during(1.0)}
    readings = make_readings(meters, START, LIFT)
    meter, time = readings["meter"], readings["time"]
    lost_day = (meter == "gap") & (time.dt.date == dt.date(2024, 12, 11))
    # One hour lost on each baseline day, a different hour each day: the days stay complete.
    lost_hour = (meter == "patchy") & (time < ORDER) & (time.dt.hour == time.dt.day % 24)
    no_baseline = (meter == "nobase") & (time < ORDER - dt.timedelta(days=6))
    readings = readings[~lost_day & ~lost_hour & ~no_baseline]
    table = measures(
        ("gap", "stop", None),
        ("patchy", "stop", None),
        ("nobase", "stop", None),
        ("absent", "stop", None),
    )
    findings = check_electricity(readings, table, WINDOW)
    gap = by_meter(findings, "gap")
    assert list(gap["status"]) == ["violation", "insufficient_data", "violation"]
    assert list(gap["coverage"]) == [1.0, 0.0, 1.0]
    patchy = by_meter(findings, "patchy")
    assert set(patchy["status"]) == {"violation"}
    assert set(patchy["baseline_days"]) == {14}
    nobase = by_meter(findings, "nobase")
    assert set(nobase["status"]) == {"insufficient_data"}
    assert set(nobase["baseline_days"]) == {6}
    assert set(by_meter(findings, "absent")["status"]) == {"insufficient_data"}


def test_utc_readings_and_order_are_judged_on_shanghai_days(make_readings: MakeReadings) -> None:
    local = make_readings({"m": during(0.08)}, START, LIFT)
    utc = local.assign(time=local["time"].dt.tz_localize("Asia/Shanghai").dt.tz_convert("UTC"))
    zone = dt.UTC
    window_utc = AlertWindow(
        "orange",
        dt.datetime(2024, 12, 9, 16, 0, tzinfo=zone),  # 2024-12-10 00:00 in Shanghai
        dt.datetime(2024, 12, 12, 16, 0, tzinfo=zone),
    )
    table = measures(("m", "stop", None))
    from_utc = check_electricity(utc, table, window_utc)
    from_local = check_electricity(local, table, WINDOW)
    pd.testing.assert_frame_equal(from_utc, from_local)
    assert from_utc.loc[0, "day"] == dt.date(2024, 12, 10)


def test_an_evening_order_is_checked_from_the_end_of_the_grace_period(
    make_readings: MakeReadings,
) -> None:
    window = AlertWindow("red", dt.datetime(2024, 12, 10, 20, 0), dt.datetime(2024, 12, 12, 12, 0))
    # The stop only starts at 02:00 on the 11th, exactly when the 6 h grace period ends.
    readings = make_readings({"m": during(1.0)}, START, dt.datetime(2024, 12, 13))
    stopped = readings["time"] >= dt.datetime(2024, 12, 11, 2, 0)
    readings.loc[stopped, "energy_kwh"] *= 0.05
    findings = check_electricity(readings, measures(("m", "stop", None)), window)
    # The 10th has no slot in force and is not judged; the 12th is judged up to the lift at noon.
    assert list(findings["day"]) == [dt.date(2024, 12, 11), dt.date(2024, 12, 12)]
    assert set(findings["status"]) == {"compliant"}
    assert findings.loc[1, "baseline_kwh"] == pytest.approx(8 * 250 + 4 * 400, rel=0.02)


def test_public_holidays_and_earlier_alerts_stay_out_of_the_baseline(
    make_readings: MakeReadings,
) -> None:
    order = dt.datetime(2025, 1, 6)
    window = AlertWindow("yellow", order, order + dt.timedelta(days=1), (dt.date(2024, 12, 30),))

    def share(day: dt.date) -> float:
        # Idle on New Year's Day (元旦) and during an earlier alert: not normal production.
        return 0.1 if day in (dt.date(2025, 1, 1), dt.date(2024, 12, 30)) else 1.0

    readings = make_readings({"m": share}, order - dt.timedelta(days=14), order + dt.timedelta(1))
    findings = check_electricity(readings, measures(("m", "limit", 0.0)), window)
    assert findings.loc[0, "baseline_days"] == 12
    assert findings.loc[0, "status"] == "compliant"


def test_hourly_readings_work_like_quarter_hours(make_readings: MakeReadings) -> None:
    readings = make_readings({"real": during(0.1), "fake": normal}, START, LIFT, interval="1h")
    table = measures(("real", "stop", None), ("fake", "stop", None))
    findings = check_electricity(readings, table, WINDOW)
    assert list(findings["status"]) == ["compliant"] * 3 + ["violation"] * 3
    assert findings.loc[4, "baseline_kwh"] == pytest.approx(7800, rel=0.02)


def test_a_kiln_kept_hot_may_draw_its_standby_power_and_a_load_cap_its_share(
    make_readings: MakeReadings,
) -> None:
    readings = make_readings({"kiln": during(0.5), "boiler": during(0.6)}, START, LIFT)
    table = pd.DataFrame(
        [
            {"enterprise": "E2", "meter": "kiln", "kind": "stop", "standby_kw": 170.0},
            {"enterprise": "E2", "meter": "boiler", "kind": "load_cap", "load_share": 0.6},
        ]
    )
    findings = check_electricity(readings, table, WINDOW)
    assert set(findings["status"]) == {"compliant"}
    kiln = by_meter(findings, "kiln")
    assert kiln.loc[1, "expected_kwh"] == pytest.approx(170 * 24)
    without_standby = check_electricity(readings, table.drop(columns="standby_kw"), WINDOW)
    assert set(by_meter(without_standby, "kiln")["status"]) == {"violation"}


def test_thresholds_are_data_and_can_be_overridden(make_readings: MakeReadings) -> None:
    thresholds = load_thresholds().electricity
    assert thresholds.standby_share.label == "V"
    assert "§8.1" in thresholds.standby_share.clause
    readings = make_readings({"m": during(0.5)}, START, LIFT)
    table = measures(("m", "stop", None))
    assert set(check_electricity(readings, table, WINDOW)["status"]) == {"violation"}
    lenient = dataclasses.replace(
        thresholds, standby_share=dataclasses.replace(thresholds.standby_share, value=0.5)
    )
    assert set(check_electricity(readings, table, WINDOW, lenient)["status"]) == {"compliant"}


def _small() -> tuple[pd.DataFrame, pd.DataFrame]:
    times = pd.date_range(START, LIFT, freq="1h", inclusive="left")
    readings = pd.DataFrame({"meter": "m", "time": times, "energy_kwh": 100.0})
    return readings, measures(("m", "stop", None))


def test_it_rejects_readings_without_a_column_or_with_negative_energy() -> None:
    readings, table = _small()
    with pytest.raises(ReadingsError, match=r"missing column\(s\) \['energy_kwh'\]"):
        check_electricity(readings.drop(columns="energy_kwh"), table, WINDOW)
    readings.loc[5, "energy_kwh"] = -1.0
    with pytest.raises(ReadingsError, match="row 5, column energy_kwh: negative value"):
        check_electricity(readings, table, WINDOW)


def test_it_rejects_a_repeated_or_off_grid_reading() -> None:
    readings, table = _small()
    doubled = pd.concat([readings, readings.iloc[[7]]], ignore_index=True)
    with pytest.raises(ReadingsError, match=r"row \d+: a second reading"):
        check_electricity(doubled, table, WINDOW)
    readings.loc[9, "time"] += pd.Timedelta(minutes=30)
    with pytest.raises(
        ReadingsError, match="row 9: time 2024-11-26 09:30:00 is not on the 0 days 01:00:00 grid"
    ):
        check_electricity(readings, table, WINDOW, interval=pd.Timedelta("1h"))
    # Without the interval, the readings define a finer grid on which every day is incomplete.
    assert set(check_electricity(readings, table, WINDOW)["status"]) == {"insufficient_data"}


def test_it_rejects_unknown_measures_and_limits_without_a_share() -> None:
    readings, _ = _small()
    with pytest.raises(MeasuresError, match="row 0, column kind: 'pause'"):
        check_electricity(readings, measures(("m", "pause", None)), WINDOW)
    with pytest.raises(MeasuresError, match="row 0, column fraction: a limit needs a share"):
        check_electricity(readings, measures(("m", "limit", None)), WINDOW)
    with pytest.raises(MeasuresError, match="row 1, column meter"):
        check_electricity(readings, measures(("m", "stop", None), ("m", "stop", None)), WINDOW)


def test_the_result_is_one_row_per_meter_and_day_with_every_status_known(
    make_readings: MakeReadings,
) -> None:
    readings = make_readings({f"m{i}": during(i / 10) for i in range(10)}, START, LIFT)
    table = measures(*[(f"m{i}", "limit", 0.5) for i in range(10)])
    findings = check_electricity(readings, table, WINDOW)
    assert len(findings) == 30
    assert set(findings["status"]) <= {"compliant", "suspicious", "violation"}
    assert np.all(findings.groupby("meter")["day"].nunique() == 3)


def test_readings_of_meters_without_a_measure_are_ignored_and_second_stamps_work(
    make_readings: MakeReadings,
) -> None:
    readings = make_readings({"m": during(0.1), "other": normal}, START, LIFT)
    readings["time"] = readings["time"].astype("datetime64[s]")
    findings = check_electricity(readings, measures(("m", "stop", None)), WINDOW)
    assert set(findings["meter"]) == {"m"}
    assert set(findings["status"]) == {"compliant"}
