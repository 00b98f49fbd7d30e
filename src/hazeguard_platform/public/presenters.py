"""What the public sees of a warning: its measures, period and CAP messages, read from the rows.

The measures come from the plan version the warning was decided on (STYLE.md §6: a later edit of
the plan never changes a warning in force); the CAP message chain is derived from the warning and
the ones it superseded: issue → ``Alert``, an adjustment's issue → ``Update``, lifting → ``Cancel``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from hazeguard.cap import (
    CATEGORY_EN,
    CATEGORY_ZH,
    CapMeasure,
    CapReference,
    CapWarning,
    cap_polygons,
)
from hazeguard.reduction.enums import EnterpriseCategory, Grade
from hazeguard.vocabulary import LEVELS, RESPONSE_NUMERAL_ZH, ROLE_NAMES
from hazeguard.vocabulary import level_name as vocabulary_level_name
from hazeguard_platform import core
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.pages import page_language

if TYPE_CHECKING:
    from hazeguard.aqi import LevelInfo
from hazeguard_platform.warnings.models import EndReason, Warning

# The measures the public is asked or required to follow; guidance measures address counties and
# industry (Liaocheng 003 §4.4 "指导性减排措施") and stay on the staff pages.
PUBLIC_CATEGORIES = ("health_protection", "voluntary", "mandatory")
# States in which a warning has been made public.
PUBLISHED_STATES = ("issued", "in_force", "ended")


@dataclass(frozen=True)
class MeasureView:
    """One measure as shown and as carried in CAP."""

    category: str
    text_zh: str
    responsible_units: tuple[str, ...]
    clause: str

    @property
    def category_zh(self) -> str:
        return CATEGORY_ZH.get(self.category, self.category)

    @property
    def category_en(self) -> str:
        return CATEGORY_EN.get(self.category, self.category)

    def as_cap(self) -> CapMeasure:
        return CapMeasure(
            category=self.category,  # type: ignore[arg-type]
            text=self.text_zh,
            responsible_units=self.responsible_units,
            clause=self.clause,
        )


# (plan version digest, level) -> the level's measures. A plan version never changes
# (ImmutableModel) and its digest names its content, so an entry never goes stale; it saves
# decoding and validating the snapshot (tens of kB of JSON) on every public page.
_MEASURES: dict[tuple[str, str], tuple[MeasureView, ...]] = {}
_MEASURES_KEPT = 256  # entries; a region has a few plan versions × 4 levels


def measures_of(warning: Warning, categories: tuple[str, ...] | None = None) -> list[MeasureView]:
    """The measures in force at the warning's level, from the plan version it was decided on.

    Read once per plan version and level in each process; the snapshot is loaded only then, so
    callers may ``defer("plan_version__snapshot")``.
    """
    key = (warning.plan_version.digest, warning.level)
    measures = _MEASURES.get(key)
    if measures is None:
        plan = core.plan_from_snapshot(warning.plan_version.snapshot)
        # The advisory notice (提示信息) is no level of the plan and carries no measures.
        levels = plan.level_names
        measures = tuple(
            MeasureView(m.category, m.text_zh, tuple(m.responsible_units), m.clause)
            for m in (plan.measures_for(warning.level) if warning.level in levels else ())
        )
        if len(_MEASURES) >= _MEASURES_KEPT:
            _MEASURES.clear()
        _MEASURES[key] = measures
    if categories is None:
        return list(measures)
    return [measure for measure in measures if measure.category in categories]


def aqi_advice(aqi: int) -> LevelInfo:
    """Category, colour and health advice of an AQI value (HJ 633-2012 Table 2)."""
    # Imported on use, like the plans in core.py: the pages load before the AQI core is needed.
    from hazeguard.aqi import describe_level, level_of

    return describe_level(level_of(aqi))


def health_advice_of(warning: Warning) -> str:
    """The health advice for the highest AQI the warning's forecast expects, if it has one."""
    if warning.forecast is None:
        return ""
    peak = max((day.aqi_high for day in warning.forecast.days.all()), default=None)
    return aqi_advice(peak).advice if peak is not None else ""


def level_zh(level: str) -> str:
    """``红色预警`` for ``red``, ``提示信息`` for ``advisory`` (the core's vocabulary); unknown
    names as they are."""
    return vocabulary_level_name(level, "zh")


def approver_zh(role: str) -> str:
    """``指挥长`` for ``commander`` (the core's vocabulary); unknown roles as they are."""
    return ROLE_NAMES[role][0] if role in ROLE_NAMES else role


def response_zh(response: str) -> str:
    """``Ⅰ级`` for ``I``."""
    return RESPONSE_NUMERAL_ZH.get(response, response)


def colour_of(level: str) -> str:
    """The warning colour as a hex code (also the CAP ``colour`` parameter)."""
    terms = LEVELS.get(level)
    return terms.colour if terms is not None and terms.colour else "#3a8a3a"


MessageKind = Literal["issue", "lift"]


@dataclass(frozen=True)
class CapMessageRef:
    """One CAP message of a warning chain: which warning, which event, when, and its id."""

    warning: Warning
    kind: MessageKind
    sent: datetime
    identifier: str
    msg_type: Literal["Alert", "Update", "Cancel"]


def chain_of(warning: Warning) -> list[Warning]:
    """The warning and those it superseded, oldest first."""
    chain = [warning]
    while chain[0].supersedes_id is not None:
        earlier = chain[0].supersedes
        assert earlier is not None
        chain.insert(0, earlier)
    return chain


