"""What a decision returns: the decision itself and the parts that explain it (plain data)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from hazeguard.warnings.dust import DustPeriod
from hazeguard.warnings.lifecycle import Action
from hazeguard.warnings.rules import MeasureRef


@dataclass(frozen=True)
class WarningInForce:
    """The warning currently in force locally.

    Parameters
    ----------
    level
        ``blue``, ``yellow``, ``orange`` or ``red``.
    start
        When it took effect (None when unknown).
    """

    level: str
    start: datetime | None = None


@dataclass(frozen=True)
class MatchedCriterion:
    """One criterion that matched, with where and why.

    Parameters
    ----------
    level
        The level (or ``advisory``) the criterion belongs to.
    description
        The criterion in words, e.g. ``AQI > 200 for 2 days``.
    clause
        Seed file and section it comes from.
    periods
        The matched dates (daily) or window end hours (hourly), ISO text.
    source
        ``forecast``, ``observed+forecast`` or ``regional floor``.
    counties
        For regional criteria: the contiguous counties whose mean met it on each matched period.
    """

    level: str
    description: str
    clause: str
    periods: tuple[str, ...]
    source: str = "forecast"
    counties: tuple[tuple[str, ...], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        result: dict[str, Any] = {
            "level": self.level,
            "criterion": self.description,
            "clause": self.clause,
            "periods": list(self.periods),
            "source": self.source,
        }
        if self.counties:
            result["counties"] = [list(group) for group in self.counties]
        return result


@dataclass(frozen=True)
class AppliedRule:
    """A lifecycle rule the decision used (lead time, lifting, merging, upgrade, floor, dust)."""

    rule: str
    clause: str
    detail: str

    def to_dict(self) -> dict[str, str]:
        """Plain JSON-ready form."""
        return {"rule": self.rule, "clause": self.clause, "detail": self.detail}


@dataclass(frozen=True)
class Decision:
    """What to do, and why. Every field is plain data; :meth:`to_dict` gives JSON.

    Parameters
    ----------
    plan_id
        The plan decided under.
    at
        When the decision was taken (local time).
    level
        ``none``, ``advisory``, ``blue``, ``yellow``, ``orange`` or ``red``.
    response
        ``III``, ``II``, ``I`` (``IV`` for an old blue level) or None.
    action
        ``none``, ``issue``, ``upgrade``, ``downgrade``, ``lift`` or ``keep``.
    criteria
        The criteria that matched for ``level``, with clause and matched periods.
    earliest_start
        Earliest time the warning (or the lifting) may take effect, given the lead time; None for
        ``none`` and ``keep``.
    expected_end
        End of the forecast episode (None when nothing is forecast).
    approver
        Who approves the action (None when nothing is issued).
    measures
        The measures that take effect at ``level``.
    dust_excluded
        Forecast rows left out as dust, each with ``flag`` or ``inferred``.
    rules
        Lifecycle rules applied, each with its clause.
    """

    plan_id: str
    at: datetime
    level: str
    response: str | None
    action: Action
    criteria: tuple[MatchedCriterion, ...]
    earliest_start: datetime | None
    expected_end: datetime | None
    approver: str | None
    measures: tuple[MeasureRef, ...]
    dust_excluded: tuple[DustPeriod, ...] = ()
    rules: tuple[AppliedRule, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """The decision as JSON-ready data (times as ISO text)."""
        return {
            "plan": self.plan_id,
            "at": self.at.isoformat(timespec="minutes"),
            "level": self.level,
            "response": self.response,
            "action": self.action,
            "criteria": [c.to_dict() for c in self.criteria],
            "earliest_start": _iso(self.earliest_start),
            "expected_end": _iso(self.expected_end),
            "approver": self.approver,
            "measures": [m.to_dict() for m in self.measures],
            "dust_excluded": [d.to_dict() for d in self.dust_excluded],
            "rules": [r.to_dict() for r in self.rules],
        }


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat(timespec="minutes")
