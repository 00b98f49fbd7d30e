from __future__ import annotations

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "hazeguard_platform.audit"
    verbose_name = "Audit log"
