"""Response tasks of member units and counties, and their daily reports (seed 000 §5.1, 001 §5.1).

A :class:`Response` is one jurisdiction's emergency response from the issue of a warning to its
lifting; an adjustment to another level keeps the response and retargets its tasks. Each
:class:`Task` is one measure of the plan for one assignee: a member unit named as the measure's
responsible unit, or a county (or, in a jurisdiction without counties, its own command) when the
plan names no unit. Each assignee reports daily (:class:`DailyReport`, due at the plan's
``daily_report`` deadline), with one :class:`ReportItem` per task.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from hazeguard_platform.jurisdictions.models import Jurisdiction, MemberUnit, PlanVersion
from hazeguard_platform.warnings.models import Warning


class ResponseState(models.TextChoices):
    OPEN = "open", "响应中 open"
    CLOSED = "closed", "已终止 closed"


class Response(models.Model):
    """One jurisdiction's response (应急响应) from issue to lifting, across level adjustments."""

    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="responses"
    )
    # The warning whose level the tasks follow now (the newest issued adjustment).
    warning = models.ForeignKey(Warning, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(max_length=8)
    plan_version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=8, choices=ResponseState.choices, default="open")
    # When the response runs from (the first warning's start) [aware datetime]
    starts_at = models.DateTimeField()
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction"], condition=models.Q(state="open"), name="one_open_response"
            )
        ]

    def __str__(self) -> str:
        return f"{self.jurisdiction} response {self.level} ({self.state})"


class TaskState(models.TextChoices):
    OPEN = "open", "待落实 open"
    DONE = "done", "已落实 done"
    CLOSED = "closed", "已关闭 closed"


class Assignee(models.Model):
    """Abstract: who a task or report belongs to — a member unit, or a county's command."""

    member_unit = models.ForeignKey(
        MemberUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    county = models.ForeignKey(
        Jurisdiction, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # "unit:<id>" or "county:<id>": one column for unique keys (NULLs never collide in SQL).
    assignee_key = models.CharField(max_length=32)

    class Meta:
        abstract = True

    @property
    def assignee_name(self) -> str:
        place = self.member_unit if self.member_unit_id is not None else self.county
        return str(place)


class Task(Assignee):
    """One measure of the plan at the response's level, for one assignee."""

    response = models.ForeignKey(Response, on_delete=models.PROTECT, related_name="tasks")
    # The warning at whose issue the task was opened.
    warning = models.ForeignKey(Warning, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(max_length=8)
    # The measure, copied from the plan snapshot so the task reads the same forever.
    measure_key = models.CharField(max_length=64)
    category = models.CharField(max_length=32)
    clause = models.CharField(max_length=64)
    text_zh = models.TextField()
    state = models.CharField(max_length=8, choices=TaskState.choices, default="open")
    opened_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    close_reason = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["response", "assignee_key", "id"]
        indexes = [models.Index(fields=["response", "state"])]

    def __str__(self) -> str:
        return f"{self.assignee_name}: {self.clause}"


class ReportState(models.TextChoices):
    DUE = "due", "待报送 due"
    SUBMITTED = "submitted", "已报送 submitted"
    OVERDUE = "overdue", "逾期 overdue"


class DailyReport(Assignee):
    """One assignee's report on one day of the response (信息报送)."""

    response = models.ForeignKey(Response, on_delete=models.PROTECT, related_name="reports")
    # The day the report is about (China time) and when it is due [aware datetime].
    day = models.DateField()
    due_at = models.DateTimeField()
    deadline_clause = models.CharField(max_length=64)
    state = models.CharField(max_length=12, choices=ReportState.choices, default="due")
    version = models.PositiveIntegerField(default=0)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    late = models.BooleanField(default=False)
    overdue_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    # Figures of the day (counts).
    sites_inspected = models.PositiveIntegerField(null=True, blank=True)
    vehicles_checked = models.PositiveIntegerField(null=True, blank=True)
    enterprises_stopped = models.PositiveIntegerField(null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-day", "assignee_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "assignee_key", "day"], name="one_report_per_assignee_day"
            )
        ]
        indexes = [models.Index(fields=["state", "due_at"])]

    def __str__(self) -> str:
        return f"{self.assignee_name} {self.day} ({self.state})"

    def snapshot(self) -> dict[str, object]:
        """The fields an audit record keeps as before/after."""
        return {
            "state": self.state,
            "late": self.late,
            "submitted_at": self.submitted_at.isoformat() if self.submitted_at else None,
            "sites_inspected": self.sites_inspected,
            "vehicles_checked": self.vehicles_checked,
            "enterprises_stopped": self.enterprises_stopped,
        }


class ItemStatus(models.TextChoices):
    DONE = "done", "已落实 done"
    PARTLY = "partly", "部分落实 partly"
    NOT_DONE = "not_done", "未落实 not done"


class ReportItem(models.Model):
    """How one task was carried out on the report's day; a reason unless done."""

    report = models.ForeignKey(DailyReport, on_delete=models.CASCADE, related_name="items")
    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="items")
    status = models.CharField(max_length=8, choices=ItemStatus.choices)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["report", "task"]
        constraints = [models.UniqueConstraint(fields=["report", "task"], name="one_item_per_task")]


class ReportPhoto(models.Model):
    """A photo sent with a report (JPEG or PNG, checked by its magic bytes; at most 5 MB)."""

    report = models.ForeignKey(DailyReport, on_delete=models.CASCADE, related_name="photos")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=16)
    size = models.PositiveIntegerField(help_text="[bytes]")
    content = models.BinaryField()
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["report", "id"]


class Reminder(models.Model):
    """A reminder sent before a report's deadline (one per report: the claim makes it once)."""

    report = models.OneToOneField(DailyReport, on_delete=models.CASCADE, related_name="reminder")
    sent_at = models.DateTimeField()
    due_at = models.DateTimeField()
    # The notice that carried it to the unit's staff (None: nobody to send it to).
    notice_id = models.PositiveIntegerField(null=True, blank=True)
