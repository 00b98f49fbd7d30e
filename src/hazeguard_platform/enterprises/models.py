"""The emission-reduction list (应急减排清单) in the database, enterprise tasks and reports.

The rows mirror the core's frozen dataclasses (:mod:`hazeguard.reduction.model`); values are the
core's enumeration values (``Grade``, ``EnterpriseCategory``, ``MeasureKind``, ...), so a stored
enterprise turns back into a core ``Enterprise`` without translation
(``selectors.core_enterprise``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.warnings.models import Warning


class ListedEnterprise(models.Model):
    """An emitter on a jurisdiction's list, with its identity and grade.

    ``listed`` turns False when a later import no longer names it: nothing stored about it (tasks,
    reports, inspections) is deleted.
    """

    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="listed_enterprises"
    )
    credit_code = models.CharField(max_length=18)  # 统一社会信用代码, GB 32100
    name = models.CharField(max_length=200)
    county = models.CharField(max_length=64)
    industry_code = models.CharField(max_length=16)  # GB/T 4754
    key_industry = models.CharField(max_length=64, blank=True)
    grade = models.CharField(max_length=16)  # hazeguard.reduction.model.Grade value
    category = models.CharField(max_length=16)  # EnterpriseCategory value
    essential_basis = models.CharField(max_length=32, blank=True)
    # truck trips, power meters, coal/oil firing, toxic pollutants: kept as entered.
    details = models.JSONField(default=dict)
    listed = models.BooleanField(default=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["jurisdiction", "county", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "credit_code"], name="one_credit_code_per_jurisdiction"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.credit_code})"


class ProductionUnit(models.Model):
    """A production line, process or device (生产线/工序/设备) of a listed enterprise."""

    enterprise = models.ForeignKey(ListedEnterprise, on_delete=models.CASCADE, related_name="units")
    unit_id = models.CharField(max_length=64)
    name = models.CharField(max_length=200)
    process = models.CharField(max_length=64, blank=True)
    capacity = models.FloatField()  # [capacity_unit/d]
    capacity_unit = models.CharField(max_length=32, default="t/d")
    status = models.CharField(max_length=20, default="operating")  # UnitStatus value
    so2 = models.FloatField(default=0.0)  # same-season daily baseline [t/d]
    nox = models.FloatField(default=0.0)  # [t/d]
    pm = models.FloatField(default=0.0)  # [t/d]
    vocs = models.FloatField(default=0.0)  # [t/d]
    # 日产值 as the list workbook gives it (or capacity × price) [yuan/d]; None: not given. The
    # episode evaluation's production-loss estimate reads it (hazeguard.evaluation.cost).
    output_value = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["enterprise", "unit_id"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "unit_id"], name="one_unit_id_per_firm")
        ]

    def __str__(self) -> str:
        return f"{self.enterprise.credit_code}/{self.unit_id}"


class SiteMeasure(models.Model):
    """One measure of the site plan (一厂一策) at one level; fields as the core's ``Measure``."""

    enterprise = models.ForeignKey(
        ListedEnterprise, on_delete=models.CASCADE, related_name="measures"
    )
    position = models.PositiveIntegerField()  # order on the list
    level = models.CharField(max_length=8)  # yellow | orange | red
    kind = models.CharField(max_length=16)  # MeasureKind value
    unit_ids = models.JSONField(default=list)  # [] = every unit
    fraction = models.FloatField(null=True, blank=True)  # [0-1]
    amount = models.FloatField(null=True, blank=True)
    base_amount = models.FloatField(null=True, blank=True)
    batch = models.PositiveSmallIntegerField(null=True, blank=True)
    batches = models.PositiveSmallIntegerField(null=True, blank=True)
    truck_stage = models.CharField(max_length=16, blank=True)
    reason = models.TextField(blank=True)
    text = models.TextField(blank=True)
    rule_ref = models.CharField(max_length=200, blank=True)
    description = models.TextField()  # the sentence the site sign prints (documents.describe)

    class Meta:
        ordering = ["enterprise", "position"]

    def __str__(self) -> str:
        return f"{self.enterprise.credit_code} {self.level}: {self.description}"


