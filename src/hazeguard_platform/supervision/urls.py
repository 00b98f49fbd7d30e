"""Inspections and grade downgrades, under /supervision/."""

from __future__ import annotations

from django.urls import path

from hazeguard_platform.supervision import views

app_name = "supervision"

urlpatterns = [
    path("enterprise/<int:enterprise_id>/inspect/", views.inspection_new, name="inspect"),
    path("downgrades/<slug:code>/", views.downgrades, name="downgrades"),
    path("downgrade/<int:downgrade_id>/confirm/", views.downgrade_confirm, name="confirm"),
    path("photo/<int:photo_id>/", views.photo, name="photo"),
]
