"""Inspections of listed enterprises, their photos, penalties and proposed grade downgrades."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from hazeguard_platform.enterprises.models import ListedEnterprise
from hazeguard_platform.warnings.models import Warning


class InspectionKind(models.TextChoices):
    ON_SITE = "on_site", "驻场督导 on-site supervision"
    TOUR = "tour", "执法巡查 inspection tour"


class Inspection(models.Model):
    """One visit that checked whether an enterprise carries out its measures."""

    enterprise = models.ForeignKey(
        ListedEnterprise, on_delete=models.PROTECT, related_name="inspections"
    )
    kind = models.CharField(max_length=8, choices=InspectionKind.choices)
    warning = models.ForeignKey(
        Warning, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    inspected_at = models.DateTimeField()
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    findings = models.TextField()
    violation = models.BooleanField(default=False)  # measures not carried out
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-inspected_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.enterprise} {self.inspected_at:%Y-%m-%d}"


class InspectionPhoto(models.Model):
    """A photo taken on the visit (JPEG or PNG, checked by content, at most 5 MB)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="photos")
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=16)  # image/jpeg | image/png
    data = models.BinaryField()  # in the database: photos are few and small, backups stay whole

    def __str__(self) -> str:
        return self.filename


class Penalty(models.Model):
    """The penalty a violation leads to (依法处罚, seed 000 §6 监督检查)."""

    inspection = models.OneToOneField(Inspection, on_delete=models.PROTECT, related_name="penalty")
    enterprise = models.ForeignKey(
        ListedEnterprise, on_delete=models.PROTECT, related_name="penalties"
    )
    description = models.TextField()
    decided_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.enterprise}: {self.description}"


class GradeDowngrade(models.Model):
    """A proposed grade downgrade (下调绩效分级) after a penalty; the office confirms it."""

    class State(models.TextChoices):
        PROPOSED = "proposed", "待确认 proposed"
        CONFIRMED = "confirmed", "已确认 confirmed"

    penalty = models.OneToOneField(Penalty, on_delete=models.PROTECT, related_name="downgrade")
    enterprise = models.ForeignKey(
        ListedEnterprise, on_delete=models.PROTECT, related_name="downgrades"
    )
    from_grade = models.CharField(max_length=16)
    to_grade = models.CharField(max_length=16)
    state = models.CharField(max_length=12, choices=State.choices, default=State.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.enterprise}: {self.from_grade} -> {self.to_grade} ({self.state})"
