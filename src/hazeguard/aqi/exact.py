"""The exact, vectorised IAQI of HJ 633 (式(1), rounded up per 2012 §6.2 and 2026 §4.2.6).

How it stays exact
------------------
A concentration is read as a decimal with a resolution of 10⁻⁶ of its unit (:data:`RESOLUTION`):
``n = round(C × 10⁶)``, far finer than any reported value (µg/m³ integers, CO 0.1 mg/m³). On a
segment of the table, with IAQI steps of 50 or 100,

    IAQI = I_lo + (n − BP_lo·10⁶) / R,   R = (BP_hi − BP_lo)·10⁶ / (I_hi − I_lo)  (an integer)

so ``ceil(IAQI) = ceil((n − B) / R)`` with the integer ``B = BP_lo·10⁶ − I_lo·R``. Both ``n − B``
and ``R`` are integers below 2⁵³, hence exact in float64; the quotient is correctly rounded, and a
non-integer quotient is at least 1/R ≥ 8.7·10⁻⁸ away from an integer, far more than the rounding
error (< 10⁻¹³ at 500), so ``ceil`` of the float quotient is the exact ceiling. This is why CO
2.2 mg/m³ gives 55 here, where the naive formula gives 56.

How it stays fast
-----------------
All limits are integers, so the segment of C is found by ``floor(C)`` in a per-unit table of
(B, R) built once per column (at most 3841 entries, L1/L2-resident); the arrays are processed in
cache-sized chunks, about ten numpy passes per chunk and no Python loop per value.
"""

from __future__ import annotations

import functools
import numbers
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final, NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd

from hazeguard.aqi.tables import DEFAULT_STANDARD, AboveTop, Breakpoints, breakpoints

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

#: Decimal digits kept of a concentration before the exact arithmetic: 10⁻⁶ µg/m³ (CO mg/m³).
RESOLUTION_DIGITS: Final = 6
RESOLUTION: Final = 10.0**-RESOLUTION_DIGITS
_SCALE: Final = 10**RESOLUTION_DIGITS
#: Text read as a missing concentration, besides an empty cell: "NA" and "/" (HJ 633-2012 Tables 3
#: and 4, notes) and the dash CNEMC's hourly station release shows for an hour without data.
MISSING_MARKS: Final = ("NA", "/", "", "—")
#: Values per chunk: small enough that a chunk's temporaries stay in the CPU cache, large enough
#: that numpy's per-call overhead (about 15 calls per chunk and indicator) stays small.
CHUNK: Final = 65536


#: Decimal digits at which monitoring networks publish each pollutant (CNEMC: µg/m³ integers,
#: CO to 0.1 mg/m³). Values on that grid take the one-lookup path of :func:`iaqi_chunk`.
PUBLISHED_DIGITS: Final = {"co": 1}


@dataclass(frozen=True)
class CompiledColumn:
    """A breakpoint column as per-unit lookup tables of the exact formula (see module doc)."""

    column: Breakpoints
    top: float
    offset: FloatArray  # B for floor(C) = 0 … top [10⁻⁶ µg/m³, exact integers]
    divisor: FloatArray  # R for floor(C) = 0 … top [10⁻⁶ µg/m³ per IAQI, exact integers]
    grid_scale: float = 1.0  # 1 / the published resolution [1 / (µg/m³; CO mg/m³)]
    on_grid: FloatArray | None = None  # IAQI of k / grid_scale, k = 0 … top·grid_scale


@functools.cache
def compiled(indicator: str, standard: str) -> CompiledColumn:
    """The lookup tables of one column (built once, cached)."""
    column = breakpoints(indicator, standard)
    limits, rows = column.concentrations, column.iaqi
    offset = np.empty(column.top + 1)
    divisor = np.empty(column.top + 1)
    for segment in range(len(limits) - 1):
        low, high = limits[segment], limits[segment + 1]
        span = (high - low) * _SCALE
        step = rows[segment + 1] - rows[segment]
        if span % step:  # cannot happen with HJ 633's steps of 50/100; guards a future table
            raise ValueError(f"{indicator}: segment {low}-{high} has no integer slope at 10⁻⁶")
        r = span // step
        # floor(C) in [low, high) lies on this segment; C = top exactly uses the last one.
        stop = high + 1 if segment == len(limits) - 2 else high
        offset[low:stop] = low * _SCALE - rows[segment] * r
        divisor[low:stop] = r
    offset.flags.writeable = False
    divisor.flags.writeable = False
    exact = CompiledColumn(column, float(column.top), offset, divisor)
    # The sub-index of every value on the published grid, by the exact formula itself: a value
    # on the grid then costs one lookup, with the same result as the exact path.
    digits = PUBLISHED_DIGITS.get(indicator.split("_")[0], 0)
    grid = np.arange(column.top * 10**digits + 1) / 10**digits
    on_grid = np.empty_like(grid)
    _exact_chunk(exact, grid, on_grid, np.zeros(grid.shape, dtype=bool), ChunkFacts(False, 0.0))
    on_grid.flags.writeable = False
    return CompiledColumn(column, float(column.top), offset, divisor, 10.0**digits, on_grid)


