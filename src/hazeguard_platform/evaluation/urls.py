"""The evaluation pages, under /evaluation/."""

from __future__ import annotations

from django.urls import path

from hazeguard_platform.evaluation import views

app_name = "evaluation"

urlpatterns = [
    path("episode/<int:episode_id>/", views.episode_page, name="episode"),
    path("episode/<int:episode_id>/evaluation.json", views.episode_json, name="episode_json"),
    path("episode/<int:episode_id>/evaluation.docx", views.episode_download, name="episode_docx"),
    path("<slug:code>/<str:year>/", views.year_page, name="year"),
    path("<slug:code>/<str:year>/evaluation.docx", views.year_download, name="year_docx"),
]