def message_id(warning: Warning, kind: MessageKind) -> str:
    """A stable CAP identifier: jurisdiction code, warning id and the event."""
    return f"hazeguard-{warning.jurisdiction.code}-w{warning.pk}-{kind}"


def messages_of(warning: Warning) -> list[CapMessageRef]:
    """The CAP messages a published warning has produced so far, oldest first."""
    messages: list[CapMessageRef] = []
    for position, link in enumerate(chain_of(warning)):
        if link.issued_at is None:
            continue
        msg_type: Literal["Alert", "Update"] = "Alert" if position == 0 else "Update"
        messages.append(
            CapMessageRef(link, "issue", link.issued_at, message_id(link, "issue"), msg_type)
        )
    ended = warning.ended_at is not None and warning.end_reason in (
        EndReason.LIFTED,
        EndReason.REGIONAL_LIFTED,
    )
    if ended and messages:
        assert warning.ended_at is not None
        messages.append(
            CapMessageRef(warning, "lift", warning.ended_at, message_id(warning, "lift"), "Cancel")
        )
    return messages


def cap_warning_for(
    message: CapMessageRef, earlier: list[CapMessageRef], *, sender: str, web: str
) -> CapWarning:
    """The :class:`CapWarning` of one message, referencing every earlier one of its chain."""
    warning = message.warning
    jurisdiction = warning.jurisdiction
    measures = measures_of(warning, PUBLIC_CATEGORIES)
    onset = warning.starts_at or warning.issued_at or message.sent
    expires = warning.ended_at if message.kind == "lift" else None
    if expires is not None and expires < onset:
        # Lifted before it started: the period is empty, and CAP wants onset <= expires.
        onset = expires
    note = warning.end_note if message.kind == "lift" else ""
    area = _boundary(jurisdiction.code)
    return CapWarning(
        identifier=message.identifier,
        sender=sender,
        sent=message.sent,
        msg_type=message.msg_type,
        level=warning.level,  # type: ignore[arg-type]
        response=warning.response or None,
        jurisdiction_zh=jurisdiction.name_zh,
        jurisdiction_en=jurisdiction.name_en,
        onset=onset,
        expires=expires,
        sender_name=f"{jurisdiction.name_zh}重污染天气应急指挥部",
        # Not ``warning.reason``: that is the office's internal reason (依据), never public.
        health_advice_zh=health_advice_of(warning),
        measures=tuple(m.as_cap() for m in measures),
        references=tuple(CapReference(sender, e.identifier, e.sent) for e in earlier),
        web=web,
        note=note,
        geocode=area.get("admin_code", ""),
        polygons=cap_polygons(area["geometry"]) if area else (),
    )


def _boundary(code: str) -> dict[str, Any]:
    """The jurisdiction's GB/T 2260 code and boundary, when the platform ships them."""
    from hazeguard_platform.monitoring.situation import shipped_boundaries

    return shipped_boundaries().get(code, {})


# What the public reads of a warning's state: one language at a time (the model's labels are
# the staff's bilingual ones).
_PUBLIC_STATES = {
    "issued": gettext_lazy("Issued, not yet started"),
    "in_force": gettext_lazy("In force"),
}
_PUBLIC_ENDS: dict[str, Promise] = {
    EndReason.LIFTED: gettext_lazy("Lifted"),
    EndReason.ADJUSTED: gettext_lazy("Replaced by an adjusted level"),
    EndReason.REGIONAL_LIFTED: gettext_lazy("Ended with the regional warning"),
}


def public_state(warning: Warning) -> str:
    """``生效中`` / ``In force``, ``已解除`` / ``Lifted`` … in the active language."""
    if warning.state == "ended":
        return str(_PUBLIC_ENDS.get(warning.end_reason, gettext_lazy("No longer in force")))
    return str(_PUBLIC_STATES.get(warning.state, warning.state))


def level_name(level: str) -> str:
    """``红色预警`` / ``Red warning``, ``提示信息`` / ``Advisory notice`` in the active language."""
    if page_language() == "en":
        name = vocabulary_level_name(level, "en")
        return name[:1].upper() + name[1:]
    return level_zh(level)


def response_name(response: str) -> str:
    """``Ⅰ级`` / ``Level I`` in the active language ("" for none)."""
    if not response:
        return ""
    return f"Level {response}" if page_language() == "en" else response_zh(response)


def place_name(jurisdiction: Jurisdiction) -> str:
    """The jurisdiction's name in the active language (Chinese when it has no English name)."""
    return jurisdiction.name_in(page_language())


def when(moment: datetime | None, *, year: bool = True) -> str:
    """``2026年1月5日 08:00`` / ``5 Jan 2026 08:00`` in China Standard Time; "" for none."""
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    if page_language() == "en":
        return f"{local.day} {local:%b}{f' {local.year}' if year else ''} {local:%H:%M}"
    return f"{f'{local.year}年' if year else ''}{local.month}月{local.day}日 {local:%H:%M}"


def _enum_label(enum: type[Grade] | type[EnterpriseCategory], value: str) -> str:
    try:
        member = enum(value)
    except ValueError:
        return value
    return member.label_en if page_language() == "en" else member.label_zh


def grade_name(grade: str) -> str:
    """``B级`` / ``B``, ``引领性`` / ``Leading``: a performance grade in the active language."""
    return _enum_label(Grade, grade)


def category_name(category: str) -> str:
    """``重点企业`` / ``Key enterprise``: a list category in the active language."""
    return _enum_label(EnterpriseCategory, category)
