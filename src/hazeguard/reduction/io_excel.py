"""The emission-reduction list as the Excel workbook people exchange: template, import, export.

Four sheets (emission-list.md §6.1 fields, reduced to what the model holds): 企业 (enterprises),
生产单元 (production units), 减排措施 (measures, one row per enterprise, level and measure) and
排放清单 (the society-wide inventory), laid out in :mod:`hazeguard.reduction.excel_layout`.
Enumerations have a dropdown (data validation) with the Chinese labels.

Every row is validated by the same functions as manual entry (:mod:`hazeguard.reduction.entry`);
the import collects *every* error with its sheet, row and column and imports nothing if any row
fails (STYLE.md rule 14). Large workbooks are read and written in openpyxl's streaming modes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from python_calamine import CalamineError, CalamineWorkbook

from hazeguard.reduction.entry import (
    LABELS_ZH,
    YES,
    EntryError,
    FieldError,
    enterprise_from_fields,
    inventory_from_fields,
    label,
    measures_from_fields,
    unit_from_fields,
)
from hazeguard.reduction.excel_layout import (
    BOOL,
    ENTERPRISES,
    FIRST_DATA_ROW,
    INVENTORY,
    MEASURES,
    SHEETS,
    UNITS,
    Column,
    SheetSpec,
)
from hazeguard.reduction.model import (
    EmissionList,
    Emissions,
    Enterprise,
    Inventory,
    Measure,
    ProductionUnit,
    SourceClass,
)

__all__ = [  # the layout is re-exported: callers need one import for the workbook
    "ENTERPRISES",
    "INVENTORY",
    "MEASURES",
    "SHEETS",
    "UNITS",
    "CellError",
    "ListWorkbook",
    "WorkbookError",
    "read_workbook",
    "write_template",
    "write_workbook",
]


@dataclass(frozen=True)
class ListWorkbook:
    """What a workbook holds: the list, and each unit's daily output value for costing.

    ``output_value`` maps (credit code, unit id) to the unit's output value [yuan/d], the lost
    value per day when it stops (emission-list.md §9.2 cost).
    """

    emission_list: EmissionList
    output_value: Mapping[tuple[str, str], float] = field(default_factory=dict)


@dataclass(frozen=True)
class CellError:
    """One import error: where (sheet, row, column) and why."""

    sheet: str
    row: int
    column: str  # letter, e.g. "C"
    header: str
    reason: str

    def __str__(self) -> str:
        return f"{self.sheet}!{self.column}{self.row} ({self.header}): {self.reason}"


class WorkbookError(ValueError):
    """A workbook that cannot be imported; ``errors`` lists every problem found."""

    def __init__(self, path: Path, errors: list[CellError]) -> None:
        self.errors = tuple(errors)
        lines = "\n".join(f"  {error}" for error in errors[:50])
        more = f"\n  ... and {len(errors) - 50} more" if len(errors) > 50 else ""
        super().__init__(f"{path}: {len(errors)} error(s), nothing imported\n{lines}{more}")


def write_template(path: Path) -> None:
    """Write an empty list workbook with headers and dropdowns."""
    write_workbook(ListWorkbook(EmissionList("", (), Inventory({}))), path)


def write_workbook(book: ListWorkbook, path: Path) -> None:
    """Export a list to a workbook that :func:`read_workbook` reads back to the same list."""
    workbook = Workbook(write_only=True)
    rows = {
        ENTERPRISES.title: (_enterprise_row(e) for e in book.emission_list.enterprises),
        UNITS.title: _unit_rows(book),
        MEASURES.title: _measure_rows(book.emission_list.enterprises),
        INVENTORY.title: _inventory_rows(book.emission_list),
    }
    for spec in SHEETS:
        sheet = workbook.create_sheet(spec.title)
        sheet.freeze_panes = f"A{FIRST_DATA_ROW}"
        for index, column in enumerate(spec.columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(12, len(column.zh) * 2)
            if column.choices is not None:
                sheet.data_validations.append(_dropdown(column, index))
        sheet.append([c.zh for c in spec.columns])
        sheet.append([c.en for c in spec.columns])
        for values in rows[spec.title]:
            sheet.append([values.get(c.field) for c in spec.columns])
    workbook.save(path)


def _dropdown(column: Column, index: int) -> DataValidation:
    if column.choices == BOOL:
        options = [YES, "否"]
    else:
        assert isinstance(column.choices, type)
        options = list(LABELS_ZH[column.choices].values())
    letter = get_column_letter(index)
    validation = DataValidation(
        type="list", formula1='"' + ",".join(options) + '"', allow_blank=True
    )
    validation.error = f"请从下拉列表选择 / choose from the list: {'、'.join(options)}"
    validation.showErrorMessage = True
    validation.add(f"{letter}{FIRST_DATA_ROW}:{letter}1048576")
    return validation


def _enterprise_row(e: Enterprise) -> dict[str, object]:
    return {
        "credit_code": e.credit_code,
        "name": e.name,
        "county": e.county,
        "industry_code": e.industry_code,
        "key_industry": e.key_industry,
        "grade": label(e.grade),
        "category": label(e.category),
        "essential_basis": label(e.essential_basis) if e.essential_basis else None,
        "coal_or_oil_fired": YES if e.coal_or_oil_fired else "否",
        "toxic_pollutants": YES if e.toxic_pollutants else "否",
        "power_meters": "; ".join(e.power_meters) or None,
        "truck_trips": "; ".join(f"{label(t.stage)}:{t.trips_per_day:g}" for t in e.truck_trips)
        or None,
    }


def _emission_cells(emissions: Emissions) -> dict[str, object]:
    return dict(zip(("so2", "nox", "pm", "vocs"), emissions.as_tuple(), strict=True))


def _unit_rows(book: ListWorkbook) -> Iterator[dict[str, object]]:
    for enterprise in book.emission_list.enterprises:
        for unit in enterprise.units:
            yield {
                "credit_code": enterprise.credit_code,
                "unit_id": unit.unit_id,
                "name": unit.name,
                "process": unit.process,
                "capacity": unit.capacity,
                "capacity_unit": unit.capacity_unit,
                **_emission_cells(unit.baseline),
                "status": label(unit.status),
                "output_value": book.output_value.get((enterprise.credit_code, unit.unit_id)),
            }


def _measure_rows(enterprises: Iterable[Enterprise]) -> Iterator[dict[str, object]]:
    for enterprise in enterprises:
        for m in enterprise.measures:
            yield {
                "credit_code": enterprise.credit_code,
                "level": label(m.level),
                "kind": label(m.kind),
                "unit_ids": "; ".join(m.unit_ids) or None,
                "fraction_pct": None if m.fraction is None else round(m.fraction * 100, 10),
                "amount": m.amount,
                "base_amount": m.base_amount,
                "batch": m.batch,
                "batches": m.batches,
                "truck_stage": label(m.truck_stage) if m.truck_stage else None,
                "reason": m.reason or None,
                "text": m.text or None,
                "rule_ref": m.rule_ref,
            }


def _inventory_rows(emission_list: EmissionList) -> Iterator[dict[str, object]]:
    for source, emissions in emission_list.inventory.by_source.items():
        yield {
            "jurisdiction": emission_list.jurisdiction,
            "source_class": label(source),
            **_emission_cells(emissions),
        }


def read_workbook(path: Path) -> ListWorkbook:
    """Import a list workbook; raise :class:`WorkbookError` listing every error if any row fails."""
    errors: list[CellError] = []
    try:
        # calamine (Rust) parses a sheet ~30x faster than openpyxl's read-only mode.
        workbook = CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError) as error:
        raise WorkbookError(
            path, [CellError("-", 0, "-", "", f"not a workbook: {error}")]
        ) from None
    rows = {spec.title: list(_sheet_records(workbook, spec, errors)) for spec in SHEETS}
    builder = _Builder(errors)
    for row, raw in rows[UNITS.title]:
        builder.unit(row, raw)
    for row, raw in rows[MEASURES.title]:
        builder.measure(row, raw)
    for row, raw in rows[ENTERPRISES.title]:
        builder.enterprise(row, raw)
    for row, raw in rows[INVENTORY.title]:
        builder.inventory(row, raw)
    builder.orphans()
    if errors:
        raise WorkbookError(path, errors)
    jurisdiction = builder.jurisdiction or ""
    emission_list = EmissionList(
        jurisdiction, tuple(builder.enterprises), Inventory(builder.sources)
    )
    return ListWorkbook(emission_list, builder.output_value)


def _sheet_records(
    workbook: CalamineWorkbook, spec: SheetSpec, errors: list[CellError]
) -> Iterator[tuple[int, dict[str, object]]]:
    """(row number, field -> value) for every non-blank data row of one sheet."""
    if spec.title not in workbook.sheet_names:
        errors.append(CellError(spec.title, 1, "A", "", f"sheet {spec.title!r} is missing"))
        return
    table = workbook.get_sheet_by_name(spec.title).to_python(skip_empty_area=False)
    header = [None if v == "" else v for v in (table[0] if table else [])]
    by_zh = {c.zh: c.field for c in spec.columns}
    fields: list[str | None] = []
    for index, text in enumerate(header, start=1):
        name = None if text is None else by_zh.get(str(text).strip())
        if text is not None and name is None:
            letter = get_column_letter(index)
            errors.append(CellError(spec.title, 1, letter, str(text), "unknown column"))
        fields.append(name)
    for column in spec.columns:
        if column.field not in fields:
            errors.append(CellError(spec.title, 1, "-", column.zh, "column is missing"))
    for number, values in enumerate(table[FIRST_DATA_ROW - 1 :], start=FIRST_DATA_ROW):
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        yield (
            number,
            {
                f: (None if v == "" else v)
                for f, v in zip(fields, values, strict=False)
                if f is not None
            },
        )


class _Builder:
    """Assembles validated rows into enterprises, turning entry errors into cell errors."""

    def __init__(self, errors: list[CellError]) -> None:
        self.errors = errors
        self.units: dict[str, list[ProductionUnit]] = defaultdict(list)
        self.unit_rows: dict[str, int] = {}
        self.measures: dict[str, list[Measure]] = defaultdict(list)
        self.measure_rows: dict[str, int] = {}
        self.enterprises: list[Enterprise] = []
        self.output_value: dict[tuple[str, str], float] = {}
        self.sources: dict[SourceClass, Emissions] = {}
        self.jurisdiction: str | None = None
        self.seen: dict[str, int] = {}

    def _fail(self, spec: SheetSpec, row: int, error: EntryError) -> None:
        for problem in error.errors:
            index = next(i for i, c in enumerate(spec.columns, 1) if c.field == problem.field)
            header = spec.columns[index - 1].zh
            letter = get_column_letter(index)
            self.errors.append(CellError(spec.title, row, letter, header, problem.reason))

    def unit(self, row: int, raw: dict[str, object]) -> None:
        try:
            code, unit = unit_from_fields(raw)
            value = _output_value(raw, unit)
        except EntryError as error:
            self._fail(UNITS, row, error)
            return
        if any(u.unit_id == unit.unit_id for u in self.units[code]):
            self._fail(UNITS, row, _error("unit_id", f"{unit.unit_id} repeats for {code}"))
            return
        self.units[code].append(unit)
        self.unit_rows.setdefault(code, row)
        if value is not None:
            self.output_value[(code, unit.unit_id)] = value

    def measure(self, row: int, raw: dict[str, object]) -> None:
        code = str(raw.get("credit_code") or "").strip()
        try:
            code, measures = measures_from_fields(raw, self.units.get(code, []))
        except EntryError as error:
            self._fail(MEASURES, row, error)
            return
        self.measures[code].extend(measures)
        self.measure_rows.setdefault(code, row)

    def enterprise(self, row: int, raw: dict[str, object]) -> None:
        code = str(raw.get("credit_code") or "").strip()
        if code in self.seen:
            message = f"credit code also on row {self.seen[code]}"
            self._fail(ENTERPRISES, row, _error("credit_code", message))
            return
        self.seen[code] = row
        try:
            enterprise = enterprise_from_fields(raw, self.units.get(code, ()), self.measures[code])
        except EntryError as error:
            self._fail(ENTERPRISES, row, error)
            return
        self.enterprises.append(enterprise)

    def inventory(self, row: int, raw: dict[str, object]) -> None:
        try:
            jurisdiction, source, emissions = inventory_from_fields(raw)
        except EntryError as error:
            self._fail(INVENTORY, row, error)
            return
        if self.jurisdiction not in (None, jurisdiction):
            message = f"one list has one jurisdiction; earlier rows say {self.jurisdiction!r}"
            self._fail(INVENTORY, row, _error("jurisdiction", message))
        elif source in self.sources:
            self._fail(INVENTORY, row, _error("source_class", f"{label(source)} repeats"))
        self.jurisdiction = jurisdiction
        self.sources[source] = emissions

    def orphans(self) -> None:
        """Units and measures whose credit code has no row on the enterprise sheet."""
        for code, row in self.unit_rows.items():
            if code not in self.seen:
                self._fail(UNITS, row, _error("credit_code", f"{code} is not on sheet 企业"))
        for code, row in self.measure_rows.items():
            if code not in self.seen:
                self._fail(MEASURES, row, _error("credit_code", f"{code} is not on sheet 企业"))


def _error(field_name: str, reason: str) -> EntryError:
    return EntryError([FieldError(field_name, reason)])


def _output_value(raw: Mapping[str, object], unit: ProductionUnit) -> float | None:
    """Entered daily output value, else capacity × price [yuan/d]; None when neither is given."""
    for name in ("output_value", "price"):
        value = raw.get(name)
        if value is None or value == "":
            continue
        try:
            number = float(str(value))
        except ValueError:
            raise _error(name, f"not a number: {value!r}") from None
        if not number >= 0:
            raise _error(name, f"must be >= 0, got {value!r}")
        return number if name == "output_value" else number * unit.capacity
    return None
