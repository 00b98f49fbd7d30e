from __future__ import annotations

from django.apps import AppConfig


class SubscriptionsConfig(AppConfig):
    name = "hazeguard_platform.subscriptions"
    label = "subscriptions"
    verbose_name = "Public subscriptions"
