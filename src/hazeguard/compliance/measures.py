"""The measure in force per meter, as the share of normal consumption it leaves.

A measures table has one row per meter: ``enterprise``, ``meter``, ``kind`` and the numbers the
kind needs (names as in the emission-reduction list's measures, GLOSSARY.md):

* ``stop`` (停产): nothing but the base load remains (r = 0);
* ``limit`` (限产 x%): ``fraction`` x is cut, r = 1 − x;
* ``load_cap`` (以热定产/以量定产): ``load_share`` = approved load / normal load, r = c/Q0;
* optional ``standby_kw``: power the site plan keeps on while stopped (保窑) [kW].
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from hazeguard.compliance.meters import FloatArray

MEASURE_COLUMNS = ("enterprise", "meter", "kind")
KINDS = ("stop", "limit", "load_cap")


class MeasuresError(ValueError):
    """A measures table is malformed; the message names the row and column."""


def _column(measures: pd.DataFrame, name: str) -> FloatArray:
    if name not in measures.columns:
        return np.full(len(measures), np.nan)
    return pd.to_numeric(measures[name], errors="coerce").to_numpy(np.float64)


def remaining_share(measures: pd.DataFrame) -> FloatArray:
    """The share ``r`` of normal production consumption each meter may keep [1]."""
    missing = [column for column in MEASURE_COLUMNS if column not in measures.columns]
    if missing:
        raise MeasuresError(f"measures: missing column(s) {missing}")
    repeated = measures["meter"].astype(str).duplicated()
    if repeated.any():
        row = measures.index[int(np.flatnonzero(repeated)[0])]
        raise MeasuresError(f"measures row {row}, column meter: a meter has one measure per window")
    kind = measures["kind"].astype(str).to_numpy()
    unknown = np.flatnonzero(~np.isin(kind, KINDS))
    if unknown.size:
        row = measures.index[unknown[0]]
        raise MeasuresError(f"measures row {row}, column kind: {kind[unknown[0]]!r} not in {KINDS}")
    fraction, load = _column(measures, "fraction"), _column(measures, "load_share")
    for name, values, used in (("fraction", fraction, "limit"), ("load_share", load, "load_cap")):
        bad = np.flatnonzero((kind == used) & ~((values >= 0) & (values <= 1)))
        if bad.size:
            row = measures.index[bad[0]]
            raise MeasuresError(
                f"measures row {row}, column {name}: a {used} needs a share in [0, 1]"
            )
    # emission-list.md §8.1 "Expected level during W": stop r = 0, limit r = 1 − x, cap r = c/Q0.
    return np.select([kind == "stop", kind == "limit"], [0.0, 1.0 - fraction], load)


def standby_energy(
    measures: pd.DataFrame, baseline: FloatArray, standby_share: float, slot_hours: float
) -> FloatArray:
    """Base load ``b0`` per meter and slot [kWh per slot].

    The site plan's ``standby_kw`` when given; otherwise ``standby_share`` of the baseline
    (emission-list.md §8.1 calibration [V]: a full stop drops consumption by more than 75 %). The
    low quantile the reference also mentions is not used: for a plant running day and night it
    is close to full production.
    """
    standby_kw = _column(measures, "standby_kw")
    bad = np.flatnonzero(standby_kw < 0)
    if bad.size:
        row = measures.index[bad[0]]
        raise MeasuresError(f"measures row {row}, column standby_kw: negative power")
    given = (standby_kw * slot_hours)[:, None]
    return np.where(np.isnan(given), standby_share * baseline, given)
