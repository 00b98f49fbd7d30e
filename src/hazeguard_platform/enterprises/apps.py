from __future__ import annotations

from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "hazeguard_platform.enterprises"
    label = "enterprises"
    verbose_name = "Enterprises (emission-reduction list)"

    def ready(self) -> None:
        from django_tasks.signals import task_finished

        from hazeguard_platform.enterprises.tasks import list_import_task_finished

        task_finished.connect(list_import_task_finished, dispatch_uid="list-import-task-finished")
