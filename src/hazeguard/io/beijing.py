"""The Beijing Multi-Site Air-Quality Data (UCI dataset 501) and the subset shipped for the demo.

The files have year, month, day and hour columns, pollutant columns ``PM2.5, PM10, SO2, NO2, CO,
O3`` in µg/m³ (**CO too**, not mg/m³) and a ``station`` column (Zhang et al. 2017, Proc. R. Soc. A
473: 20170457, CC BY 4.0; see ``hazeguard/data/README.md``).

The ``hour`` column (0 … 23) is read as the **start** of the hour: the hour 0 row is the hour
ending 01:00 and a date's rows 0 … 23 make up its natural day. The dataset does not document this;
the choice is the one that reproduces the published Beijing daily values (docs/aqi-data.md: the
12-station mean PM2.5 agrees within ±2 µg/m³ on 70 % of days this way, 53 % the other way).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path
from typing import Final

from hazeguard.io.measurements import Measurements, read_measurements
from hazeguard.io.weather import Weather, read_weather

MAPPING: Final = {
    "PM2.5": "pm25",
    "PM10": "pm10",
    "SO2": "so2",
    "NO2": "no2",
    "CO": "co",
    "O3": "o3",
    "station": "station",
}
TIME_PARTS: Final = ("year", "month", "day", "hour")
CO_UNIT: Final = "ug"
HOUR_LABEL: Final = "start"
# 12 national-control stations × December 2015 (two red alerts in Beijing), original rows.
DEMO_FILE: Final = "beijing-2015-12.csv.gz"
# Beijing's daily city AQI, 2014-03-01 … 2016-02-29, derived from the same data (data/README.md).
DAILY_FILE: Final = "beijing-daily-2014-2016.csv"
# The same stations' hourly weather columns (TEMP, PRES, DEWP, RAIN, wd, WSPM), same hours.
DEMO_WEATHER_FILE: Final = "beijing-weather-2015-12.csv.gz"
CITATION: Final = (
    "Zhang, S., Guo, B., Dong, A., He, J., Xu, Z. and Chen, S.X. (2017). Cautionary tales on "
    "air-quality improvement in Beijing. Proc. R. Soc. A 473: 20170457. "
    "https://doi.org/10.1098/rspa.2017.0457 (UCI dataset 501, CC BY 4.0)"
)


def demo_path() -> Path:
    """The shipped subset: 12 stations, hourly, 2015-12-01 … 2015-12-31 (gzip CSV)."""
    return Path(str(resources.files("hazeguard") / "data" / DEMO_FILE))


def daily_path() -> Path:
    """The shipped daily city history of Beijing (``hazeguard.io.daily`` reads it)."""
    return Path(str(resources.files("hazeguard") / "data" / DAILY_FILE))


def demo_weather_path() -> Path:
    """The shipped weather of the same subset: 12 stations, hourly, December 2015 (gzip CSV)."""
    return Path(str(resources.files("hazeguard") / "data" / DEMO_WEATHER_FILE))


def read_beijing_multisite(
    paths: Sequence[str | Path], on_file: Callable[[Path], None] | None = None
) -> Measurements:
    """Read files of the Beijing multi-site data as they are (CO converted to mg/m³)."""
    return read_measurements(
        paths,
        mapping=MAPPING,
        time_parts=TIME_PARTS,
        hour_label=HOUR_LABEL,
        co_unit=CO_UNIT,
        on_file=on_file,
    )


# The weather columns of the same files (from the nearest CMA station, per UCI).
WEATHER_MAPPING: Final = {
    "WSPM": "wind_speed",
    "wd": "wind_direction",
    "TEMP": "temperature",
    "DEWP": "dew_point",
    "PRES": "pressure",
    "RAIN": "precipitation",
    "station": "station",
}


def read_beijing_weather(paths: Sequence[str | Path]) -> Weather:
    """The weather columns of files of the Beijing multi-site data (16-point wind direction)."""
    return read_weather(
        paths, mapping=WEATHER_MAPPING, time_parts=TIME_PARTS, hour_label=HOUR_LABEL
    )
