"""The yearly evaluation's findings and planning-cycle facts as sentences (active language)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from hazeguard_platform.evaluation.terms import level_label
from hazeguard_platform.evaluation.year import Finding, YearEvaluation
from hazeguard_platform.pages import page_language


def finding_sentence(finding: Finding) -> str:
    """E.g. "3 of 4 red warnings were issued less than 24 h ahead (the plan's usual lead time)"."""
    values = {
        "count": finding.count,
        "total": finding.total,
        "level": level_label(finding.level),
        "hours": f"{finding.hours:g}" if finding.hours is not None else "",
    }
    texts = {
        "short_lead": _(
            "%(count)d of %(total)d %(level)s episodes were issued less than %(hours)s h ahead "
            "(the plan's usual lead time)."
        ),
        "late": _(
            "%(count)d of %(total)d judged episodes began later than the plan's criteria were met "
            "on the observed data."
        ),
        "low": _(
            "%(count)d of %(total)d judged episodes were at a lower level than the criteria "
            "called for."
        ),
        "false_alarm": _(
            "%(count)d of %(total)d judged episodes were warnings whose criteria were not met on "
            "the observed data (false alarms)."
        ),
        "miss": _(
            "%(count)d times the criteria were met on the observed data without a warning (misses)."
        ),
    }
    return texts[finding.code] % values


def cycle_kind_label(kind: str) -> str:
    return {
        "list_update": _("emission list updated and reported"),
        "plan_revision": _("plan revised and filed"),
        "yearly_evaluation": _("evaluation of the previous year"),
    }.get(kind, kind)


def cycle_state_label(state: str) -> str:
    return {
        "upcoming": _("upcoming"),
        "due": _("due within 30 days"),
        "overdue": _("overdue: no record in the platform"),
        "done": _("done on time"),
        "done_late": _("done after the deadline"),
        "unrecorded": _("deadline passed; the platform keeps no record of this work"),
    }.get(state, state)


def cycle_sentence(year: YearEvaluation) -> str:
    """The plan's silence on the planning cycle (its file's note) or how many deadlines it
    states, and the list imports of the year."""
    if year.cycle:
        text = _("The plan (%(plan)s) sets %(count)d yearly deadlines, below.") % {
            "plan": year.plan_id,
            "count": len(year.cycle),
        }
    elif year.cycle_silence:
        note = year.cycle_silence if page_language() == "en" else year.cycle_silence_zh
        text = _("The plan (%(plan)s) sets no yearly deadline: %(note)s") % {
            "plan": year.plan_id,
            "note": note,
        }
    else:
        text = _("The plan file (%(plan)s) states no yearly deadline.") % {"plan": year.plan_id}
    if year.list_imports:
        dates = ", ".join(moment.strftime("%Y-%m-%d") for moment in year.list_imports)
        text += " " + _("List imported in the year: %(dates)s.") % {"dates": dates}
    else:
        text += " " + _("No list was imported in the year.")
    return text
