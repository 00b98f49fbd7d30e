"""When a measure applies: the plan's own condition on it, as data.

"因臭氧污染启动本预案时" (000 §4.2.1.3(8)) is ``primary_pollutant: [O3]``; "每年3月15日至11月15日"
(000 §4.2.1.3(4)) is ``season: {start: 03-15, end: 11-15}``; "接到红色预警且AQI日均值达到500时"
(003 §4.4.4.1(7)) is ``aqi_at_least: 500``; "非冰冻条件下" (003 §4.4.2.3③) is
``non_freezing: true``. The engine (:mod:`hazeguard.warnings.conditions`) evaluates them and says
why a measure is or is not active.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from hazeguard.vocabulary import PollutantCode

ConditionBasis = Literal["forecast", "observed", "either"]
MONTH_DAY = re.compile(r"(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])")


@dataclass(frozen=True)
class Season:
    """A yearly window of days, ``start`` and ``end`` included, written ``MM-DD``."""

    start: str
    end: str

    def __post_init__(self) -> None:
        for value in (self.start, self.end):
            if not MONTH_DAY.fullmatch(value):
                raise ValueError(f"{value!r} is not a day of the year written MM-DD")

    def contains(self, month: int, day: int) -> bool:
        """Whether the day ``month``-``day`` is inside the window (which may wrap the new year)."""
        key = f"{month:02d}-{day:02d}"
        if self.start <= self.end:
            return self.start <= key <= self.end
        return key >= self.start or key <= self.end


@dataclass(frozen=True)
class MeasureCondition:
    """The condition under which a measure applies; every stated part must hold.

    ``primary_pollutant``: the episode's primary pollutant is one of these. ``season``: the day is
    inside the window. ``aqi_at_least``: the daily AQI reaches this, on the ``basis`` of the
    forecast, the observations or either. [index] ``non_freezing``: only when it is not freezing
    (the engine has no temperature: it shows the condition for people to check). ``part_zh``:
    the part of the measure the condition governs, when it is not the whole ("学校可采取停课措施"
    in 003 §4.4.4.1(7), whose flexible teaching applies at every red).
    """

    clause: str
    text_zh: str
    primary_pollutant: tuple[PollutantCode, ...] = ()
    season: Season | None = None
    aqi_at_least: int | None = None
    basis: ConditionBasis = "either"
    non_freezing: bool = False
    part_zh: str = ""

    def __post_init__(self) -> None:
        from hazeguard.plans.parts import check_clause  # parts imports this module

        check_clause(self.clause)
        stated = (self.primary_pollutant, self.season, self.aqi_at_least, self.non_freezing)
        if not any(part not in ((), None, False) for part in stated):
            raise ValueError(
                "a condition states at least one of primary_pollutant, season, aqi_at_least, "
                "non_freezing"
            )
