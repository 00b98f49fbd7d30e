"""Timeliness of an episode's warnings: approval steps and lead time given against the plan's (the
notices' acknowledgements and the counties' responses are ``notices.acknowledgements``).

The plan's lead times come from ``Workflow.lead_time`` of the warning's stored plan version
(``warnings.chains.workflow``); the judgement is the one stored at release (``Warning.lead``).
"""

from __future__ import annotations

from hazeguard_platform.evaluation.records import StepTime, WarningTimeliness
from hazeguard_platform.warnings.chains import workflow
from hazeguard_platform.warnings.models import Step, Warning

HOUR = 3600.0  # [s]


def warning_timeliness(warnings: list[Warning]) -> tuple[WarningTimeliness, ...]:
    """One record per issued warning, oldest first, with the steps of its issue chain."""
    steps: dict[int, list[Step]] = {}
    for step in Step.objects.filter(warning__in=warnings).exclude(action="lift"):
        steps.setdefault(step.warning_id, []).append(step)
    records = []
    for warning in warnings:
        assert warning.issued_at is not None  # issued warnings only
        lead = workflow(warning.plan_version).lead_time
        ahead = (
            (warning.starts_at - warning.issued_at).total_seconds() / HOUR
            if warning.starts_at
            else None
        )
        taken = sorted(steps.get(warning.pk, []), key=lambda s: (s.acted_at, s.position))
        records.append(
            WarningTimeliness(
                warning_id=warning.pk,
                level=warning.level,
                proposed_at=warning.proposed_at,
                steps=tuple(
                    StepTime(
                        s.kind,
                        s.role,
                        s.clause,
                        s.acted_at,
                        (s.acted_at - warning.proposed_at).total_seconds() / HOUR,
                    )
                    for s in taken
                ),
                approved_at=warning.approved_at,
                issued_at=warning.issued_at,
                starts_at=warning.starts_at,
                ended_at=warning.ended_at,
                lead_hours=max(ahead, 0.0) if ahead is not None else None,
                usual_hours=lead.usual_hours,
                minimum_hours=lead.minimum_hours,
                lead=warning.lead,
                lead_clause=warning.lead_clause,
                short_lead_reason=warning.short_lead_reason,
            )
        )
    return tuple(records)
