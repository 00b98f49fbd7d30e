"""Staff pages under /staff/."""

from __future__ import annotations

from django.urls import path

from hazeguard_platform.forecasts import weather_views
from hazeguard_platform.web import forecast_views, proposal_views, views, warning_views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("tokens/", views.api_tokens, name="api_tokens"),
    path("j/<slug:code>/", views.dashboard, name="dashboard"),
    path("j/<slug:code>/forecast/upload/", views.forecast_upload_view, name="forecast_upload"),
    path("j/<slug:code>/forecast/new/", views.forecast_entry, name="forecast_entry"),
    path("j/<slug:code>/consultation/new/", views.consultation_new, name="consultation_new"),
    path("j/<slug:code>/propose/", proposal_views.warning_propose_view, name="propose"),
    path(
        "j/<slug:code>/forecast/verification/",
        forecast_views.verification_page,
        name="verification",
    ),
    path(
        "j/<slug:code>/forecast/weather/",
        weather_views.weather_forecasts_page,
        name="weather_forecasts",
    ),
    path("forecast/<int:pk>/", views.forecast_detail, name="forecast"),
    path("consultation/<int:pk>/", views.consultation_detail, name="consultation"),
    path(
        "consultation/<int:pk>/document.docx",
        forecast_views.consultation_docx,
        name="consultation_document",
    ),
    path("warning/<int:pk>/", warning_views.warning_detail, name="warning"),
    path(
        "warning/<int:pk>/<str:action>/",
        warning_views.warning_action,
        name="warning_action",
    ),
]
