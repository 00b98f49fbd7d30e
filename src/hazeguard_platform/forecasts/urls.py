"""The forecast and consultation pages under /staff/."""

from __future__ import annotations

from django.urls import path

from hazeguard_platform.forecasts import views, weather_views

app_name = "forecasts"

urlpatterns = [
    path("j/<slug:code>/forecast/upload/", views.forecast_upload_view, name="upload"),
    path("j/<slug:code>/forecast/new/", views.forecast_entry, name="entry"),
    path("j/<slug:code>/forecast/verification/", views.verification_page, name="verification"),
    path(
        "j/<slug:code>/forecast/weather/",
        weather_views.weather_forecasts_page,
        name="weather_forecasts",
    ),
    path("j/<slug:code>/consultation/new/", views.consultation_new, name="consultation_new"),
    path("forecast/<int:pk>/", views.forecast_detail, name="forecast"),
    path("consultation/<int:pk>/", views.consultation_detail, name="consultation"),
    path(
        "consultation/<int:pk>/document.docx",
        views.consultation_docx,
        name="consultation_document",
    ),
]
