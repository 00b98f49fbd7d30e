"""Decide for many jurisdictions at once: one plan, one daily forecast per jurisdiction.

:func:`decide_many` gives the same level, action and earliest start as :func:`decide` for each
row, in one vectorised pass (3,000 jurisdictions × 7 days in milliseconds; see
``benchmarks/bench_warnings.py``). Call :func:`decide` for the rows whose action is not ``none``
or ``keep`` to get their full explanation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from hazeguard.warnings.assess import assess
from hazeguard.warnings.criteria import Series
from hazeguard.warnings.decision import _floor_rank, as_rules
from hazeguard.warnings.episodes import steps_for
from hazeguard.warnings.lifecycle import Action, effective_from, next_step
from hazeguard.warnings.rules import WarningRules, rank

if TYPE_CHECKING:
    from hazeguard.plans import Plan

DAY = timedelta(days=1)


@dataclass(frozen=True)
class BatchDecision:
    """Per jurisdiction (row): level, response, action and earliest start.

    Parameters
    ----------
    levels
        ``none``, ``advisory``, ``blue``, ``yellow``, ``orange`` or ``red`` per row.
    responses
        ``III``, ``II``, ``I`` or None per row.
    actions
        ``none``, ``issue``, ``upgrade``, ``downgrade``, ``lift`` or ``keep`` per row.
    earliest_starts
        When each action may take effect (None for ``none`` and ``keep``).
    """

    levels: tuple[str, ...]
    responses: tuple[str | None, ...]
    actions: tuple[Action, ...]
    earliest_starts: tuple[datetime | None, ...]


def decide_many(
    plan: Plan | WarningRules,
    aqi: npt.ArrayLike,
    *,
    first_day: date,
    at: datetime,
    current: Sequence[str | None] | None = None,
    regional_floor: Sequence[str | None] | None = None,
) -> BatchDecision:
    """Decide for every row of ``aqi`` (rows = jurisdictions, columns = forecast days).

    Parameters
    ----------
    plan
        A plan or :class:`~hazeguard.warnings.rules.WarningRules`, the same for every row.
    aqi
        Daily forecast AQI, shape (jurisdictions, days); NaN where unknown. [index]
    first_day
        The day of the first column.
    at
        Decision time (local).
    current, regional_floor
        Per row: the level in force locally and the level of a higher jurisdiction's warning.
    """
    rules = as_rules(plan)
    values = np.asarray(aqi, dtype=np.float64)
    if values.ndim != 2 or values.shape[1] == 0:
        raise ValueError(f"aqi must have shape (jurisdictions, days), got {values.shape}")
    rows, horizon = values.shape
    found = assess(rules, Series(values, (), 1), np.zeros(values.shape, dtype=bool))
    gap = steps_for(rules.lifting_hours, 24.0)
    lowest = rank(rules.levels[0].name)
    start = datetime.combine(first_day, time())
    levels: list[str] = []
    responses: list[str | None] = []
    actions: list[Action] = []
    starts: list[datetime | None] = []
    for row in range(rows):
        in_force = current[row] if current is not None else None
        floor = regional_floor[row] if regional_floor is not None else None
        step = next_step(
            current=rank(in_force) if in_force else 0,
            forecast=int(found.forecast_rank[row]),
            observed=0,
            floor=_floor_rank(rules, floor),
            lowest=lowest,
            leading_quiet=int(found.leading_quiet[row]),
            horizon=horizon,
            gap=gap,
        )
        first = int(found.episode_start[row])
        onset = start + first * DAY if first < horizon else None
        levels.append(step.level)
        responses.append(rules.level(step.level).response if step.rank >= lowest else None)
        actions.append(step.action)
        starts.append(
            effective_from(
                step,
                at=at,
                onset=onset,
                first_period=start,
            )
        )
    return BatchDecision(tuple(levels), tuple(responses), tuple(actions), tuple(starts))


__all__ = ["BatchDecision", "decide_many"]
