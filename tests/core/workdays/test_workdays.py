"""Working days on the Chinese calendar, checked against the State Council's notices."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from hazeguard.plans import load_plan
from hazeguard.workdays import (
    CalendarDataError,
    UnknownYearError,
    add_working_days,
    is_working_day,
    load_calendar,
    read_calendar_data,
    working_days_between,
)

D = dt.date


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2024, 2, 4), True),  # Sunday worked, 国办发明电〔2023〕7号
        (D(2024, 2, 9), True),  # Friday, New Year's Eve: not a holiday in 2024
        (D(2024, 2, 10), False),  # Spring Festival, Saturday
        (D(2024, 2, 12), False),  # Spring Festival, Monday
        (D(2024, 2, 16), False),  # Spring Festival, Friday
        (D(2024, 2, 17), False),  # Spring Festival, Saturday
        (D(2024, 2, 18), True),  # Sunday worked after the Spring Festival
        (D(2024, 2, 24), False),  # an ordinary Saturday
        (D(2025, 9, 28), True),  # Sunday worked before National Day 2025 (国办发明电〔2024〕12号)
        (D(2025, 10, 6), False),  # Mid-autumn inside the National Day week
        (D(2025, 10, 8), False),  # Wednesday, last day of the 2025 National Day holiday
        (D(2025, 10, 9), True),
        (D(2025, 10, 11), True),  # Saturday worked after National Day 2025
        (D(2020, 1, 31), False),  # the 2020 Spring Festival extension (国办发明电〔2020〕1号)
        (D(2015, 9, 3), False),  # the 70th anniversary holiday of 2015
        (D(2015, 9, 6), True),
    ],
)
def test_it_knows_holidays_and_adjusted_working_days(day: dt.date, working: bool) -> None:
    assert is_working_day(day) is working


@pytest.mark.parametrize(("year", "days"), [(2023, 249), (2024, 251), (2025, 248)])
def test_a_year_has_the_published_number_of_working_days(year: int, days: int) -> None:
    assert working_days_between(D(year - 1, 12, 31), D(year, 12, 31)) == days


def test_counting_skips_the_2024_spring_festival_and_counts_its_adjusted_sunday() -> None:
    # Thursday 8 Feb: Friday 9 is worked, then eight days off, then Sunday 18 is worked.
    assert add_working_days(D(2024, 2, 8), 1) == D(2024, 2, 9)
    assert add_working_days(D(2024, 2, 8), 2) == D(2024, 2, 18)
    assert add_working_days(D(2024, 2, 8), 3) == D(2024, 2, 19)
    # Friday 2 Feb: Sunday 4 is a working day, so 3 working days end on Tuesday 6.
    assert add_working_days(D(2024, 2, 2), 3) == D(2024, 2, 6)


def test_counting_backwards_and_zero_are_consistent() -> None:
    assert add_working_days(D(2024, 2, 19), -2) == D(2024, 2, 9)
    assert add_working_days(D(2024, 2, 12), 0) == D(2024, 2, 12)


def test_working_days_between_is_the_inverse_of_adding() -> None:
    start = D(2025, 9, 26)
    for count in range(0, 12):
        end = add_working_days(start, count)
        assert working_days_between(start, end) == count
        assert working_days_between(end, start) == -count


def test_working_days_between_counts_the_end_but_not_the_start() -> None:
    assert working_days_between(D(2025, 9, 30), D(2025, 10, 9)) == 1
    assert working_days_between(D(2025, 9, 30), D(2025, 9, 30)) == 0


def test_it_refuses_a_year_without_a_notice() -> None:
    with pytest.raises(UnknownYearError, match=r"2027.*known years 2013-2026"):
        is_working_day(D(2027, 1, 4))
    with pytest.raises(UnknownYearError, match="2027"):
        add_working_days(D(2026, 12, 30), 5)
    with pytest.raises(UnknownYearError, match="2012"):
        working_days_between(D(2012, 12, 1), D(2013, 1, 10))


def test_every_year_names_its_notice() -> None:
    calendar = load_calendar()
    assert calendar.notice_for(D(2026, 3, 1)).notice == "国办发明电〔2025〕7号"
    assert calendar.notice_for(D(2024, 3, 1)).notice == "国办发明电〔2023〕7号"
    assert all("国办发明电" in year.notice for year in calendar.years.values())
    assert calendar.holiday_name(D(2024, 2, 12)) == "春节"


def test_a_summary_due_in_five_working_days_skips_national_day_2025() -> None:
    industry = load_plan("chaoyang-2024").department_plans[1]
    summary = next(d for d in industry.deadlines if d.kind == "summary")
    assert summary.working_days == 5
    ended = dt.datetime(2025, 9, 29, 10, 0)
    # 30 Sep, then 9, 10 (Friday), 11 (Saturday, worked), 13 October.
    assert summary.due(ended) == dt.datetime(2025, 10, 13, 10, 0)


def test_a_summary_due_in_three_working_days_skips_the_2024_spring_festival() -> None:
    liaocheng = load_plan("liaocheng-2020")
    summary = next(d for d in liaocheng.deadlines if d.working_days is not None)
    assert summary.working_days == 3
    assert summary.due(dt.datetime(2024, 2, 8, 18, 0)) == dt.datetime(2024, 2, 19, 18, 0)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "holidays.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2030:\n  source: x\n", r"year 2030: 'notice'"),
        ("2030:\n  notice: n\n  holiday: {}\n", r"unknown key\(s\) \['holiday'\]"),
        ("2030:\n  notice: n\n  holidays: {春节: [2031-02-01]}\n", r"2031-02-01 is not in 2030"),
        ("2030:\n  notice: n\n  working_days: {春节: [2030-02-04]}\n", "not a weekend day"),
        ("2030:\n  notice: n\n  holidays: {春节: [2030-02-31]}\n", "not a readable table"),
        (
            "2030:\n  notice: n\n  holidays: {春节: [2030-02-02]}\n"
            "  working_days: {春节: [2030-02-02]}\n",
            "both a holiday and a working day",
        ),
    ],
)
def test_it_rejects_a_malformed_table_naming_year_and_key(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(CalendarDataError, match=message) as caught:
        read_calendar_data(_write(tmp_path, text))
    assert "holidays.yaml" in str(caught.value)
