"""Importing the emission list through the core's workbook reader (STYLE.md §14)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Staff
from hazeguard.reduction.model import Grade
from hazeguard_platform.audit.models import AuditEntry
from hazeguard_platform.enterprises.models import ListedEnterprise, ListImport, SiteMeasure
from hazeguard_platform.enterprises.services import ListImportError, emission_list_import
from hazeguard_platform.errors import ForbiddenError, InvalidInputError

from .list_helpers import CEMENT_CODE, CHEMICALS_CODE, import_list, spoil, write_list


def test_it_imports_enterprises_units_and_site_measures_per_level(
    liaocheng: Staff, tmp_path: Path
) -> None:
    import_list(liaocheng.office_clerk, liaocheng.jurisdiction, write_list(tmp_path / "l.xlsx"))
    cement = ListedEnterprise.objects.get(credit_code=CEMENT_CODE)
    assert (cement.name, cement.county, cement.grade, cement.category) == (
        "临清市水泥有限公司", "临清市", "B", "key",
    )  # fmt: skip
    assert [u.unit_id for u in cement.units.all()] == ["K1", "M1"]
    orange = SiteMeasure.objects.filter(enterprise=cement, level="orange")
    assert [m.description for m in orange] == ["1号熟料生产线停产", "1号水泥磨限产50%"]
    record = ListImport.objects.get()
    assert (record.state, record.created, record.updated) == ("imported", 2, 0)
    assert AuditEntry.objects.filter(action="emission_list.import", actor=liaocheng.office_clerk)


def test_a_second_import_updates_in_place_and_delists_what_it_no_longer_names(
    liaocheng: Staff, tmp_path: Path
) -> None:
    clerk, place = liaocheng.office_clerk, liaocheng.jurisdiction
    import_list(clerk, place, write_list(tmp_path / "a.xlsx"))
    import_list(
        clerk, place, write_list(tmp_path / "b.xlsx", cement_grade=Grade.A, with_chemicals=False)
    )
    cement = ListedEnterprise.objects.get(credit_code=CEMENT_CODE)
    chemicals = ListedEnterprise.objects.get(credit_code=CHEMICALS_CODE)
    assert (cement.grade, cement.listed, chemicals.listed) == ("A", True, False)
    assert cement.units.count() == 2  # replaced, not doubled
    record = ListImport.objects.first()
    assert record is not None
    assert (record.updated, record.delisted) == (1, 1)


def test_a_workbook_with_errors_stores_nothing_and_names_every_sheet_row_and_column(
    liaocheng: Staff, tmp_path: Path
) -> None:
    clerk, place = liaocheng.office_clerk, liaocheng.jurisdiction
    import_list(clerk, place, write_list(tmp_path / "good.xlsx"))
    before = list(ListedEnterprise.objects.values_list("credit_code", "grade", "listed"))
    bad = write_list(tmp_path / "bad.xlsx", cement_grade=Grade.A, with_chemicals=False)
    # Row 3 is the first data row; F is the grade column, E the capacity of the units sheet.
    spoil(bad, {("企业", "F3"): "Z级", ("生产单元", "E4"): "lots"})
    with pytest.raises(ListImportError) as refused, bad.open("rb") as file:
        emission_list_import(jurisdiction=place, file=file, actor=clerk)
    where = {(e.sheet, e.row, e.column) for e in refused.value.errors}
    # The measure row naming unit M1 (row 5, column D) fails too: its unit did not validate.
    assert where == {("企业", 3, "F"), ("生产单元", 4, "E"), ("减排措施", 5, "D")}
    assert refused.value.field == "file"
    assert list(ListedEnterprise.objects.values_list("credit_code", "grade", "listed")) == before
    record = ListImport.objects.first()
    assert record is not None
    assert record.state == "refused"
    assert {(e["sheet"], e["row"], e["column"]) for e in record.errors} == where


def test_a_file_that_is_not_a_workbook_is_refused_with_a_reason(
    liaocheng: Staff, tmp_path: Path
) -> None:
    junk = tmp_path / "list.xlsx"
    junk.write_bytes(b"this is not a spreadsheet")
    # Refused before it is stored or queued (uploads.require_workbook), naming the file.
    with pytest.raises(InvalidInputError, match=r"list\.xlsx 不是 Excel 工作簿") as refused:
        import_list(liaocheng.office_clerk, liaocheng.jurisdiction, junk)
    assert refused.value.field == "file"
    assert not ListedEnterprise.objects.exists()
    assert not ListImport.objects.exists()


def test_it_refuses_an_import_by_an_approver_who_is_not_the_office(
    liaocheng: Staff, tmp_path: Path
) -> None:
    with pytest.raises(ForbiddenError):
        import_list(liaocheng.commander, liaocheng.jurisdiction, write_list(tmp_path / "l.xlsx"))
    assert AuditEntry.objects.filter(action="emission_list.import", outcome="denied").exists()
    assert not ListedEnterprise.objects.exists()
