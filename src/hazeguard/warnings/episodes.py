"""Polluted episodes in a series: where they start, where they end, and which merge.

Two polluted stretches belong to one episode unless the quiet time between them lasts at least the
plan's lifting time: "当预测发生前后两次重污染过程，且间隔时间未达到36小时，应按一次重污染过程从严
启动预警" (seed 003 §3.3.2), "间隔时间未达到解除预警条件时，应按一次重污染过程计算，从高级别启动
预警" (seed 001 §3.7.1).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from hazeguard.warnings.criteria import BoolArray, FloatArray


@dataclass(frozen=True)
class Episode:
    """Steps ``start:stop`` of one episode: from its first to its last polluted step."""

    start: int
    stop: int


def steps_for(hours: float, step_hours: float) -> int:
    """Whole steps needed to cover ``hours`` (36 h on daily data is 2 days). [steps]"""
    return max(1, math.ceil(hours / step_hours - 1e-9))


def polluted_mask(values: FloatArray, threshold: float) -> BoolArray:
    """Steps above the pollution threshold; NaN (missing or dust) is not polluted. [index]"""
    with np.errstate(invalid="ignore"):
        return values > threshold


def quiet_mask(values: FloatArray, threshold: float, excluded: BoolArray) -> BoolArray:
    """Steps at or below the quiet threshold, or excluded as dust (outside the plan). [index]"""
    with np.errstate(invalid="ignore"):
        return (values <= threshold) | excluded


def find_episodes(polluted: BoolArray, quiet: BoolArray, gap_steps: int) -> tuple[Episode, ...]:
    """Episodes of polluted steps, merged across gaps without ``gap_steps`` quiet steps in a row.

    A gap between two polluted stretches separates them only if it holds a run of at least
    ``gap_steps`` consecutive quiet steps; steps that are neither polluted nor quiet (e.g. AQI 180
    when lifting requires ≤ 150) never separate episodes.
    """
    index = np.flatnonzero(polluted)
    if index.size == 0:
        return ()
    episodes: list[Episode] = []
    start = prev = int(index[0])
    for raw in index[1:]:
        step = int(raw)
        if step > prev + 1 and longest_run(quiet[prev + 1 : step]) >= gap_steps:
            episodes.append(Episode(start, prev + 1))
            start = step
        prev = step
    episodes.append(Episode(start, prev + 1))
    return tuple(episodes)


def longest_run(mask: BoolArray) -> int:
    """Length of the longest run of True in ``mask``. [steps]"""
    if mask.size == 0 or not mask.any():
        return 0
    padded = np.concatenate(([0], mask.astype(np.int8), [0]))
    edges = np.flatnonzero(np.diff(padded))
    return int((edges[1::2] - edges[::2]).max())


def leading_run(mask: BoolArray) -> int:
    """How many steps from the start are True. [steps]"""
    false = np.flatnonzero(~mask)
    return int(mask.size if false.size == 0 else false[0])
