"""Liaocheng's advisory notice (提示信息) is public information: "应及时通过新闻媒体或政府网络平台
向公众发布提示信息，引导公众采取健康防护措施" (003 §3.1). The public pages show it, named as an
advisory notice and never as a warning level; CAP, which carries warning levels, never does."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client

from conftest import T0, Staff, through_chain
from hazeguard_platform.response.services import warning_issue, warning_propose
from hazeguard_platform.warnings.models import State, Warning
from hazeguard_platform.warnings.services import warning_start

pytestmark = pytest.mark.django_db


@pytest.fixture
def advisory(liaocheng: Staff, clock: time_machine.Coordinates) -> Warning:
    """Liaocheng's advisory notice, approved by the office director (003 §6.1), in force."""
    proposed = warning_propose(
        actor=liaocheng.office_clerk,
        jurisdiction=liaocheng.jurisdiction,
        level="advisory",
        reason="预测AQI日均值>200持续1天",
    )
    through_chain(liaocheng, proposed.pk)
    warning_issue(
        actor=liaocheng.office_clerk, warning_id=proposed.pk, starts_at=T0 + timedelta(days=1)
    )
    clock.shift(timedelta(days=1))
    started = warning_start(warning_id=proposed.pk)
    assert started is not None
    assert started.state == State.IN_FORCE
    return started


def test_the_jurisdiction_page_shows_the_advisory_notice_as_one(
    client: Client, advisory: Warning
) -> None:
    page = client.get("/j/liaocheng/").content.decode()
    assert 'data-level="advisory"' in page
    assert "提示信息" in page
    assert "data-advisory" in page  # what it is: health protection, no emergency measures
    assert "不启动应急响应措施" in page
    assert "预警" not in page.split('data-level="advisory">')[1].split("</span>")[0]
    assert f'data-warning="{advisory.pk}"' in page  # in the jurisdiction's history too
    assert "预测AQI日均值" not in page  # never the office's reason


def test_the_home_page_and_the_history_list_it_and_filter_by_it(
    client: Client, advisory: Warning
) -> None:
    assert 'data-level="advisory"' in client.get("/").content.decode()
    history = client.get("/history/?level=advisory").content.decode()
    assert f'data-warning="{advisory.pk}"' in history
    assert "提示信息" in history
    assert f'data-warning="{advisory.pk}"' not in client.get("/history/?level=red").content.decode()
    response = client.get("/history/export.csv?level=advisory")
    exported = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    assert "提示信息" in exported


def test_in_english_it_is_an_advisory_notice_not_a_warning(
    client: Client, advisory: Warning
) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/j/liaocheng/").content.decode()
    assert "Advisory notice" in page
    assert "Advisory warning" not in page
    assert "no emergency measures are in force" in page
    assert "提示信息" not in page


def test_cap_never_carries_the_advisory_notice(client: Client, advisory: Warning) -> None:
    feed = client.get("/cap/feed.atom").content.decode()
    assert f"w{advisory.pk}-" not in feed
    assert "提示信息" not in feed
    message = client.get(f"/cap/hazeguard-liaocheng-w{advisory.pk}-issue.xml")
    assert message.status_code == 404
