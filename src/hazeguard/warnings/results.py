"""What a decision returns: the decision itself and the parts that explain it (plain data)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from hazeguard.plans.workflow import Chain, LeadJudgement
from hazeguard.warnings.dust import DustPeriod
from hazeguard.warnings.lifecycle import Action
from hazeguard.warnings.messages import RULE_NAMES_ZH, SOURCE_NAMES_ZH, Message, Param
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
    message
        The criterion as an explanation (code and parameters); :attr:`description` and
        :attr:`description_zh` are its English and Chinese texts.
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
    message: Message
    clause: str
    periods: tuple[str, ...]
    source: str = "forecast"
    counties: tuple[tuple[str, ...], ...] = ()

    @property
    def description(self) -> str:
        """The criterion in English, e.g. ``AQI > 200 for 2 days``."""
        return self.message.en

    @property
    def description_zh(self) -> str:
        """The criterion in Chinese, e.g. ``AQI日均值>200连续2天（48小时）``."""
        return self.message.zh

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form: ``criterion`` (English, as before), ``criterion_zh``,
        ``source_zh`` and ``explanation`` (code, parameters and both texts)."""
        explanation = self.message.explained()  # rendered once, for both keys
        result: dict[str, Any] = {
            "level": self.level,
            "criterion": explanation["en"],
            "criterion_zh": explanation["zh"],
            "clause": self.clause,
            "periods": list(self.periods),
            "source": self.source,
            "source_zh": SOURCE_NAMES_ZH.get(self.source, self.source),
            "explanation": explanation,
        }
        if self.counties:
            result["counties"] = [list(group) for group in self.counties]
        return result


@dataclass(frozen=True)
class AppliedRule:
    """A lifecycle rule the decision used (lead time, lifting, merging, upgrade, floor, dust).

    ``rule`` is its English name (``lead time``); ``message`` says how it applied, as an
    explanation whose English text is :attr:`detail` and Chinese text :attr:`detail_zh`.
    """

    rule: str
    clause: str
    message: Message

    @property
    def rule_zh(self) -> str:
        """The rule's Chinese name (``提前发布``)."""
        return RULE_NAMES_ZH.get(self.rule, self.rule)

    @property
    def detail(self) -> str:
        """How the rule applied, in English."""
        return self.message.en

    @property
    def detail_zh(self) -> str:
        """How the rule applied, in Chinese."""
        return self.message.zh

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form: English ``rule`` and ``detail`` (as before), their Chinese
        ``rule_zh`` and ``detail_zh``, and ``explanation`` (code, parameters and both texts)."""
        explanation = self.message.explained()
        return {
            "rule": self.rule,
            "rule_zh": self.rule_zh,
            "clause": self.clause,
            "detail": explanation["en"],
            "detail_zh": explanation["zh"],
            "explanation": explanation,
        }


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
    chain
        The plan's chain for this action (propose, review, agree, approve, each with its roles
        and clause); None when nothing is to be approved.
    lead
        How the release stands against the plan's lead time (None when not judged).
    drill
        An exercise episode (000 §6.7, 001 §8.3, 003 §7): carried everywhere, never public.
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
    chain: Chain | None = None
    lead: LeadJudgement | None = None
    drill: bool = False

    @property
    def headline(self) -> Message:
        """What to do, e.g. ``发布红色预警，启动Ⅰ级应急响应`` (``issue red (response I)``);
        a drill's headline starts ``【演练】`` / ``[DRILL]``."""
        params: dict[str, Param] = {"level": self.level}
        if self.response:
            params["response"] = self.response
        if self.drill:
            params["drill"] = True
        return Message(f"decision.{self.action}", params)

    def to_dict(self) -> dict[str, Any]:
        """The decision as JSON-ready data (times as ISO text); ``headline`` and each criterion
        and rule carry their explanation in Chinese and English."""
        return {
            "plan": self.plan_id,
            "at": self.at.isoformat(timespec="minutes"),
            "level": self.level,
            "response": self.response,
            "action": self.action,
            "headline": self.headline.explained(),
            "criteria": [c.to_dict() for c in self.criteria],
            "earliest_start": _iso(self.earliest_start),
            "expected_end": _iso(self.expected_end),
            "approver": self.approver,
            "measures": [m.to_dict() for m in self.measures],
            "dust_excluded": [d.to_dict() for d in self.dust_excluded],
            "rules": [r.to_dict() for r in self.rules],
            "chain": _chain(self.chain),
            "lead": _lead(self.lead),
            "drill": self.drill,
        }


def _chain(chain: Chain | None) -> list[dict[str, Any]] | None:
    if chain is None:
        return None
    return [
        {"step": step.kind, "roles": list(step.roles), "clause": step.clause}
        for step in chain.steps
    ]


def _lead(lead: LeadJudgement | None) -> dict[str, Any] | None:
    if lead is None:
        return None
    return {
        "status": lead.status,
        "ahead_hours": round(lead.ahead_hours, 2),
        "late": lead.late,
        "needs_reason": lead.needs_reason,
        "clause": lead.clause,
    }


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat(timespec="minutes")
