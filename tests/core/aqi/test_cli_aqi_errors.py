"""``hazeguard aqi hourly|daily|rolling``: bad input stops naming the file, row and column."""

from __future__ import annotations

from pathlib import Path

from cli_helpers import assert_input_error, hourly_csv, run, write


def test_it_reports_a_bad_cell_in_the_second_file_with_that_files_row(tmp_path: Path) -> None:
    first = hourly_csv(tmp_path / "a.csv", days=1, stations=("A",))
    second = write(
        tmp_path / "b.csv", "time,station,pm25\n2015-12-01 01:00,B,5\n2015-12-01 02:00,B,-1\n"
    )
    result = run("hourly", first, second, "-o", tmp_path / "o.csv")
    assert_input_error(
        result,
        f"{second}: row 3, column 'pm25': negative value -1; a concentration is never negative",
    )


def test_it_names_the_files_own_column_for_a_mapped_pollutant(tmp_path: Path) -> None:
    table = write(tmp_path / "h.csv", "time,PM2.5\n2015-12-01 01:00,12\n2015-12-01 02:00,twelve\n")
    result = run("hourly", table, "-o", tmp_path / "o.csv", "--map", "PM2.5=pm25")
    assert_input_error(result, f"{table}: row 3, column 'PM2.5': 'twelve' is not a number")


def test_it_rejects_a_duplicate_time_for_a_station(tmp_path: Path) -> None:
    table = write(
        tmp_path / "h.csv",
        "time,station,pm25\n2015-12-01 01:00,A,1\n2015-12-01 01:00,B,2\n2015-12-01 01:00,A,3\n",
    )
    result = run("daily", table, "-o", tmp_path / "o.csv")
    assert_input_error(
        result,
        f"{table}: row 4, column 'time': duplicate time "
        f"2015-12-01 01:00:00 for station 'A'; first given in {table} row 2",
    )


def test_it_rejects_a_time_that_does_not_parse(tmp_path: Path) -> None:
    table = write(tmp_path / "h.csv", "time,pm25\n2015-12-01 01:00,1\n2015-13-01 02:00,2\n")
    result = run("rolling", table, "-o", tmp_path / "o.csv")
    assert_input_error(
        result, f"{table}: row 3, column 'time': time '2015-13-01 02:00' is not an ISO 8601 time"
    )


def test_it_rejects_a_date_that_does_not_exist_in_time_parts(tmp_path: Path) -> None:
    table = write(tmp_path / "h.csv", "year,month,day,hour,pm25\n2015,2,28,0,1\n2015,2,29,0,1\n")
    result = run("daily", table, "-o", tmp_path / "o.csv", "--time-parts", "year,month,day,hour")
    assert_input_error(result, f"{table}: row 3, column 'day': date 2015-2-29 does not exist")


def test_it_rejects_an_unknown_map_target() -> None:
    result = run("daily", "x.csv", "-o", "o.csv", "--map", "PM2.5=pm2")
    assert result.exit_code == 2
    assert "'PM2.5=pm2': expected COLUMN=NAME" in result.output


def test_it_rejects_a_missing_time_column(tmp_path: Path) -> None:
    table = write(tmp_path / "h.csv", "when,pm25\n2015-12-01 01:00,1\n")
    result = run("daily", table, "-o", tmp_path / "o.csv")
    assert_input_error(
        result, f"{table}: row 1, column 'time': no time column (map one or give the time parts)"
    )


def test_it_rejects_a_glob_that_matches_nothing(tmp_path: Path) -> None:
    result = run("daily", tmp_path / "none*.csv", "-o", tmp_path / "o.csv")
    assert_input_error(result, f"{tmp_path / 'none*.csv'}: no file matches")


def test_it_counts_a_blank_line_as_a_row_of_the_file(tmp_path: Path) -> None:
    table = write(tmp_path / "h.csv", "time,pm25\n2015-12-01 01:00,1\n\n2015-12-01 03:00,x\n")
    result = run("hourly", table, "-o", tmp_path / "o.csv")
    assert_input_error(result, f"{table}: row 3, column 'time': time is empty")