class ListImport(models.Model):
    """One upload of a list workbook: queued for the worker, running, imported or refused.

    The web request only stores the upload (``workbook``) and queues its import; the worker
    imports it all or nothing and records the outcome here (docs/load.md: a 5,000-enterprise
    list takes 20–37 s, longer than a request should).
    """

    class State(models.TextChoices):
        QUEUED = "queued", "排队中 queued"
        RUNNING = "running", "导入中 running"
        IMPORTED = "imported", "已导入 imported"
        REFUSED = "refused", "未导入 refused"

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=12, choices=State.choices, default=State.QUEUED)
    # The uploaded .xlsx until the worker has read it (then emptied: the rows are the record).
    # In the database, not on a disk, so that any web process and any worker machine reach it.
    workbook = models.BinaryField(blank=True, default=b"", editable=False)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # [{"sheet", "row", "column", "header", "reason"}] of a refused workbook.
    errors = models.JSONField(default=list)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    delisted = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.state})"

    @property
    def finished(self) -> bool:
        return self.state in (self.State.IMPORTED, self.State.REFUSED)


class EnterpriseContact(models.Model):
    """A person who answers for one enterprise in the portal (企业联系人)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enterprise_links"
    )
    enterprise = models.ForeignKey(
        ListedEnterprise, on_delete=models.PROTECT, related_name="contacts"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "enterprise"], name="contact_once")]

    def __str__(self) -> str:
        return f"{self.user} for {self.enterprise}"


class EnterpriseTask(models.Model):
    """One site-plan measure an enterprise carries out while a warning is in force."""

    class State(models.TextChoices):
        OPEN = "open", "执行中 open"
        CLOSED = "closed", "已结束 closed"

    class CloseReason(models.TextChoices):
        LIFTED = "lifted", "预警解除 warning lifted"
        LEVEL_CHANGED = "level_changed", "预警级别调整 level changed"

    enterprise = models.ForeignKey(ListedEnterprise, on_delete=models.PROTECT, related_name="tasks")
    warning = models.ForeignKey(Warning, on_delete=models.PROTECT, related_name="enterprise_tasks")
    level = models.CharField(max_length=8)
    description = models.TextField()  # copied: a later list import never changes a task
    measure = models.JSONField()  # the site measure as it was when the task opened
    state = models.CharField(max_length=8, choices=State.choices, default=State.OPEN)
    starts_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    close_reason = models.CharField(max_length=16, choices=CloseReason.choices, blank=True)

    class Meta:
        ordering = ["enterprise", "opened_at", "id"]
        indexes = [models.Index(fields=["warning", "state"])]

    def __str__(self) -> str:
        return f"{self.enterprise.credit_code} {self.level}: {self.description} ({self.state})"


class WarningAcknowledgement(models.Model):
    """An enterprise confirms it received a warning and is carrying out its measures."""

    enterprise = models.ForeignKey(ListedEnterprise, on_delete=models.PROTECT, related_name="+")
    warning = models.ForeignKey(Warning, on_delete=models.PROTECT, related_name="+")
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "warning"], name="acknowledged_once")
        ]


class ProductionReport(models.Model):
    """An enterprise's daily production status (每日生产状态), one entry per unit.

    ``entries`` is ``[{"unit_id", "name", "status": "stopped"|"limited"|"normal",
    "limited_percent": float|None, "note"}]`` — the unit's name is copied so a later import that
    renames or drops the unit leaves the report readable.
    """

    enterprise = models.ForeignKey(
        ListedEnterprise, on_delete=models.PROTECT, related_name="production_reports"
    )
    warning = models.ForeignKey(
        Warning, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField()  # China date the status applies to
    entries = models.JSONField()
    # The units reported doing less than the site plan asks at the level in force, confirmed so
    # by the contact and flagged to the office (``reporting.plan_deviations``); [] when none.
    deviations = models.JSONField(default=list, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-day", "enterprise"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "day"], name="one_report_per_day")
        ]
