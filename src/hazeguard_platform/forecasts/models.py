"""Forecasts, their days, and consultations."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hazeguard_platform.immutable import ImmutableModel
from hazeguard_platform.jurisdictions.models import Jurisdiction, PlanVersion


class Pollutant(models.TextChoices):
    """Primary pollutant of a forecast day (HJ 633-2012 Table 1 names)."""

    NONE = "", "—"
    PM25 = "PM2.5", "PM2.5"
    PM10 = "PM10", "PM10"
    O3 = "O3", "O3"
    NO2 = "NO2", "NO2"
    SO2 = "SO2", "SO2"
    CO = "CO", "CO"
    PM25_PM10 = "PM2.5+PM10", "PM2.5+PM10"


class Source(models.TextChoices):
    """How the forecast reached the platform (the channel)."""

    UPLOAD = "upload", _("CSV upload")
    ENTRY = "entry", _("entered by hand")
    API = "api", _("received through the API")
    WORKER = "worker", _("made by the background worker")


class Provider(models.TextChoices):
    """Who made the forecast: the sources a consultation (会商) puts side by side (001 §3.1,
    §6.7; 003 §3.2)."""

    MODEL = "model", _("HazeGuard model")
    MONITORING_CENTRE = "monitoring_centre", _("Environmental monitoring centre")
    WEATHER_BUREAU = "weather_bureau", _("Meteorological bureau")
    FORECASTER = "forecaster", _("Duty forecaster")


class Forecast(ImmutableModel):
    """A daily AQI forecast of one jurisdiction (usually 7 days), as received; never edited, so a
    warning decided on it keeps what it was decided on (STYLE.md §6)."""

    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="forecasts"
    )
    issued_at = models.DateTimeField(help_text="when the forecaster made the forecast")
    source = models.CharField(max_length=8, choices=Source.choices)
    provider = models.CharField(
        max_length=20, choices=Provider.choices, default=Provider.MONITORING_CENTRE
    )
    # The model's forecast only: {"plan": plan id, "levels": [outcome names], "days": [[P per
    # outcome] per day, cumulative over days 1 … d], "p_heavy": [P(AQI > 200) per day],
    # "weather": bool, "trained_from"/"trained_to": ISO dates}. Empty for the other providers.
    probabilities = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return f"{self.jurisdiction} forecast {self.issued_at:%Y-%m-%d %H:%M}"


class ForecastDay(ImmutableModel):
    """One forecast day: AQI range [index], primary pollutant, a dust (沙尘) flag and a typhoon
    (台风) flag (pollution a typhoon causes is outside Xigang's plan, 000 §1.4)."""

    forecast = models.ForeignKey(Forecast, on_delete=models.CASCADE, related_name="days")
    day = models.DateField()
    aqi_low = models.PositiveIntegerField()
    aqi_high = models.PositiveIntegerField()
    # The forecast's central value where it gives one (the model's median); else the middle of
    # the range is the point forecast.
    aqi_median = models.PositiveIntegerField(null=True, blank=True)
    primary_pollutant = models.CharField(max_length=16, choices=Pollutant.choices, blank=True)
    dust = models.BooleanField(default=False)
    typhoon = models.BooleanField(default=False)

    class Meta:
        ordering = ["forecast", "day"]
        constraints = [
            models.UniqueConstraint(fields=["forecast", "day"], name="forecast_day_once"),
            models.CheckConstraint(
                condition=models.Q(aqi_low__lte=models.F("aqi_high")), name="forecast_day_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day}: {self.aqi_low}-{self.aqi_high} {self.primary_pollutant}"

    @property
    def aqi_point(self) -> float:
        """The point forecast of the day's AQI: the median, or the middle of the range. [index]"""
        if self.aqi_median is not None:
            return float(self.aqi_median)
        return (self.aqi_low + self.aqi_high) / 2


class Consultation(models.Model):
    """A consultation (会商): who took part, the forecasts considered, the conclusion reached, and
    the engine's decision on the same plan version and forecast, kept with its explanation."""

    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="consultations"
    )
    held_at = models.DateTimeField()
    participants = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="consultations")
    # People from outside the platform (the meteorological bureau's forecaster, experts).
    other_participants = models.TextField(blank=True)
    forecasts = models.ManyToManyField(Forecast, related_name="consultations")
    # The forecast the decision was computed on (the newest of those considered).
    basis = models.ForeignKey(Forecast, on_delete=models.PROTECT, related_name="+")
    plan_version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="+")
    conclusion = models.TextField()
    # The level the meeting concluded on ("" = no warning).
    concluded_level = models.CharField(max_length=8, blank=True)
    decision = models.JSONField(help_text="the engine's Decision.to_dict()")
    # The engine's decision on each forecast considered, as it was at the meeting: [{"forecast":
    # id, "provider", "level", "headline": {"zh", "en"}}], the order of the sources' table.
    sources = models.JSONField(default=list, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_at", "-id"]

    def __str__(self) -> str:
        return f"{self.jurisdiction} consultation {self.held_at:%Y-%m-%d %H:%M}"


class ModelForecastRun(models.Model):
    """The day's model forecast of one jurisdiction as a job of the task worker, and how it went:
    queued → running → done | failed. One row per jurisdiction and China date (the constraint),
    so any number of housekeeping loops and task workers make one model forecast a day."""

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="model_forecast_runs"
    )
    day = models.DateField(help_text="the China date the forecast is made on")
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    queued_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The forecast it made (done), or why it made none (failed), in the language of the settings.
    forecast = models.ForeignKey(
        Forecast, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    problem = models.TextField(blank=True)

    class Meta:
        ordering = ["-day", "jurisdiction"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "day"], name="model_forecast_run_once")
        ]

    def __str__(self) -> str:
        return f"{self.jurisdiction} model forecast {self.day} ({self.state})"


class WeatherForecast(ImmutableModel):
    """The weather bureau's daily weather forecast of the coming days, as uploaded (issue 11 §1:
    the meteorology of the target days the model reads); never edited."""

    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="weather_forecasts"
    )
    issued_at = models.DateTimeField(default=timezone.now)
    file_name = models.CharField(max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return f"{self.jurisdiction} weather forecast {self.issued_at:%Y-%m-%d %H:%M}"


class WeatherForecastDay(ImmutableModel):
    """One day of a weather forecast: the columns of the core's daily weather table
    (:data:`hazeguard.io.daily_weather.WEATHER_COLUMNS`, units there); blank where not given."""

    forecast = models.ForeignKey(WeatherForecast, on_delete=models.CASCADE, related_name="days")
    day = models.DateField()
    temperature = models.FloatField(null=True, blank=True)  # [°C]
    dew_point = models.FloatField(null=True, blank=True)  # [°C]
    relative_humidity = models.FloatField(null=True, blank=True)  # [%]
    pressure = models.FloatField(null=True, blank=True)  # [hPa]
    wind_speed = models.FloatField(null=True, blank=True)  # [m/s]
    wind_direction = models.FloatField(null=True, blank=True)  # [° from, 0 = N]
    precipitation = models.FloatField(null=True, blank=True)  # [mm]
    boundary_layer_height = models.FloatField(null=True, blank=True)  # [m]

    class Meta:
        ordering = ["forecast", "day"]
        constraints = [
            models.UniqueConstraint(fields=["forecast", "day"], name="weather_forecast_day_once")
        ]

    def __str__(self) -> str:
        return f"{self.day}: {self.temperature} °C"
