from __future__ import annotations

from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "hazeguard_platform.notices"
    verbose_name = "Notices"

    def ready(self) -> None:
        from django_tasks.signals import task_finished

        from hazeguard_platform.notices.task_rows import task_row_finished

        task_finished.connect(task_row_finished, dispatch_uid="task-row-finished")
