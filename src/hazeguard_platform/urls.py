"""The root URL configuration: each app's ``urls.py`` is included here."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, include, path

from hazeguard_platform.accounts.views import SignInView
from hazeguard_platform.api.api import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
    path("accounts/login/", SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("hazeguard_platform.accounts.urls")),
    # platform-web: REST API, staff pages, language switch, public pages and CAP feed (last).
    path("api/", api.urls),
    path("staff/", include("hazeguard_platform.web.urls")),
    path("staff/", include("hazeguard_platform.forecasts.urls")),
    path("staff/", include("hazeguard_platform.response.urls")),
    path("staff/", include("hazeguard_platform.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("subscribe/", include("hazeguard_platform.subscriptions.urls")),
    path("", include("hazeguard_platform.public.urls")),
    path("notices/", include("hazeguard_platform.notices.urls")),
    path("enterprises/", include("hazeguard_platform.enterprises.urls")),
    path("supervision/", include("hazeguard_platform.supervision.urls")),
    path("operations/", include("hazeguard_platform.operations.urls")),
    path("summaries/", include("hazeguard_platform.summaries.urls")),
    path("evaluation/", include("hazeguard_platform.evaluation.urls")),
    path("meters/", include("hazeguard_platform.meters.urls")),
    path("monitoring/", include("hazeguard_platform.monitoring.urls")),
]
