"""From the engine's recommendation, or a consultation's conclusion, to a proposal form, pre-filled.

The dashboard shows what the engine recommends now (``forecasts.services.engine_recommendation``)
with a button "按建议提请" that opens the proposal page with the level, the consultation held on the
same forecast and a reason written from the decision's criteria; a consultation's page opens it
filled from the consultation's conclusion instead.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from hazeguard.vocabulary import Language, level_name
from hazeguard_platform.forecasts.models import Consultation
from hazeguard_platform.forecasts.services import Recommendation
from hazeguard_platform.forecasts.sources import earliest_start
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.jurisdictions.selectors import plan_version_for
from hazeguard_platform.pages import level_choices, page_language
from hazeguard_platform.public.presenters import when
from hazeguard_platform.response.forms import ProposeForm
from hazeguard_platform.staff_words import day_list
from hazeguard_platform.warnings.selectors import proposable_levels


def recommended_reason(decision: dict[str, Any], lang: Language) -> str:
    """The decision written as a proposal's reason: its headline, then each criterion met with
    its days and clause (``AQI日均值>300连续2天（48小时）：1月5日、1月6日 [003 §3.1]``)."""
    headline = decision.get("headline") or {}
    lines = [str(headline.get(lang, ""))] if headline else []
    for criterion in decision.get("criteria") or []:
        text = criterion.get("criterion_zh" if lang == "zh" else "criterion", "")
        days = day_list(criterion.get("periods") or [], lang)
        colon = "：" if lang == "zh" else ": "
        lines.append(f"{text}{colon + days if days else ''} [{criterion.get('clause', '')}]")
    return "\n".join(line for line in lines if line)


def _consultation_choices(place: Jurisdiction) -> list[tuple[int, str]]:
    return [
        (c.pk, f"{when(c.held_at)} · {level_name(c.concluded_level, page_language()) or '—'}")
        for c in place.consultations.order_by("-held_at", "-id")[:10]
    ]


def _level_choices(place: Jurisdiction) -> list[tuple[str, str]]:
    version = plan_version_for(place)
    levels = proposable_levels(version) if version is not None else ()
    return level_choices(levels)


def proposal_form(
    place: Jurisdiction, recommendation: Recommendation | None, data: Any = None
) -> ProposeForm:
    """The proposal form of ``place``, pre-filled from the engine's recommendation."""
    initial: dict[str, Any] = {}
    if recommendation is not None:
        initial["forecast"] = recommendation.forecast.pk
        if recommendation.level != "none":
            initial["level"] = recommendation.level
            initial["reason"] = recommended_reason(recommendation.decision, page_language())
        if recommendation.consultation is not None:
            initial["consultation"] = recommendation.consultation.pk
    return ProposeForm(
        data,
        initial=initial,
        levels=_level_choices(place),
        consultations=_consultation_choices(place),
    )


def proposal_from(consultation: Consultation) -> ProposeForm | None:
    """The proposal form filled from a consultation that concluded on a level (else None)."""
    if not consultation.concluded_level:
        return None
    start = earliest_start(consultation.decision)
    reason = consultation.conclusion
    if start is not None:
        reason = _("%(reason)s (earliest start by the plan: %(start)s)") % {
            "reason": reason,
            "start": f"{timezone.localtime(start):%Y-%m-%d %H:%M}",
        }
    place = consultation.jurisdiction
    return ProposeForm(
        initial={
            "level": consultation.concluded_level,
            "forecast": consultation.basis_id,
            "consultation": consultation.pk,
            "reason": reason,
        },
        levels=_level_choices(place),
        consultations=_consultation_choices(place),
    )
