"""The API-token page under /staff/ (the REST API itself is mounted from ``api.api``)."""

from __future__ import annotations

from django.urls import path

from hazeguard_platform.api import views

# Not "api": the REST API's own URL names live under django-ninja's namespace.
app_name = "api_pages"

urlpatterns = [
    path("tokens/", views.api_tokens, name="tokens"),
]
