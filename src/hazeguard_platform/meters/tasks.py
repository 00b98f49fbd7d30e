"""Background tasks of the meters app: thin, by id (STYLE.md §10)."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from hazeguard_platform.context import request_id_scope
from hazeguard_platform.meters.models import ElectricityCheckJob, MeterUpload
from hazeguard_platform.notices.task_rows import TaskRow, job_row, track


@task()
def meter_readings_store_task(upload_id: int) -> int:
    """Store a large upload of meter readings; returns the readings stored (0 if refused)."""
    from hazeguard_platform.meters.services import meter_readings_store

    with request_id_scope(f"task-meters-{upload_id}"):
        record = meter_readings_store(upload_id=upload_id)
        return record.stored if record is not None else 0


@task()
def electricity_check_task(job_id: int) -> int:
    """Run a queued electricity check; returns the id of the check run (0 if none was made)."""
    from hazeguard_platform.meters.check_services import electricity_check_job_run

    with request_id_scope(f"task-electricity-check-{job_id}"):
        job = electricity_check_job_run(job_id=job_id)
        return job.check_run_id or 0 if job is not None else 0


def _upload_refused(reason: str) -> dict[str, Any]:
    failure = {"row": 0, "column": "", "reason": reason}
    return {"outcome": MeterUpload.Outcome.REFUSED, "errors": [failure], "content": b""}


Outcome = MeterUpload.Outcome
track(
    meter_readings_store_task,
    TaskRow(MeterUpload, "outcome", Outcome.QUEUED, Outcome.PROCESSING, _upload_refused),
)
track(electricity_check_task, job_row(ElectricityCheckJob, reason_column="error"))
