"""``hazeguard comply``: electricity and CEMS checks run from CSV files, as inspectors run them."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner, Result
from test_cems import records

from conftest import MakeReadings
from hazeguard.cli import main
from hazeguard.compliance.thresholds import THRESHOLDS_FILE

ORDER = dt.datetime(2024, 12, 10)
LIFT = dt.datetime(2024, 12, 13)
WINDOW = ["--level", "orange", "--order-time", "2024-12-10T00:00"]


def run(*args: object) -> Result:
    return CliRunner().invoke(main, ["comply", *map(str, args)])


def after_order(share: float) -> object:
    return lambda day: share if day >= ORDER.date() else 1.0


@pytest.fixture
def readings(tmp_path: Path, make_readings: MakeReadings) -> Path:
    """15-min readings of three meters from 14 days before the order to the lift."""
    shares = {"real": after_order(0.08), "fake": after_order(1.0), "cut": after_order(0.6)}
    path = tmp_path / "readings.csv"
    make_readings(shares, ORDER - dt.timedelta(days=14), LIFT).to_csv(path, index=False)
    return path


def write_measures(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "measures.csv"
    path.write_text(text, encoding="utf-8")
    return path


MEASURES = """enterprise,meter,level,kind,fraction
E1,real,orange,stop,
E1,fake,orange,stop,
E2,cut,orange,limit,0.3
E2,cut,red,stop,
"""


def test_comply_electricity_writes_findings_and_prints_days_per_meter_and_status(
    tmp_path: Path, readings: Path
) -> None:
    out = tmp_path / "findings.csv"
    result = run(
        "electricity", readings, "--measures", write_measures(tmp_path, MEASURES), *WINDOW,
        "-o", out,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == (
        "electricity check, level orange, 2024-12-10 00:00 to 2024-12-13 00:00: "
        "3 meters, 9 findings (one per meter and day)"
    )
    assert lines[1].split() == [
        "enterprise", "meter", "measure", *("compliant", "suspicious", "violation"),
        "insufficient_data",
    ]  # fmt: skip
    assert [line.split() for line in lines[2:5]] == [
        ["E1", "fake", "stop", "0", "0", "3", "0"],
        ["E1", "real", "stop", "3", "0", "0", "0"],
        ["E2", "cut", "limit", "3", "0", "0", "0"],  # the orange row; the red one is skipped
    ]
    assert lines[5] == "total: compliant 6, suspicious 0, violation 3, insufficient_data 0"
    findings = pd.read_csv(out)
    assert len(findings) == 9
    assert set(findings.loc[findings["meter"] == "fake", "status"]) == {"violation"}
    assert (findings["level"] == "orange").all()
    assert findings["clause"].str.contains("§8.1").all()


def test_comply_json_gives_the_window_and_the_counts(tmp_path: Path, readings: Path) -> None:
    measures = write_measures(tmp_path, "enterprise,meter,kind\nE1,fake,stop\nE1,none,stop\n")
    out = tmp_path / "findings.parquet"
    result = run(
        "electricity", readings, "--measures", measures, "--level", "red",
        "--order-time", "2024-12-10T08:00+08:00", "--until", "2024-12-12T00:00",
        "--interval", "15min", "-o", out, "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["level"] == "red"
    assert payload["ordered_at"] == "2024-12-10T08:00:00"
    assert payload["lifted_at"] == "2024-12-12T00:00:00"
    # Two days each; a meter without readings cannot be judged.
    assert payload["totals"] == {
        "compliant": 0, "suspicious": 0, "violation": 2, "insufficient_data": 2,
    }  # fmt: skip
    assert payload["rows"][0] == {
        "enterprise": "E1", "meter": "fake", "measure": "stop",
        "compliant": 0, "suspicious": 0, "violation": 2, "insufficient_data": 0,
    }  # fmt: skip
    assert len(pd.read_parquet(out)) == 4


def test_it_rejects_text_in_a_reading_naming_file_row_and_column(
    tmp_path: Path, readings: Path
) -> None:
    lines = readings.read_text(encoding="utf-8").splitlines()
    meter, time, _ = lines[4].split(",")
    lines[4] = f"{meter},{time},about 60"  # row 5 of the file
    readings.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run(
        "electricity", readings, "--measures", write_measures(tmp_path, MEASURES), *WINDOW,
        "-o", tmp_path / "f.csv",
    )  # fmt: skip
    assert result.exit_code == 2
    assert (
        result.output
        == f"Error: {readings}: row 5, column 'energy_kwh': 'about 60' is not a number\n"
    )


def test_it_names_the_measures_file_and_row_of_an_unknown_kind(
    tmp_path: Path, readings: Path
) -> None:
    measures = write_measures(tmp_path, MEASURES.replace("limit", "halve"))
    result = run("electricity", readings, "--measures", measures, *WINDOW, "-o", tmp_path / "f")
    assert result.exit_code == 2
    assert result.output == (
        f"Error: {measures}: measures row 4, column kind: 'halve' not in "
        "('stop', 'limit', 'load_cap')\n"
    )


def test_it_rejects_an_unknown_level_and_a_level_without_measures(
    tmp_path: Path, readings: Path
) -> None:
    measures = write_measures(tmp_path, MEASURES.replace("red", "crimson"))
    result = run("electricity", readings, "--measures", measures, *WINDOW, "-o", tmp_path / "f")
    assert result.output == (
        f"Error: {measures}: row 5, column 'level': 'crimson' is not one of yellow, orange, red\n"
    )
    measures = write_measures(tmp_path, MEASURES.replace("E1,fake,orange", "E1,fake,"))
    result = run("electricity", readings, "--measures", measures, *WINDOW, "-o", tmp_path / "f")
    assert result.output == (
        f"Error: {measures}: row 3, column 'level': an empty level is not one of yellow, orange, "
        "red\n"
    )
    measures = write_measures(tmp_path, MEASURES)
    args = ["--measures", measures, "--level", "yellow", "--order-time", "2024-12-10"]
    result = run("electricity", readings, *args, "-o", tmp_path / "f")
    assert result.exit_code == 2
    assert (
        result.output == f"Error: {measures}: row 1, column 'level': no measure for level yellow\n"
    )


def test_it_names_the_row_of_a_second_reading_for_the_same_interval(
    tmp_path: Path, readings: Path
) -> None:
    text = readings.read_text(encoding="utf-8")
    rows = text.count("\n")  # header + data rows: the copy lands on row rows + 1
    readings.write_text(text + text.splitlines()[1] + "\n", encoding="utf-8")
    result = run(
        "electricity", readings, "--measures", write_measures(tmp_path, MEASURES), *WINDOW,
        "-o", tmp_path / "f.csv",
    )  # fmt: skip
    assert result.exit_code == 2
    assert result.output == (
        f"Error: {readings}: readings row {rows + 1}: a second reading for the same meter and "
        "interval\n"
    )


def test_it_rejects_a_missing_column_and_a_bad_order_time(tmp_path: Path, readings: Path) -> None:
    measures = write_measures(tmp_path, "enterprise,meter\nE1,real\n")
    result = run("electricity", readings, "--measures", measures, *WINDOW, "-o", tmp_path / "f")
    assert result.output == f"Error: {measures}: row 1, column 'kind': missing column\n"
    measures = write_measures(tmp_path, MEASURES)
    args = ["--measures", measures, "--level", "red", "--order-time", "10 Dec"]
    result = run("electricity", readings, *args, "-o", tmp_path / "f")
    assert result.exit_code == 2
    assert result.output.endswith(
        "Error: Invalid value for --order-time: '10 Dec' is not an ISO 8601 time\n"
    )


def run_cems(tmp_path: Path, data: pd.DataFrame, outlets: str, *options: object) -> Result:
    """Write the records and the outlets' measures, then check an orange alert from 12-10."""
    data.to_csv(tmp_path / "cems.csv", index=False)
    (tmp_path / "outlets.csv").write_text(outlets, encoding="utf-8")
    window = ["--level", "orange", "--order-time", "2024-12-10"]
    return run("cems", tmp_path / "cems.csv", "--measures", tmp_path / "outlets.csv", *window,
               *options)  # fmt: skip


