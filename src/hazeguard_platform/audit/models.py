"""The audit record. Written by services only, never edited or deleted."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from hazeguard_platform.immutable import ImmutableModel


class Outcome(models.TextChoices):
    DONE = "done", "done"
    DENIED = "denied", "denied"


class AuditEntry(ImmutableModel):
    """One action on one object: actor, action, object, before/after, time and request id."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The name at the time of the action, kept even if the account is later renamed.
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=64, db_index=True)
    outcome = models.CharField(max_length=8, choices=Outcome.choices, default=Outcome.DONE)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    message = models.TextField(blank=True)
    request_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        who = self.actor_name or "-"
        return f"{self.at:%Y-%m-%d %H:%M} {who} {self.action} {self.object_type}:{self.object_id}"
