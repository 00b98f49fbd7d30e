"""The AQI of a report: sub-indices, AQI, primary and exceedance pollutants.

:func:`index_arrays` is the fast array path (one chunked pass over all indicators at once);
:func:`hazeguard.aqi.frame.index_frame` wraps it for a table.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from hazeguard.aqi.exact import (
    CHUNK,
    BoolArray,
    FloatArray,
    apply_rule,
    as_concentrations,
    check_chunk,
    chunks,
    compiled,
    iaqi_chunk,
)
from hazeguard.aqi.tables import (
    DEFAULT_STANDARD,
    HJ633_2012,
    HJ633_2026,
    INDICATORS,
    SUBSTITUTES,
    check_standard,
    mode_indicators,
)

#: An IAQI above this makes a pollutant primary, if it is the highest (HJ 633-2012 §3.3).
PRIMARY_ABOVE = 50
#: An IAQI above this makes a pollutant an exceedance pollutant (HJ 633-2012 §3.4 only).
EXCEEDANCE_ABOVE = 100
#: HJ 633-2026 §5.3.1: with an indicator missing, the AQI is published only if above this.
INCOMPLETE_PUBLISHED_ABOVE = 100
#: Threads for large inputs at most, and the fewest chunks worth a thread.
MAX_WORKERS = 4
MIN_CHUNKS_PER_WORKER = 4


@dataclass(frozen=True)
class IndexResult:
    """The AQI of many rows under one standard and report mode.

    Attributes
    ----------
    standard, mode : str
        What was computed.
    iaqi : dict of str to ndarray of float64
        The IAQI of every indicator given, NaN where missing or not computed by rule. [-]
    contributions : dict of str to ndarray of float64
        The sub-indices that make up the AQI, by indicator, in report order. Under HJ 633-2012
        a stand-in sub-index (SO2 24 h for SO2 1 h > 800) appears only where it stands in. [-]
    aqi : ndarray of float64
        The AQI, NaN where no sub-index is known or (2026 §5.3.1) an indicator is missing and
        the AQI is not above 100. [-]
    above_scale : ndarray of bool
        A contributing concentration is above the table and its IAQI was capped at 500.
    """

    standard: str
    mode: str
    iaqi: dict[str, FloatArray]
    contributions: dict[str, FloatArray]
    aqi: FloatArray
    above_scale: BoolArray

    def pollutant_codes(self, threshold: float, *, tied_with_aqi: bool) -> npt.NDArray[np.int64]:
        """Bit i set where contribution i is above ``threshold`` (and equals the AQI, if asked)."""
        codes = np.zeros(self.aqi.shape, dtype=np.int64)
        for bit, values in enumerate(self.contributions.values()):
            hit = values > threshold
            if tied_with_aqi:
                hit &= values == self.aqi  # ties on the rounded IAQIs are all primary (§3.3)
            codes |= hit.astype(np.int64) << bit
        return codes

    def primary_codes(self) -> npt.NDArray[np.int64]:
        """首要污染物: the highest sub-indices, all of them if tied, when the AQI is above 50."""
        return self.pollutant_codes(PRIMARY_ABOVE, tied_with_aqi=True)

    def exceedance_codes(self) -> npt.NDArray[np.int64]:
        """超标污染物 (HJ 633-2012 only, deleted in 2026): sub-index above 100."""
        if self.standard != HJ633_2012:
            return np.zeros(self.aqi.shape, dtype=np.int64)
        return self.pollutant_codes(EXCEEDANCE_ABOVE, tied_with_aqi=False)

    def code_names(self) -> list[str]:
        """Indicator names joined by ``;`` for each bit code, by code ("" for none)."""
        indicators = list(self.contributions)
        return [
            ";".join(name for bit, name in enumerate(indicators) if code >> bit & 1)
            for code in range(1 << len(indicators))
        ]


@dataclass(frozen=True)
class IndexBuffers:
    """Preallocated outputs of :func:`index_arrays`, reused from call to call.

    A new output array costs a page fault per 4 KiB the first time it is written, as much as
    computing the index itself; a stream of chunks allocates these once and passes them as
    ``out=``. The :class:`IndexResult` of a call holds views of the buffers, valid until the
    next call that uses them.

    Attributes
    ----------
    iaqi, above : dict of str to ndarray
        Per indicator: sub-indices [-] and above-the-table flags, ``rows`` long.
    aqi, above_scale : ndarray
        AQI [-] and its above-the-scale flags, ``rows`` long.
    """

    iaqi: dict[str, FloatArray]
    above: dict[str, BoolArray]
    aqi: FloatArray
    above_scale: BoolArray

    @classmethod
    def allocate(cls, indicators: Sequence[str], rows: int) -> IndexBuffers:
        """Buffers for calls of up to ``rows`` rows with these indicators."""
        return cls(
            {name: np.empty(rows) for name in indicators},
            {name: np.zeros(rows, dtype=bool) for name in indicators},
            np.empty(rows),
            np.zeros(rows, dtype=bool),
        )

    @property
    def rows(self) -> int:
        """The most rows a call may have."""
        return len(self.aqi)

    def views(self, indicators: Sequence[str], rows: int) -> IndexBuffers:
        """The first ``rows`` rows, flags cleared; ValueError if too short or an indicator lacks."""
        missing = [name for name in indicators if name not in self.iaqi]
        if missing or rows > self.rows:
            raise ValueError(
                f"out= holds {self.rows} rows of {', '.join(self.iaqi)}; this call needs "
                f"{rows} rows of {', '.join(indicators)}"
            )
        above = {name: self.above[name][:rows] for name in indicators}
        for flags in (*above.values(), self.above_scale[:rows]):
            flags.fill(False)
        return IndexBuffers(
            {name: self.iaqi[name][:rows] for name in indicators},
            above,
            self.aqi[:rows],
            self.above_scale[:rows],
        )


class ReusedBuffers:
    """One :class:`IndexBuffers` kept across calls, grown only when a call needs more.

    A stream of chunks of different sizes passes ``out=reused.fit(indicators, rows)`` to each
    call: the buffers are allocated at the first chunk (and again only for a larger chunk or a
    new indicator), so their pages are faulted in once for the whole stream.
    """

    def __init__(self) -> None:
        self.buffers: IndexBuffers | None = None

    def fit(self, indicators: Sequence[str], rows: int) -> IndexBuffers:
        """Buffers of at least ``rows`` rows for every one of ``indicators``."""
        held = self.buffers
        if held is not None and rows <= held.rows and set(indicators) <= held.iaqi.keys():
            return held
        names = set(indicators) | (held.iaqi.keys() if held is not None else set())
        size = max(rows, held.rows if held is not None else 0)
        self.buffers = IndexBuffers.allocate([n for n in INDICATORS if n in names], size)
        return self.buffers


def default_standard(mode: str) -> str:
    """The standard used when none is given and no time is known."""
    return HJ633_2012 if mode == "realtime-2012" else DEFAULT_STANDARD


def index_arrays(
    concentrations: Mapping[str, object],
    *,
    standard: str | None = None,
    mode: str = "daily",
    workers: int | None = None,
    out: IndexBuffers | None = None,
) -> IndexResult:
    """The AQI of rows of concentrations under one standard.

    Parameters
    ----------
    concentrations : mapping of indicator name to array-like
        Equal-length 1-D concentrations per indicator. [µg/m³; CO mg/m³] NaN = missing.
    standard : {"HJ633-2012", "HJ633-2026"}, optional
        Default HJ633-2026 (HJ633-2012 for ``mode="realtime-2012"``).
    mode : {"daily", "realtime", "realtime-2012"}
        Which indicators make up the AQI (:data:`hazeguard.aqi.tables.MODE_INDICATORS`).
    workers : int, optional
        Threads for large inputs; default one per CPU, at most 4. Results do not depend on it.
    out : IndexBuffers, optional
        Where to write the outputs (at least as many rows, every indicator given); the result
        holds views of them. Default: new arrays.

    Raises
    ------
    ValueError
        Unknown indicator, mode or standard; none of the mode's indicators given; arrays of
        different lengths; a negative, infinite or non-numeric concentration.
    """
    standard = check_standard(standard or default_standard(mode))
    wanted = mode_indicators(mode, standard)
    unknown = sorted(set(concentrations) - set(INDICATORS))
    if unknown:
        known = ", ".join(INDICATORS)
        raise ValueError(f"unknown indicator(s) {', '.join(unknown)}; known: {known}")
    given = [name for name in INDICATORS if name in concentrations]
    parts = [name for name in wanted if name in given]
    if not parts:
        raise ValueError(
            f"mode {mode!r} under {standard} needs at least one of {', '.join(wanted)}; "
            f"given: {', '.join(given) or 'none'}"
        )
    values = {name: _one_dimensional(name, concentrations[name]) for name in given}
    size = _common_size(values)
    buffers = IndexBuffers.allocate(given, size) if out is None else out.views(given, size)
    run = _Run(standard, parts, values, size, buffers)
    run.all_rows(workers)
    return run.result(mode)


class _Run:
    """The arrays of one :func:`index_arrays` call, filled chunk by chunk."""

    def __init__(
        self,
        standard: str,
        parts: list[str],
        values: dict[str, tuple[FloatArray, pd.Index | None]],
        size: int,
        buffers: IndexBuffers,
    ) -> None:
        self.standard, self.parts, self.values, self.size = standard, parts, values, size
        given = list(values)
        # HJ 633-2012 Table 1 note 2: SO2 1 h > 800 is reported with the SO2 24 h sub-index.
        self.stand_ins = {
            replaced: stand_in
            for replaced, stand_in in SUBSTITUTES[standard].items()
            if replaced in parts and stand_in in given and stand_in not in parts
        }
        self.tables = {name: compiled(name, standard) for name in given}
        self.iaqi, self.above = buffers.iaqi, buffers.above
        self.aqi, self.above_scale = buffers.aqi, buffers.above_scale
        self.capped = [name for name in parts if self.tables[name].column.above_top == "cap"]

    def all_rows(self, workers: int | None) -> None:
        """Fill every row, in ``workers`` threads (numpy releases the GIL inside its loops)."""
        count = workers if workers is not None else min(os.cpu_count() or 1, MAX_WORKERS)
        blocks = -(-self.size // CHUNK)
        if count <= 1 or blocks < MIN_CHUNKS_PER_WORKER * 2:
            self.rows(0, self.size)
            return
        step = -(-blocks // count) * CHUNK
        bounds = [(first, min(first + step, self.size)) for first in range(0, self.size, step)]
        with ThreadPoolExecutor(len(bounds)) as pool:
            futures = [pool.submit(self.rows, first, stop) for first, stop in bounds]
            for future in futures:  # in row order, so the first bad value is the one reported
                future.result()

    def rows(self, first: int, stop: int) -> None:
        """Fill rows ``first`` to ``stop``, one cache-sized chunk at a time."""
        # Indicators of the report first, so each sub-index is folded into the AQI while it is
        # still in the cache.
        order = self.parts + [name for name in self.values if name not in self.parts]
        for part in chunks(stop, first):
            facts = {}
            aqi = self.aqi[part]
            for name in order:
                array, labels = self.values[name]
                x, iaqi, above = array[part], self.iaqi[name][part], self.above[name][part]
                facts[name] = check_chunk(name, x, part.start, labels)
                table = self.tables[name]
                iaqi_chunk(table, x, iaqi, above, facts[name])
                apply_rule(table.column.above_top, iaqi, above)
                # 式(2): AQI = max(IAQI_1 … IAQI_n); fmax skips a missing sub-index.
                if name == order[0]:
                    np.copyto(aqi, iaqi)
                elif name in self.parts:
                    np.fmax(aqi, iaqi, out=aqi)
            for replaced, stand_in in self.stand_ins.items():
                used = self.above[replaced][part]
                if used.any():
                    np.fmax(aqi, np.where(used, self.iaqi[stand_in][part], np.nan), out=aqi)
            for name in self.capped:
                if facts[name].high > self.tables[name].top:
                    self.above_scale[part] |= self.above[name][part]
            if self.standard == HJ633_2026 and any(facts[name].has_nan for name in self.parts):
                self._suppress_incomplete(part)

    def _suppress_incomplete(self, part: slice) -> None:
        # HJ 633-2026 §5.3.1: with an indicator missing, the AQI is published only if above 100.
        # np.maximum propagates NaN, so a NaN here means some indicator of the row is missing.
        strict = self.iaqi[self.parts[0]][part].copy()
        for name in self.parts[1:]:
            np.maximum(strict, self.iaqi[name][part], out=strict)
        missing = np.isnan(strict)
        if missing.any():
            out = self.aqi[part]
            out[missing & ~(out > INCOMPLETE_PUBLISHED_ABOVE)] = np.nan

    def result(self, mode: str) -> IndexResult:
        contributions = {name: self.iaqi[name] for name in self.parts}
        for replaced, stand_in in self.stand_ins.items():
            used = self.above[replaced]
            contributions[stand_in] = np.where(used, self.iaqi[stand_in], np.nan)
            if self.tables[stand_in].column.above_top == "cap":
                self.above_scale |= used & self.above[stand_in]
        return IndexResult(
            self.standard, mode, self.iaqi, contributions, self.aqi, self.above_scale
        )


def _one_dimensional(name: str, values: object) -> tuple[FloatArray, pd.Index | None]:
    array, labels = as_concentrations(name, values)
    if array.ndim != 1:
        raise ValueError(f"{name}: expected a 1-D array of concentrations, got shape {array.shape}")
    return array, labels


def _common_size(values: Mapping[str, tuple[FloatArray, pd.Index | None]]) -> int:
    sizes = {name: array.size for name, (array, _) in values.items()}
    if len(set(sizes.values())) > 1:
        raise ValueError(f"indicators have different lengths: {sizes}")
    return next(iter(sizes.values()))
