"""The demo's Beijing consultation shows the three kinds of source side by side: the model's
forecast (made by the task worker from Beijing's real days, moved to end yesterday), the
monitoring centre's and the weather bureau's."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone

from hazeguard_platform.demo import demo_load
from hazeguard_platform.forecasts.models import ModelForecastRun
from hazeguard_platform.forecasts.sources import latest_by_provider
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.monitoring.demo import FIRST_DAY, LAST_DAY, shift_to
from hazeguard_platform.monitoring.models import CityDay


# Committed for real: the model's forecast is queued on commit and made by db_worker.
@pytest.mark.django_db(transaction=True)
@override_settings(MODEL_FORECAST_ITERATIONS=5)
def test_the_demo_puts_the_model_the_centre_and_the_bureau_side_by_side() -> None:
    demo_load(now=timezone.now())
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    beijing = Jurisdiction.objects.get(code="beijing")
    yesterday = timezone.localdate() - timedelta(days=1)
    assert CityDay.objects.filter(jurisdiction=beijing).latest("day").day == yesterday
    run = ModelForecastRun.objects.get(jurisdiction=beijing)
    assert (run.state, run.problem) == (ModelForecastRun.State.DONE, "")
    sources = latest_by_provider(beijing)
    assert [f.provider for f in sources] == ["model", "monitoring_centre", "weather_bureau"]
    assert sources[0].probabilities["plan"] == "beijing-2015"

    client = Client()
    assert client.login(username="beijing-director", password="hazeguard-demo-2026")
    page = client.get("/staff/j/beijing/consultation/new/").content.decode()
    assert re.findall(r'data-provider="(\w+)"', page)[:3] == [
        "model",
        "monitoring_centre",
        "weather_bureau",
    ]


@pytest.mark.parametrize(
    "yesterday", [date(2026, 12, 2), date(2027, 2, 28), date(2028, 2, 29), date(2027, 3, 1)]
)
def test_the_history_is_moved_by_whole_weeks_to_the_same_season(yesterday: date) -> None:
    shift = shift_to(yesterday)
    end = yesterday - shift
    apart = abs(end.timetuple().tm_yday - yesterday.timetuple().tm_yday)
    assert shift.days % 7 == 0
    assert FIRST_DAY + timedelta(days=365) <= end <= LAST_DAY
    assert min(apart, 366 - apart) <= 7