def test_comply_cems_judges_flow_of_a_stop_and_mass_of_a_limit(tmp_path: Path) -> None:
    data = records({"kiln": (0.03, 1.0), "boiler": (1.0, 1.0)})
    outlets = "enterprise,outlet,kind,fraction\nC1,kiln,stop,\nC1,boiler,limit,0.3\n"
    out = tmp_path / "findings.csv"
    result = run_cems(tmp_path, data, outlets, "--until", "2024-12-12", "-o", out, "--json")
    assert result.exit_code == 0, result.output
    rows = {(row["outlet"], row["quantity"]): row for row in json.loads(result.output)["rows"]}
    assert rows["kiln", "flow_m3"]["compliant"] == 2
    assert rows["boiler", "so2_kg"]["violation"] == 2  # a 30 % limit with unchanged emission
    assert set(pd.read_csv(out)["quantity"]) == {"flow_m3", "so2_kg"}


def test_comply_cems_rejects_records_without_flow(tmp_path: Path) -> None:
    data = records({"kiln": (0.03, 1.0)}).drop(columns="flow_m3_h")
    outlets = "enterprise,outlet,kind\nC1,kiln,stop\n"
    result = run_cems(tmp_path, data, outlets, "-o", tmp_path / "f.csv")
    assert result.exit_code == 2
    assert result.output == (
        f"Error: {tmp_path / 'cems.csv'}: row 1, column 'flow_m3_h': missing column\n"
    )


