"""The society-wide inventory page and the summary's messages speak one language at a time
(issue 12 §4): Chinese first, English complete."""

from __future__ import annotations

from typing import Any

from django.test import Client
from page_text import chinese_runs, proper_names, read

from .red_episode import RedEpisode


def _client(red: RedEpisode, language: str) -> Client:
    client = Client()
    client.cookies["django_language"] = language
    client.force_login(red.staff.office_director)
    return client


def _enter(client: Client, red: RedEpisode) -> str:
    url = f"/summaries/{red.staff.jurisdiction.code}/inventory/"
    empty = client.get(url).content.decode()
    entry = {"source_class": "industrial", "so2": "0.5", "source": "聊城市排放清单"}
    entered = client.post(url, entry, follow=True)
    assert entered.status_code == 200
    return empty + entered.content.decode()


def test_the_inventory_page_in_chinese_says_each_thing_once(red: RedEpisode) -> None:
    shown = _enter(_client(red, "zh-hans"), red)
    for chinese in ("未录入", "排放源类别", "已录入。", "工业源", "数据来源"):
        assert chinese in shown
    for english in ("class", "none entered", "Enter", "entered", "industrial", "source"):
        assert english not in " ".join(read(shown).text)


def test_the_inventory_page_in_english_has_no_chinese_but_names(red: RedEpisode) -> None:
    shown = _enter(_client(red, "en"), red)
    for english in ("None entered", "Source class", "Entered.", "industrial", "Data source"):
        assert english in shown
    allowed = proper_names() + "聊城市排放清单"  # what the office typed
    assert chinese_runs(read(shown).text, allowed) == set()


def test_the_queued_check_is_said_in_the_pages_language(
    red: RedEpisode, django_capture_on_commit_callbacks: Any
) -> None:
    url = f"/summaries/episode/{red.episode.pk}/electricity-check/"
    said = {}
    for language in ("zh-hans", "en"):
        with django_capture_on_commit_callbacks(execute=True):
            page = _client(red, language).post(url, follow=True)
        said[language] = page.content.decode()
    assert "用电量核查已排队：刷新本页查看结果。" in said["zh-hans"]
    assert "is queued" not in said["zh-hans"]
    assert "The electricity check is queued: reload this page for its result." in said["en"]
    assert "用电量核查已排队" not in said["en"]
