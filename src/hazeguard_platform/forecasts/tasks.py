"""Background tasks of the forecasts app: thin, by id (STYLE.md §10)."""

from __future__ import annotations

from django_tasks import task

from hazeguard_platform.context import request_id_scope
from hazeguard_platform.forecasts.models import ModelForecastRun
from hazeguard_platform.notices.task_rows import job_row, track


@task()
def model_forecast_task(run_id: int) -> int:
    """Make the day's model forecast of a queued run; returns the forecast's id (0 if this
    delivery made none: another worker had the run, or the model could not forecast)."""
    from hazeguard_platform.forecasts.model_runs import model_forecast_run

    with request_id_scope(f"task-model-forecast-{run_id}"):
        run = model_forecast_run(run_id=run_id)
        return run.forecast_id or 0 if run is not None else 0


track(model_forecast_task, job_row(ModelForecastRun, reason_column="problem"))
