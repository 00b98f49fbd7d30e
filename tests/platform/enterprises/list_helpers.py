"""A small Liaocheng emission list built from the core's objects and written as the workbook.

Two enterprises with real GB 32100 credit codes: a grade-B cement plant whose kiln limits 30 % at
yellow and stops at orange and red, and a grade-C chemicals plant that limits at yellow and stops
at red. Personas: ``cement_contact`` answers for the cement plant, ``chemicals_contact`` for the
chemicals plant.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.models import User
from openpyxl import load_workbook

from hazeguard.reduction.io_excel import ListWorkbook, write_workbook
from hazeguard.reduction.model import (
    EmissionList,
    Emissions,
    Enterprise,
    EnterpriseCategory,
    Grade,
    Inventory,
    Measure,
    MeasureKind,
    ProductionUnit,
    WarningLevel,
)
from hazeguard_platform.enterprises.models import ListedEnterprise
from hazeguard_platform.enterprises.services import emission_list_import, enterprise_contact_add

CEMENT_CODE = "91371581875434709F"
CHEMICALS_CODE = "91371525955779918P"


def _cement(grade: Grade = Grade.B) -> Enterprise:
    units = (
        ProductionUnit("K1", "1号熟料生产线", "kiln", 2500.0, Emissions(0.2, 1.1, 0.3, 0.0)),
        ProductionUnit("M1", "1号水泥磨", "grinding", 3000.0, Emissions(0.0, 0.0, 0.2, 0.0)),
    )
    measures = (
        Measure(WarningLevel.YELLOW, MeasureKind.LIMIT, ("K1",), fraction=0.3),
        Measure(WarningLevel.ORANGE, MeasureKind.STOP, ("K1",)),
        Measure(WarningLevel.ORANGE, MeasureKind.LIMIT, ("M1",), fraction=0.5),
        Measure(WarningLevel.RED, MeasureKind.STOP),
    )
    return Enterprise(
        CEMENT_CODE, "临清市水泥有限公司", "临清市", "3011", "cement_clinker", grade,
        EnterpriseCategory.KEY, units, measures,
    )  # fmt: skip


def _chemicals() -> Enterprise:
    units = (ProductionUnit("R1", "反应釜", "reaction", 80.0, Emissions(0.0, 0.1, 0.0, 0.4)),)
    measures = (
        Measure(WarningLevel.YELLOW, MeasureKind.LIMIT, fraction=0.2),
        Measure(WarningLevel.RED, MeasureKind.STOP),
    )
    return Enterprise(
        CHEMICALS_CODE, "冠县化工有限公司", "冠县", "2614", None, Grade.C,
        EnterpriseCategory.OTHER, units, measures,
    )  # fmt: skip


def write_list(
    path: Path,
    *,
    cement_grade: Grade = Grade.B,
    with_chemicals: bool = True,
    output_value: dict[tuple[str, str], float] | None = None,
) -> Path:
    """The list workbook at ``path``; ``output_value``: (credit code, unit) -> 日产值 [yuan/d]."""
    enterprises = (_cement(cement_grade), *((_chemicals(),) if with_chemicals else ()))
    emission_list = EmissionList("聊城市", enterprises, Inventory({}))
    write_workbook(ListWorkbook(emission_list, output_value or {}), path)
    return path


def spoil(path: Path, cells: dict[tuple[str, str], object]) -> Path:
    """Overwrite cells ``{(sheet, "C3"): value}`` of a workbook, as a person typing errors would."""
    book = load_workbook(path)
    for (sheet, cell), value in cells.items():
        book[sheet][cell] = value
    book.save(path)
    return path


def import_list(clerk: User, jurisdiction: object, path: Path) -> None:
    with path.open("rb") as file:
        emission_list_import(jurisdiction=jurisdiction, file=file, actor=clerk)  # type: ignore[arg-type]


@dataclass
class Firms:
    cement: ListedEnterprise
    chemicals: ListedEnterprise
    cement_contact: User
    chemicals_contact: User


def listed_firms(clerk: User, jurisdiction: object, folder: Path) -> Firms:
    """Import the list and give each enterprise its contact."""
    import_list(clerk, jurisdiction, write_list(folder / "list.xlsx"))
    cement = ListedEnterprise.objects.get(credit_code=CEMENT_CODE)
    chemicals = ListedEnterprise.objects.get(credit_code=CHEMICALS_CODE)
    people = []
    for firm, username in ((cement, "cement-contact"), (chemicals, "chemicals-contact")):
        user = User.objects.create_user(username=username, password="a-long-test-password-7")
        enterprise_contact_add(actor=clerk, enterprise=firm, user=user)
        people.append(user)
    return Firms(cement, chemicals, people[0], people[1])
