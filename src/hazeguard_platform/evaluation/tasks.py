"""Background tasks of the evaluation: thin, by id (STYLE.md §10)."""

from __future__ import annotations

from django_tasks import task

from hazeguard_platform.context import request_id_scope
from hazeguard_platform.evaluation.models import EffectEstimate
from hazeguard_platform.notices.task_rows import job_row, track


@task()
def effect_estimate_task(estimate_id: int) -> str:
    """Run a queued effect estimate; returns its state ("" when another worker had it)."""
    from hazeguard_platform.evaluation.effect import effect_run

    with request_id_scope(f"task-effect-{estimate_id}"):
        estimate = effect_run(estimate_id=estimate_id)
        return estimate.state if estimate is not None else ""


track(effect_estimate_task, job_row(EffectEstimate, reason_column="error"))
