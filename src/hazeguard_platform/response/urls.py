"""The proposal page and the warning pages under /staff/."""

from __future__ import annotations

from django.urls import path

from hazeguard_platform.response import views

app_name = "response"

urlpatterns = [
    path("j/<slug:code>/propose/", views.warning_propose_view, name="propose"),
    path("warning/<int:pk>/", views.warning_detail, name="warning"),
    path("warning/<int:pk>/<str:action>/", views.warning_action, name="warning_action"),
]
