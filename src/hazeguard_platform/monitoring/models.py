"""Monitoring stations, their hourly readings, and the city values the core computes from them.

Readings are stored as they arrived (flags beside them, never altered); a corrected value
replaces the old one and leaves a :class:`Correction`. City values are derived: recomputed by
``services.readings_ingest`` for exactly the hours and days an arrival changed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hazeguard_platform.jurisdictions.models import Jurisdiction

POLLUTANT_FIELDS = ("pm25", "pm10", "so2", "no2", "co", "o3")


class StationKind(models.TextChoices):
    NATIONAL = "national", _("national-control station")
    PROVINCIAL = "provincial", _("provincial-control station")
    COUNTY = "county", _("county station")
    MICRO = "micro", _("micro-sensor")


# Micro-sensors are shown but do not count for the city's AQI (HJ 663 uses the assessment
# stations of the city).
COUNTING_KINDS = (StationKind.NATIONAL, StationKind.PROVINCIAL, StationKind.COUNTY)


class Station(models.Model):
    """A monitoring station and the jurisdiction whose AQI it counts for."""

    code = models.CharField(max_length=32, unique=True)
    name_zh = models.CharField(max_length=64)
    name_en = models.CharField(max_length=128, blank=True)
    kind = models.CharField(max_length=12, choices=StationKind.choices)
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="stations"
    )
    latitude = models.FloatField(help_text="WGS 84 [°]")
    longitude = models.FloatField(help_text="WGS 84 [°]")
    # Where the coordinates come from; "approximate" when no public source gives them.
    coordinates_source = models.CharField(max_length=300, blank=True)
    approximate = models.BooleanField(default=False)
    active_from = models.DateField(null=True, blank=True)
    active_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["jurisdiction", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name_zh}"


class Way(models.TextChoices):
    PULL = "pull", _("polled endpoint")
    PUSH = "push", _("pushed through the API")
    UPLOAD = "upload", _("uploaded file")


class Content(models.TextChoices):
    READINGS = "readings", _("station readings")
    WEATHER = "weather", _("hourly weather")


class Delivery(models.Model):
    """One arrival of hourly rows (a poll, a push, an upload) and what it changed."""

    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="deliveries"
    )
    content = models.CharField(max_length=8, choices=Content.choices, default=Content.READINGS)
    way = models.CharField(max_length=8, choices=Way.choices)
    source = models.CharField(max_length=300, blank=True)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rows = models.PositiveIntegerField(default=0)
    stored = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    corrected = models.PositiveIntegerField(default=0)
    # The refusal (file, row, column), when the delivery was refused as a whole.
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.jurisdiction} {self.way} {self.received_at:%Y-%m-%d %H:%M}"


class Reading(models.Model):
    """One station's 1-hour means [µg/m³; CO mg/m³] as delivered, with the plausibility flags and
    the real-time AQI the core gave them (flagged values left out)."""

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="readings")
    hour_end = models.DateTimeField(help_text="end of the hour the means cover")
    pm25 = models.FloatField(null=True, blank=True)
    pm10 = models.FloatField(null=True, blank=True)
    so2 = models.FloatField(null=True, blank=True)
    no2 = models.FloatField(null=True, blank=True)
    co = models.FloatField(null=True, blank=True)
    o3 = models.FloatField(null=True, blank=True)
    # Pollutant code to its flag bits (hazeguard.monitoring.plausibility.Flag), flagged ones only.
    flags = models.JSONField(default=dict, blank=True)
    aqi = models.PositiveIntegerField(null=True, blank=True)
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    primary_pollutants = models.CharField(max_length=64, blank=True)
    delivery = models.ForeignKey(Delivery, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["station", "hour_end"], name="reading_once_per_hour")
        ]
        indexes = [models.Index(fields=["hour_end"], name="reading_hour")]

    def __str__(self) -> str:
        return f"{self.station.code} {self.hour_end:%Y-%m-%d %H:%M}"


class Correction(models.Model):
    """A delivered value that replaced a different stored one: before and after, by delivery."""

    reading = models.ForeignKey(Reading, on_delete=models.PROTECT, related_name="corrections")
    delivery = models.ForeignKey(Delivery, on_delete=models.PROTECT, related_name="corrections")
    before = models.JSONField()
    after = models.JSONField()
    corrected_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-corrected_at", "-id"]


#: The weather columns stored, named as the core names them (io.weather.WEATHER_VARIABLES).
WEATHER_FIELDS = (
    "wind_speed",
    "wind_direction",
    "temperature",
    "dew_point",
    "relative_humidity",
    "pressure",
    "precipitation",
    "boundary_layer_height",
)


class WeatherHour(models.Model):
    """Observed weather of one hour, at a station or for a whole jurisdiction (``station`` empty),
    as delivered: wind speed [m/s], direction it blows from [° from north], temperature and dew
    point [°C], relative humidity [%], pressure [hPa], precipitation [mm], boundary-layer height
    [m]; any may be unknown."""

    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="weather_hours"
    )
    station = models.ForeignKey(
        Station, null=True, blank=True, on_delete=models.PROTECT, related_name="weather_hours"
    )
    hour_end = models.DateTimeField(help_text="end of the hour the values cover")
    wind_speed = models.FloatField(null=True, blank=True)
    wind_direction = models.FloatField(null=True, blank=True)
    temperature = models.FloatField(null=True, blank=True)
    dew_point = models.FloatField(null=True, blank=True)
    relative_humidity = models.FloatField(null=True, blank=True)
    pressure = models.FloatField(null=True, blank=True)
    precipitation = models.FloatField(null=True, blank=True)
    boundary_layer_height = models.FloatField(null=True, blank=True)
    delivery = models.ForeignKey(Delivery, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["jurisdiction", "station", "hour_end"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "hour_end"],
                condition=models.Q(station__isnull=False),
                name="weather_once_per_station_hour",
            ),
            models.UniqueConstraint(
                fields=["jurisdiction", "hour_end"],
                condition=models.Q(station__isnull=True),
                name="weather_once_per_place_hour",
            ),
        ]
        indexes = [models.Index(fields=["jurisdiction", "hour_end"], name="weather_place_hour")]

    def __str__(self) -> str:
        where = self.station.code if self.station else self.jurisdiction.code
        return f"{where} {self.hour_end:%Y-%m-%d %H:%M}"


class WeatherCorrection(models.Model):
    """A delivered weather hour that replaced different stored values: before and after."""

    hour = models.ForeignKey(WeatherHour, on_delete=models.PROTECT, related_name="corrections")
    delivery = models.ForeignKey(Delivery, on_delete=models.PROTECT, related_name="+")
    before = models.JSONField()
    after = models.JSONField()
    corrected_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-corrected_at", "-id"]


class CityHour(models.Model):
    """A jurisdiction's real-time AQI of one hour and its rolling 24-h AQI ending then (HJ 663:
    the mean of its valid stations, indexed by the core)."""

    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.CASCADE, related_name="city_hours"
    )
    hour_end = models.DateTimeField()
    aqi = models.PositiveIntegerField(null=True)
    level = models.PositiveSmallIntegerField(null=True)
    primary_pollutants = models.CharField(max_length=64, blank=True)
    rolling_aqi = models.PositiveIntegerField(null=True)
    rolling_level = models.PositiveSmallIntegerField(null=True)
    rolling_primary = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["jurisdiction", "hour_end"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "hour_end"], name="city_hour_once")
        ]


class CityDay(models.Model):
    """A jurisdiction's HJ 633 daily AQI of one natural day."""

    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.CASCADE, related_name="city_days"
    )
    day = models.DateField()
    aqi = models.PositiveIntegerField(null=True)
    level = models.PositiveSmallIntegerField(null=True)
    primary_pollutants = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["jurisdiction", "day"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "day"], name="city_day_once")
        ]


