"""The warning lifecycle as one pure step: given what is in force and what is assessed, what next.

Rules (seed 001 §3.7.1, seed 003 §3.3.2, seed 001 §3.4):

* **issue** when the first forecast episode meets a level, or observations already meet one and no
  clear improvement is forecast, or a higher jurisdiction's warning sets a floor;
* **upgrade** when any of those is above the level in force;
* **downgrade** to a lower level when the level in force is no longer met anywhere in a forecast
  that covers the lifting time (36 h);
* **lift** when nothing is met and the forecast stays quiet (below the criteria, or at "light
  pollution or better" where the plan says so) for the lifting time from now;
* otherwise **keep**. Two episodes less than the lifting time apart are one (see ``episodes``), so
  a short dip never lifts, and the merged episode runs at the higher level.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from hazeguard.warnings.rules import LEVEL_ORDER, rank

Action = Literal["none", "issue", "upgrade", "downgrade", "lift", "keep"]
Driver = Literal["forecast", "observed", "regional floor", "lifting", "no lasting improvement", ""]

ADVISORY = rank("advisory")


@dataclass(frozen=True)
class Step:
    """The outcome of one lifecycle step: the action, the resulting rank, and what drove it."""

    action: Action
    rank: int
    driver: Driver

    @property
    def level(self) -> str:
        """The resulting level name."""
        return LEVEL_ORDER[self.rank]


def next_step(
    *,
    current: int,
    forecast: int,
    observed: int,
    floor: int,
    lowest: int,
    leading_quiet: int,
    horizon: int,
    gap: int,
) -> Step:
    """Decide the next lifecycle step.

    Parameters
    ----------
    current
        Rank of the warning in force (0 = none; advisory notices are not "in force").
    forecast, observed, floor
        Ranks met by the first forecast episode, by the observations (with no clear improvement
        forecast), and set by a higher jurisdiction's warning.
    lowest
        Rank of the plan's lowest warning level (blue or yellow).
    leading_quiet, horizon, gap
        Quiet steps at the start of the forecast, forecast length, and steps in the lifting time.
        [steps]
    """
    target = max(forecast, observed, floor)
    driver: Driver = "forecast"
    if target > forecast:
        driver = "observed" if observed >= floor else "regional floor"
    if current < lowest:
        if target >= lowest:
            return Step("issue", target, driver)
        if target == ADVISORY:
            return Step("issue", ADVISORY, "forecast")
        return Step("none", 0, "")
    if target > current:
        return Step("upgrade", target, driver)
    if target == current:
        return Step("keep", current, driver)
    if target >= lowest:
        # "改善到相应级别预警启动标准以下，且预测将持续36小时以上" (seed 001 §3.7.1): the level in
        # force is met nowhere in the forecast, which must reach far enough to show it.
        if horizon >= gap:
            return Step("downgrade", target, driver)
        return Step("keep", current, "no lasting improvement")
    if leading_quiet >= gap:
        return Step("lift", ADVISORY if target == ADVISORY else 0, "lifting")
    return Step("keep", current, "no lasting improvement")


def effective_from(
    step: Step,
    *,
    at: datetime,
    onset: datetime | None,
    first_period: datetime,
) -> datetime | None:
    """Earliest time a step may take effect.

    A forecast-driven warning starts when the pollution does (``onset``), or at once when that is
    already under way. A release with less than the plan's lead time is recorded as late, but its
    measures are not postponed: "尽早启动" (seed 003 §3.3.1); the lead time ("原则上应提前24小时
    以上发布，特殊情况下至少提前12小时", seed 001 §3.5) is about when to release, not when to act.
    A warning driven by observations or a higher jurisdiction starts at once; a lifting or
    downgrade takes effect when the improvement begins (the first forecast period, "提前发布预警
    解除信息", seed 003 §3.3.2). None for ``none`` and ``keep``.
    """
    if step.action in ("none", "keep"):
        return None
    if step.action in ("lift", "downgrade"):
        return max(at, first_period)
    if step.driver != "forecast" or step.rank == ADVISORY or onset is None:
        return at
    return max(at, onset)
