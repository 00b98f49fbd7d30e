"""Industry rule tables: the measures each grade must take at each level, loaded from YAML.

A rule table is a floor (reference emission-list.md §11.2): a site plan is valid when it cuts at
least as much as its table says. Tables are layered — national, then defaults, then a city
directory — and a later layer replaces an earlier table of the same ``industry``. Every loaded
row keeps its ``file:line`` so a finding can cite it. The file format is in docs/reduction.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

import yaml

from hazeguard.reduction.model import (
    LEVELS,
    EmissionStage,
    Enterprise,
    EnterpriseCategory,
    Grade,
    MeasureKind,
    WarningLevel,
)

__all__ = [
    "DEFAULT_RULE_DIRECTORIES",
    "RULES_DIRECTORY",
    "Confidence",
    "RuleBook",
    "RuleCell",
    "RuleMeasure",
    "RuleTable",
    "RuleTableError",
    "default_rule_book",
    "load_rule_book",
    "load_rule_table",
]

RULES_DIRECTORY = Path(__file__).parent / "rules"
DEFAULT_RULE_DIRECTORIES = (RULES_DIRECTORY / "national", RULES_DIRECTORY / "defaults")
KEY_DEFAULT = "key_default"  # the table for a key industry that has no table of its own

_TOP_KEYS = {"industry", "name_zh", "source", "confidence", "effective", "applies_to"}
_TOP_KEYS |= {"grade_fallback", "grades", "notes"}
_APPLIES_KEYS = {"industry_codes", "categories"}
_MEASURE_KEYS = {"kind", "percent", "truck_stage", "processes", "note"}
_RULE_KINDS = {MeasureKind.STOP, MeasureKind.LIMIT, MeasureKind.STOP_LINES, MeasureKind.TRUCK_BAN}
_WILDCARD = "*"
_E = TypeVar("_E", bound=StrEnum)


class Confidence(StrEnum):
    """How sure the source of a table is (reference emission-list.md §0)."""

    VERIFIED = "V"  # read in a cited source
    SECONDARY = "S"  # a news summary or third-party encoding
    MEMORY = "M"  # prior knowledge: an editable default the command office confirms
    PLAN = "B"  # stated in a plan in seeds/, not confirmed nationally


class RuleTableError(ValueError):
    """A rule table that cannot be loaded; the message names the file, line and key."""


@dataclass(frozen=True, slots=True)
class RuleMeasure:
    """One measure a rule cell requires. ``processes`` empty means every unit."""

    kind: MeasureKind
    fraction: float | None  # LIMIT cut or STOP_LINES capacity share [0-1]
    truck_stage: EmissionStage | None  # TRUCK_BAN: newest banned stage
    processes: tuple[str, ...]
    ref: str  # "file.yaml:line"

    def covers(self, process: str) -> bool:
        """True when this measure applies to a unit with this process tag."""
        return not self.processes or process in self.processes


@dataclass(frozen=True, slots=True)
class RuleCell:
    """What one grade must do at one level; ``voluntary`` means self-determined (no floor)."""

    grade: str  # a Grade value or "*"
    level: WarningLevel
    measures: tuple[RuleMeasure, ...]
    voluntary: bool
    ref: str  # "file.yaml:line grades.<grade>.<level>"


@dataclass(frozen=True, slots=True)
class RuleTable:
    """The rule table of one industry (or default), with its source and confidence."""

    industry: str
    name_zh: str
    source: str
    confidence: Confidence
    effective: dt.date
    path: str
    industry_codes: tuple[str, ...]  # GB/T 4754 prefixes a non-key enterprise matches on
    categories: tuple[EnterpriseCategory, ...]  # categories a default table serves
    grade_fallback: Mapping[Grade, Grade]
    cells: Mapping[tuple[str, WarningLevel], RuleCell]

    def cell(self, grade: Grade, level: WarningLevel) -> RuleCell | None:
        """The cell for a grade at a level, following ``grade_fallback``, then ``"*"``."""
        seen: set[Grade] = set()
        current: Grade | None = grade
        while current is not None and current not in seen:
            found = self.cells.get((current.value, level))
            if found is not None:
                return found
            seen.add(current)
            current = self.grade_fallback.get(current)
        return self.cells.get((_WILDCARD, level))


@dataclass(frozen=True, slots=True)
class RuleBook:
    """All rule tables in force, by industry id."""

    tables: Mapping[str, RuleTable]

    def table_for(self, enterprise: Enterprise) -> RuleTable | None:
        """The table whose floor applies to an enterprise, or None (e.g. essential ones).

        A key industry uses its own table, else ``key_default``; a non-key enterprise uses the
        table with the longest matching GB/T 4754 prefix, else the default for its category.
        """
        return self.table_for_industry(
            enterprise.key_industry, enterprise.industry_code, enterprise.category
        )

    def table_for_industry(
        self, key_industry: str | None, industry_code: str, category: EnterpriseCategory
    ) -> RuleTable | None:
        """The table for an enterprise of this key industry, GB/T 4754 code and category."""
        if key_industry is not None:
            return self.tables.get(key_industry) or self.tables.get(KEY_DEFAULT)
        best: tuple[int, RuleTable] | None = None
        for table in self.tables.values():
            for prefix in table.industry_codes:
                if industry_code.startswith(prefix) and (best is None or len(prefix) > best[0]):
                    best = (len(prefix), table)
        if best is not None:
            return best[1]
        for table in self.tables.values():
            if category in table.categories:
                return table
        return None


class _LineDict(dict[Any, Any]):
    """A YAML mapping that remembers the line of each key (1-based)."""

    line: int
    key_lines: dict[Any, int]


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _LineDict:
    loader.flatten_mapping(node)
    result = _LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if key in result:
            raise RuleTableError(f"{node.start_mark.name}:{line}: key {key!r} appears twice")
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class _Reader:
    """Reads one file, raising errors that name the file, line and key path."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, line: int, key: str, problem: str) -> RuleTableError:
        return RuleTableError(f"{self.path}:{line}: {key}: {problem}")

    def mapping(self, value: object, line: int, key: str, allowed: set[str]) -> _LineDict:
        if not isinstance(value, _LineDict):
            raise self.fail(line, key, f"expected a mapping, got {type(value).__name__}")
        unknown = [k for k in value if str(k) not in allowed]
        if unknown:
            bad = unknown[0]
            raise self.fail(
                value.key_lines[bad], f"{key}.{bad}", f"unknown key; allowed: {sorted(allowed)}"
            )
        return value

    def text(self, data: _LineDict, key: str, where: str) -> str:
        if key not in data:
            raise self.fail(data.line, f"{where}{key}", "required key is missing")
        value = data[key]
        if not isinstance(value, str) or not value.strip():
            raise self.fail(data.key_lines[key], f"{where}{key}", "expected non-empty text")
        return value

    def strings(self, data: _LineDict, key: str, where: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
            raise self.fail(data.key_lines.get(key, data.line), where + key, "expected a list")
        return tuple(str(v) for v in value)


def load_rule_table(path: Path | str) -> RuleTable:
    """Load and validate one rule-table file.

    Raises
    ------
    RuleTableError
        On bad YAML, unknown or missing keys, unknown grades, levels, kinds or stages, and
        percentages outside (0, 100]; the message starts with ``file:line: key``.
    """
    path = Path(path)
    reader = _Reader(path)
    try:
        with path.open(encoding="utf-8") as stream:
            raw = yaml.load(stream, Loader=_LineLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        raise reader.fail(line, "(yaml)", str(error).splitlines()[0]) from error
    data = reader.mapping(raw, 1, "(top)", _TOP_KEYS)
    applies = reader.mapping(
        data.get("applies_to", _empty(data)), data.line, "applies_to", _APPLIES_KEYS
    )
    categories = reader.strings(applies, "categories", "applies_to.")
    try:
        confidence = Confidence(reader.text(data, "confidence", ""))
    except ValueError:
        raise reader.fail(
            data.key_lines["confidence"], "confidence", "expected one of V, S, M, B"
        ) from None
    effective = data.get("effective")
    if not isinstance(effective, dt.date):
        raise reader.fail(data.key_lines.get("effective", data.line), "effective", "need a date")
    return RuleTable(
        industry=reader.text(data, "industry", ""),
        name_zh=reader.text(data, "name_zh", ""),
        source=reader.text(data, "source", ""),
        confidence=confidence,
        effective=effective,
        path=str(path),
        industry_codes=reader.strings(applies, "industry_codes", "applies_to."),
        categories=tuple(
            _enum(reader, EnterpriseCategory, c, applies.line, "applies_to.categories")
            for c in categories
        ),
        grade_fallback=_fallback(reader, data),
        cells=_cells(reader, data),
    )


def _empty(parent: _LineDict) -> _LineDict:
    empty = _LineDict()
    empty.line = parent.line
    empty.key_lines = {}
    return empty


def _enum(reader: _Reader, enum: type[_E], value: object, line: int, key: str) -> _E:
    try:
        return enum(str(value))
    except ValueError:
        allowed = [member.value for member in enum]
        raise reader.fail(line, key, f"unknown value {value!r}; allowed: {allowed}") from None


def _grade(reader: _Reader, value: object, line: int, key: str) -> Grade:
    try:
        return Grade.parse(str(value))
    except ValueError:
        raise reader.fail(line, key, f"unknown grade {value!r}") from None


def _fallback(reader: _Reader, data: _LineDict) -> dict[Grade, Grade]:
    raw = data.get("grade_fallback", _empty(data))
    grades = reader.mapping(raw, data.line, "grade_fallback", {g.value for g in Grade})
    return {
        _grade(reader, k, grades.key_lines[k], "grade_fallback"): _grade(
            reader, v, grades.key_lines[k], f"grade_fallback.{k}"
        )
        for k, v in grades.items()
    }


def _cells(reader: _Reader, data: _LineDict) -> dict[tuple[str, WarningLevel], RuleCell]:
    if "grades" not in data:
        raise reader.fail(data.line, "grades", "required key is missing")
    allowed = {g.value for g in Grade} | {_WILDCARD}
    grades = reader.mapping(data["grades"], data.key_lines["grades"], "grades", allowed)
    cells: dict[tuple[str, WarningLevel], RuleCell] = {}
    for grade_key, row in grades.items():
        where = f"grades.{grade_key}"
        line = grades.key_lines[grade_key]
        grade = (
            _WILDCARD if grade_key == _WILDCARD else _grade(reader, grade_key, line, where).value
        )
        levels = reader.mapping(row, line, where, {level.value for level in LEVELS})
        for level in LEVELS:
            if level.value not in levels:
                raise reader.fail(levels.line, f"{where}.{level.value}", "level is missing")
            level_line = levels.key_lines[level.value]
            cell_where = f"{where}.{level.value}"
            value = levels[level.value]
            ref = f"{reader.path.name}:{level_line} {cell_where}"
            if value == "voluntary":
                cells[(grade, level)] = RuleCell(grade, level, (), True, ref)
                continue
            if not isinstance(value, list):
                raise reader.fail(level_line, cell_where, "expected 'voluntary' or a list")
            measures = tuple(
                _measure(reader, item, level_line, f"{cell_where}[{i}]")
                for i, item in enumerate(value)
            )
            cells[(grade, level)] = RuleCell(grade, level, measures, False, ref)
    return cells


def _measure(reader: _Reader, item: object, line: int, where: str) -> RuleMeasure:
    data = reader.mapping(item, line, where, _MEASURE_KEYS)
    line = data.line
    kind = _enum(reader, MeasureKind, data.get("kind"), line, f"{where}.kind")
    if kind not in _RULE_KINDS:
        allowed = sorted(k.value for k in _RULE_KINDS)
        raise reader.fail(line, f"{where}.kind", f"{kind.value!r} is not a rule kind: {allowed}")
    fraction: float | None = None
    if kind in {MeasureKind.LIMIT, MeasureKind.STOP_LINES}:
        percent = data.get("percent")
        if isinstance(percent, bool) or not isinstance(percent, int | float):
            raise reader.fail(line, f"{where}.percent", f"a {kind.value} rule needs a percent")
        if not 0 < percent <= 100:
            raise reader.fail(line, f"{where}.percent", f"must be in (0, 100], got {percent}")
        fraction = percent / 100.0
    elif "percent" in data:
        raise reader.fail(line, f"{where}.percent", f"a {kind.value} rule takes no percent")
    stage: EmissionStage | None = None
    if kind is MeasureKind.TRUCK_BAN:
        stage = _enum(reader, EmissionStage, data.get("truck_stage"), line, f"{where}.truck_stage")
    elif "truck_stage" in data:
        raise reader.fail(line, f"{where}.truck_stage", f"a {kind.value} rule takes no stage")
    processes = reader.strings(data, "processes", f"{where}.")
    return RuleMeasure(kind, fraction, stage, processes, f"{reader.path.name}:{line}")


def load_rule_book(*directories: Path | str, as_of: dt.date | None = None) -> RuleBook:
    """Load every ``*.yaml`` table of the directories, later directories overriding earlier.

    Within one directory an industry may have several versions; the latest whose ``effective``
    date is on or before ``as_of`` (default: the latest) is used.
    """
    tables: dict[str, RuleTable] = {}
    for directory in directories:
        layer: dict[str, RuleTable] = {}
        for path in sorted(Path(directory).glob("*.yaml")):
            table = load_rule_table(path)
            if as_of is not None and table.effective > as_of:
                continue
            previous = layer.get(table.industry)
            if previous is not None and previous.effective == table.effective:
                raise RuleTableError(
                    f"{path}:1: industry: {table.industry!r} is also in {previous.path} "
                    f"with the same effective date {table.effective}"
                )
            if previous is None or table.effective > previous.effective:
                layer[table.industry] = table
        tables.update(layer)
    return RuleBook(tables)


def default_rule_book(
    city_directories: Sequence[Path | str] = (), as_of: dt.date | None = None
) -> RuleBook:
    """The shipped national tables and defaults, overridden by any city directories."""
    return load_rule_book(*DEFAULT_RULE_DIRECTORIES, *city_directories, as_of=as_of)
