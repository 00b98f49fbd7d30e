"""The episode summary, under /summaries/."""

from __future__ import annotations

from django.urls import path

from hazeguard_platform.summaries import views

app_name = "summaries"

urlpatterns = [
    path("<slug:code>/", views.episode_list, name="episodes"),
    path("<slug:code>/inventory/", views.inventory_page, name="inventory"),
    path("episode/<int:episode_id>/", views.summary_page, name="episode"),
    path("episode/<int:episode_id>/summary.docx", views.summary_download, name="docx"),
    path("episode/<int:episode_id>/aqi.png", views.summary_chart, name="chart"),
    path("episode/<int:episode_id>/summary.json", views.summary_json, name="json"),
    path(
        "episode/<int:episode_id>/electricity-check/",
        views.electricity_check,
        name="electricity_check",
    ),
]
