"""The tables, modes, levels and texts of HJ 633-2012 and HJ 633-2026, and the standard by date."""

from __future__ import annotations

import csv
import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from hazeguard.aqi import (
    HJ633_2012,
    HJ633_2026,
    INDICATORS,
    STANDARDS,
    breakpoints,
    describe_level,
    level_of,
    mode_indicators,
    standard_at,
)

DATA = Path(__file__).parent / "data"
IAQI_ROWS = (0, 50, 100, 150, 200, 300, 400, 500)

with (DATA / "hj633_breakpoints.csv").open(encoding="utf-8") as _file:
    TABLE_ROWS = list(csv.DictReader(_file))


@pytest.mark.parametrize(
    "row", TABLE_ROWS, ids=[f"{row['standard']}-{row['indicator']}" for row in TABLE_ROWS]
)
def test_each_column_holds_the_standards_limits(row: dict[str, str]) -> None:
    column = breakpoints(row["indicator"], row["standard"])
    limits = [int(row[f"iaqi_{value}"]) for value in IAQI_ROWS if row[f"iaqi_{value}"]]
    assert list(column.concentrations) == limits
    assert list(column.iaqi) == list(IAQI_ROWS[: len(limits)])


def test_every_indicator_has_a_column_under_every_standard() -> None:
    listed = {(row["standard"], row["indicator"]) for row in TABLE_ROWS}
    assert listed == {(standard, name) for standard in STANDARDS for name in INDICATORS}


def test_the_above_top_rules_follow_the_table_notes() -> None:
    assert breakpoints("so2_1h", HJ633_2012).above_top == "na"  # 2012 note 2
    assert breakpoints("o3_8h", HJ633_2012).above_top == "na"  # 2012 note 3
    assert breakpoints("so2_1h", HJ633_2026).above_top == "top"  # 2026 note b
    assert breakpoints("o3_8h", HJ633_2026).above_top == "top"  # 2026 note c
    assert breakpoints("pm25_24h", HJ633_2026).above_top == "cap"


def test_it_rejects_an_unknown_indicator_or_standard() -> None:
    with pytest.raises(ValueError, match=r"unknown indicator 'pm2\.5'"):
        breakpoints("pm2.5", HJ633_2026)
    with pytest.raises(ValueError, match="unknown standard 'HJ633'"):
        breakpoints("pm25_24h", "HJ633")


def test_the_daily_report_has_seven_indicators_in_2012_and_six_in_2026() -> None:
    daily_2012 = set(mode_indicators("daily", HJ633_2012))
    assert daily_2012 - set(mode_indicators("daily", HJ633_2026)) == {"o3_1h"}
    assert len(mode_indicators("daily", HJ633_2026)) == 6


def test_the_realtime_reports_differ_in_pm_and_o3() -> None:
    assert set(mode_indicators("realtime", HJ633_2026)) == {
        "so2_1h", "no2_1h", "co_1h", "o3_1h", "pm10_1h", "pm25_1h",
    }  # fmt: skip
    assert set(mode_indicators("realtime-2012", HJ633_2012)) == {
        "so2_1h", "no2_1h", "co_1h", "o3_1h", "o3_8h", "pm10_24h", "pm25_24h",
    }  # fmt: skip


def test_it_rejects_the_2012_realtime_letter_under_2026_and_unknown_modes() -> None:
    with pytest.raises(ValueError, match="only under HJ633-2012"):
        mode_indicators("realtime-2012", HJ633_2026)
    with pytest.raises(ValueError, match="unknown report mode 'hourly'"):
        mode_indicators("hourly", HJ633_2026)


@pytest.mark.parametrize(
    ("aqi", "level"),
    [(0, 1), (1, 1), (50, 1), (51, 2), (100, 2), (101, 3), (150, 3), (151, 4), (200, 4),
     (201, 5), (300, 5), (301, 6), (500, 6)],
)  # fmt: skip
def test_the_level_boundaries_are_inclusive_upper_bounds(aqi: int, level: int) -> None:
    assert level_of(aqi) == level


def test_levels_of_an_array_keep_nan_and_a_missing_scalar_is_an_error() -> None:
    np.testing.assert_array_equal(level_of([50, np.nan, 301]), [1, np.nan, 6])
    with pytest.raises(ValueError, match="missing"):
        level_of(float("nan"))
    with pytest.raises(ValueError, match="negative"):
        level_of(-1)


