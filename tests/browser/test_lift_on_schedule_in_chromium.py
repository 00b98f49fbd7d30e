"""In Chromium: Kashgar's office issues a red with its announced end and, at that end, the office
director lifts it alone ("预警按期解除，不再另行报批，由指挥部办公室直接发布解除指令", 001 §3.7.2);
Liaocheng's advisory notice (提示信息, 003 §3.1) on its public page, at phone and desktop widths,
in Chinese and English. Screenshots: test-artifacts/browser/lift-on-schedule-*, advisory-*."""

from __future__ import annotations

from datetime import time, timedelta

import time_machine
from django.utils import timezone
from playwright.sync_api import Browser

from hazeguard_platform.response.services import warning_issue, warning_propose
from hazeguard_platform.warnings.models import State, Step, Warning
from hazeguard_platform.warnings.services import warning_start

from .setups import (
    DESKTOP,
    PHONE,
    Person,
    Shot,
    SignIn,
    by_chain,
    china_time,
    command,
    fits,
    opened,
)


def test_the_office_issues_with_an_end_and_the_director_lifts_on_schedule_alone(
    person: Person, sign_in: SignIn, shot: Shot, live_server: object
) -> None:
    base = str(live_server)
    with time_machine.travel(china_time(2, time(8, 0)), tick=True) as clock:
        kashgar, people = command(person, "kashgar-2023")
        red = warning_propose(
            actor=people["clerk"], jurisdiction=kashgar, level="red", reason="预测重污染"
        )
        by_chain(red, people)
        clerk = sign_in(base, "kashgar-clerk")
        clerk.goto(f"{base}/staff/warning/{red.pk}/")
        start = timezone.localtime() + timedelta(hours=25)
        end = start + timedelta(hours=72)
        form = clerk.locator("form[data-action=issue]")
        form.locator("[name=starts_at]").fill(f"{start:%Y-%m-%d %H:%M}")
        form.locator("[name=ends_at]").fill(f"{end:%Y-%m-%d %H:%M}")
        form.locator("button[type=submit]").click()
        clerk.wait_for_selector("#ends-at")
        assert "预计结束时间" in clerk.content()
        shot(clerk, "lift-on-schedule-issued")
        assert Warning.objects.get(pk=red.pk).ends_at is not None

        clock.shift(timedelta(hours=25, minutes=1))
        assert warning_start(warning_id=red.pk) is not None
        clock.shift(timedelta(hours=72))
        director = sign_in(base, "kashgar-director")
        director.goto(f"{base}/staff/warning/{red.pk}/")
        shot(director, "lift-on-schedule-due")
        director.check("form[data-action=lift] input[name=confirm]")
        director.locator("form[data-action=lift] button[type=submit]").click()
        director.wait_for_selector('[data-state="ended"]')
        shot(director, "lift-on-schedule-lifted")
    lifted = Warning.objects.get(pk=red.pk)
    assert (lifted.state, lifted.ended_by) == (State.ENDED, people["director"])
    steps = Step.objects.filter(warning=red, action="lift")
    assert list(steps.values_list("role", "clause")) == [("office_director", "001 §3.7.2")]


def test_the_advisory_notice_reads_as_one_on_a_phone_and_a_desktop(
    browser: Browser, person: Person, shot: Shot, live_server: object
) -> None:
    base = str(live_server)
    with time_machine.travel(china_time(2, time(8, 0)), tick=True):
        liaocheng, people = command(person, "liaocheng-2020")
        advisory = warning_propose(
            actor=people["clerk"], jurisdiction=liaocheng, level="advisory", reason="预测"
        )
        by_chain(advisory, people)
        warning_issue(
            actor=people["clerk"],
            warning_id=advisory.pk,
            starts_at=timezone.now(),
            short_lead_reason="预测变化",
        )
        for language, words in (("zh-hans", "提示信息"), ("en", "Advisory notice")):
            for name, size in (("phone", PHONE), ("desktop", DESKTOP)):
                page = opened(browser, base, size, language)
                page.goto(f"{base}/j/liaocheng/")
                badge = page.locator('article .badge[data-level="advisory"]')
                assert badge.inner_text().strip() == words
                assert page.locator("[data-advisory]").is_visible()
                fits(page, f"the advisory notice ({name}, {language})")
                shot(page, f"advisory-{name}-{language}")
                page.context.close()
