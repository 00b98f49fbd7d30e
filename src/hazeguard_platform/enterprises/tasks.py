"""Background tasks of the emission list: thin, by id (STYLE.md §10)."""

from __future__ import annotations

from django_tasks import task

from hazeguard_platform.context import request_id_scope


@task()
def emission_list_import_task(import_id: int) -> str:
    """Import an uploaded list workbook; returns the upload's final state."""
    from hazeguard_platform.enterprises.list_import import emission_list_import_run

    with request_id_scope(f"task-list-import-{import_id}"):
        return emission_list_import_run(import_id=import_id).state