class ChunkFacts(NamedTuple):  # a tuple, not a dataclass: one is made per chunk and indicator
    """What :func:`check_chunk` learnt of a chunk: whether it has NaN, and its largest value."""

    has_nan: bool
    high: float  # the largest value ignoring NaN, -inf if none [µg/m³; CO mg/m³]


def iaqi_chunk(
    table: CompiledColumn, x: FloatArray, out: FloatArray, above: BoolArray, facts: ChunkFacts
) -> None:
    """Write the rounded-up IAQI of the checked concentrations ``x`` into ``out``.

    ``above`` must be all False on entry; it receives ``x > top``, where ``out`` holds the IAQI
    of the top limit (the caller applies the column's rule). NaN gives NaN.

    A chunk with every value inside the table and on the published grid (integers; CO to
    0.1 mg/m³) is one lookup in ``table.on_grid``: five numpy passes instead of ten.
    """
    if not facts.has_nan and facts.high <= table.top and table.on_grid is not None:
        scale = table.grid_scale
        whole = np.rint(x if scale == 1.0 else x * scale)
        # On the grid when x is the double nearest to k / scale (a correctly rounded division,
        # as the table was built): then x is that decimal at the exact path's 10⁻⁶ resolution
        # too, and on_grid[k] is what the exact path gives.
        if np.array_equal(whole if scale == 1.0 else whole / scale, x):
            # mode="clip" skips the bounds check: 0 <= x <= top was checked by check_chunk.
            table.on_grid.take(whole.astype(np.intp), out=out, mode="clip")
            return
    _exact_chunk(table, x, out, above, facts)


def _exact_chunk(
    table: CompiledColumn, x: FloatArray, out: FloatArray, above: BoolArray, facts: ChunkFacts
) -> None:
    """The exact formula on any values (see module doc); arguments as :func:`iaqi_chunk`."""
    top = table.top
    if facts.has_nan or facts.high > top:
        scaled = np.minimum(x, top)  # NaN propagates into the result
        segment = np.fmin(x, top).astype(np.intp)  # a valid index: NaN → top; x ≥ 0 was checked
        np.greater(x, top, out=above)
        scaled *= _SCALE
    else:  # the common case: every value in the table, none missing
        segment = x.astype(np.intp)  # truncation is floor, as x ≥ 0
        scaled = x * _SCALE
    np.rint(scaled, out=scaled)
    scaled -= table.offset.take(segment)
    scaled /= table.divisor.take(segment)
    np.ceil(scaled, out=out)  # HJ 633-2012 §6.2, HJ 633-2026 §4.2.6: always round up


def chunks(size: int, start: int = 0) -> Iterator[slice]:
    """Cache-sized slices covering ``range(start, size)``."""
    for first in range(start, size, CHUNK):
        yield slice(first, min(first + CHUNK, size))


def check_chunk(indicator: str, x: FloatArray, start: int, labels: pd.Index | None) -> ChunkFacts:
    """Raise ValueError at the first negative or infinite value of ``x``; else what it holds."""
    if x.size == 0:
        return ChunkFacts(False, -np.inf)
    # Fast path: min and max (SIMD, no temporary) are NaN only if some value is NaN.
    low, high = np.minimum.reduce(x), np.maximum.reduce(x)
    if low >= 0 and high < np.inf:
        return ChunkFacts(False, float(high))
    low, high = np.fmin.reduce(x), np.fmax.reduce(x)
    if not (low < 0 or high == np.inf):
        return ChunkFacts(True, -np.inf if np.isnan(high) else float(high))  # NaN is allowed
    bad = np.flatnonzero((x < 0) | np.isinf(x))[0]
    what = "negative" if x[bad] < 0 else "not finite"
    raise ValueError(_where(indicator, start + int(bad), labels) + f" is {what}: {float(x[bad])!r}")


def _where(indicator: str, position: int, labels: pd.Index | None) -> str:
    label = "" if labels is None else f" (index {labels[position]!r})"
    return f"{indicator}: the concentration at position {position}{label}"


def as_concentrations(indicator: str, values: object) -> tuple[FloatArray, pd.Index | None]:
    """``values`` as a contiguous float64 array (NaN for missing) and its index labels, if any.

    Raises ValueError naming the indicator and the position of the first value that is not a
    number (booleans, non-numeric text). Signs and finiteness are checked chunk by chunk later.
    """
    labels = values.index if isinstance(values, pd.Series) else None
    if values is None or values is pd.NA:
        return np.array(np.nan), None
    if isinstance(values, bool | np.bool_ | str | bytes) or (
        np.ndim(values) == 0 and not isinstance(values, numbers.Real)  # type: ignore[arg-type]
    ):
        raise ValueError(f"{_where(indicator, 0, None)} is not a number: {values!r}")
    if isinstance(values, pd.Series):
        if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(
            values.dtype
        ):
            array = values.to_numpy(dtype=np.float64, na_value=np.nan)
            return np.ascontiguousarray(array), labels
        raw = values.to_numpy(dtype=object)
    else:
        # A list goes through the object path, so that True in [10, True] is not read as 1.
        raw = np.asarray(values, dtype=object if isinstance(values, list | tuple) else None)
        if raw.dtype.kind in "fiu":
            return np.asarray(raw, dtype=np.float64, order="C"), None
    return _coerce(indicator, np.asarray(raw, dtype=object), labels), labels


