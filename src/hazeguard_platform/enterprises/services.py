"""Every change to the emission list, enterprise tasks and reports (STYLE.md §7); the list import
itself lives in list_import.py and is re-exported here.

Keyword-only arguments, one ``transaction.atomic()`` per change with its audit record; errors are
the platform's ``InvalidInputError`` (400, names the field), ``ConflictError`` (409) and
``ForbiddenError`` (403, audited).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hazeguard.reduction.model import LEVELS
from hazeguard_platform.accounts.models import Membership, Role
from hazeguard_platform.accounts.permissions import Actor, refuse, require_role
from hazeguard_platform.audit.services import audit_record
from hazeguard_platform.enterprises.list_import import (  # noqa: F401 - the app's services
    LIST_ROLES,
    ListImportError,
    emission_list_import,
    emission_list_import_run,
    emission_list_upload,
)
from hazeguard_platform.enterprises.models import (
    EnterpriseContact,
    EnterpriseTask,
    ListedEnterprise,
    ProductionReport,
    SiteMeasure,
    WarningAcknowledgement,
)
from hazeguard_platform.enterprises.reporting import (
    expected_statuses,
    plan_deviations,
    report_window,
)
from hazeguard_platform.enterprises.selectors import enterprise_for_user, is_contact_of
from hazeguard_platform.errors import ConflictError, InvalidInputError
from hazeguard_platform.notices.acknowledgements import warning_acknowledged
from hazeguard_platform.warnings.models import ACTIVE_STATES, State, Warning


def enterprise_contact_add(*, actor: Actor, enterprise: ListedEnterprise, user: Any) -> None:
    """Make ``user`` a contact of ``enterprise`` (and an enterprise contact in its jurisdiction)."""
    require_role(
        actor,
        enterprise.jurisdiction,
        (*LIST_ROLES, Role.ADMINISTRATOR),
        action="enterprise.contact_add",
        obj=enterprise,
    )
    with transaction.atomic():
        EnterpriseContact.objects.get_or_create(user=user, enterprise=enterprise)
        Membership.objects.get_or_create(
            user=user, jurisdiction=enterprise.jurisdiction, role=Role.ENTERPRISE_CONTACT
        )
        audit_record(
            actor=actor,
            action="enterprise.contact_add",
            obj=enterprise,
            after={"user": user.get_username()},
        )


def _close_open(tasks: Any, reason: EnterpriseTask.CloseReason) -> int:
    return int(
        tasks.filter(state=EnterpriseTask.State.OPEN).update(
            state=EnterpriseTask.State.CLOSED, closed_at=timezone.now(), close_reason=reason
        )
    )


def enterprise_tasks_open(*, warning: Warning, actor: Actor) -> list[EnterpriseTask]:
    """Give each listed enterprise of the warning's jurisdiction its site-plan measures for the
    warning's level as tasks; the tasks of the level it replaces are closed.

    Called when a warning is issued (``warning_issue``), which is also how a level changes (an
    adjustment is issued as a new warning), and for each county warning of a regional cascade
    (``warnings.lifecycle``: a county's own list). Idempotent: a warning that has its tasks keeps
    them. A blue warning (advisory) has no site measures: it only closes the older tasks. The
    audit record is written when tasks opened or closed. A fixed number of queries, whatever the
    size of the list.
    """
    with transaction.atomic():
        mine = EnterpriseTask.objects.filter(warning=warning)
        if mine.exists():
            return list(mine)
        others = EnterpriseTask.objects.filter(
            enterprise__jurisdiction_id=warning.jurisdiction_id
        ).exclude(warning=warning)
        closed = _close_open(others, EnterpriseTask.CloseReason.LEVEL_CHANGED)
        measures = SiteMeasure.objects.none()
        if warning.level in {level.value for level in LEVELS}:
            # In row order, not the list's display order (jurisdiction code, county, name), whose
            # join made each county's query in a regional cascade take ~0.3 s on PostgreSQL.
            measures = (
                SiteMeasure.objects.filter(
                    enterprise__jurisdiction_id=warning.jurisdiction_id,
                    enterprise__listed=True,
                    level=warning.level,
                )
                .order_by("enterprise_id", "position")
                .select_related("enterprise")
            )
        tasks = EnterpriseTask.objects.bulk_create(
            EnterpriseTask(
                enterprise=m.enterprise,
                warning=warning,
                level=warning.level,
                description=m.description,
                measure={"kind": m.kind, "unit_ids": m.unit_ids, "fraction": m.fraction},
                starts_at=warning.starts_at,
            )
            for m in measures
        )
        if tasks or closed:  # a county without a list of its own changes nothing to record
            audit_record(
                actor=actor,
                action="enterprise_tasks.open",
                obj=warning,
                after={
                    "level": warning.level,
                    "tasks": len(tasks),
                    "enterprises": len({t.enterprise_id for t in tasks}),
                    "closed": closed,
                },
            )
    return tasks


def enterprise_tasks_close(*, warning: Warning, actor: Actor) -> int:
    """Close every open enterprise task of the warning's jurisdiction (the warning was lifted,
    or, for a county warning of a regional cascade, its parent was).

    Returns how many were closed; the audit record is written when some were.
    """
    with transaction.atomic():
        closed = _close_open(
            EnterpriseTask.objects.filter(enterprise__jurisdiction_id=warning.jurisdiction_id),
            EnterpriseTask.CloseReason.LIFTED,
        )
        if closed:
            audit_record(
                actor=actor, action="enterprise_tasks.close", obj=warning, after={"closed": closed}
            )
    return closed


def _require_contact(
    actor: Actor, enterprise_id: int, action: str, read: ListedEnterprise | None = None
) -> ListedEnterprise:
    """The enterprise ``enterprise_id`` if ``actor`` is its contact (``read``: the caller's copy,
    not read again; being its contact is checked all the same)."""
    enterprise = read
    if enterprise is None or enterprise.pk != enterprise_id:
        enterprise = enterprise_for_user(actor, enterprise_id)
    if not is_contact_of(actor, enterprise):
        raise refuse(actor, action=action, obj=enterprise, message="only its contact reports")
    return enterprise


def _contact(actor: Actor) -> User:
    """``actor`` once ``_require_contact`` let it through: a contact is a person."""
    assert isinstance(actor, User)
    return actor


def enterprise_warning_acknowledge(
    *, actor: Actor, enterprise_id: int, warning_id: int
) -> WarningAcknowledgement:
    """The enterprise's contact confirms it received the warning in force (or issued)."""
    enterprise = _require_contact(actor, enterprise_id, "enterprise.acknowledge")
    warning = Warning.objects.filter(
        pk=warning_id, jurisdiction_id=enterprise.jurisdiction_id, state__in=ACTIVE_STATES
    ).first()
    if warning is None:
        raise ConflictError(f"warning {warning_id} is not in force for {enterprise.name}")
    with transaction.atomic():
        created = not WarningAcknowledgement.objects.filter(
            enterprise=enterprise, warning=warning
        ).exists()
        # The same fact as the contact's inbox button: its notices are acknowledged with it.
        warning_acknowledged(
            user=_contact(actor), warning=warning, via="portal", enterprise_ids=[enterprise.pk]
        )
        ack = WarningAcknowledgement.objects.get(enterprise=enterprise, warning=warning)
        if created:
            audit_record(
                actor=actor,
                action="enterprise.acknowledge",
                obj=enterprise,
                after={"warning": warning.pk, "level": warning.level},
            )
    return ack


