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


class PollutionProcess(models.Model):
    """A pollution process below the warning level the bureau follows (污染过程应对, 002 §五(二)1),
    opened and closed by the worker from observations and forecasts (response/processes.py)."""

    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="pollution_processes"
    )
    plan_version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=8, choices=ResponseState.choices, default="open")
    clause = models.CharField(max_length=64)
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Why, in the core's words (hazeguard.warnings.process.ProcessDecision), both languages.
    opened_because_zh = models.TextField()
    opened_because_en = models.TextField()
    closed_because_zh = models.TextField(blank=True)
    closed_because_en = models.TextField(blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction"], condition=models.Q(state="open"), name="one_open_process"
            )
        ]

    def __str__(self) -> str:
        return f"{self.jurisdiction} pollution process ({self.state})"


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

    def assignee_name_in(self, language: str) -> str:
        """The unit's or county's name in ``language`` (Chinese when it has no English name)."""
        place = self.member_unit if self.member_unit_id is not None else self.county
        return place.name_in(language) if place is not None else ""


class Task(Assignee):
    """One measure of the plan at the response's level, for one assignee; or one task of a
    department plan run under a pollution process (then ``process`` is set, not the response)."""

    response = models.ForeignKey(
        Response, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks"
    )
    # The warning at whose issue the task was opened.
    warning = models.ForeignKey(
        Warning, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    process = models.ForeignKey(
        PollutionProcess, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks"
    )
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
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    response__isnull=False, warning__isnull=False, process__isnull=True
                )
                | models.Q(response__isnull=True, warning__isnull=True, process__isnull=False),
                name="task_under_response_or_process",
            )
        ]

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


class SummaryState(models.TextChoices):
    DUE = "due", "待报送 due"
    OVERDUE = "overdue", "逾期 overdue"
    SUBMITTED = "submitted", "已报送 submitted"
    RETURNED = "returned", "已退回 returned"
    ACCEPTED = "accepted", "已采纳 accepted"


class SummaryReport(Assignee):
    """One assignee's summary report (总结报告) on a closed response, due at the plan's summary
    deadline after the response ended (e.g. 3 working days, Liaocheng 003 §4.9).

    The content lives in its :class:`SummaryRevision` rows, one per submission, so a summary
    sent again after the office returned it keeps what was sent before.
    """

    response = models.ForeignKey(Response, on_delete=models.PROTECT, related_name="summaries")
    # None when the deadline cannot be computed: the holiday notice of its year is not in the
    # core's calendar yet (hazeguard.workdays never guesses a working day).
    due_at = models.DateTimeField(null=True, blank=True)
    deadline_clause = models.CharField(max_length=64)
    deadline_text = models.CharField(max_length=64, help_text="e.g. within 3 working days")
    deadline_error = models.CharField(max_length=300, blank=True)
    state = models.CharField(max_length=12, choices=SummaryState.choices, default="due")
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    reminded_at = models.DateTimeField(null=True, blank=True)
    overdue_at = models.DateTimeField(null=True, blank=True)
    # The first submission decides whether the unit kept its deadline; a resubmission after the
    # office returned the summary does not make it late.
    first_submitted_at = models.DateTimeField(null=True, blank=True)
    late = models.BooleanField(default=False)
    # Working days from the due day to the day of the first submission [days].
    late_working_days = models.PositiveIntegerField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    return_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["response", "assignee_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "assignee_key"], name="one_summary_per_assignee"
            )
        ]
        indexes = [models.Index(fields=["state", "due_at"])]

    def __str__(self) -> str:
        return f"{self.assignee_name} summary ({self.state})"

    def snapshot(self) -> dict[str, object]:
        """The fields an audit record keeps as before/after."""
        return {
            "state": self.state,
            "late": self.late,
            "late_working_days": self.late_working_days,
            "revisions": self.revisions.count(),
            "return_reason": self.return_reason,
        }


class SummaryRevision(models.Model):
    """One submission of a summary report: what the plans ask a summary to contain — measures
    taken, results, problems found and improvements proposed (Chaoyang 004 §4) — and an optional
    attachment (.docx or .pdf, checked by its content; at most 10 MB)."""

    summary = models.ForeignKey(SummaryReport, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    measures_taken = models.TextField()
    results = models.TextField()
    problems_found = models.TextField(blank=True)
    improvements_proposed = models.TextField(blank=True)
    attachment_name = models.CharField(max_length=200, blank=True)
    attachment_type = models.CharField(max_length=80, blank=True)
    attachment_size = models.PositiveIntegerField(null=True, blank=True, help_text="[bytes]")
    attachment = models.BinaryField(null=True, blank=True)

    class Meta:
        ordering = ["summary", "number"]
        constraints = [
            models.UniqueConstraint(fields=["summary", "number"], name="one_revision_number")
        ]
