"""The emission list (office) and the enterprise portal, under /enterprises/."""

from __future__ import annotations

from django.urls import path

from hazeguard_platform.enterprises import list_views, views

app_name = "enterprises"

urlpatterns = [
    path("", views.portal_home, name="portal"),
    path("list/<slug:code>/", list_views.list_page, name="list"),
    path("list/<slug:code>/template.xlsx", list_views.list_template, name="list_template"),
    path(
        "list/<slug:code>/imports/<int:import_id>/",
        list_views.list_import_page,
        name="list_import",
    ),
    path("<int:enterprise_id>/", views.enterprise_page, name="enterprise"),
    path("<int:enterprise_id>/site-sign.docx", views.site_sign, name="site_sign"),
    path("<int:enterprise_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<int:enterprise_id>/production/", views.production_report, name="production"),
]
