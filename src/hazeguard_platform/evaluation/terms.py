"""The evaluation's codes in words of the active language (Chinese first, English mode complete).

Levels and roles are the core's vocabulary (``hazeguard.vocabulary``); step names the warnings
app's; verdicts, lead-time judgements and missing inputs are this app's, translated by gettext.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from hazeguard.vocabulary import (
    level_name,
    pollutant_name,
    pollutant_of_measurement,
    role_name,
)
from hazeguard_platform.evaluation.records import PollutantEffect
from hazeguard_platform.pages import page_language
from hazeguard_platform.warnings.selectors import STEP_NAMES


def level_label(level: str) -> str:
    """``红色预警`` / ``red warning``; an empty level is a dash."""
    return level_name(level, page_language()) if level else "—"


def role_label(role: str) -> str:
    try:
        return role_name(role, page_language())
    except ValueError:
        return role  # a plan role the vocabulary does not name is shown as the plan writes it


def step_label(kind: str) -> str:
    names = STEP_NAMES.get(kind)
    return names[0 if page_language() == "zh" else 1] if names else kind


def verdict_label(verdict: str) -> str:
    """``hit, late`` -> ``命中，迟发`` / ``hit, issued late``."""
    words = {
        "hit": _("hit"),
        "late": _("issued late"),
        "low": _("level too low"),
        "false alarm": _("false alarm"),
        "miss": _("missed"),
    }
    separator = ", " if page_language() == "en" else "，"
    return separator.join(words.get(part, part) for part in verdict.split(", ") if part)


def lead_label(lead: str) -> str:
    return {
        "usual": _("usual lead time met"),
        "minimum": _("minimum lead time only"),
        "late": _("released late"),
        "exempt": _("started at once, as the plan allows"),
        "silent": _("the plan states no lead time"),
        "downgrade": _("a downgrade, in effect at once"),
    }.get(lead, lead or "—")


def missing_label(item: str) -> str:
    return {
        "weather": _(
            "hourly weather (wind, temperature, dew point, pressure) of the jurisdiction: upload "
            "it on the situation page or load it with manage.py weather_load"
        ),
        "weather_episode": _("hourly weather for at least three quarters of the episode's hours"),
        "stations": _("hourly station data of the jurisdiction: none uploaded or received"),
        "record": _(
            "a longer station record: at least 30 days outside warnings to learn business as "
            "usual, and ten placebo windows of the episode's length in its season"
        ),
        "episode": _("the episode's end: it has not been lifted"),
    }.get(item, item)


def pollutant_label(measurement: str) -> str:
    """A measurement column (``pm25``) as the page names the pollutant, in the active language."""
    code = pollutant_of_measurement(measurement)
    return pollutant_name(code, page_language()) if code else measurement


def effect_verdict(effect: PollutantEffect) -> str:
    """Whether the episode's effect stands out from the placebo runs (its interval excludes 0)."""
    if effect.percent_high < 0:
        return _("lower than business as usual, beyond the placebo runs")
    if effect.percent_low > 0:
        return _("higher than business as usual, beyond the placebo runs")
    return _("within the placebo runs: not told apart from weather")


def source_label(source: str) -> str:
    return {
        "upload": _("CSV upload"),
        "entry": _("entered by hand"),
        "api": _("received through the API"),
    }.get(source, source)


def state_label(state: str) -> str:
    return {
        "met": _("met"),
        "not_met": _("not met"),
        "no_inventory": _("no society-wide inventory"),
    }.get(state, state)
