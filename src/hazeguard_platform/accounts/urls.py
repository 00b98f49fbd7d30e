from __future__ import annotations

from django.urls import path

from hazeguard_platform.accounts import views

app_name = "accounts"

urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("two-factor/", views.two_factor_setup, name="two_factor"),
    path("sign-out-everywhere/", views.sign_out_all, name="sign_out_everywhere"),
    path("password/", views.PasswordChange.as_view(), name="password_change"),
]