STATUSES = ("stopped", "limited", "normal")


class PlanDeviationError(ConflictError):
    """A report that does less than the site plan asks: sent again with ``confirmed=True`` it
    is stored, flagged to the office. ``deviations`` names each unit (``plan_deviations``)."""

    def __init__(self, message: str, *, deviations: list[dict[str, Any]]) -> None:
        super().__init__(message, field="entries")
        self.deviations = deviations


def _percent(entry: dict[str, Any], status: str, name: str, where: str) -> float | None:
    """The cut [%] of a limited unit; a stopped or normal unit with a cut is a contradiction."""
    given = entry.get("limited_percent")
    given = None if given in (None, "") else given
    if status != "limited":
        if given is not None:
            raise InvalidInputError(
                _("%(unit)s: a unit that is stopped or runs normally has no cut; clear the "
                  "percentage, or choose “limited”.") % {"unit": name},
                field=f"{where}.limited_percent",
            )  # fmt: skip
        return None
    try:
        percent = float(given)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InvalidInputError(
            _("%(unit)s: a limited unit states its cut in percent.") % {"unit": name},
            field=f"{where}.limited_percent",
        ) from None
    if not 0.0 < percent < 100.0:
        raise InvalidInputError(
            _("%(unit)s: the cut is more than 0 and less than 100 %% (100 %% is “stopped”).")
            % {"unit": name},
            field=f"{where}.limited_percent",
        )
    return percent