def test_comply_reads_a_citys_thresholds_file_and_names_its_bad_key(
    tmp_path: Path, readings: Path
) -> None:
    shipped = THRESHOLDS_FILE.read_text(encoding="utf-8")
    strict = tmp_path / "strict.yaml"
    # A city asking for 30 baseline days cannot judge from 14 days of readings.
    strict.write_text(shipped.replace("value: 7", "value: 30", 1), encoding="utf-8")
    args = ["--measures", write_measures(tmp_path, MEASURES), *WINDOW, "-o", tmp_path / "f.csv"]
    result = run("electricity", readings, *args, "--thresholds", strict, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["totals"]["insufficient_data"] == 9
    unlabelled = tmp_path / "unlabelled.yaml"
    unlabelled.write_text(shipped.replace("label: M", "label: X", 1), encoding="utf-8")
    result = run("electricity", readings, *args, "--thresholds", unlabelled)
    assert result.exit_code == 2
    assert result.output == (
        f"Error: {unlabelled}: electricity.baseline_days: label must be one of "
        "('V', 'S', 'M', 'B')\n"
    )


def test_comply_cems_needs_a_concentration_for_a_limited_outlet(tmp_path: Path) -> None:
    data = records({"boiler": (0.7, 1.0)}).drop(columns="so2_mg_m3")
    outlets = "enterprise,outlet,kind,fraction\nC1,boiler,limit,0.3\n"
    result = run_cems(tmp_path, data, outlets, "-o", tmp_path / "f.csv")
    assert result.exit_code == 2
    assert result.output == (
        f"Error: {tmp_path / 'cems.csv'}: row 1, column 'so2_mg_m3': missing column: a limited "
        "outlet needs one "
        "of so2_mg_m3, nox_mg_m3, pm_mg_m3\n"
    )


def test_a_warning_lifted_within_the_grace_period_has_nothing_to_judge(
    tmp_path: Path, readings: Path
) -> None:
    args = ["--measures", write_measures(tmp_path, MEASURES), "--level", "orange"]
    window = ["--order-time", "2024-12-10T20:00", "--until", "2024-12-11T01:00"]
    result = run("electricity", readings, *args, *window, "-o", tmp_path / "f.csv")
    assert result.exit_code == 0, result.output
    assert "0 meters, 0 findings" in result.output
    assert "total: compliant 0, suspicious 0, violation 0, insufficient_data 0" in result.output
