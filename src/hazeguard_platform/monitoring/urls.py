"""Monitoring pages under /monitoring/."""

from __future__ import annotations

from django.urls import path

from hazeguard_platform.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("public/<slug:code>/", views.public_situation, name="public"),
    path("public/<slug:code>/data.json", views.public_data, name="public_data"),
    path("j/<slug:code>/", views.situation, name="situation"),
    path("j/<slug:code>/data.json", views.data, name="data"),
    path("j/<slug:code>/upload/", views.upload, name="upload"),
    path("j/<slug:code>/weather/", views.weather_upload, name="weather_upload"),
    path("j/<slug:code>/stations/", views.stations_upload, name="stations_upload"),
]
