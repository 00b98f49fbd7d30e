"""Which values an arriving hour changes, so that only those are recomputed.

A station-hour ending at *h* changes (HJ 633 statistics, :mod:`hazeguard.aqi.windows`):

* the plausibility flags of hours *h − 5 … h + 5* (a stuck run of 6 hours reaches that far; a
  spike only *h ± 1*), hence the values used for the index within that span, [a, b];
* every real-time and rolling-24-h value whose 24 hours contain one of those hours:
  hours *a … b + 23* (24-h moving means, O3 8-h means and their 24-h maxima look back 23 h);
* the daily AQI of each natural day holding an hour of [a, b] (a day's statistics use only its
  own 24 hours, the hours ending 01:00 … 24:00).

To recompute them, the stations' hours from *a − 23 − 5* to *b + 23 + 5* (and the whole days) are
needed: the outer 5 hours let the flags of the hours used be judged as on the full series.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final

from hazeguard.monitoring.plausibility import REACH

HOUR: Final = timedelta(hours=1)
LOOK_BACK: Final = 23 * HOUR


@dataclass(frozen=True)
class Recompute:
    """The hours and days to recompute after some hours arrived (all naive Beijing time).

    Attributes
    ----------
    changed
        First and last hour end whose flags may have changed.
    hours
        First and last hour end of real-time and rolling values to recompute.
    days
        The natural days whose daily AQI to recompute.
    inputs
        First and last hour end of station data the recomputation reads.
    """

    changed: tuple[datetime, datetime]
    hours: tuple[datetime, datetime]
    days: tuple[date, ...]
    inputs: tuple[datetime, datetime]


def day_of(hour_end: datetime) -> date:
    """The natural day an hour belongs to: the hour ending 24:00 belongs to the day before."""
    return (hour_end - HOUR).date()


def recompute_span(arrived: Iterable[datetime]) -> Recompute:
    """What to recompute after hours ending at ``arrived`` were stored, changed or removed.

    Raises
    ------
    ValueError
        When ``arrived`` is empty.
    """
    ends = sorted(set(arrived))
    if not ends:
        raise ValueError("no hours arrived")
    reach = REACH * HOUR
    first, last = ends[0] - reach, ends[-1] + reach
    first_day, last_day = day_of(first), day_of(last)
    days = tuple(first_day + timedelta(days=n) for n in range((last_day - first_day).days + 1))
    day_start = datetime.combine(first_day, datetime.min.time()) + HOUR
    day_end = datetime.combine(last_day + timedelta(days=1), datetime.min.time())
    inputs = (
        min(first - LOOK_BACK, day_start) - reach,
        max(last + LOOK_BACK, day_end) + reach,
    )
    return Recompute((first, last), (first, last + LOOK_BACK), days, inputs)
