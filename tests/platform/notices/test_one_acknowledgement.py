"""One acknowledgement is one fact (issue 12 §2): a warning acknowledged in the inbox, in the
enterprise portal or on the county's page shows the same on the outbox, the emission list, the
county table of the warning and the dashboard, the episode summary and the episode evaluation.

Liaocheng's yellow goes to every county (3 h to respond, 003 §4.2) and to the two listed firms'
contacts. The chemicals plant acknowledges in the portal, the cement plant in its inbox; Linqing's
officer answers on the county page, Guanxian's in the inbox.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.test import Client
from enterprises.list_helpers import listed_firms
from flows import regional_yellow

from conftest import MakePerson, Staff
from hazeguard_platform.accounts.models import Role
from hazeguard_platform.evaluation.selectors import episode_evaluation_for
from hazeguard_platform.notices.models import Event, Notice, Recipient
from hazeguard_platform.summaries.selectors import episode_summary_for
from hazeguard_platform.warnings.models import Episode, Warning
from hazeguard_platform.warnings.services import warning_start

pytestmark = pytest.mark.django_db


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def _inbox_acknowledge(user: object, notice: Notice) -> None:
    recipient = Recipient.objects.get(notice=notice, user=user)
    answer = _client(user).post(f"/notices/inbox/{recipient.pk}/acknowledge/")
    assert answer.status_code == 302


def test_an_acknowledgement_anywhere_shows_the_same_everywhere(
    liaocheng: Staff, clock: time_machine.Coordinates, make_person: MakePerson, tmp_path: Path
) -> None:
    firms = listed_firms(liaocheng.office_clerk, liaocheng.jurisdiction, tmp_path)
    linqing = liaocheng.jurisdiction.children.get(code="linqing")
    guanxian = liaocheng.jurisdiction.children.get(code="guanxian")
    linqing_officer = make_person("linqing-officer", Role.COUNTY_OFFICER, linqing)
    guanxian_officer = make_person("guanxian-officer", Role.COUNTY_OFFICER, guanxian)
    warning = regional_yellow(liaocheng)
    notice = Notice.objects.get(event=Event.ISSUE, object_id=str(warning.pk))
    people = [
        firms.chemicals_contact,
        firms.cement_contact,
        linqing_officer,
        guanxian_officer,
    ]
    assert Recipient.objects.filter(notice=notice, user__in=people).count() == 4
    clock.shift(timedelta(hours=1))

    chemicals = _client(firms.chemicals_contact)
    assert (
        chemicals.post(f"/enterprises/{firms.chemicals.pk}/acknowledge/").status_code == 302
    )  # the portal
    _inbox_acknowledge(firms.cement_contact, notice)  # the inbox
    county = Warning.objects.get(regional_source=warning, jurisdiction=linqing)
    answer = _client(linqing_officer).post(f"/staff/warning/{county.pk}/acknowledge/")
    assert answer.status_code == 302  # the county's page
    _inbox_acknowledge(guanxian_officer, notice)

    # Every person's copy of the notice: the outbox, and each inbox.
    office = _client(liaocheng.office_clerk)
    outbox = office.get("/notices/").content.decode()
    shown = re.search(rf'href="/notices/{notice.pk}/".*?data-acknowledged="(\d+)"', outbox, re.S)
    assert shown is not None
    acknowledged = Recipient.objects.filter(notice=notice, acknowledged_at__isnull=False)
    assert int(shown.group(1)) == acknowledged.count() == 4
    assert set(acknowledged.values_list("user", flat=True)) == {p.pk for p in people}
    # Each enterprise: the emission list page (是, 2 / 2).
    listing = office.get(f"/enterprises/list/{liaocheng.jurisdiction.code}/")
    assert listing.context["acknowledged_count"] == 2
    assert listing.context["acknowledged"] == {firms.chemicals.pk, firms.cement.pk}
    # Each county: the warning's county table and the dashboard's deadlines.
    page = office.get(f"/staff/warning/{warning.pk}/")
    answered = {c.jurisdiction.code for c in page.context["children"] if c.responded_at}
    assert answered == {"linqing", "guanxian"}
    dashboard = office.get(f"/staff/j/{liaocheng.jurisdiction.code}/")
    answered = {
        w.jurisdiction.code for w in dashboard.context["county_deadlines"] if w.responded_at
    }
    assert answered == {"linqing", "guanxian"}

    # The episode summary and the evaluation read the same rows the same way.
    clock.shift(timedelta(hours=23))
    assert warning_start(warning_id=warning.pk) is not None
    episode = Episode.objects.get(jurisdiction=liaocheng.jurisdiction)
    summary = episode_summary_for(episode)
    evaluation = episode_evaluation_for(episode)
    done_in_summary = [row.unit_zh for row in summary.notices if row.done]
    done_in_evaluation = [row.recipient for row in evaluation.acknowledgements if row.done_at]
    assert done_in_summary == done_in_evaluation
    assert len(done_in_evaluation) == 4 + 2  # four people, two counties
    assert evaluation.compliance.enterprises_acknowledged == 2
