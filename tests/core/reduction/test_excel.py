"""The list workbook: template, import with every error located, and export round trips."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sample_list import CEMENT, GLASS, sample_book

from hazeguard.reduction.io_excel import (
    ENTERPRISES,
    MEASURES,
    SHEETS,
    UNITS,
    ListWorkbook,
    WorkbookError,
    read_workbook,
    write_template,
    write_workbook,
)
from hazeguard.reduction.model import MeasureKind, WarningLevel
from hazeguard.reduction.semantic_diff import differences
from hazeguard.reduction.synthetic import generate_city


def column_of(spec_columns: object, field: str) -> str:
    from openpyxl.utils import get_column_letter

    fields = [c.field for c in spec_columns]  # type: ignore[attr-defined]
    return get_column_letter(fields.index(field) + 1)


def test_export_then_import_gives_back_the_same_list(tmp_path: Path) -> None:
    book = sample_book()
    write_workbook(book, tmp_path / "list.xlsx")
    assert read_workbook(tmp_path / "list.xlsx") == book


def test_a_second_round_trip_changes_nothing(tmp_path: Path) -> None:
    write_workbook(sample_book(), tmp_path / "a.xlsx")
    write_workbook(read_workbook(tmp_path / "a.xlsx"), tmp_path / "b.xlsx")
    assert read_workbook(tmp_path / "b.xlsx") == read_workbook(tmp_path / "a.xlsx")


def test_the_template_has_four_sheets_with_chinese_and_english_headers(tmp_path: Path) -> None:
    write_template(tmp_path / "t.xlsx")
    workbook = load_workbook(tmp_path / "t.xlsx")
    assert workbook.sheetnames == ["企业", "生产单元", "减排措施", "排放清单"]
    for spec in SHEETS:
        sheet = workbook[spec.title]
        assert [c.value for c in sheet[1]] == [c.zh for c in spec.columns]
        assert [c.value for c in sheet[2]] == [c.en for c in spec.columns]


def test_the_template_offers_a_dropdown_for_every_enumeration(tmp_path: Path) -> None:
    write_template(tmp_path / "t.xlsx")
    sheet = load_workbook(tmp_path / "t.xlsx")["企业"]
    by_range = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    grade = column_of(ENTERPRISES.columns, "grade")
    assert "B级" in by_range[f"{grade}3:{grade}1048576"]
    category = column_of(ENTERPRISES.columns, "category")
    assert "保障类企业" in by_range[f"{category}3:{category}1048576"]


def test_an_empty_template_imports_as_an_empty_list(tmp_path: Path) -> None:
    write_template(tmp_path / "t.xlsx")
    assert read_workbook(tmp_path / "t.xlsx").emission_list.enterprises == ()


def broken_workbook(tmp_path: Path) -> Path:
    write_workbook(sample_book(), tmp_path / "list.xlsx")
    workbook = load_workbook(tmp_path / "list.xlsx")
    enterprises, units, measures = workbook["企业"], workbook["生产单元"], workbook["减排措施"]
    enterprises[f"{column_of(ENTERPRISES.columns, 'grade')}3"] = "Z级"
    enterprises[f"{column_of(ENTERPRISES.columns, 'credit_code')}4"] = CEMENT[:-1] + "0"
    units[f"{column_of(UNITS.columns, 'capacity')}4"] = "很多"
    measures[f"{column_of(MEASURES.columns, 'level')}5"] = "紫色"
    measures[f"{column_of(MEASURES.columns, 'unit_ids')}3"] = "L9"
    workbook.save(tmp_path / "broken.xlsx")
    return tmp_path / "broken.xlsx"


def test_it_reports_every_import_error_with_sheet_row_and_column(tmp_path: Path) -> None:
    with pytest.raises(WorkbookError) as caught:
        read_workbook(broken_workbook(tmp_path))
    where = {(e.sheet, e.row, e.column) for e in caught.value.errors}
    assert (("企业", 3, column_of(ENTERPRISES.columns, "grade"))) in where
    assert ("企业", 4, column_of(ENTERPRISES.columns, "credit_code")) in where
    assert ("生产单元", 4, column_of(UNITS.columns, "capacity")) in where
    assert ("减排措施", 5, column_of(MEASURES.columns, "level")) in where
    assert ("减排措施", 3, column_of(MEASURES.columns, "unit_ids")) in where
    assert "nothing imported" in str(caught.value)
    reasons = " | ".join(e.reason for e in caught.value.errors)
    assert "unknown performance grade" in reasons
    assert "not a number" in reasons


def with_text_measure(tmp_path: Path, level: str, text: str) -> Path:
    """The sample list plus one measure row given only as free text (kind left blank)."""
    write_workbook(sample_book(), tmp_path / "list.xlsx")
    workbook = load_workbook(tmp_path / "list.xlsx")
    row = dict.fromkeys(c.field for c in MEASURES.columns)
    row.update(credit_code=GLASS, level=level, text=text)
    workbook["减排措施"].append(list(row.values()))
    workbook.save(tmp_path / "text.xlsx")
    return tmp_path / "text.xlsx"


def test_it_parses_a_measure_given_only_as_free_text(tmp_path: Path) -> None:
    path = with_text_measure(
        tmp_path, "红色", "浮法玻璃窑炉投料量由960吨/天降至672吨/天；停止公路运输"
    )
    glass = read_workbook(path).emission_list.enterprises[1]
    red = glass.measures_at(WarningLevel.RED)
    feed = [m for m in red if m.amount == 672.0]
    assert feed[0].kind is MeasureKind.FEED_CAP
    assert feed[0].unit_ids == ("F1",)
    assert any(m.kind is MeasureKind.TRUCK_BAN for m in red)


def test_it_refuses_a_free_text_measure_that_needs_review(tmp_path: Path) -> None:
    path = with_text_measure(tmp_path, "橙色", "按前一年中日生产最低负荷运行")
    with pytest.raises(WorkbookError) as caught:
        read_workbook(path)
    (error,) = caught.value.errors
    assert error.column == column_of(MEASURES.columns, "text")
    assert "needs review" in error.reason


def test_it_rejects_units_of_an_enterprise_missing_from_the_sheet(
    tmp_path: Path,
) -> None:
    write_workbook(sample_book(), tmp_path / "list.xlsx")
    workbook = load_workbook(tmp_path / "list.xlsx")
    workbook["企业"].delete_rows(5)  # the heating plant, which has one unit and three measures
    workbook.save(tmp_path / "orphan.xlsx")
    with pytest.raises(WorkbookError) as caught:
        read_workbook(tmp_path / "orphan.xlsx")
    assert {(e.sheet, e.column) for e in caught.value.errors} == {
        ("生产单元", "A"),
        ("减排措施", "A"),
    }


def test_a_synthetic_city_round_trips_to_excel_precision(tmp_path: Path) -> None:
    city = generate_city(150, seed=8)
    values = {(e.credit_code, u.unit_id): 1e5 / 3 for e in city.enterprises for u in e.units}
    book = ListWorkbook(city, values)
    write_workbook(book, tmp_path / "city.xlsx")
    back = read_workbook(tmp_path / "city.xlsx")
    assert differences(back, book, rel_tol=1e-14) == []
    # and the exported file is a fixed point: export(import(x)) == x exactly
    write_workbook(back, tmp_path / "again.xlsx")
    assert read_workbook(tmp_path / "again.xlsx") == back


def test_differences_names_the_path_of_what_changed() -> None:
    book = sample_book()
    cement = book.emission_list.enterprises[0]
    renamed = replace(cement, units=(replace(cement.units[0], capacity=2600.0), *cement.units[1:]))
    other = replace(book.emission_list, enterprises=(renamed, *book.emission_list.enterprises[1:]))
    assert differences(book, replace(book, emission_list=other)) == [
        ".emission_list.enterprises[0].units[0].capacity"
    ]


def test_it_reports_a_file_that_is_not_a_workbook(tmp_path: Path) -> None:
    (tmp_path / "list.xlsx").write_text("not a zip", encoding="utf-8")
    with pytest.raises(WorkbookError, match="not a workbook"):
        read_workbook(tmp_path / "list.xlsx")
