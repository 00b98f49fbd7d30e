"""Background tasks of forecasts and observations: thin, by id (STYLE.md §10)."""

from __future__ import annotations

from django_tasks import task

from hazeguard_platform.context import request_id_scope


@task()
def observations_index_task(upload_id: int) -> int:
    """Index an upload of observed station hours with the core's AQI."""
    from hazeguard_platform.forecasts.observations import observations_index

    with request_id_scope(f"task-index-{upload_id}"):
        return observations_index(upload_id=upload_id)
