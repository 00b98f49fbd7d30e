"""What the forecast and the observations say, for one decision time or many at once.

:func:`assess` works on 2-D arrays whose rows are decision times and whose columns are forecast (or
observed) steps, so a replay over ten years assesses every day in one vectorised pass, and a single
decision is the one-row case of the same code.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from hazeguard.warnings.criteria import BoolArray, FloatArray, Series, chain_starts, matches_within
from hazeguard.warnings.episodes import steps_for
from hazeguard.warnings.rules import WarningRules, rank

IntArray = npt.NDArray[np.int64]

ADVISORY_RANK = rank("advisory")


@dataclass(frozen=True, eq=False)
class Assessment:
    """Per decision time (one entry per row).

    Parameters
    ----------
    forecast_rank
        Rank (:data:`~hazeguard.warnings.rules.LEVEL_ORDER`) of the highest level met by the first
        forecast episode; 1 = advisory notice, 0 = nothing.
    observed_rank
        Rank met by the observed episode continued by the forecast's first hours, when no clear
        improvement is forecast within the plan's upgrade window; 0 otherwise.
    episode_start, episode_stop
        Steps ``start:stop`` of the first forecast episode (both = forecast length when none).
    observed_begin
        First step of the observed episode in the combined observed+forecast series.
    leading_quiet
        Quiet steps at the start of the forecast (towards lifting). [steps]
    """

    forecast_rank: IntArray
    observed_rank: IntArray
    episode_start: IntArray
    episode_stop: IntArray
    observed_begin: IntArray
    leading_quiet: IntArray


def first_true(mask: BoolArray, default: int) -> IntArray:
    """Index of the first True along the last axis, or ``default`` where there is none."""
    found = mask.any(axis=-1)
    return np.where(found, mask.argmax(axis=-1), default).astype(np.int64)


def _quiet(values: FloatArray, excluded: BoolArray, rules: WarningRules) -> BoolArray:
    with np.errstate(invalid="ignore"):
        return (values <= rules.quiet_threshold) | excluded


def _polluted(values: FloatArray, rules: WarningRules) -> BoolArray:
    with np.errstate(invalid="ignore"):
        return values > rules.pollution_threshold


def level_rank(
    rules: WarningRules, series: Series, low: IntArray, high: IntArray, reach: int | None = None
) -> IntArray:
    """Highest rank whose criteria have a chain starting in ``[low, high)``, per row (0 if none).

    With ``reach``, only chains ending at or after that step count.
    """
    result = np.zeros(series.values.shape[:-1], dtype=np.int64)
    if rules.advisory:
        hit = np.logical_or.reduce(
            [matches_within(c, series, low, high, reach) for c in rules.advisory]
        )
        result = np.where(hit, ADVISORY_RANK, result)
    for level in rules.levels:
        hit = np.logical_or.reduce(
            [matches_within(c, series, low, high, reach) for c in level.criteria]
        )
        result = np.where(hit, rank(level.name), result)
    return result


def assess(
    rules: WarningRules,
    forecast: Series,
    forecast_excluded: BoolArray,
    observed: Series | None = None,
    observed_excluded: BoolArray | None = None,
) -> Assessment:
    """Assess forecast (and observed) series, row by row; see :class:`Assessment`."""
    values = forecast.values
    rows, horizon = values.shape[:-1], values.shape[-1]
    step_hours = 24.0 / forecast.stride
    gap = steps_for(rules.merging_gap_hours, step_hours)

    polluted = _polluted(values, rules)
    quiet = _quiet(values, forecast_excluded, rules)
    start = first_true(polluted, horizon)
    steps = np.arange(horizon)
    # The first episode ends where a quiet run long enough to lift begins (seed 001 §3.7.1).
    breaks = chain_starts(quiet, gap, 1) & (steps > start[..., None])
    cut = first_true(breaks, horizon)
    # ...and its last step is the last polluted one before that run.
    before = polluted & (steps < cut[..., None])
    stop = np.where(before.any(axis=-1), horizon - np.argmax(before[..., ::-1], axis=-1), horizon)
    stop = stop.astype(np.int64)
    forecast_rank = level_rank(rules, forecast, start, stop)
    leading_quiet = first_true(~quiet, horizon)

    observed_rank = np.zeros(rows, dtype=np.int64)
    begin = np.zeros(rows, dtype=np.int64)
    if observed is not None and observed.values.shape[-1] > 0:
        if observed.stride != forecast.stride:
            raise ValueError("observed and forecast values must both be daily or both hourly")
        observed_rank, begin = _observed_rank(
            rules, forecast, forecast_excluded, observed, observed_excluded, gap
        )
    return Assessment(forecast_rank, observed_rank, start, stop, begin, leading_quiet)


def _observed_rank(
    rules: WarningRules,
    forecast: Series,
    forecast_excluded: BoolArray,
    observed: Series,
    observed_excluded: BoolArray | None,
    gap: int,
) -> tuple[IntArray, IntArray]:
    """Level met by the episode under way: observed, and continuing into the forecast.

    "当监测空气质量已经达到更高级别污染程度，且预测未来24小时内不会有明显改善时" (seed 001 §3.7.1;
    12 h in seed 003 §3.3.1): the observed episode, continued by the forecast, meets a level with
    a chain that reaches into the forecast, the last observed step is polluted, and so is every
    forecast step within the plan's upgrade window.
    """
    step_hours = 24.0 / forecast.stride
    horizon = forecast.values.shape[-1]
    window = min(steps_for(rules.upgrade_window_hours, step_hours), horizon)
    known = observed.values.shape[-1]
    if observed_excluded is None:
        observed_excluded = np.zeros(observed.values.shape, dtype=bool)
    combined_values = np.concatenate([observed.values, forecast.values], axis=-1)
    combined_excluded = np.concatenate([observed_excluded, forecast_excluded], axis=-1)
    combined = Series(
        combined_values,
        _combined_primary(observed, forecast, horizon),
        forecast.stride,
        _combined_masks(observed, forecast, horizon),
    )
    quiet = _quiet(combined_values, combined_excluded, rules)
    runs = chain_starts(quiet, gap, 1)
    length = combined_values.shape[-1]
    steps = np.arange(length)
    # The episode under way begins after the last quiet run, wholly observed, long enough to
    # have lifted a warning, and ends where the next such run begins in the forecast.
    past = runs & (steps <= known - gap)
    last = np.where(past.any(axis=-1), length - 1 - np.argmax(past[..., ::-1], axis=-1), -gap)
    begin = (last + gap).astype(np.int64)
    cut = first_true(runs & (steps >= known), length)
    met = level_rank(rules, combined, begin, cut, reach=known)
    polluted = _polluted(combined_values, rules)
    # "已经达到" (already reached) and "不会有明显改善" (no clear improvement within the window).
    holding = polluted[..., known - 1] & polluted[..., known : known + window].all(axis=-1)
    return np.where(holding, met, 0).astype(np.int64), begin


def _combined_primary(observed: Series, forecast: Series, window: int) -> tuple[str, ...]:
    if not observed.primary and not forecast.primary:
        return ()
    known = observed.values.shape[-1]
    return (observed.primary or ("",) * known) + (forecast.primary[:window] or ("",) * window)


def _combined_masks(observed: Series, forecast: Series, window: int) -> dict[str, BoolArray] | None:
    if observed.pollutant_masks is None or forecast.pollutant_masks is None:
        return None
    return {
        key: np.concatenate([mask, forecast.pollutant_masks[key][..., :window]], axis=-1)
        for key, mask in observed.pollutant_masks.items()
    }
