"""The enterprise portal's home speaks one language at a time (issue 12 §4)."""

from __future__ import annotations

from django.test import Client
from page_text import chinese_runs, proper_names, read

from conftest import Staff


def _portal(user: object, language: str) -> str:
    client = Client()
    client.cookies["django_language"] = language
    client.force_login(user)  # type: ignore[arg-type]
    page = client.get("/enterprises/")
    assert page.status_code == 200
    return page.content.decode()


def test_the_portal_home_in_chinese_and_in_english(liaocheng: Staff) -> None:
    # Someone who is the contact of no enterprise (one enterprise goes straight to its page).
    chinese = _portal(liaocheng.office_clerk, "zh-hans")
    assert "企业端" in chinese
    assert "您尚未关联企业。" in chinese
    assert "Enterprise portal" not in chinese
    assert "you are not the contact" not in chinese
    english = _portal(liaocheng.office_clerk, "en")
    assert "Enterprise portal" in english
    assert "You are not the contact of any listed enterprise." in english
    assert chinese_runs(read(english).text, proper_names()) == set()
