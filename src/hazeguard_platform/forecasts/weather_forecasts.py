"""The weather bureau's weather forecast of the coming days (issue 11 §1): uploaded as the core's
daily weather table (:mod:`hazeguard.io.daily_weather`, read by the core's reader), stored as
:class:`WeatherForecast` rows, and given back as the table the core's model reads for the target
days (:func:`weather_for_days`).

The model uses it together with the observed weather of the training days (monitoring's hourly
store): :func:`hazeguard_platform.forecasts.model_forecast.model_weather`.
"""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hazeguard_platform.accounts.permissions import Actor, require_role
from hazeguard_platform.audit.services import audit_record
from hazeguard_platform.errors import InvalidInputError
from hazeguard_platform.forecasts.models import WeatherForecast, WeatherForecastDay
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.table_errors import table_error_text

if TYPE_CHECKING:
    import pandas as pd

#: The largest upload read. [bytes]
MAX_BYTES = 1 << 20


def weather_forecast_upload(
    *, actor: Actor, jurisdiction: Jurisdiction, file_name: str, content: bytes
) -> WeatherForecast:
    """Store an uploaded daily weather table (``date`` and any of the core's weather columns).

    All or nothing: a bad file stores nothing and raises ``InvalidInputError(field="file")``
    naming the file, row and column in the active language; a table whose days are all past is
    refused. Only the command office uploads (as it uploads AQI forecasts).
    """
    import numpy as np

    from hazeguard.io.daily_weather import WEATHER_COLUMNS, read_daily_weather
    from hazeguard.io.tables import TableError
    from hazeguard_platform.forecasts.services import FORECAST_ROLES

    require_role(actor, jurisdiction, FORECAST_ROLES, action="weather_forecast.upload")
    name = Path(file_name).name or "weather.csv"
    if len(content) > MAX_BYTES:
        raise InvalidInputError(_("%(file)s is larger than 1 MB.") % {"file": name}, field="file")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload.csv"
        path.write_bytes(content)
        try:
            table = read_daily_weather(path)
        except TableError as error:
            raise InvalidInputError(table_error_text(error, name), field="file") from None
    today = timezone.localdate()
    if table.index[-1].date() < today:
        message = _("%(file)s: every day is before today (%(today)s); upload a forecast.")
        raise InvalidInputError(message % {"file": name, "today": today}, field="file")
    values = {
        column: table[column].to_numpy(dtype=np.float64)
        if column in table.columns
        else np.full(len(table), np.nan)
        for column in WEATHER_COLUMNS
    }
    rows = [
        WeatherForecastDay(
            day=stamp.date(),
            **{c: float(values[c][n]) if np.isfinite(values[c][n]) else None for c in values},
        )
        for n, stamp in enumerate(table.index)
    ]
    with transaction.atomic():
        forecast = WeatherForecast.objects.create(
            jurisdiction=jurisdiction,
            file_name=name,
            uploaded_by=actor if isinstance(actor, User) else None,
        )
        for row in rows:
            row.forecast = forecast
        WeatherForecastDay.objects.bulk_create(rows)
        audit_record(
            actor=actor,
            action="weather_forecast.upload",
            obj=forecast,
            after={
                "jurisdiction": jurisdiction.code,
                "file": name,
                "days": [rows[0].day.isoformat(), rows[-1].day.isoformat()],
                "columns": [c for c in WEATHER_COLUMNS if c in table.columns],
            },
        )
    return forecast


def weather_for_days(jurisdiction: Jurisdiction, first: date, days: int) -> pd.DataFrame | None:
    """The newest weather forecast issued by now that covers ``first`` … ``first + days - 1``, as
    the core's daily weather table (index ``date``, :data:`WEATHER_COLUMNS`); None without one."""
    import pandas as pd

    from hazeguard.io.daily_weather import WEATHER_COLUMNS

    last = first + timedelta(days=days - 1)
    chosen = (
        WeatherForecast.objects.filter(
            jurisdiction=jurisdiction,
            issued_at__lte=timezone.now(),
            days__day=first,
        )
        .filter(days__day=last)
        .order_by("-issued_at", "-id")
        .first()
    )
    if chosen is None:
        return None
    rows = list(chosen.days.filter(day__gte=first, day__lte=last).values("day", *WEATHER_COLUMNS))
    index = pd.DatetimeIndex([pd.Timestamp(row.pop("day")) for row in rows], name="date")
    table = pd.DataFrame(rows, index=index, columns=list(WEATHER_COLUMNS), dtype="float64")
    return table.reindex(pd.date_range(first, last, freq="D", name="date"))
