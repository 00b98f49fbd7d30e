"""The guarded state change every warning service goes through."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import F
from django.http import Http404

from hazeguard_platform import core
from hazeguard_platform.accounts.permissions import Actor
from hazeguard_platform.audit.services import audit_record
from hazeguard_platform.errors import ConflictError
from hazeguard_platform.jurisdictions.models import PlanVersion
from hazeguard_platform.warnings.models import State, Warning

_FACTS: dict[tuple[int, str], core.PlanFacts] = {}


def plan_facts(version: PlanVersion) -> core.PlanFacts:
    """The workflow facts of a stored plan version (cached: versions never change; the digest is
    part of the key because a rolled-back database may hand the same id to another version)."""
    key = (version.pk, version.digest)
    facts = _FACTS.get(key)
    if facts is None:
        facts = _FACTS[key] = core.facts_from_snapshot(version.snapshot)
    return facts


def load(warning_id: int) -> Warning:
    """The warning; ``Http404`` when there is none."""
    warning = (
        Warning.objects.select_related("jurisdiction", "plan_version", "supersedes")
        .filter(pk=warning_id)
        .first()
    )
    if warning is None:
        raise Http404(f"no warning {warning_id}")
    return warning


def lock(warning_id: int) -> Warning:
    """Re-read the warning inside the caller's transaction, locked where the database can.

    PostgreSQL locks the row (``SELECT ... FOR UPDATE``), so a second actor waits and then sees the
    new state; SQLite has no row locks but takes its write lock at the start of the transaction
    (``transaction_mode = IMMEDIATE``), and the conditional UPDATE below guards both.
    """
    query = Warning.objects.all()
    if connection.features.has_select_for_update:
        query = query.select_for_update()
    return query.get(pk=warning_id)


def expect(warning: Warning, *states: State, action: str) -> None:
    """``ConflictError`` unless the warning is in one of ``states``."""
    if warning.state not in states:
        wanted = " or ".join(state.value for state in states)
        raise ConflictError(
            f"cannot {action} warning {warning.pk}: it is {warning.state}, not {wanted}"
        )


def transition(
    warning: Warning,
    *,
    actor: Actor,
    action: str,
    to: State | None = None,
    message: str = "",
    **changes: Any,
) -> Warning:
    """Move ``warning`` from the state and version it was read with to ``to``, with ``changes``.

    The UPDATE matches on (id, state, version): if anyone changed the warning since it was read,
    no row matches and ``ConflictError`` is raised, so of two simultaneous actors exactly one
    succeeds. Writes the audit record with before and after. Call inside ``transaction.atomic()``.
    """
    before = warning.snapshot()
    values = dict(changes)
    if to is not None:
        values["state"] = to
    updated = Warning.objects.filter(
        pk=warning.pk, state=warning.state, version=warning.version
    ).update(version=F("version") + 1, **values)
    if updated != 1:
        raise ConflictError(f"warning {warning.pk} was changed by someone else; reload it")
    warning.refresh_from_db()
    audit_record(
        actor=actor,
        action=action,
        obj=warning,
        before=before,
        after=warning.snapshot(),
        message=message,
    )
    return warning
