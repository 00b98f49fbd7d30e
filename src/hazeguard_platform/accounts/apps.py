from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "hazeguard_platform.accounts"
    verbose_name = "People and roles"

    def ready(self) -> None:
        from hazeguard_platform.accounts import signals  # noqa: F401  (connects the receivers)
