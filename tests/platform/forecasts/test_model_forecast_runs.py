"""The model's daily forecast is a job of the task worker: the housekeeping loop queues it at its
time on the database queue, and however many loops, workers or deliveries, each jurisdiction
gets one model forecast a day."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from forecasts.beijing_days import CONSULTATION_DAY, beijing_with_plan, observe_beijing
from hazeguard_platform.forecasts.model_runs import (
    RETRY,
    STALE,
    _finish,
    model_forecast_runs_queue_due,
)
from hazeguard_platform.forecasts.models import Forecast, ModelForecastRun, Provider, Source
from hazeguard_platform.forecasts.tasks import model_forecast_task
from hazeguard_platform.jurisdictions.models import Jurisdiction

State = ModelForecastRun.State
# Committed for real: the task is queued on commit, and the worker (db_worker, as in production)
# closes its connection between tasks. A light model (5 boosting iterations): the plumbing only.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("light_model")]


@pytest.fixture
def light_model() -> Iterator[None]:
    with override_settings(MODEL_FORECAST_ITERATIONS=5, MODEL_FORECAST_LEAD_MINUTES=60):
        yield


@pytest.fixture
def beijing() -> Jurisdiction:
    return beijing_with_plan()


def _run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def test_two_loops_and_two_deliveries_make_one_model_forecast_a_day(
    beijing: Jurisdiction,
) -> None:
    observe_beijing(beijing, until=date(2015, 12, 17))
    # Yesterday's model forecast does not stand for today's.
    Forecast.objects.create(
        jurisdiction=beijing,
        issued_at=CONSULTATION_DAY - timedelta(days=1),
        source=Source.WORKER,
        provider=Provider.MODEL,
    )
    with time_machine.travel(CONSULTATION_DAY - timedelta(hours=1), tick=False):  # 13:30
        assert model_forecast_runs_queue_due() == []
    with time_machine.travel(CONSULTATION_DAY, tick=False):  # 14:30, an hour before 15:30
        queued = model_forecast_runs_queue_due()
        assert model_forecast_runs_queue_due() == []  # a second loop, or the next pass
        assert [run.jurisdiction for run in queued] == [beijing]
        assert DBTaskResult.objects.filter(task_path__endswith="model_forecast_task").count() == 1
        model_forecast_task.enqueue(queued[0].pk)  # delivered twice: two workers take it
        _run_worker()

    run = ModelForecastRun.objects.get()
    made = Forecast.objects.filter(provider=Provider.MODEL, issued_at=CONSULTATION_DAY)
    assert made.count() == 1
    assert (run.state, run.forecast, run.day) == (State.DONE, made.get(), date(2015, 12, 18))
    returned = sorted(DBTaskResult.objects.values_list("return_value", flat=True))
    assert returned == [0, made.get().pk]
    assert made.get().probabilities["plan"] == "beijing-2015"


def test_a_run_the_model_cannot_make_says_why_and_is_tried_again_an_hour_later(
    beijing: Jurisdiction,
) -> None:
    # Yesterday (17 December) is not observed yet at 14:30.
    observe_beijing(beijing, until=date(2015, 12, 16))
    with time_machine.travel(CONSULTATION_DAY, tick=False):
        model_forecast_runs_queue_due()
        _run_worker()
    run = ModelForecastRun.objects.get()
    assert run.state == State.FAILED
    assert "2015-12-18" in run.problem
    assert not Forecast.objects.exists()

    observe_beijing(beijing, until=date(2015, 12, 17), since=date(2015, 12, 17))
    later = CONSULTATION_DAY + RETRY - timedelta(minutes=5)
    with time_machine.travel(later, tick=False):
        assert model_forecast_runs_queue_due() == []  # not yet an hour
    with time_machine.travel(later + timedelta(minutes=10), tick=False):
        assert [r.pk for r in model_forecast_runs_queue_due()] == [run.pk]
        _run_worker()
    run.refresh_from_db()
    assert run.state == State.DONE
    assert Forecast.objects.filter(provider=Provider.MODEL).count() == 1


def test_a_run_whose_worker_died_is_queued_again_and_the_late_worker_stores_nothing(
    beijing: Jurisdiction,
) -> None:
    observe_beijing(beijing, until=date(2015, 12, 17))
    died = CONSULTATION_DAY - STALE - timedelta(minutes=1)
    run = ModelForecastRun.objects.create(
        jurisdiction=beijing, day=date(2015, 12, 18), state=State.RUNNING, started_at=died
    )
    with time_machine.travel(CONSULTATION_DAY, tick=False):
        assert [r.pk for r in model_forecast_runs_queue_due()] == [run.pk]
        assert model_forecast_runs_queue_due() == []  # queued once, not at every pass
    run.refresh_from_db()
    assert run.state == State.QUEUED
    # The worker that had it comes back: its run was taken over, so it closes nothing.
    assert not _finish(run, died, State.DONE)
    run.refresh_from_db()
    assert run.state == State.QUEUED