def _coerce(indicator: str, raw: npt.NDArray[np.object_], labels: pd.Index | None) -> FloatArray:
    flat = pd.Series(raw.ravel(), dtype=object)
    # The standards' report tables mark a missing value "NA" and an unmonitored one "/"
    # (HJ 633-2012 Tables 3 and 4, notes; HJ 633-2026 Tables 4 and 5, notes): both are missing.
    flat = flat.mask(flat.isin(MISSING_MARKS))
    numeric = pd.to_numeric(flat, errors="coerce")
    # Text such as "12" (as read from a file) is accepted; booleans and other text are not.
    bad = (numeric.isna() & flat.notna()) | flat.map(type).isin((bool, np.bool_))
    if bad.any():
        position = int(np.flatnonzero(bad.to_numpy())[0])
        raise ValueError(
            f"{_where(indicator, position, labels)} is not a number: {flat.iloc[position]!r}"
        )
    return numeric.to_numpy(dtype=np.float64, na_value=np.nan).reshape(raw.shape)


@dataclass(frozen=True)
class SubIndex:
    """The IAQI of one indicator over an array of concentrations.

    Attributes
    ----------
    indicator, standard : str
        What was computed, and under which standard.
    iaqi : ndarray of float64
        The rounded-up IAQI; NaN where the input is NaN or the standard gives no sub-index. [-]
    above_top : ndarray of bool
        The concentration is above the column's last limit.
    rule : {"cap", "na", "top"}
        What the column does above its last limit (see :data:`hazeguard.aqi.tables.AboveTop`).
    """

    indicator: str
    standard: str
    iaqi: FloatArray
    above_top: BoolArray
    rule: AboveTop

    @property
    def above_scale(self) -> BoolArray:
        """Capped at 500 because the concentration is above the table (documented policy)."""
        return self.above_top if self.rule == "cap" else np.zeros_like(self.above_top)

    @property
    def replaced(self) -> BoolArray:
        """No sub-index by rule (HJ 633-2012 notes 2 and 3): another average stands in."""
        return self.above_top if self.rule == "na" else np.zeros_like(self.above_top)


def apply_rule(rule: AboveTop, iaqi: FloatArray, above: BoolArray) -> None:
    """Apply a column's rule above its top limit to a computed chunk (in place)."""
    if rule == "na" and above.any():
        iaqi[above] = np.nan  # HJ 633-2012 Table 1 notes 2 and 3: "不再进行其空气质量分指数计算"
    # "cap" (500) and "top" (2026 notes b, c: 200 for SO2 1 h, 300 for O3 8 h) are what the
    # clipped formula already gives.


def sub_index(indicator: str, concentration: object, *, standard: str | None = None) -> SubIndex:
    """The IAQI of ``indicator`` with its above-the-table flags. See :func:`iaqi`."""
    standard = standard or DEFAULT_STANDARD
    table = compiled(indicator, standard)
    values, labels = as_concentrations(indicator, concentration)
    flat = values.reshape(-1)
    result = np.empty_like(flat)
    above = np.zeros(flat.shape, dtype=bool)
    for part in chunks(flat.size):
        facts = check_chunk(indicator, flat[part], part.start, labels)
        iaqi_chunk(table, flat[part], result[part], above[part], facts)
        apply_rule(table.column.above_top, result[part], above[part])
    return SubIndex(
        indicator,
        standard,
        result.reshape(values.shape),
        above.reshape(values.shape),
        table.column.above_top,
    )


def iaqi(
    indicator: str, concentration: object, *, standard: str | None = None
) -> FloatArray | float:
    """The air quality sub-index (IAQI) of one indicator, exactly rounded up.

    Parameters
    ----------
    indicator : str
        One of :data:`hazeguard.aqi.INDICATORS`, e.g. ``"pm25_24h"``.
    concentration : float, array-like or pandas Series
        Concentrations. [µg/m³; CO mg/m³] NaN or None means missing.
    standard : {"HJ633-2012", "HJ633-2026"}, optional
        The standard; default HJ633-2026 (in force since 2026-03-01).

    Returns
    -------
    float or ndarray of float64
        The IAQI [-], a float for a scalar input. NaN where the input is missing, or where the
        standard gives no sub-index (HJ 633-2012: SO2 1 h > 800, O3 8 h > 800). Above the top of
        the table: 500 (not specified by HJ 633; see :class:`SubIndex` for the flag).

    Raises
    ------
    ValueError
        A negative, infinite or non-numeric concentration (naming the indicator and position),
        an unknown indicator or standard.
    """
    result = sub_index(indicator, concentration, standard=standard).iaqi
    return float(result) if result.ndim == 0 else result
