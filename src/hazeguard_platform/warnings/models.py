"""Warnings and the episodes they belong to."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from hazeguard_platform.forecasts.models import Consultation, Forecast
from hazeguard_platform.jurisdictions.models import Jurisdiction, PlanVersion


class State(models.TextChoices):
    PROPOSED = "proposed", "已提请 proposed"
    APPROVED = "approved", "已批准 approved"
    ISSUED = "issued", "已发布 issued (not yet started)"
    IN_FORCE = "in_force", "生效中 in force"
    ENDED = "ended", "已结束 ended"
    REJECTED = "rejected", "未批准 rejected"
    WITHDRAWN = "withdrawn", "已撤回 withdrawn"


# A warning in one of these states has been issued and not ended.
ACTIVE_STATES = (State.ISSUED, State.IN_FORCE)
# A proposal (first issue or adjustment) still on its way to issue.
PENDING_STATES = (State.PROPOSED, State.APPROVED)


class EndReason(models.TextChoices):
    LIFTED = "lifted", "解除 lifted"
    ADJUSTED = "adjusted", "调整 replaced by an adjusted level"
    REGIONAL_LIFTED = "regional_lifted", "区域预警解除 the regional warning was lifted"


class Episode(models.Model):
    """One heavy-pollution episode of a jurisdiction: its warnings, merged across short gaps."""

    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="episodes"
    )
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.jurisdiction} episode from {self.started_at:%Y-%m-%d %H:%M}"


class Warning(models.Model):
    """One warning level of one jurisdiction, from proposal to its end.

    An adjustment (upgrade or downgrade) is a new warning that ``supersedes`` the one in force and
    needs its own approval; a regional warning gives each child jurisdiction a warning with
    ``regional_source`` set and a deadline ``respond_by``. ``version`` increases with each
    transition: every transition is a conditional UPDATE on (state, version), so of two people
    acting at once exactly one succeeds.
    """

    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="warnings"
    )
    level = models.CharField(max_length=8)
    response = models.CharField(max_length=8)
    state = models.CharField(max_length=12, choices=State.choices, default=State.PROPOSED)
    version = models.PositiveIntegerField(default=0)

    # What the warning was decided on (STYLE.md §6).
    plan_version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="+")
    forecast = models.ForeignKey(
        Forecast, null=True, blank=True, on_delete=models.PROTECT, related_name="warnings"
    )
    consultation = models.ForeignKey(
        Consultation, null=True, blank=True, on_delete=models.PROTECT, related_name="warnings"
    )
    decision = models.JSONField(null=True, blank=True, help_text="the engine's Decision.to_dict()")
    reason = models.TextField(blank=True)

    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(null=True, blank=True)
    starts_at = models.DateTimeField(null=True, blank=True)
    # Required when the start is sooner after issue than the plan's usual lead time.
    short_lead_reason = models.TextField(blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=16, choices=EndReason.choices, blank=True)
    end_note = models.TextField(blank=True)

    supersedes = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="adjustments"
    )
    regional_source = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="regional_children"
    )
    respond_by = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    response_overdue = models.BooleanField(default=False)
    episode = models.ForeignKey(
        Episode, null=True, blank=True, on_delete=models.PROTECT, related_name="warnings"
    )

    class Meta:
        ordering = ["-proposed_at", "-id"]
        constraints = [
            # One warning in force per jurisdiction; an adjustment waits in "issued" until its
            # start, when it ends the one it replaces in the same transaction.
            models.UniqueConstraint(
                fields=["jurisdiction"],
                condition=models.Q(state="in_force"),
                name="one_warning_in_force",
            ),
            models.UniqueConstraint(
                fields=["jurisdiction"],
                condition=models.Q(state="issued"),
                name="one_warning_waiting_to_start",
            ),
            models.UniqueConstraint(
                fields=["jurisdiction"],
                condition=models.Q(state__in=["proposed", "approved"]),
                name="one_proposal_pending",
            ),
        ]
        indexes = [models.Index(fields=["state", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.jurisdiction} {self.level} ({self.state})"

    def snapshot(self) -> dict[str, object]:
        """The fields an audit record keeps as before/after."""
        return {
            "level": self.level,
            "state": self.state,
            "version": self.version,
            "starts_at": self.starts_at.isoformat() if self.starts_at else None,
            "ended_at": self.ended_at.isoformat() if self.ended_at else None,
            "end_reason": self.end_reason,
        }
