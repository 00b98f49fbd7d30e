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
    # The hash chain (audit/chain.py): set once, right after the record's transaction commits.
    # Records of one China day form one chain, numbered from 1; the first of a day links to the
    # last of the day before, so a record deleted anywhere (even the very last) is found.
    chain_day = models.DateField(null=True, blank=True)
    seq = models.PositiveIntegerField(null=True, blank=True)
    previous_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)

    # The plain manager of the chain's own code only: it sets the chain fields once (sealing) and
    # removes archived records after they are safely in their file (audit/archive.py).
    chain_writer = models.Manager()

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["actor_name", "at"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["chain_day", "seq"], name="audit_one_place_in_chain")
        ]
        verbose_name_plural = "audit entries"
        default_manager_name = "objects"

    def __str__(self) -> str:
        who = self.actor_name or "-"
        return f"{self.at:%Y-%m-%d %H:%M} {who} {self.action} {self.object_type}:{self.object_id}"


class AuditChainHead(models.Model):
    """The end of the chain (one row): the last sealed record. Locked while sealing, so two
    sealers never give two records the same place, and compared by ``audit verify`` so that
    deleting the newest records is found too."""

    last_day = models.DateField(null=True, blank=True)
    last_seq = models.PositiveIntegerField(default=0)
    last_hash = models.CharField(max_length=64, blank=True)
    last_entry_id = models.BigIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"audit chain head {self.last_day} #{self.last_seq}"


class AuditArchive(models.Model):
    """Records moved out of the database into a file after the retention period (never dropped
    silently): which days, how many, the file and its SHA-256, the chain's last hash in it."""

    created_at = models.DateTimeField(default=timezone.now)
    first_day = models.DateField()
    last_day = models.DateField()
    count = models.PositiveIntegerField()
    last_hash = models.CharField(max_length=64)
    file_name = models.CharField(max_length=255)
    file_sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["last_day"]

    def __str__(self) -> str:
        return f"audit archive {self.first_day}..{self.last_day} ({self.count})"
