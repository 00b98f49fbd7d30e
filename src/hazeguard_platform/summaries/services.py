"""The office's entry of the society-wide inventory (STYLE.md §7: one atomic change + audit)."""

from __future__ import annotations

import math

from django.contrib.auth.models import User
from django.db import transaction

from hazeguard_platform.accounts.permissions import Actor
from hazeguard_platform.audit.services import audit_record
from hazeguard_platform.errors import InvalidInputError
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.summaries.models import InventoryEntry, SourceClass
from hazeguard_platform.summaries.selectors import require_office

POLLUTANT_FIELDS = ("so2", "nox", "pm", "vocs")


def inventory_enter(
    *,
    actor: Actor,
    jurisdiction: Jurisdiction,
    source_class: str,
    source: str,
    so2: float | None = None,
    nox: float | None = None,
    pm: float | None = None,
    vocs: float | None = None,
) -> InventoryEntry:
    """Record one source class's society-wide daily emissions [t/d] with where they come from.

    The command office only. A pollutant left ``None`` stays unknown (the summary says so per
    target); at least one must be given; each is finite and not negative; ``source`` is required.
    """
    require_office(actor, jurisdiction, obj=jurisdiction)
    if source_class not in SourceClass.values:
        raise InvalidInputError(
            f"{source_class!r} is not one of {', '.join(SourceClass.values)}", field="source_class"
        )
    if not source.strip():
        raise InvalidInputError("say where the figures come from", field="source")
    values = {"so2": so2, "nox": nox, "pm": pm, "vocs": vocs}
    for name, value in values.items():
        if value is not None and not (math.isfinite(value) and value >= 0):
            raise InvalidInputError(f"{value} is not a daily emission ≥ 0 [t/d]", field=name)
    if all(value is None for value in values.values()):
        raise InvalidInputError("give at least one pollutant [t/d]", field="so2")
    user = actor if isinstance(actor, User) else None
    with transaction.atomic():
        entry = InventoryEntry.objects.create(
            jurisdiction=jurisdiction,
            source_class=source_class,
            source=source.strip(),
            entered_by=user,
            **values,
        )
        audit_record(
            actor=actor,
            action="inventory.enter",
            obj=entry,
            after={"source_class": source_class, "source": entry.source, **values},
        )
    return entry