class PullSource(models.Model):
    """An HTTP endpoint the worker polls for hourly station data (docs/monitoring.md)."""

    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="pull_sources"
    )
    url = models.URLField(max_length=500)
    layout = models.CharField(max_length=16, default="hazeguard")
    format = models.CharField(max_length=8, default="json")
    interval = models.PositiveIntegerField(default=600, help_text="seconds between polls")
    active = models.BooleanField(default=True)
    next_poll_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_outcome = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.url


class Boundary(models.Model):
    """A jurisdiction's GB/T 2260 administrative code and simplified boundary (GeoJSON geometry,
    WGS 84), from a maintained data package (docs/monitoring.md)."""

    jurisdiction = models.OneToOneField(
        Jurisdiction, on_delete=models.CASCADE, related_name="boundary"
    )
    admin_code = models.CharField(max_length=6)
    geometry = models.JSONField()
    source = models.CharField(max_length=300)

    def __str__(self) -> str:
        return f"{self.jurisdiction} {self.admin_code}"


class ObservedAlert(models.Model):
    """The office was told that observed AQI reached a level the forecast did not announce;
    kept so that one episode raises one alert per level."""

    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.CASCADE, related_name="observed_alerts"
    )
    level = models.CharField(max_length=8)
    hour_end = models.DateTimeField()
    aqi = models.PositiveIntegerField()
    decision = models.JSONField()
    notice_id = models.PositiveIntegerField(null=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-hour_end", "-id"]
