"""CEMS check (在线监控): did an outlet's flue gas or mass emission drop as its measure requires?

``emission-list.md`` §8.2 (labelled [M]): a stopped unit's flue-gas flow falls to near zero; a
limited unit's hourly mass emission (concentration × flow) stays within ``(1 − x)`` of its
baseline, with a tolerance; constant values are a data-quality flag. The baseline, grace period
and decision are those of the electricity check (§8.1), applied to flow and mass grids.

Records are a long table: ``outlet``, ``time`` (hour start, tz-aware or Asia/Shanghai),
``flow_m3_h`` (standard dry flue-gas flow [m³/h]) and one ``<pollutant>_mg_m3`` column per
pollutant measured (``so2``, ``nox``, ``pm``) [mg/m³].

Not covered: 停运 markers of the monitoring system, stack temperature and O2, and the
concentration limits of the emission standard (these need per-outlet limits the list lacks).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view

from hazeguard.compliance.electricity import AlertWindow, judge_grid, window_days
from hazeguard.compliance.measures import remaining_share
from hazeguard.compliance.meters import MeterGrid, readings_grid
from hazeguard.compliance.thresholds import Thresholds, load_thresholds
from hazeguard.workdays import WorkingCalendar

POLLUTANTS = ("so2", "nox", "pm")
CLAUSE_STOP = "emission-list.md §8.2 Stop [M] (flue-gas flow near zero)"
CLAUSE_LIMIT = "emission-list.md §8.2 Limit x% [M] (mass emission within (1 - x) baseline)"
MG_M3_TO_KG = 1e-6  # mg/m³ × m³ = mg; 1e-6 kg per mg


def check_cems(
    records: pd.DataFrame,
    measures: pd.DataFrame,
    window: AlertWindow,
    thresholds: Thresholds | None = None,
    calendar: WorkingCalendar | None = None,
) -> pd.DataFrame:
    """Judge every outlet with a measure, per local day of the window, per quantity.

    ``measures`` has one row per outlet: ``enterprise``, ``outlet``, ``kind`` (stop | limit |
    load_cap) and ``fraction`` / ``load_share`` as for the electricity check. A stopped outlet
    is judged on its flow (``quantity`` = ``flow_m3``); a limited one on the mass emission of
    each pollutant it reports (``so2_kg``, ...). Returns the electricity check's columns with
    generic names (``observed``, ``expected``, ``compliant_bound``, ``violation_bound``,
    ``baseline`` in the quantity's unit per day) plus ``outlet``, ``quantity`` and
    ``data_flag`` (``constant`` when a value stayed unchanged ``constant_hours`` or longer; a
    compliant day with that flag is reported suspicious).
    """
    limits = thresholds if thresholds is not None else load_thresholds()
    renamed = measures.rename(columns={"outlet": "meter"})
    share = remaining_share(renamed)
    first_day, last_day = window_days(window, limits.electricity)
    kind = renamed["kind"].astype(str).to_numpy()
    outlets = tuple(renamed["meter"].astype(str))
    columns = ("outlet", "time", "flow_m3_h")
    flow = readings_grid(records, outlets, first_day, last_day, pd.Timedelta("1h"), columns)
    frames = []
    stop = kind == "stop"
    if stop.any():
        stop_share = limits.cems.stop_flow_share.value
        rows = _subgrid(flow, stop)
        found = judge_grid(
            rows,
            renamed[stop],
            share[stop],
            lambda median: stop_share * median,  # §8.2: flow of a stopped unit near zero
            window,
            limits.electricity,
            calendar,
        )
        flagged = _flag_constant(found, rows, limits.cems.constant_hours.value, first_day)
        rule = "stop: flue-gas flow <= stop_flow_share x baseline + tolerance"
        frames.append(flagged.assign(quantity="flow_m3", rule=rule, clause=CLAUSE_STOP))
    for pollutant in POLLUTANTS:
        column = f"{pollutant}_mg_m3"
        if column not in records.columns or stop.all():
            continue
        mass = records.assign(
            mass_kg=pd.to_numeric(records[column], errors="coerce")
            * records["flow_m3_h"]
            # §8.2: hourly mass emission = concentration × flow.
            * MG_M3_TO_KG
        )
        grid = readings_grid(
            mass, outlets, first_day, last_day, pd.Timedelta("1h"), ("outlet", "time", "mass_kg")
        )
        concentration = readings_grid(
            records, outlets, first_day, last_day, pd.Timedelta("1h"), ("outlet", "time", column)
        )
        rows = _subgrid(grid, ~stop)
        found = judge_grid(
            rows,
            renamed[~stop],
            share[~stop],
            np.zeros_like,  # no base load: a limit scales the whole mass emission
            window,
            limits.electricity,
            calendar,
        )
        flagged = _flag_constant(
            found, _subgrid(concentration, ~stop), limits.cems.constant_hours.value, first_day
        )
        rule = "limit x: mass emission <= (1 - x) x baseline + tolerance"
        frames.append(flagged.assign(quantity=f"{pollutant}_kg", rule=rule, clause=CLAUSE_LIMIT))
    result = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return result.rename(columns={"id": "outlet"})


def _subgrid(grid: MeterGrid, rows: np.ndarray) -> MeterGrid:
    ids = tuple(name for name, keep in zip(grid.meters, rows, strict=True) if keep)
    return MeterGrid(ids, grid.first_day, grid.interval, grid.energy[rows])


def _flag_constant(
    found: pd.DataFrame, grid: MeterGrid, hours: float, first_day: dt.date
) -> pd.DataFrame:
    """Mark days where a value stayed exactly the same for ``hours`` or longer (§8.2 flags)."""
    span = max(int(hours), 2)
    values = grid.energy.reshape(len(grid.meters), -1)  # [outlet, hour since first day]
    same = values[:, 1:] == values[:, :-1]  # NaN never equals: a gap breaks a run
    runs = sliding_window_view(same, span - 1, axis=1).all(axis=2)  # run ending at hour t+span-1
    ends = np.zeros_like(same[:, :1].repeat(values.shape[1], axis=1))
    ends[:, span - 1 :] = runs
    per_day = ends.reshape(len(grid.meters), -1, grid.slots_per_day).any(axis=2)
    index = {name: row for row, name in enumerate(grid.meters)}
    day_index = (pd.to_datetime(found["day"]) - pd.Timestamp(first_day)).dt.days.to_numpy()
    rows = found["id"].map(index).to_numpy()
    constant = per_day[rows, day_index]
    flag = np.where(constant, "constant", "")
    status = np.where(
        constant & (found["status"] == "compliant"), "suspicious", found["status"].to_numpy()
    )
    return found.assign(status=status, data_flag=flag)