def _entries(
    enterprise: ListedEnterprise, entries: Sequence[dict[str, Any]]
) -> list[dict[str, Any]]:
    units = {u.unit_id: u.name for u in enterprise.units.all()}
    seen: set[str] = set()
    out = []
    for index, entry in enumerate(entries):
        where = f"entries[{index}]"
        unit_id = str(entry.get("unit_id", "")).strip()
        if unit_id not in units:
            raise InvalidInputError(
                _("%(unit)s is not a unit of %(enterprise)s.")
                % {"unit": unit_id, "enterprise": enterprise.name},
                field=f"{where}.unit_id",
            )
        name = f"{unit_id} {units[unit_id]}"
        if unit_id in seen:
            raise InvalidInputError(
                _("%(unit)s is reported twice.") % {"unit": name}, field=f"{where}.unit_id"
            )
        seen.add(unit_id)
        status = str(entry.get("status", "")).strip()
        if status not in STATUSES:
            raise InvalidInputError(
                _("%(unit)s: choose stopped, limited or normal.") % {"unit": name},
                field=f"{where}.status",
            )
        percent = _percent(entry, status, name, where)
        note = str(entry.get("note") or "").strip()[:500]
        out.append(
            {
                "unit_id": unit_id,
                "name": units[unit_id],
                "status": status,
                "limited_percent": percent,
                "note": note,
            }
        )
    if missing := sorted(set(units) - seen):
        names = "、".join(f"{unit_id} {units[unit_id]}" for unit_id in missing)
        raise InvalidInputError(
            _("Report every unit; not reported: %(units)s.") % {"units": names}, field="entries"
        )
    return out


def _check_day(day: date, warning: Warning | None) -> None:
    """A report is about today or earlier, and within the episode of the warning in force."""
    if day > timezone.localdate():
        raise InvalidInputError(_("A report is about today or an earlier day."), field="day")
    window = report_window(warning)
    if window is not None and not window[0] <= day <= window[1]:
        raise InvalidInputError(
            _("The day is outside the warning period: report a day from %(first)s to %(last)s.")
            % {"first": f"{window[0]:%Y-%m-%d}", "last": f"{window[1]:%Y-%m-%d}"},
            field="day",
        )


def production_status_report(
    *,
    actor: Actor,
    enterprise_id: int,
    day: date,
    entries: Sequence[dict[str, Any]],
    enterprise: ListedEnterprise | None = None,
    confirmed: bool = False,
) -> ProductionReport:
    """The contact reports the day's production status of every unit: stopped, limited by
    ``limited_percent`` [%] or normal, each with a note. A second report for the same day
    replaces the first (audited before/after).

    ``enterprise``: the enterprise as the view already read it (with its units prefetched), so
    that a report, a quarter of the requests under load, does not read it again (docs/load.md).

    Checked against the warning in force: the day lies within its episode (``report_window``);
    a unit reported doing less than the site plan asks at its level (``plan_deviations``) makes
    the report a ``PlanDeviationError`` unless ``confirmed``; a confirmed one is stored with its
    ``deviations``, which the office's pages flag.
    """
    enterprise = _require_contact(
        actor, enterprise_id, "enterprise.production_report", read=enterprise
    )
    warning = (
        Warning.objects.filter(jurisdiction_id=enterprise.jurisdiction_id, state=State.IN_FORCE)
        .select_related("episode")
        .first()
    )
    _check_day(day, warning)
    clean = _entries(enterprise, entries)
    expected = expected_statuses(enterprise, warning.level if warning else None)
    deviations = plan_deviations(expected, clean)
    if deviations and not confirmed:
        raise PlanDeviationError(
            _("This report does less than your site plan asks. Check it, or confirm it: the "
              "office will see the difference."),
            deviations=deviations,
        )  # fmt: skip
    with transaction.atomic():
        previous = ProductionReport.objects.filter(enterprise=enterprise, day=day).first()
        before = {"entries": previous.entries} if previous else None
        report, _created = ProductionReport.objects.update_or_create(
            enterprise=enterprise,
            day=day,
            defaults={
                "entries": clean,
                "deviations": deviations,
                "warning": warning,
                "reported_by": _contact(actor),
                "reported_at": timezone.now(),
            },
        )
        audit_record(
            actor=actor,
            action="enterprise.production_report",
            obj=enterprise,
            before=before,
            after={"day": day.isoformat(), "entries": clean, "deviations": deviations},
        )
    return report
