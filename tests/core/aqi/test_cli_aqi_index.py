"""``hazeguard aqi index``: a table of indicators in, the index columns added."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from cli_helpers import assert_input_error, run, write


def test_index_adds_sub_indices_aqi_level_category_and_pollutants(tmp_path: Path) -> None:
    table = write(tmp_path / "in.csv", "site,pm25_24h,o3_8h,co_24h\nX,80,120,1.9\nY,35,,0.5\n")
    result = run("index", table, "-o", tmp_path / "out.csv", "--standard", "HJ633-2012")
    assert result.exit_code == 0, result.output
    out = pd.read_csv(tmp_path / "out.csv", keep_default_na=False)
    assert out["site"].tolist() == ["X", "Y"]  # other columns pass through
    assert out["iaqi_pm25_24h"].tolist() == [107, 50]
    assert out["iaqi_co_24h"].tolist() == [48, 13]
    assert out["aqi"].tolist() == [107, 50]
    assert out["level"].tolist() == [3, 1]
    assert out["category"].tolist() == ["轻度污染", "优"]
    assert out["primary_pollutants"].tolist() == ["pm25_24h", ""]
    assert out["exceedance_pollutants"].tolist() == ["pm25_24h", ""]


def test_index_reads_and_writes_parquet(tmp_path: Path) -> None:
    pd.DataFrame({"pm10_24h": [151.0], "no2_1h": [350.0]}).to_parquet(tmp_path / "in.parquet")
    result = run(
        "index",
        tmp_path / "in.parquet",
        "-o",
        tmp_path / "out.parquet",
        "--mode",
        "realtime",
        "--standard",
        "HJ633-2026",
    )
    assert result.exit_code == 0, result.output
    out = pd.read_parquet(tmp_path / "out.parquet")
    assert out["iaqi_no2_1h"].tolist() == [115]


def test_index_rejects_an_unknown_indicator_naming_the_header_cell(tmp_path: Path) -> None:
    table = write(tmp_path / "in.csv", "pm25_24h,o3_24h\n1,2\n")
    result = run("index", table, "-o", tmp_path / "out.csv")
    assert_input_error(
        result,
        f"{table}: row 1, column 'o3_24h': unknown indicator; known: "
        "pm25_24h, pm10_24h, so2_24h, no2_24h, co_24h, o3_1h, o3_8h, so2_1h, "
        "no2_1h, co_1h, pm25_1h, pm10_1h",
    )


def test_index_rejects_text_in_a_number_cell(tmp_path: Path) -> None:
    table = write(tmp_path / "in.csv", "pm25_24h,note\n12,a\n13,b\nabout 40,c\n")
    result = run("index", table, "-o", tmp_path / "out.csv")
    assert_input_error(result, f"{table}: row 4, column 'pm25_24h': 'about 40' is not a number")


def test_index_rejects_a_negative_concentration(tmp_path: Path) -> None:
    table = write(tmp_path / "in.csv", "so2_24h\n5\n-3\n")
    result = run("index", table, "-o", tmp_path / "out.csv")
    assert_input_error(
        result,
        f"{table}: row 3, column 'so2_24h': negative value -3; a concentration is never negative",
    )


def test_index_chooses_the_standard_by_the_time_column(tmp_path: Path) -> None:
    table = write(tmp_path / "in.csv", "day,pm25_24h\n2026-02-28,70\n2026-03-01,70\n")
    result = run("index", table, "-o", tmp_path / "out.csv", "--time-column", "day")
    assert result.exit_code == 0, result.output
    out = pd.read_csv(tmp_path / "out.csv")
    assert out["standard"].tolist() == ["HJ633-2012", "HJ633-2026"]
    assert out["aqi"].tolist() == [94, 110]  # 50 + 35 × 50/40 → 94; 100 + 10 × 50/55 → 110


def test_index_rejects_a_missing_time_column(tmp_path: Path) -> None:
    table = write(tmp_path / "in.csv", "pm25_24h\n70\n")
    result = run("index", table, "-o", tmp_path / "out.csv", "--time-column", "day")
    assert_input_error(result, f"{table}: row 1, column 'day': no such column")


def test_it_reads_the_standards_na_and_slash_marks_as_missing(tmp_path: Path) -> None:
    table = write(tmp_path / "in.csv", "pm25_24h,so2_24h\n80,/\nNA, / \n")
    result = run("index", table, "-o", tmp_path / "out.csv", "--standard", "HJ633-2012")
    assert result.exit_code == 0, result.output
    out = pd.read_csv(tmp_path / "out.csv")
    assert out["aqi"].fillna(-1).tolist() == [107, -1]
    assert out["so2_24h"].isna().all()
