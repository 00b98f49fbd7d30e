"""The society-wide emission inventory (全社会排放量) the office enters for the summary.

The plans set reduction targets as shares of the society-wide emissions (seed 003 §4.3;
emission-list.md §2.3); the list holds only the listed enterprises' baselines, so the
denominator is data the command office enters, with its source. Entries are never edited: a newer
entry of the same source class replaces the older one in the accounting, and both stay.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from hazeguard_platform.jurisdictions.models import Jurisdiction


class SourceClass(models.TextChoices):
    """The inventory's source classes (the core's ``SourceClass``; seed 003 §4.3)."""

    INDUSTRIAL = "industrial", pgettext_lazy("source class", "industrial")
    MOBILE = "mobile", pgettext_lazy("source class", "mobile")
    DUST = "dust", pgettext_lazy("source class", "dust")
    OTHER = "other", pgettext_lazy("source class", "other")


class InventoryEntry(models.Model):
    """One source class's daily emissions in a jurisdiction [t/d]; None: not known."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    source_class = models.CharField(max_length=12, choices=SourceClass.choices)
    so2 = models.FloatField(null=True, blank=True)  # [t/d]
    nox = models.FloatField(null=True, blank=True)  # [t/d]
    pm = models.FloatField(null=True, blank=True)  # [t/d]
    vocs = models.FloatField(null=True, blank=True)  # [t/d]
    source = models.TextField()  # e.g. 聊城市2019年大气污染源排放清单（市生态环境局，2020）
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["jurisdiction", "source_class", "-entered_at", "-id"]

    def __str__(self) -> str:
        return f"{self.jurisdiction} {self.source_class} ({self.entered_at:%Y-%m-%d})"
