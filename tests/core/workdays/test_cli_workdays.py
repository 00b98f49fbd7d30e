"""``hazeguard workdays``: add, between and check, on the State Council's calendar."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner, Result

from hazeguard.cli import main
from paths import ROOT


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["workdays", *args])


@pytest.mark.parametrize(
    ("args", "printed"),
    [
        (("add", "2024-02-08", "2"), "2024-02-18 Sunday"),  # Fri 9th, then the Sunday worked
        (("add", "2024-02-18", "-2"), "2024-02-08 Thursday"),  # a negative count goes back
        (("add", "2024-09-27", "3"), "2024-10-08 Tuesday"),  # 国庆节: 10-01 to 10-07 off
        (("add", "2024-06-07", "0"), "2024-06-07 Friday"),
    ],
)
def test_workdays_add_prints_the_nth_working_day(args: tuple[str, ...], printed: str) -> None:
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert result.output == printed + "\n"


def test_workdays_between_counts_the_working_days_of_2024() -> None:
    # 国办发明电〔2023〕7号: 2024 has 251 working days.
    assert run("between", "2023-12-31", "2024-12-31").output == "251\n"
    assert run("between", "2024-12-31", "2023-12-31").output == "-251\n"


@pytest.mark.parametrize(
    ("day", "printed"),
    [
        ("2024-02-05", "2024-02-05 Monday: working day"),
        ("2024-02-03", "2024-02-03 Saturday: weekend (rest day)"),
        ("2024-02-12", "2024-02-12 Monday: public holiday 春节 (放假, 国办发明电〔2023〕7号)"),
        (
            "2024-02-04",
            "2024-02-04 Sunday: adjusted working day for 春节 (调休上班, 国办发明电〔2023〕7号)",
        ),
    ],
)
def test_workdays_check_names_the_holiday_or_the_adjusted_working_day(
    day: str, printed: str
) -> None:
    result = run("check", day)
    assert result.exit_code == 0, result.output
    assert result.output == printed + "\n"


def test_it_rejects_a_year_outside_the_holiday_table_naming_the_year() -> None:
    result = run("check", "2030-05-01")
    assert result.exit_code == 2
    assert result.output == (
        "Error: 2030-05-01: no State Council holiday notice for 2030 in the table (known years "
        "2013-2026); add that year's notice to holidays.yaml before counting working days in it\n"
    )
    # Counting forward may run out of the table too: the error names the year reached.
    crossing = run("add", "2026-12-30", "5")
    assert crossing.exit_code == 2
    assert crossing.output.startswith("Error: 2027-01-01: no State Council holiday notice for 2027")


def test_it_rejects_a_date_that_is_not_iso() -> None:
    result = run("between", "2024-02-30", "2024-03-01")
    assert result.exit_code == 2
    assert result.output.endswith(
        "Error: Invalid value for 'A': '2024-02-30' does not match the format '%Y-%m-%d'.\n"
    )


def test_the_workdays_session_in_the_doc_prints_what_the_command_prints() -> None:
    text = (ROOT / "docs" / "compliance.md").read_text(encoding="utf-8")
    block = re.search(r"```console\n(.*?)```", text, re.S)
    assert block is not None
    session = block.group(1).split("$ hazeguard workdays ")[1:]
    assert len(session) == 5
    for step in session:
        command, _, printed = step.partition("\n")
        assert run(*command.split()).output == printed
