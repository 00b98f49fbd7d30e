"""Public subscriptions, under /subscribe/."""

from __future__ import annotations

from django.urls import path

from hazeguard_platform.subscriptions import views

app_name = "subscriptions"

urlpatterns = [
    path("", views.subscribe, name="subscribe"),
    path("sent/", views.sent, name="sent"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("end/<str:token>/", views.end, name="end"),
]
