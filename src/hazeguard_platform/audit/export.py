"""Audit export for an inspector: the records of a period (China dates), optionally of one actor,
as CSV or JSON with their place in the chain and hashes. Each export is itself audited."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any, Literal

from django.contrib.auth.models import User

from hazeguard_platform.audit.chain import STORED_FIELDS, audit_seal
from hazeguard_platform.audit.models import AuditEntry
from hazeguard_platform.audit.services import audit_record
from hazeguard_platform.core import CHINA


def _rows(first: dt.date, last: dt.date, actor: str | None) -> list[dict[str, Any]]:
    start = dt.datetime.combine(first, dt.time(), tzinfo=CHINA)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=CHINA)
    queryset = AuditEntry.objects.filter(at__gte=start, at__lt=end)
    if actor:
        queryset = queryset.filter(actor_name=actor)
    rows = list(queryset.order_by("at", "id").values(*STORED_FIELDS))
    for row in rows:
        row["at"] = row["at"].astimezone(CHINA).isoformat()
        row["chain_day"] = row["chain_day"].isoformat() if row["chain_day"] else ""
    return rows


def audit_export(
    *,
    first: dt.date,
    last: dt.date,
    actor: str | None = None,
    fmt: Literal["csv", "json"] = "csv",
    exported_by: User | None = None,
    exported_by_name: str = "",
) -> tuple[str, int]:
    """The export's text and its number of records, from ``first`` to ``last`` (China dates,
    both included); ``actor`` a user name. The export is audited before it is returned."""
    if last < first:
        raise ValueError(f"the period ends ({last}) before it starts ({first})")
    audit_seal()
    rows = _rows(first, last, actor)
    if fmt == "json":
        text = json.dumps(rows, ensure_ascii=False, indent=1, default=str)
    else:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=STORED_FIELDS)
        writer.writeheader()
        for row in rows:
            for key in ("before", "after"):
                row[key] = json.dumps(row[key], ensure_ascii=False) if row[key] else ""
            writer.writerow(row)
        text = buffer.getvalue()
    audit_record(
        actor=exported_by,
        action="audit.export",
        after={
            "from": first.isoformat(),
            "to": last.isoformat(),
            "actor": actor or "",
            "format": fmt,
            "records": len(rows),
        },
        message=exported_by_name,
    )
    return text, len(rows)
