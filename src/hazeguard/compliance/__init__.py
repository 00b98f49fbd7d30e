"""Compliance verification during an alert: electricity (耗电量核算) and CEMS checks.

Rules and parameters follow ``emission-list.md`` §8 (research notes in ../shared/reference);
the parameters are data (``thresholds.yaml``), each with its confidence label and clause.
"""

from hazeguard.compliance.cems import check_cems
from hazeguard.compliance.electricity import (
    STATUSES,
    AlertWindow,
    Baseline,
    check_electricity,
    electricity_baseline,
)
from hazeguard.compliance.measures import KINDS, MeasuresError, remaining_share
from hazeguard.compliance.meters import LOCAL_ZONE, MeterGrid, ReadingsError, readings_grid
from hazeguard.compliance.thresholds import (
    Parameter,
    ThresholdError,
    Thresholds,
    load_thresholds,
)

__all__ = [
    "KINDS",
    "LOCAL_ZONE",
    "STATUSES",
    "AlertWindow",
    "Baseline",
    "MeasuresError",
    "MeterGrid",
    "Parameter",
    "ReadingsError",
    "ThresholdError",
    "Thresholds",
    "check_cems",
    "check_electricity",
    "electricity_baseline",
    "load_thresholds",
    "readings_grid",
    "remaining_share",
]
