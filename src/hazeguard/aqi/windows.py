"""Moving and calendar-day statistics of hourly series on a full grid (stations × hours).

Every function takes a float array of shape ``(stations, hours)`` whose columns are consecutive
hours (missing hours are NaN, never absent) and works along the hours axis with whole-array numpy
operations: cumulative sums for windowed means, the van Herk/Gil-Werman block maxima for windowed
maxima, and a ``(stations, days, 24)`` reshape for natural days. No Python loop runs per row.

An hour is labelled by its end (HJ 663-2013 via CNEMC's release notes, reference aqi-hj633.md
§4.2): column ``k`` of day ``d`` is the hour ending at ``d 00:00 + (k + 1) h``, so a natural day
holds the hours ending 01:00 … 24:00.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import numpy as np
import numpy.typing as npt

from hazeguard.aqi.rounding import SNAP_DECIMALS

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

HOURS_PER_DAY: Final = 24
# Row blocks of about 2 MB keep a block's temporaries in the CPU cache: over a year of hourly data
# for 2,000 stations this is ~3× faster than whole-array passes, which are bound by memory traffic.
BLOCK_BYTES: Final = 1 << 21


def by_row_blocks(
    function: Callable[[FloatArray], FloatArray],
    values: FloatArray,
    block_bytes: int = BLOCK_BYTES,
) -> FloatArray:
    """Apply a function that treats rows independently to blocks of rows, and stack the results.

    Parameters
    ----------
    function
        Maps an array of shape ``(rows, hours)`` to one of shape ``(rows, …)``.
    values
        Shape ``(stations, hours)``.
    block_bytes
        Size of a block of input rows. [bytes]

    Returns
    -------
    numpy.ndarray
        ``function(values)``, computed block by block.
    """
    rows = max(1, block_bytes // (values.itemsize * max(1, values.shape[1])))
    if values.shape[0] <= rows:
        return function(values)
    first = function(values[:rows])
    out = np.empty((values.shape[0], *first.shape[1:]), dtype=first.dtype)
    out[:rows] = first
    for start in range(rows, values.shape[0], rows):
        out[start : start + rows] = function(values[start : start + rows])
    return out


def _valid_counts(valid: BoolArray, window: int) -> IntArray:
    """Number of valid hours in the ``window`` hours ending at each hour (exact integers)."""
    n_rows, n_hours = valid.shape
    csum = np.zeros((n_rows, n_hours + window), dtype=np.int32)
    np.cumsum(valid, axis=1, dtype=np.int32, out=csum[:, window:])
    return np.subtract(csum[:, window:], csum[:, :n_hours], dtype=np.int64)


def moving_mean(values: FloatArray, window: int, min_valid: int) -> FloatArray:
    """Mean of the ``window`` hours ending at each hour, crossing midnight.

    Hours before the first column count as missing. A window with fewer than ``min_valid``
    valid hours gives NaN (GB 3095-2012 Table 4: ≥ 20 hours for a 24-h mean, ≥ 6 for an 8-h mean).

    Parameters
    ----------
    values
        Hourly concentrations, shape ``(stations, hours)``. [µg/m³; CO mg/m³]
    window
        Window length. [h]
    min_valid
        Fewest valid hours for a valid mean.

    Returns
    -------
    numpy.ndarray
        Moving means, same shape. [same unit]
    """
    n_rows, n_hours = values.shape
    # Cumulative sums make every window cost O(1); their float error over a year of hourly data
    # (≤ 1e-8 [µg/m³] on a mean) is removed by snap() below.
    valid = ~np.isnan(values)
    csum = np.zeros((n_rows, n_hours + window), dtype=np.float64)
    np.cumsum(np.where(valid, values, 0.0), axis=1, out=csum[:, window:])
    sums = csum[:, window:] - csum[:, :n_hours]
    counts = _valid_counts(valid, window)
    return _mean(sums, counts, counts >= min_valid)


def moving_max(values: FloatArray, window: int, min_valid: int, limit: float) -> FloatArray:
    """Maximum of the ``window`` hourly values ending at each hour, crossing midnight.

    The maximum is valid with at least ``min_valid`` valid values in the window, or with fewer
    when it exceeds ``limit`` anyway: a maximum of part of the window is a lower bound of the
    whole window's, so an exceedance it shows is certain (HJ 663-2013 as quoted in reference
    aqi-hj633.md §4.2).

    Parameters
    ----------
    values
        Hourly values (hourly concentrations or 8-h moving means), shape ``(stations, hours)``.
        [µg/m³]
    window
        Number of values in the window. [h]
    min_valid
        Fewest valid values for a valid maximum.
    limit
        Concentration limit above which a maximum of fewer values is still kept. [µg/m³]

    Returns
    -------
    numpy.ndarray
        Moving maxima, same shape. [same unit]
    """
    n_rows, n_hours = values.shape
    # van Herk/Gil-Werman: split the (front-padded) series into blocks of `window`; the window
    # ending at e and starting at s = e - window + 1 spans at most two blocks, so its maximum is
    # max(suffix maximum from s, prefix maximum to e). Two accumulate passes, whatever the window.
    n_blocks = -(-(n_hours + window - 1) // window)
    padded = np.full((n_rows, n_blocks * window), np.nan)
    padded[:, window - 1 : window - 1 + n_hours] = values
    blocks = padded.reshape(n_rows, n_blocks, window)
    prefix = np.fmax.accumulate(blocks, axis=2).reshape(n_rows, -1)
    suffix = np.fmax.accumulate(blocks[:, :, ::-1], axis=2)[:, :, ::-1].reshape(n_rows, -1)
    maxima = np.fmax(suffix[:, :n_hours], prefix[:, window - 1 : window - 1 + n_hours])
    counts = _valid_counts(~np.isnan(values), window)
    return np.where((counts >= min_valid) | (maxima > limit), maxima, np.nan)


def daily_mean(values: FloatArray, min_valid: int) -> FloatArray:
    """Mean of each natural day (the 24 hours ending 01:00 … 24:00).

    Parameters
    ----------
    values
        Hourly concentrations, shape ``(stations, days * 24)``. [µg/m³; CO mg/m³]
    min_valid
        Fewest valid hours for a valid daily mean (GB 3095-2012 Table 4: 20).

    Returns
    -------
    numpy.ndarray
        Daily means, shape ``(stations, days)``. [same unit]
    """
    days = _by_day(values)
    valid = ~np.isnan(days)
    counts = valid.sum(axis=2, dtype=np.int64)
    sums = np.where(valid, days, 0.0).sum(axis=2)
    return _mean(sums, counts, counts >= min_valid)


def daily_max(values: FloatArray, first_hour: int, min_valid: int, limit: float) -> FloatArray:
    """Maximum of each natural day's values at hours ending ``first_hour`` … 24:00.

    Parameters
    ----------
    values
        Hourly values (concentrations or 8-h moving means), shape ``(stations, days * 24)``.
        [µg/m³]
    first_hour
        End of the first hour that counts, 1 … 24 (8 for the daily maximum 8-h mean, whose
        windows end 08:00 … 24:00, HJ 663-2013 via reference aqi-hj633.md §4.2). [h]
    min_valid
        Fewest valid values for a valid maximum (14 of the 17 8-h means; 20 hours).
    limit
        Concentration limit above which a maximum of fewer values is still kept. [µg/m³]

    Returns
    -------
    numpy.ndarray
        Daily maxima, shape ``(stations, days)``. [same unit]
    """
    days = _by_day(values)[:, :, first_hour - 1 :]
    counts = (~np.isnan(days)).sum(axis=2, dtype=np.int64)
    # fmax ignores NaN and, unlike nanmax, does not warn on an all-missing day.
    maxima = np.fmax.reduce(days, axis=2)
    return np.where((counts >= min_valid) | (maxima > limit), maxima, np.nan)


def station_mean(values: FloatArray) -> FloatArray:
    """Arithmetic mean over stations (axis 0) of the valid values, keeping the axis.

    The city's concentration of an indicator is the mean of its stations' valid concentrations
    (HJ 633-2026 §4.2.1-4.2.2 with HJ 663; reference aqi-hj633.md §2.6); the index is computed
    from that mean, never by averaging station AQIs.

    Parameters
    ----------
    values
        Station values, shape ``(stations, …)``. [µg/m³; CO mg/m³]

    Returns
    -------
    numpy.ndarray
        Shape ``(1, …)``; NaN where no station has a valid value. [same unit]
    """
    valid = ~np.isnan(values)
    counts = valid.sum(axis=0, keepdims=True, dtype=np.int64)
    sums = np.where(valid, values, 0.0).sum(axis=0, keepdims=True)
    return _mean(sums, counts, counts > 0)


def group_mean(values: FloatArray, groups: IntArray, n_groups: int) -> FloatArray:
    """Arithmetic mean of the valid values of each group of rows (each city's stations).

    Parameters
    ----------
    values
        Station values, shape ``(stations, …)``. [µg/m³; CO mg/m³]
    groups
        Group (0 … ``n_groups`` − 1) of each station.
    n_groups
        Number of groups.

    Returns
    -------
    numpy.ndarray
        Shape ``(n_groups, …)``; NaN where a group has no valid value. [same unit]
    """
    valid = ~np.isnan(values)
    shape = (n_groups, *values.shape[1:])
    sums = np.zeros(shape)
    counts = np.zeros(shape, dtype=np.int64)
    # Sorted by group, each group's rows are one slice: reduceat sums them in row order, as
    # station_mean does for one group, so one city alone gives the same value either way.
    order = np.argsort(groups, kind="stable")
    sorted_groups = groups[order]
    starts = np.flatnonzero(np.r_[True, sorted_groups[1:] != sorted_groups[:-1]])
    present = sorted_groups[starts]
    sums[present] = np.add.reduceat(np.where(valid, values, 0.0)[order], starts, axis=0)
    counts[present] = np.add.reduceat(valid[order].astype(np.int64), starts, axis=0)
    return _mean(sums, counts, counts > 0)


def _by_day(values: FloatArray) -> FloatArray:
    n_rows, n_hours = values.shape
    if n_hours % HOURS_PER_DAY:
        raise ValueError(f"{n_hours} hours is not a whole number of days")
    return values.reshape(n_rows, n_hours // HOURS_PER_DAY, HOURS_PER_DAY)


def _mean(sums: FloatArray, counts: IntArray, keep: BoolArray) -> FloatArray:
    """sums / counts where ``keep``, else NaN; snapped as :func:`snap` does, but in place."""
    means = np.full(sums.shape, np.nan)
    np.divide(sums, counts, out=means, where=keep)
    scale = 10.0**SNAP_DECIMALS
    np.multiply(means, scale, out=means)
    np.rint(means, out=means)
    np.divide(means, scale, out=means)
    return means
