"""Whether a pollution process below the warning level is under way (002 §五(二)1).

The plan's :class:`hazeguard.plans.PollutionProcess` names the AQI above which observed or
forecast air makes a process. A process runs while the air is (or is forecast to be) above it
and no warning is in force; a warning takes over from it ("未达到预警启动条件的污染过程"), and it
ends when neither the observations nor the forecast are above the threshold any more.

>>> from hazeguard.plans import load_plan
>>> rule = load_plan("chaoyang-2024").pollution_process
>>> process_decision(rule, observed_aqi=135, forecast_aqi=(90,), warning_in_force=False,
...                  is_open=False).change
'open'
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from hazeguard.plans.pollution_process import PollutionProcess

ProcessChange = Literal["open", "close", "keep", "none"]


@dataclass(frozen=True)
class ProcessDecision:
    """What to do with the jurisdiction's process, and why (zh/en, with the plan's clause).

    ``change``: ``open`` a process, ``close`` the open one, ``keep`` it open, or ``none`` (no
    process, none needed).
    """

    change: ProcessChange
    under_way: bool
    reason_zh: str
    reason_en: str
    clause: str


def _above(value: float | None, threshold: float) -> bool:
    return value is not None and not math.isnan(value) and value > threshold


def process_decision(
    rule: PollutionProcess,
    *,
    observed_aqi: float | None,
    forecast_aqi: Sequence[float],
    warning_in_force: bool,
    is_open: bool,
) -> ProcessDecision:
    """Decide on the process from the newest observations and the forecast.

    Parameters
    ----------
    rule
        The plan's pollution process.
    observed_aqi
        Newest observed rolling 24-h AQI of the jurisdiction [index]; ``None`` or NaN if unknown.
    forecast_aqi
        The newest forecast's AQI (upper bound) for today and tomorrow [index].
    warning_in_force
        Whether a warning of the jurisdiction is in force (it takes over from a process).
    is_open
        Whether a process is open now.
    """
    threshold = rule.opens_above
    observed = _above(observed_aqi, threshold)
    forecast = [value for value in forecast_aqi if _above(value, threshold)]
    polluted = observed or bool(forecast)
    under_way = polluted and not warning_in_force
    if warning_in_force:
        zh, en = "预警已发布，由应急响应接续", "a warning is in force: the response takes over"
    elif polluted:
        parts_zh, parts_en = [], []
        if observed:
            parts_zh.append(f"实测连续24小时AQI {observed_aqi:.0f}")
            parts_en.append(f"observed rolling 24-h AQI {observed_aqi:.0f}")
        if forecast:
            parts_zh.append(f"预报AQI {max(forecast):.0f}")
            parts_en.append(f"forecast AQI {max(forecast):.0f}")
        zh = "、".join(parts_zh) + f"，高于{threshold}，未达到预警启动条件"
        en = " and ".join(parts_en) + f" above {threshold}, below the warning criteria"
    else:
        zh = f"实测与预报AQI均不高于{threshold}"
        en = f"observed and forecast AQI at or below {threshold}"
    if under_way:
        change: ProcessChange = "keep" if is_open else "open"
    else:
        change = "close" if is_open else "none"
    return ProcessDecision(change, under_way, zh, en, rule.clause)
