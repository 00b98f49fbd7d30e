"""Jurisdictions, the plan versions they run, and the member units named in those plans."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from hazeguard_platform.immutable import ImmutableModel


class Jurisdiction(models.Model):
    """A province, city (prefecture) or county/district; ``parent`` is the next level up."""

    code = models.SlugField(max_length=64, unique=True)
    name_zh = models.CharField(max_length=64)
    name_en = models.CharField(max_length=128, blank=True)
    # As the plan names it: province, city, prefecture, county, district, ...
    kind = models.CharField(max_length=32)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Counties that share a border, from the plan (used for regional joint response).
    neighbours = models.ManyToManyField("self", blank=True, symmetrical=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name_zh

    def name_in(self, language: str) -> str:
        """The name in ``language`` (``zh`` or ``en``); the Chinese one when it has no English
        name (a proper name, as people write it)."""
        return str(self.name_en or self.name_zh) if language == "en" else str(self.name_zh)

    def ancestors(self) -> list[Jurisdiction]:
        """Parent, grandparent, ... up to the root."""
        chain: list[Jurisdiction] = []
        node = self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain


class PlanVersion(ImmutableModel):
    """A plan as imported: an immutable JSON snapshot of the core's ``Plan.to_dict()``.

    Every decision reads the plan from here (``Plan.from_dict(snapshot)``), never from plan files,
    so a later edit of a plan file never changes a warning decided on an earlier version
    (STYLE.md §6).
    """

    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="plan_versions"
    )
    plan_id = models.CharField(max_length=64)
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    # SHA-256 of the canonical JSON: importing an unchanged plan adds no version.
    digest = models.CharField(max_length=64)
    imported_at = models.DateTimeField(default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["plan_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan_id", "number"], name="plan_version_number"),
            models.UniqueConstraint(fields=["plan_id", "digest"], name="plan_version_digest"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} v{self.number}"


class MemberUnit(models.Model):
    """A department with duties under a jurisdiction's plan (成员单位)."""

    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="member_units"
    )
    code = models.SlugField(max_length=64)
    name_zh = models.CharField(max_length=128)
    name_en = models.CharField(max_length=200, blank=True)
    # The unit's duties as the plan states them (Chinese).
    duties_zh = models.TextField(blank=True)

    class Meta:
        ordering = ["jurisdiction", "code"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "code"], name="member_unit_code")
        ]

    def __str__(self) -> str:
        return self.name_zh

    def name_in(self, language: str) -> str:
        """The unit's name in ``language``; the Chinese one when it has no English name."""
        return str(self.name_en or self.name_zh) if language == "en" else str(self.name_zh)
