"""The model's daily forecast as a job of the task worker (issue 11 §3, STYLE.md §9-10).

The housekeeping loop (``manage.py housekeeping``) calls :func:`model_forecast_runs_queue_due` at
each pass; from :data:`settings.MODEL_FORECAST_LEAD_MINUTES` before
:data:`settings.CONSULTATION_TIME` it adds one :class:`ModelForecastRun` per jurisdiction and
China date (a unique constraint) and queues :func:`~hazeguard_platform.forecasts.tasks.
model_forecast_task` on the database queue. A worker claims the run with a conditional UPDATE
(:func:`model_forecast_run`), so a second loop, a second worker or a second delivery of the task
makes nothing. A run whose worker died is queued again after :data:`STALE`; one the model could
not make (yesterday's AQI not in yet) is tried again after :data:`RETRY`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from hazeguard_platform.errors import ServiceError
from hazeguard_platform.forecasts.models import ModelForecastRun
from hazeguard_platform.jurisdictions.models import Jurisdiction

State = ModelForecastRun.State
#: A run still running this long after its start lost its worker: queued again.
STALE = timedelta(minutes=30)
#: A failed run is tried again this long after it failed (the day's data may come in late).
RETRY = timedelta(hours=1)


class _TakenOverError(Exception):
    """The run was queued again while this worker was still at it: its forecast is dropped."""


def model_forecast_runs_queue_due(now: datetime | None = None) -> list[ModelForecastRun]:
    """Queue the day's model forecast of every jurisdiction with enough observed city days and
    no run today, once it is due; queue again stale and failed runs. Idempotent. Returns the
    runs queued by this call."""
    from django.conf import settings

    from hazeguard_platform.forecasts.model_forecast import MIN_HISTORY_DAYS, model_forecast_due

    now = now or timezone.now()
    lead = timedelta(minutes=settings.MODEL_FORECAST_LEAD_MINUTES)
    if not model_forecast_due(now, settings.CONSULTATION_TIME, lead):
        return []
    today = timezone.localdate(now)
    # A place with too short a history would fail at every pass: wait until it has one.
    places = (
        Jurisdiction.objects.filter(city_days__aqi__isnull=False)
        .annotate(observed=Count("city_days"))
        .filter(observed__gte=MIN_HISTORY_DAYS)
        .exclude(model_forecast_runs__day=today)
        .order_by("code")
    )
    queued = []
    for place in places:
        try:
            with transaction.atomic():
                run = ModelForecastRun.objects.create(jurisdiction=place, day=today, queued_at=now)
                enqueue_run(run)
        except IntegrityError:
            continue  # another housekeeping loop queued it a moment ago
        queued.append(run)
    again = ModelForecastRun.objects.filter(day=today).filter(
        Q(state=State.RUNNING, started_at__lt=now - STALE)
        | Q(state=State.FAILED, finished_at__lt=now - RETRY)
    )
    for run in again:
        with transaction.atomic():
            # Conditional on the state seen: of two loops, one queues it again.
            if (
                ModelForecastRun.objects.filter(pk=run.pk, state=run.state)
                .filter(started_at=run.started_at, finished_at=run.finished_at)
                .update(state=State.QUEUED, queued_at=now)
            ):
                enqueue_run(run)
                queued.append(run)
    return queued


def enqueue_run(run: ModelForecastRun) -> None:
    """Queue the task of a queued run once the transaction commits."""
    from hazeguard_platform.forecasts.tasks import model_forecast_task

    transaction.on_commit(lambda: model_forecast_task.enqueue(run.pk))


def model_forecast_run(*, run_id: int) -> ModelForecastRun | None:
    """Make the forecast of a queued run (the task worker). Claimed with a conditional UPDATE:
    a run not queued (done, or another worker's) gives ``None`` and makes nothing. A forecast
    the model cannot make is recorded on the run as failed with the reason."""
    from hazeguard_platform.forecasts.services import forecast_model_make

    started = timezone.now()
    claimed = ModelForecastRun.objects.filter(pk=run_id, state=State.QUEUED).update(
        state=State.RUNNING, started_at=started, finished_at=None
    )
    if claimed != 1:
        return None
    run = ModelForecastRun.objects.select_related("jurisdiction").get(pk=run_id)
    if timezone.localdate(started) != run.day:
        _finish(run, started, State.FAILED, problem=f"the day {run.day} is over")
        return run
    try:
        with transaction.atomic():
            forecast = forecast_model_make(jurisdiction=run.jurisdiction, at=started)
            if not _finish(run, started, State.DONE, forecast_id=forecast.pk):
                raise _TakenOverError
    except _TakenOverError:
        return None
    except ServiceError as error:
        _finish(run, started, State.FAILED, problem=error.message)
    run.refresh_from_db()
    return run


def _finish(
    run: ModelForecastRun,
    started: datetime,
    state: str,
    *,
    forecast_id: int | None = None,
    problem: str = "",
) -> bool:
    """Close the run this worker started; False when it was queued again meanwhile."""
    return bool(
        ModelForecastRun.objects.filter(pk=run.pk, state=State.RUNNING, started_at=started).update(
            state=state, finished_at=timezone.now(), forecast_id=forecast_id, problem=problem
        )
    )
