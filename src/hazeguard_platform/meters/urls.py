"""Meter readings, under /meters/."""

from __future__ import annotations

from django.urls import path

from hazeguard_platform.meters import views

app_name = "meters"

urlpatterns = [
    path("<slug:code>/", views.upload_page, name="upload"),
]
