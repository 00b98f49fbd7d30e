"""The platform is configured soundly: system checks, migrations, settings from the environment."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command

from paths import ROOT


def test_it_passes_the_django_system_checks() -> None:
    out = StringIO()
    call_command("check", stdout=out)
    assert "no issues" in out.getvalue()


def test_it_passes_the_deployment_checks_with_production_settings() -> None:
    env = {**os.environ, "HAZEGUARD_SECRET_KEY": "k3y-" + "abcdefghij" * 6, "HAZEGUARD_DEBUG": "0"}
    env["DJANGO_SETTINGS_MODULE"] = "hazeguard_platform.settings"
    env["HAZEGUARD_DATA_DIR"] = str(ROOT / "var" / "check")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "hazeguard_platform",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    # HSTS and the HTTPS redirect belong to the reverse proxy in front of the platform.
    allowed = {"security.W004", "security.W008"}
    problems = [
        line
        for line in result.stderr.splitlines()
        if "security.W" in line and not any(code in line for code in allowed)
    ]
    assert not problems, result.stderr


@pytest.mark.django_db
def test_it_has_a_migration_for_every_model_change() -> None:
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())


def test_it_refuses_to_start_without_a_secret_key_in_production() -> None:
    env = {k: v for k, v in os.environ.items() if k != "HAZEGUARD_SECRET_KEY"}
    env.update(HAZEGUARD_DEBUG="0", DJANGO_SETTINGS_MODULE="hazeguard_platform.settings")
    result = subprocess.run(
        [sys.executable, "-m", "hazeguard_platform", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "HAZEGUARD_SECRET_KEY is required" in result.stderr


def test_it_refuses_a_boolean_setting_it_cannot_read() -> None:
    env = {**os.environ, "HAZEGUARD_DEBUG": "maybe"}
    env["DJANGO_SETTINGS_MODULE"] = "hazeguard_platform.settings"
    result = subprocess.run(
        [sys.executable, "-m", "hazeguard_platform", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "HAZEGUARD_DEBUG='maybe' is not a boolean" in result.stderr


def test_it_uses_china_time_and_chinese_first() -> None:
    from django.conf import settings

    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert "en" in dict(settings.LANGUAGES)


def test_it_sends_a_content_security_policy(client: object) -> None:
    from django.test import Client

    assert isinstance(client, Client)
    response = client.get("/admin/login/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Request-ID"]
