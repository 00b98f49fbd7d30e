"""Template filters of the yearly evaluation page."""

from __future__ import annotations

from django import template

from hazeguard_platform.evaluation.findings import (
    cycle_kind_label,
    cycle_sentence,
    cycle_state_label,
    finding_sentence,
)
from hazeguard_platform.evaluation.year import YearEvaluation

register = template.Library()

register.filter("finding", finding_sentence)
register.filter("cycle", cycle_sentence)
register.filter("cycle_kind", cycle_kind_label)
register.filter("cycle_state", cycle_state_label)


@register.filter
def verdicts(year: YearEvaluation, word: str) -> int:
    """Episodes of the year whose verdict holds ``word``."""
    return year.count(word)
