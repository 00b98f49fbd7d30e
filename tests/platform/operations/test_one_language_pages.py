"""The daily report and summary pages in one language at a time (issue 12 §4): the demo holds no
report or summary, so the walker of every staff page cannot reach them; here each is seen in
its states (to fill in, submitted; owed, returned, accepted) in Chinese and in English."""

from __future__ import annotations

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from page_text import read
from tests.platform.web.test_one_language import _mixed, _stored_text

from conftest import MakePerson, Staff
from hazeguard_platform.operations.models import SummaryReport
from hazeguard_platform.operations.services import report_submit
from hazeguard_platform.operations.summary_services import (
    summary_report_accept,
    summary_report_return,
    summary_report_submit,
)

from .conftest import xigang_orange
from .summary_flows import county_officer, liaocheng_lifted_before_national_day
from .test_daily_reports import _all_done, _report_of
from .test_summary_reports import CONTENT

pytestmark = pytest.mark.django_db
LANGUAGES = ("zh", "en")


def _words_of_the_other_language(
    pages: list[tuple[User, str]], language: str
) -> dict[str, list[str]]:
    """Each page's words in the other language that no stored text holds."""
    stored = _stored_text()
    found: dict[str, list[str]] = {}
    for user, path in pages:
        client = Client()
        client.cookies["django_language"] = "en" if language == "en" else "zh-hans"
        client.force_login(user)
        answer = client.get(path)
        assert answer.status_code == 200, (path, user.username)
        words = _mixed(read(answer.content.decode()).text, language, stored)
        if words:
            found[f"{path} as {user.username}"] = sorted(set(words))
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_daily_report_to_fill_in_and_submitted_speaks_one_language(
    language: str,
    clock: time_machine.Coordinates,
    xigang: Staff,
    housing_officer: User,
    environment_officer: User,
) -> None:
    xigang_orange(xigang, clock)
    due, submitted = _report_of(housing_officer), _report_of(environment_officer)
    items = _all_done(submitted)
    report_submit(actor=environment_officer, report_id=submitted.pk, items=items, notes="")
    pages = [
        (housing_officer, f"/operations/reports/{due.pk}/"),
        (housing_officer, "/operations/"),
        (environment_officer, f"/operations/reports/{submitted.pk}/"),
        (xigang.office_clerk, f"/operations/reports/{submitted.pk}/"),
        (xigang.office_clerk, f"/operations/{xigang.jurisdiction.code}/matrix/"),
    ]

    assert _words_of_the_other_language(pages, language) == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_summary_pages_owed_returned_and_accepted_speak_one_language(
    language: str, liaocheng: Staff, make_person: MakePerson, clock: time_machine.Coordinates
) -> None:
    officers = {
        code: county_officer(make_person, liaocheng, code) for code in ("dongchangfu", "linqing")
    }
    response = liaocheng_lifted_before_national_day(liaocheng, clock)
    accepted = SummaryReport.objects.get(county__code="dongchangfu")
    returned = SummaryReport.objects.get(county__code="linqing")
    for summary, officer in ((accepted, officers["dongchangfu"]), (returned, officers["linqing"])):
        summary_report_submit(actor=officer, summary_id=summary.pk, **CONTENT)
    summary_report_accept(actor=liaocheng.office_clerk, summary_id=accepted.pk)
    summary_report_return(actor=liaocheng.office_clerk, summary_id=returned.pk, reason="缺少数据")
    owed = SummaryReport.objects.exclude(pk__in=(accepted.pk, returned.pk)).first()
    assert owed is not None
    office = liaocheng.office_clerk
    pages = [
        (office, f"/operations/responses/{response.pk}/summaries/"),
        (office, f"/operations/summaries/{owed.pk}/"),
        (office, f"/operations/summaries/{accepted.pk}/"),
        (officers["linqing"], f"/operations/summaries/{returned.pk}/"),
        (officers["linqing"], "/operations/summaries/"),
    ]

    assert _words_of_the_other_language(pages, language) == {}