@pytest.mark.parametrize(
    ("level", "category", "english", "rgb", "hex_colour"),
    [
        (1, "优", "Excellent", (0, 228, 0), "#00E400"),
        (2, "良", "Good", (255, 255, 0), "#FFFF00"),
        (3, "轻度污染", "Lightly polluted", (255, 126, 0), "#FF7E00"),
        (4, "中度污染", "Moderately polluted", (255, 0, 0), "#FF0000"),
        (5, "重度污染", "Heavily polluted", (153, 0, 76), "#99004C"),
        (6, "严重污染", "Severely polluted", (126, 0, 35), "#7E0023"),
    ],
)
@pytest.mark.parametrize("standard", [HJ633_2012, HJ633_2026])
def test_each_level_has_the_appendix_a_colour_and_category(
    level: int,
    category: str,
    english: str,
    rgb: tuple[int, int, int],
    hex_colour: str,
    standard: str,
) -> None:
    info = describe_level(level, standard)
    assert (info.category_zh, info.category_en, info.rgb, info.hex) == (
        category, english, rgb, hex_colour,
    )  # fmt: skip


def test_the_2012_texts_are_word_for_word() -> None:
    assert describe_level(1, HJ633_2012).health_effect == "空气质量令人满意，基本无空气污染"
    assert describe_level(3, HJ633_2012).health_effect == (
        "易感人群症状有轻度加剧，健康人群出现刺激症状"
    )
    # The official PDF prints 锻练 in level 4 and 锻炼 in level 3.
    assert "户外锻练" in describe_level(4, HJ633_2012).advice
    assert "户外锻炼" in describe_level(3, HJ633_2012).advice
    assert describe_level(6, HJ633_2012).advice == (
        "儿童、老年人和病人应当留在室内，避免体力消耗，一般人群应避免户外活动"
    )


def test_the_2026_texts_are_reworded_from_level_three() -> None:
    for level in (1, 2):
        assert describe_level(level, HJ633_2026).advice == describe_level(level, HJ633_2012).advice
    assert describe_level(3, HJ633_2026).health_effect.startswith("敏感人群")
    assert describe_level(4, HJ633_2026).health_effect == (
        "进一步加剧敏感人群症状，可能对健康人群心血管系统、呼吸系统有影响"
    )
    assert describe_level(5, HJ633_2026).advice == (
        "青少年儿童、老年人和心血管系统疾病、呼吸系统疾病患者应停留在室内，停止户外运动，"
        "一般人群减少户外运动"
    )
    assert describe_level(6, HJ633_2026).advice.startswith("青少年儿童、老年人和病人")
    unchanged = describe_level(6, HJ633_2012).health_effect
    assert describe_level(6, HJ633_2026).health_effect == unchanged


def test_level_one_starts_at_zero_in_2012_and_at_one_in_2026() -> None:
    assert describe_level(1, HJ633_2012).aqi_range == (0, 50)
    assert describe_level(1, HJ633_2026).aqi_range == (1, 50)
    assert describe_level(6, HJ633_2026).aqi_range == (301, 500)


def test_it_rejects_a_level_outside_one_to_six() -> None:
    with pytest.raises(ValueError, match="from 1 to 6"):
        describe_level(7)
    with pytest.raises(ValueError, match="from 1 to 6"):
        describe_level(True)


@pytest.mark.parametrize(
    ("time", "standard"),
    [
        ("2026-02-28 23:59", HJ633_2012),
        ("2026-03-01 00:00", HJ633_2026),
        (datetime.date(2026, 3, 1), HJ633_2026),
        ("2015-12-01", HJ633_2012),
        # 2026-02-28 16:30 UTC is 2026-03-01 00:30 in Asia/Shanghai.
        (pd.Timestamp("2026-02-28 16:30", tz="UTC"), HJ633_2026),
        (pd.Timestamp("2026-02-28 15:30", tz="UTC"), HJ633_2012),
    ],
)
def test_the_standard_is_chosen_by_local_date(time: object, standard: str) -> None:
    assert standard_at(time) == standard  # type: ignore[arg-type]
