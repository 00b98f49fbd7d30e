"""Notice pages under /notices/."""

from __future__ import annotations

from django.urls import path

from hazeguard_platform.notices import views

app_name = "notices"

urlpatterns = [
    path("", views.notice_list, name="list"),
    path("<int:pk>/", views.notice_detail, name="detail"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/acknowledge/", views.inbox_acknowledge, name="inbox_acknowledge"),
    path("ack/<str:token>/", views.acknowledge, name="acknowledge"),
    path("receipts/sms/", views.sms_receipt, name="sms_receipt"),
]
