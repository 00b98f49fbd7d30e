from __future__ import annotations

from django.urls import path

from hazeguard_platform.operations import views

app_name = "operations"
urlpatterns = [
    path("", views.my_reports, name="my_reports"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/photos/<int:photo_id>/", views.report_photo, name="photo"),
    path("<slug:code>/matrix/", views.matrix, name="matrix"),
]
