"""Template filters putting the evaluation's codes into words (``evaluation.terms``)."""

from __future__ import annotations

from django import template

from hazeguard_platform.evaluation import terms
from hazeguard_platform.public.presenters import grade_name

register = template.Library()

register.filter("level_label", terms.level_label)
register.filter("role_label", terms.role_label)
register.filter("step_label", terms.step_label)
register.filter("verdict_label", terms.verdict_label)
register.filter("lead_label", terms.lead_label)
register.filter("missing_label", terms.missing_label)
register.filter("source_label", terms.source_label)
register.filter("state_label", terms.state_label)
register.filter("pollutant_label", terms.pollutant_label)
register.filter("grade_label", grade_name)
register.filter("effect_verdict", terms.effect_verdict)


@register.filter
def hours(value: float | None) -> str:
    """Hours rounded for people: ``25`` or ``2.5``; a dash when unknown."""
    if value is None:
        return "—"
    return f"{value:.0f}" if abs(value) >= 10 else f"{value:.1f}"


@register.filter
def percent(value: float | None) -> str:
    """A share [1] as a percentage; a dash when unknown."""
    return "—" if value is None else f"{100 * value:.0f}%"
