"""A notice is read in the reader's language (issue 12 §4): each warning notice (a step waiting,
issued, adjusted, lifted) and the office's overdue report, on the inbox, the home's queue, the
office's list and the notice's page, in English with no Chinese but proper names, in Chinese
with the Chinese text. A notice stored before notices had English shows its Chinese text."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from flows import adjusted, in_force, lifted, signed_in
from page_text import assert_notice_speaks_one_language

from conftest import T0, MakePerson, Staff
from hazeguard_platform.accounts.models import Role
from hazeguard_platform.notices.models import Event, Notice
from hazeguard_platform.notices.services import notice_create, notices_escalate

pytestmark = pytest.mark.django_db


@pytest.fixture
def officers(liaocheng: Staff, make_person: MakePerson) -> list[User]:
    """One county officer in each of Liaocheng's first two counties."""
    counties = liaocheng.jurisdiction.children.order_by("code")[:2]
    return [make_person(f"{c.code}-officer", Role.COUNTY_OFFICER, c) for c in counties]


def test_every_warning_notice_and_the_overdue_report_speak_the_readers_language(
    liaocheng: Staff, clock: time_machine.Coordinates, officers: list[User]
) -> None:
    warning = in_force(liaocheng, clock)  # issued at T0; the officers do not acknowledge
    notices_escalate(now=T0 + timedelta(hours=3))
    lifted(liaocheng, adjusted(liaocheng, warning, "orange"))
    kinds = set(Notice.objects.values_list("event", flat=True))
    assert kinds == {Event.STEP, Event.ISSUE, Event.OVERDUE, Event.ADJUST, Event.LIFT}
    for notice in Notice.objects.order_by("pk"):
        assert_notice_speaks_one_language(notice, liaocheng.office_clerk)


def test_the_levels_and_responses_are_the_vocabularys_in_each_language(
    liaocheng: Staff, clock: time_machine.Coordinates, officers: list[User]
) -> None:
    in_force(liaocheng, clock)
    issued = Notice.objects.get(event=Event.ISSUE)
    assert issued.title == "聊城市 预警发布 · 红色预警"
    assert issued.title_en == "Liaocheng: warning issued · red warning"
    assert issued.body.startswith("红色预警 · Ⅰ级应急响应 · ")
    assert issued.body_en.startswith("red warning · level I response · in force from ")


def test_a_notice_stored_without_english_shows_its_chinese_text_in_english(
    liaocheng: Staff, officers: list[User]
) -> None:
    notice = notice_create(
        event=Event.REMINDER,
        recipients=officers[:1],
        actor=None,
        jurisdiction=liaocheng.jurisdiction,
        title="旧通知",
        body="迁移前的通知只有中文。",
    )
    Notice.objects.filter(pk=notice.pk).update(title_en="", body_en="")
    page = signed_in(officers[0], "en").get("/notices/inbox/").content.decode()
    assert "旧通知" in page
    assert "迁移前的通知只有中文。" in page
