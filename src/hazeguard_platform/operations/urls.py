from __future__ import annotations

from django.urls import path

from hazeguard_platform.operations import summary_views, views

app_name = "operations"
urlpatterns = [
    path("", views.my_reports, name="my_reports"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/photos/<int:photo_id>/", views.report_photo, name="photo"),
    path("summaries/", summary_views.summary_list, name="summaries"),
    path("summaries/<int:pk>/", summary_views.summary_detail, name="summary"),
    path(
        "summaries/<int:pk>/accept/",
        summary_views.summary_review,
        {"verdict": "accept"},
        name="summary_accept",
    ),
    path(
        "summaries/<int:pk>/return/",
        summary_views.summary_review,
        {"verdict": "return"},
        name="summary_return",
    ),
    path(
        "summaries/<int:pk>/attachment/<int:revision>/",
        summary_views.summary_attachment,
        name="summary_attachment",
    ),
    path(
        "responses/<int:pk>/summaries/",
        summary_views.response_summaries,
        name="response_summaries",
    ),
    path("<slug:code>/matrix/", views.matrix, name="matrix"),
]
