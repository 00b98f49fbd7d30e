"""Polluted episodes in a series: where they start, where they end, and which merge.

Two polluted stretches belong to one episode unless the quiet time between them lasts at least the
plan's lifting time: "当预测发生前后两次重污染过程，且间隔时间未达到36小时，应按一次重污染过程从严
启动预警" (seed 003 §3.3.2), "间隔时间未达到解除预警条件时，应按一次重污染过程计算，从高级别启动
预警" (seed 001 §3.7.1).
:func:`hazeguard.warnings.assess.assess` finds the episodes, for many decision times at once; the
helpers here convert the plan's hours into steps and mark polluted steps.
"""

from __future__ import annotations

import math

import numpy as np

from hazeguard.warnings.criteria import BoolArray, FloatArray


def steps_for(hours: float, step_hours: float) -> int:
    """Whole steps needed to cover ``hours`` (36 h on daily data is 2 days). [steps]"""
    return max(1, math.ceil(hours / step_hours - 1e-9))


def polluted_mask(values: FloatArray, threshold: float) -> BoolArray:
    """Steps above the pollution threshold; NaN (missing or dust) is not polluted. [index]"""
    with np.errstate(invalid="ignore"):
        return values > threshold
