"""How iaqi, index_arrays and index_frame take input, reject bad input and choose the standard."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from hazeguard.aqi import HJ633_2012, HJ633_2026, iaqi, index_arrays, index_frame, sub_index
from hazeguard.aqi.exact import CHUNK


def test_a_scalar_gives_a_float_and_an_array_gives_an_array() -> None:
    assert iaqi("co_24h", 2.2) == 55.0
    assert isinstance(iaqi("co_24h", 2.2), float)
    result = iaqi("co_24h", [2.2, 3.0])
    assert isinstance(result, np.ndarray)
    np.testing.assert_array_equal(result, [55, 75])


def test_a_series_a_nullable_series_and_a_2d_array_are_accepted() -> None:
    np.testing.assert_array_equal(iaqi("pm25_24h", pd.Series([35.0, 60.0])), [50, 100])
    nullable = pd.Series([35, None, 60], dtype="Int64")
    np.testing.assert_array_equal(iaqi("pm25_24h", nullable), [50, np.nan, 100])
    grid = np.array([[35, 60], [0, 500]])
    np.testing.assert_array_equal(iaqi("pm25_24h", grid), [[50, 100], [0, 500]])


def test_the_default_standard_is_2026() -> None:
    assert iaqi("pm25_24h", 60) == 100
    assert iaqi("pm25_24h", 60, standard=HJ633_2012) == 82  # 50 + 50·25/40 = 81.25, rounded up


def test_missing_values_stay_missing() -> None:
    assert np.isnan(iaqi("pm25_24h", None))
    assert np.isnan(iaqi("pm25_24h", float("nan")))
    np.testing.assert_array_equal(iaqi("o3_1h", [np.nan, 160]), [np.nan, 50])


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ([10, 20, -1], r"pm25_24h: the concentration at position 2 is negative: -1\.0"),
        ([10, np.inf], r"pm25_24h: the concentration at position 1 is not finite"),
        ([10, "high"], r"pm25_24h: the concentration at position 1 is not a number: 'high'"),
        ([10, True], r"pm25_24h: the concentration at position 1 is not a number: True"),
        ("12", r"pm25_24h: the concentration at position 0 is not a number"),
    ],
)
def test_it_rejects_bad_input_naming_the_indicator_and_position(
    values: object, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        iaqi("pm25_24h", values)


def test_a_bad_value_in_a_later_chunk_is_found_at_its_global_position() -> None:
    values = np.full(100_000, 10.0)
    values[70_001] = -5
    with pytest.raises(ValueError, match="position 70001"):
        iaqi("no2_1h", values)


def test_a_bad_value_in_a_series_names_its_index_label() -> None:
    series = pd.Series([1.0, -2.0], index=pd.Index(["2026-03-01", "2026-03-02"]))
    with pytest.raises(ValueError, match=r"position 1 \(index '2026-03-02'\)"):
        iaqi("so2_24h", series)


def test_numeric_text_as_read_from_a_file_is_accepted() -> None:
    np.testing.assert_array_equal(
        iaqi("pm25_24h", np.array(["35", "60", None], dtype=object)), [50, 100, np.nan]
    )


def test_the_sub_index_flags_values_above_the_table() -> None:
    result = sub_index("pm25_24h", [499, 500, 501, np.nan])
    np.testing.assert_array_equal(result.iaqi, [500, 500, 500, np.nan])
    np.testing.assert_array_equal(result.above_scale, [False, False, True, False])
    so2 = sub_index("so2_1h", [801], standard=HJ633_2026)
    assert not so2.above_scale.any()  # 2026 note b: 200 by rule, not off the scale
    assert not so2.replaced.any()
    assert sub_index("so2_1h", [801], standard=HJ633_2012).replaced.all()


def test_index_arrays_rejects_unknown_indicators_and_unequal_lengths() -> None:
    with pytest.raises(ValueError, match="unknown indicator"):
        index_arrays({"pm25": [1.0]})
    with pytest.raises(ValueError, match="different lengths"):
        index_arrays({"pm25_24h": [1.0], "pm10_24h": [1.0, 2.0]})
    with pytest.raises(ValueError, match="needs at least one of"):
        index_arrays({"pm25_1h": [1.0]}, mode="daily")


def test_the_frame_keeps_its_columns_and_adds_the_report() -> None:
    frame = pd.DataFrame({"station": ["1006A"], "pm25_24h": [40.0], "pm10_24h": [64.0]})
    result = index_frame(frame, standard=HJ633_2012)
    assert list(result.columns) == [
        "station", "pm25_24h", "pm10_24h", "iaqi_pm25_24h", "iaqi_pm10_24h", "aqi", "level",
        "category", "primary_pollutants", "exceedance_pollutants", "standard", "above_scale",
    ]  # fmt: skip
    assert str(result["aqi"].dtype) == "Int64"
    assert result["above_scale"].dtype == bool
    assert "aqi" not in frame.columns  # the input is not changed


def test_the_frame_chooses_the_standard_per_row_by_date() -> None:
    frame = pd.DataFrame({"date": ["2026-02-28", "2026-03-01"], "pm25_24h": [75.0, 75.0]})
    result = index_frame(frame, time_column="date")
    assert list(result["standard"]) == [HJ633_2012, HJ633_2026]
    assert list(result["aqi"]) == [100, 114]
    assert list(result["exceedance_pollutants"]) == ["", ""]
    assert list(result["category"]) == ["良", "轻度污染"]


def test_an_explicit_standard_wins_over_the_time_column() -> None:
    frame = pd.DataFrame({"date": ["2026-03-01"], "pm25_24h": [75.0]})
    assert index_frame(frame, standard=HJ633_2012, time_column="date")["aqi"].iloc[0] == 100


def test_without_standard_or_time_the_frame_uses_2026() -> None:
    frame = pd.DataFrame({"pm25_24h": [75.0]})
    assert index_frame(frame)["standard"].iloc[0] == HJ633_2026


def test_the_2012_realtime_letter_defaults_to_2012_and_refuses_2026_rows() -> None:
    frame = pd.DataFrame({"date": ["2026-02-01", "2026-03-02"], "pm25_24h": [75.0, 75.0]})
    assert index_frame(frame.iloc[:1], mode="realtime-2012")["standard"].iloc[0] == HJ633_2012
    with pytest.raises(ValueError, match="only under HJ633-2012"):
        index_frame(frame, mode="realtime-2012", time_column="date")


def test_it_rejects_a_missing_time_column_or_a_missing_time() -> None:
    frame = pd.DataFrame({"date": ["2026-03-01", None], "pm25_24h": [75.0, 75.0]})
    with pytest.raises(ValueError, match="time column 'day'"):
        index_frame(frame, time_column="day")
    with pytest.raises(ValueError, match="position 1 is missing"):
        index_frame(frame, time_column="date")


def test_an_empty_frame_gives_an_empty_report() -> None:
    result = index_frame(pd.DataFrame({"pm25_24h": pd.Series([], dtype=float)}))
    assert len(result) == 0
    assert "aqi" in result.columns


def test_threads_give_the_same_report_and_the_first_bad_value() -> None:
    rng = np.random.default_rng(7)
    size = 8 * CHUNK + 123  # enough chunks for two threads
    values = {name: rng.uniform(0, 900, size).round(1) for name in ("pm25_1h", "so2_1h", "o3_1h")}
    values["pm25_1h"][::97] = np.nan
    one = index_arrays(values, mode="realtime", workers=1)
    two = index_arrays(values, mode="realtime", workers=2)
    np.testing.assert_array_equal(one.aqi, two.aqi)
    np.testing.assert_array_equal(one.above_scale, two.above_scale)
    values["o3_1h"][[size - 5, 10]] = -1.0
    with pytest.raises(ValueError, match="o3_1h: the concentration at position 10 "):
        index_arrays(values, mode="realtime", workers=2)


def test_the_standards_marks_for_missing_and_unmonitored_values_are_missing() -> None:
    marked = np.array(["35", "NA", "/", ""], dtype=object)
    np.testing.assert_array_equal(iaqi("pm25_24h", marked), [50, np.nan, np.nan, np.nan])


def test_the_frame_keeps_its_index_when_the_standard_changes_by_row() -> None:
    days = pd.date_range("2026-02-27", periods=4, freq="D", tz="Asia/Shanghai")
    frame = pd.DataFrame({"day": days, "pm25_24h": [75.0, 75.0, 75.0, 75.0]}, index=days)
    result = index_frame(frame, time_column="day")
    assert result.index.equals(frame.index)
    assert list(result["aqi"]) == [100, 100, 114, 114]
    assert list(result["iaqi_pm25_24h"]) == [100, 100, 114, 114]
    assert list(result["standard"]) == [HJ633_2012, HJ633_2012, HJ633_2026, HJ633_2026]


def _realtime_rows(rows: int, seed: int, decimals: int | None) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    tops = {"pm25_1h": 500, "pm10_1h": 600, "so2_1h": 800, "no2_1h": 940, "co_1h": 60, "o3_1h": 800}
    data = {}
    for name, top in tops.items():
        values = rng.uniform(0, top, rows)
        if decimals is not None:
            values = np.round(values, 1 if name == "co_1h" else decimals)
        data[name] = values
    return data


def test_preallocated_outputs_give_the_same_result_and_are_reused() -> None:
    from hazeguard.aqi import IndexBuffers

    buffers = IndexBuffers.allocate(list(_realtime_rows(1, 0, 0)), 200_000)
    for rows, seed in ((150_000, 1), (70_001, 2)):  # a shorter call after a longer one
        data = _realtime_rows(rows, seed, 0)
        data["pm25_1h"][::7] = np.nan
        data["so2_1h"][::11] = 900.0  # above the table: flags set, then cleared next call
        fresh = index_arrays(data, mode="realtime", standard="HJ633-2012")
        reused = index_arrays(data, mode="realtime", standard="HJ633-2012", out=buffers)
        np.testing.assert_array_equal(reused.aqi, fresh.aqi)
        np.testing.assert_array_equal(reused.above_scale, fresh.above_scale)
        for name in data:
            np.testing.assert_array_equal(reused.iaqi[name], fresh.iaqi[name])
        assert np.shares_memory(reused.aqi, buffers.aqi)


def test_it_refuses_buffers_too_short_or_without_an_indicator() -> None:
    from hazeguard.aqi import IndexBuffers

    data = _realtime_rows(10, 0, 0)
    with pytest.raises(ValueError, match="out= holds 5 rows"):
        index_arrays(data, mode="realtime", out=IndexBuffers.allocate(list(data), 5))
    with pytest.raises(ValueError, match="this call needs 10 rows"):
        index_arrays(data, mode="realtime", out=IndexBuffers.allocate(["pm25_1h"], 10))


@pytest.mark.parametrize("decimals", [0, 1, 3, None])
def test_values_on_the_published_grid_take_a_lookup_with_the_exact_result(
    decimals: int | None,
) -> None:
    from hazeguard.aqi.exact import _exact_chunk, check_chunk, compiled, iaqi_chunk

    data = _realtime_rows(5000, 3, decimals)
    data["co_1h"][:3] = (2.2, 0.3, 14.0)  # on the 0.1 grid, where x * 10 is not always whole
    for name, x in data.items():
        for standard in ("HJ633-2012", "HJ633-2026"):
            table = compiled(name, standard)
            facts = check_chunk(name, x, 0, None)
            fast, exact = np.empty_like(x), np.empty_like(x)
            iaqi_chunk(table, x, fast, np.zeros(x.size, dtype=bool), facts)
            _exact_chunk(table, x, exact, np.zeros(x.size, dtype=bool), facts)
            np.testing.assert_array_equal(fast, exact)
            if name == "co_1h" and standard == "HJ633-2026":
                assert fast[0] == 22  # 2.2 mg/m³ on the 1 h column 0-5 -> IAQI 0-50
