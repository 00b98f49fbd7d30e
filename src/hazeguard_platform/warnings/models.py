"""Warnings and the episodes they belong to."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from hazeguard_platform.forecasts.models import Consultation, Forecast
from hazeguard_platform.jurisdictions.models import Jurisdiction, PlanVersion


class State(models.TextChoices):
    PROPOSED = "proposed", "已提请 proposed"
    REVIEWED = "reviewed", "已审核 reviewed"
    AGREED = "agreed", "已同意 agreed"
    APPROVED = "approved", "已批准 approved"
    ISSUED = "issued", "已发布 issued (not yet started)"
    IN_FORCE = "in_force", "生效中 in force"
    ENDED = "ended", "已结束 ended"
    REJECTED = "rejected", "未批准 rejected"
    WITHDRAWN = "withdrawn", "已撤回 withdrawn"


# A warning in one of these states has been issued and not ended.
ACTIVE_STATES = (State.ISSUED, State.IN_FORCE)
# A proposal (first issue or adjustment) still on its way to issue.
PENDING_STATES = (State.PROPOSED, State.REVIEWED, State.AGREED, State.APPROVED)
# A proposal whose approval chain is not complete yet (the plan's next step is someone's).
CHAIN_STATES = (State.PROPOSED, State.REVIEWED, State.AGREED)


class Lead(models.TextChoices):
    """How a release stood against the plan's lead time (``hazeguard.plans.Workflow.lead_time``)."""

    USUAL = "usual", "按常规提前发布 released with the usual lead time"
    MINIMUM = "minimum", "按最短提前时间发布 released with the minimum lead time"
    LATE = "late", "迟于规定时间发布 released late"
    EXEMPT = "exempt", "即时启动 started at once, as the plan allows"
    SILENT = "silent", "预案未规定提前时间 the plan states no lead time"
    DOWNGRADE = "downgrade", "降级即时生效 a downgrade, in effect at once"


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
    # An exercise's episode (演练): never merged with a real one, never shown to the public.
    drill = models.BooleanField(default=False)

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
    # An exercise (演练, 000 §6.7, 001 §8.3, 003 §7): the whole workflow, never shown to the public.
    drill = models.BooleanField(default=False)
    # What started it: a forecast, observations (Kashgar 001 §3.5: at once), a higher
    # jurisdiction's floor or order (at once); the plan's lead-time exemptions name these.
    driver = models.CharField(max_length=16, default="forecast")

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
    # The end announced at issue (the forecast episode's end): lifting begun at or after it is
    # lifting on schedule, by the plan's own procedure for it ("预警按期解除，不再另行报批，由指挥部
    # 办公室直接发布解除指令", 001 §3.7.2). None: no end announced, every lifting is early.
    ends_at = models.DateTimeField(null=True, blank=True)
    # When the office was told that the announced end has come (once: the task at the end, or
    # the sweep when that task was never queued).
    lift_due_told_at = models.DateTimeField(null=True, blank=True)
    # Required when the release is late against the plan's lead time (the measures are not
    # postponed: the release is recorded as late, with this reason).
    short_lead_reason = models.TextField(blank=True)
    lead = models.CharField(max_length=12, choices=Lead.choices, blank=True)
    lead_clause = models.CharField(max_length=64, blank=True)
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
                condition=models.Q(state__in=["proposed", "reviewed", "agreed", "approved"]),
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
            "ends_at": self.ends_at.isoformat() if self.ends_at else None,
            "ended_at": self.ended_at.isoformat() if self.ended_at else None,
            "end_reason": self.end_reason,
            "drill": self.drill,
        }


class Step(models.Model):
    """One step of a plan's approval chain taken on a warning (审核, 同意, 批准; STYLE.md §13).

    ``action`` is the chain: ``issue`` or ``adjust`` (on the proposal), ``lift`` (on the warning
    in force). ``role`` is the plan's role the person acted in; ``acts_for`` the role they stood
    in for under a delegation ("受其委托", 003 §3.3.1), with the delegation's clause.
    """

    warning = models.ForeignKey(Warning, on_delete=models.PROTECT, related_name="steps")
    action = models.CharField(max_length=8)
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=8)
    role = models.CharField(max_length=24)
    acts_for = models.CharField(max_length=24, blank=True)
    clause = models.CharField(max_length=64)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acted_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["warning", "action", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["warning", "action", "position"], name="one_act_per_step"
            )
        ]

    def __str__(self) -> str:
        return f"warning {self.warning_id} {self.action} step {self.position}: {self.kind}"
