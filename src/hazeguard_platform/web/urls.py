"""The staff home and the jurisdictions' dashboards under /staff/ (each app's own staff pages are
included beside these in the root URL configuration)."""

from __future__ import annotations

from django.urls import path

from hazeguard_platform.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("j/<slug:code>/", views.dashboard, name="dashboard"),
]
