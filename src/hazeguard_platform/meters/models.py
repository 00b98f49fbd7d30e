"""Power-consumption readings of listed enterprises and the electricity checks run on them.

Readings are uploaded as CSV (``services.meter_readings_upload``), all or nothing, and never
replaced: a reading is one interval of one meter of one enterprise. An electricity check
(耗电量核算, emission-list.md §8.1; seed 002 §电量核查) runs the core's ``check_electricity``
over an episode and keeps every finding, so the summary shows what the check found and when.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from hazeguard_platform.enterprises.models import ListedEnterprise
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.warnings.models import Episode


class MeterUpload(models.Model):
    """One CSV of readings, stored or refused with the error naming its row and column."""

    class Outcome(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("meter upload", "queued")
        PROCESSING = "processing", pgettext_lazy("meter upload", "processing")
        STORED = "stored", pgettext_lazy("meter upload", "stored")
        REFUSED = "refused", pgettext_lazy("meter upload", "refused")

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    # [{"row", "column", "reason"}] of a refused file (the first error the checks meet).
    errors = models.JSONField(default=list)
    stored = models.PositiveIntegerField(default=0)  # new readings
    unchanged = models.PositiveIntegerField(default=0)  # readings already stored, same value
    meters = models.PositiveIntegerField(default=0)
    # The file while it waits for the worker (a large upload); emptied once stored or refused.
    content = models.BinaryField(default=b"", editable=False)

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.outcome})"

    @property
    def error_texts(self) -> list[str]:
        """The refusal's errors, each naming the file's row and column, in the page's language."""
        from hazeguard_platform.meters.readings import upload_error_text

        return [
            upload_error_text(self.filename, e["row"], e["column"], e["reason"])
            for e in self.errors
        ]


class MeterReading(models.Model):
    """Energy of one meter over one interval starting at ``time`` [kWh]."""

    upload = models.ForeignKey(MeterUpload, on_delete=models.PROTECT, related_name="readings")
    enterprise = models.ForeignKey(
        ListedEnterprise, on_delete=models.PROTECT, related_name="meter_readings"
    )
    meter = models.CharField(max_length=64)  # 电表编号, as on the list when it names meters
    time = models.DateTimeField()  # start of the interval
    energy_kwh = models.FloatField()  # [kWh]

    class Meta:
        ordering = ["enterprise", "meter", "time"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "meter", "time"], name="one_reading_per_meter_interval"
            )
        ]
        indexes = [models.Index(fields=["enterprise", "time"])]


class ElectricityCheck(models.Model):
    """One run of the core's electricity check over an episode's warnings."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="+")
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    run_at = models.DateTimeField(default=timezone.now)
    enterprises = models.PositiveIntegerField(default=0)  # with a measure and meter readings
    meters = models.PositiveIntegerField(default=0)
    readings = models.PositiveIntegerField(default=0)  # readings read from the database
    seconds = models.FloatField(default=0.0)  # [s] wall time of the run
    # Enterprises with a production measure but no readings: named, not judged.
    without_readings = models.JSONField(default=list)

    class Meta:
        ordering = ["-run_at", "-id"]

    def __str__(self) -> str:
        return f"electricity check of {self.episode} at {self.run_at:%Y-%m-%d %H:%M}"


class ElectricityFinding(models.Model):
    """The check's verdict for one meter on one local day, with its evidence [kWh]."""

    check_run = models.ForeignKey(
        ElectricityCheck, on_delete=models.PROTECT, related_name="findings"
    )
    enterprise = models.ForeignKey(ListedEnterprise, on_delete=models.PROTECT, related_name="+")
    meter = models.CharField(max_length=64)
    day = models.DateField()
    level = models.CharField(max_length=8)
    measure = models.CharField(max_length=16)  # stop | limit
    share_cut = models.FloatField()  # [1] share of production the site plan removes
    status = models.CharField(
        max_length=20
    )  # compliant | suspicious | violation | insufficient_data
    observed_kwh = models.FloatField(null=True)  # None: not known (no baseline)
    expected_kwh = models.FloatField(null=True)  # None: not known (no baseline)
    violation_bound_kwh = models.FloatField(null=True)  # None: not known (no baseline)
    baseline_kwh = models.FloatField(null=True)  # None: not known (no baseline)
    coverage = models.FloatField(null=True)  # [1]

    class Meta:
        ordering = ["enterprise", "meter", "day"]


class ElectricityCheckJob(models.Model):
    """The office's request to run the electricity check in the task worker (it takes seconds
    to minutes: 4.5–11 s for 512 meters), and how it went: queued → running → done | failed."""

    class State(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("electricity check", "queued")
        RUNNING = "running", pgettext_lazy("electricity check", "running")
        DONE = "done", pgettext_lazy("electricity check", "done")
        FAILED = "failed", pgettext_lazy("electricity check", "failed")

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The run it made (done), or why it made none (failed), e.g. the stored readings' error.
    check_run = models.ForeignKey(
        ElectricityCheck, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            # Pressing the button again while a check waits or runs queues no second one.
            models.UniqueConstraint(
                fields=["episode"],
                condition=models.Q(state__in=["queued", "running"]),
                name="one_pending_electricity_check_per_episode",
            )
        ]

    def __str__(self) -> str:
        return f"electricity check of {self.episode} requested {self.requested_at:%Y-%m-%d %H:%M}"
