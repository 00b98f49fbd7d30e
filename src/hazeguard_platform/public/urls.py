"""Public pages, the CAP feed and the language switch."""

from __future__ import annotations

from django.urls import path

from hazeguard_platform.public import views

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
    path("levels.css", views.level_styles, name="level_styles"),
    path("history/", views.history, name="history"),
    path("history/export.csv", views.history_csv, name="history_csv"),
    path("j/<slug:code>/", views.jurisdiction, name="jurisdiction"),
    path("j/<slug:code>/list/", views.emission_list_page, name="emission_list"),
    path("j/<slug:code>/list.csv", views.emission_list_csv, name="emission_list_csv"),
    path("cap/feed.atom", views.cap_feed, name="cap_feed"),
    path("cap/<str:identifier>.xml", views.cap_message_view, name="cap_message"),
]
