"""Parameters of the compliance checks, read from ``thresholds.yaml`` (data, not code).

Each parameter carries the reference's confidence label (``V``, ``S``, ``M``, ``B``, see
``emission-list.md`` §0) and its clause, so a finding can say which rule judged it.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml

THRESHOLDS_FILE = Path(__file__).with_name("thresholds.yaml")
Label = Literal["V", "S", "M", "B"]
_LABELS = ("V", "S", "M", "B")


class ThresholdError(ValueError):
    """A thresholds file is malformed; the message names the file, section and key."""


@dataclass(frozen=True)
class Parameter:
    """One tunable value with its provenance."""

    value: float
    label: Label
    clause: str
    meaning: str = ""


@dataclass(frozen=True)
class ElectricityThresholds:
    """Parameters of the electricity check (耗电量核算), emission-list.md §8.1."""

    baseline_days: Parameter
    min_baseline_days: Parameter
    standby_share: Parameter
    spread_factor: Parameter
    min_tolerance_share: Parameter
    grace_hours: Parameter
    min_coverage: Parameter


@dataclass(frozen=True)
class CemsThresholds:
    """Parameters of the CEMS check (在线监控), emission-list.md §8.2."""

    stop_flow_share: Parameter
    constant_hours: Parameter


@dataclass(frozen=True)
class Thresholds:
    """All compliance parameters."""

    electricity: ElectricityThresholds
    cems: CemsThresholds


@lru_cache(maxsize=8)
def load_thresholds(path: Path = THRESHOLDS_FILE) -> Thresholds:
    """Read a thresholds file; every parameter must be present with value, label and clause."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ThresholdError(f"{path}: not readable YAML: {error}") from error
    if not isinstance(raw, dict):
        raise ThresholdError(f"{path}: expected sections 'electricity' and 'cems'")
    return Thresholds(
        electricity=ElectricityThresholds(
            **_section(raw, "electricity", ElectricityThresholds, path)
        ),
        cems=CemsThresholds(**_section(raw, "cems", CemsThresholds, path)),
    )


def _section(raw: dict[str, Any], name: str, kind: type, path: Path) -> dict[str, Parameter]:
    section = raw.get(name)
    if not isinstance(section, dict):
        raise ThresholdError(f"{path}: section '{name}' is missing")
    expected = {field.name for field in fields(kind)}
    unknown, missing = set(section) - expected, expected - set(section)
    if unknown or missing:
        raise ThresholdError(
            f"{path}: {name}: unknown {sorted(unknown)} / missing {sorted(missing)} parameter(s)"
        )
    out: dict[str, Parameter] = {}
    for key, entry in section.items():
        where = f"{path}: {name}.{key}"
        if not isinstance(entry, dict) or set(entry) - {"value", "label", "clause", "meaning"}:
            raise ThresholdError(f"{where}: expected value, label, clause and meaning")
        value = entry.get("value")
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise ThresholdError(f"{where}: value must be a non-negative number, got {value!r}")
        if entry.get("label") not in _LABELS:
            raise ThresholdError(f"{where}: label must be one of {_LABELS}")
        if not entry.get("clause"):
            raise ThresholdError(f"{where}: clause is required")
        out[key] = Parameter(
            float(value), entry["label"], str(entry["clause"]), str(entry.get("meaning", ""))
        )
    return out
