"""The air-quality effect of an episode's measures, estimated in the task worker after lifting."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hazeguard_platform.warnings.models import Episode


class EffectEstimate(models.Model):
    """One run of the core's episode evaluation (``hazeguard.evaluation.episode``) on the
    station hours and weather the platform held: queued → running → done | missing | failed.

    ``inputs`` records what it read (hours of stations and weather, the record's span, the
    periods kept out of training); ``missing`` what it lacked (``stations``, ``weather``,
    ``weather_episode``, ``record``); ``result`` one object per pollutant (the core's
    ``EpisodeEffect`` as JSON: concentrations [µg/m³; CO mg/m³], shares [%])."""

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("estimated")
        MISSING = "missing", _("inputs missing")
        FAILED = "failed", _("failed")

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    inputs = models.JSONField(default=dict, blank=True)
    missing = models.JSONField(default=list, blank=True)
    result = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            # A lift delivered twice, or two workers, queue one estimate, not two.
            models.UniqueConstraint(
                fields=["episode"],
                condition=models.Q(state__in=["queued", "running"]),
                name="one_pending_effect_estimate",
            )
        ]

    def __str__(self) -> str:
        return f"effect of episode {self.episode_id}: {self.state}"
