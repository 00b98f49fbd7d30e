"""What the plans provide besides the chain: lead time as written, episode merging as the core
does it, Liaocheng's advisory notice, and drills (演练) that never reach the public (issue 10)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from conftest import T0, MakePerson, Staff, lift_through_chain, through_chain
from hazeguard_platform.accounts.models import Role
from hazeguard_platform.errors import InvalidInputError
from hazeguard_platform.notices.models import Event, Notice, WebhookEndpoint
from hazeguard_platform.notices.routing import DRILL_MARK
from hazeguard_platform.operations.models import Response
from hazeguard_platform.response.services import warning_adjust, warning_issue, warning_propose
from hazeguard_platform.warnings.models import Lead, State, Warning
from hazeguard_platform.warnings.selectors import public_warnings
from hazeguard_platform.warnings.services import warning_start

pytestmark = pytest.mark.django_db


def _approved(staff: Staff, level: str, **options: object) -> Warning:
    warning = warning_propose(
        actor=staff.office_clerk,
        jurisdiction=staff.jurisdiction,
        level=level,
        reason="预测重污染",
        **options,  # type: ignore[arg-type]
    )
    return through_chain(staff, warning.pk)


def _in_force(
    staff: Staff, clock: time_machine.Coordinates, level: str, **options: object
) -> Warning:
    warning = _approved(staff, level, **options)
    warning_issue(actor=staff.office_clerk, warning_id=warning.pk, starts_at=T0 + timedelta(days=1))
    clock.shift(timedelta(days=1))
    started = warning_start(warning_id=warning.pk)
    assert started is not None
    return started


# ------------------------------------------------------------------------------- lead time


def test_an_observation_driven_kashgar_upgrade_starts_at_once_without_a_reason(
    kashgar: Staff, clock: time_machine.Coordinates
) -> None:
    """Kashgar's 12 h minimum does not hold back an upgrade on observed pollution (001 §3.5)."""
    orange = _in_force(kashgar, clock, "orange")
    red = warning_adjust(
        actor=kashgar.office_clerk,
        warning_id=orange.pk,
        level="red",
        reason="实测AQI超过300",
        driver="observed",
    )
    through_chain(kashgar, red.pk)
    issued = warning_issue(actor=kashgar.office_clerk, warning_id=red.pk, starts_at=timezone.now())
    assert (issued.state, issued.lead) == (State.IN_FORCE, Lead.EXEMPT)
    assert issued.short_lead_reason == ""


def test_a_plan_without_a_lead_time_gets_no_default(
    xigang: Staff, clock: time_machine.Coordinates
) -> None:
    """Xigang's plan states no lead time (its file says so): no 12 h default, no reason asked."""
    warning = _approved(xigang, "orange")
    issued = warning_issue(
        actor=xigang.office_clerk, warning_id=warning.pk, starts_at=timezone.now()
    )
    assert (issued.state, issued.lead, issued.short_lead_reason) == (
        State.IN_FORCE,
        Lead.SILENT,
        "",
    )


def test_a_late_liaocheng_release_is_recorded_late_and_starts_as_set(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    warning = _approved(liaocheng, "orange")
    with pytest.raises(InvalidInputError) as error:
        warning_issue(actor=liaocheng.office_clerk, warning_id=warning.pk, starts_at=timezone.now())
    assert "003 §3.3.1" in error.value.message
    issued = warning_issue(
        actor=liaocheng.office_clerk,
        warning_id=warning.pk,
        starts_at=timezone.now(),
        short_lead_reason="污染提前到来",
    )
    assert (issued.state, issued.lead, issued.lead_clause) == (
        State.IN_FORCE,
        Lead.LATE,
        "003 §3.3.1",
    )


# ------------------------------------------------------------------------------- merging


def test_a_plan_without_a_merge_rule_never_merges_episodes_as_the_core_says(
    xigang: Staff, clock: time_machine.Coordinates
) -> None:
    from hazeguard_platform.warnings.chains import workflow

    first = _in_force(xigang, clock, "orange")
    assert workflow(first.plan_version).merging.gap is None
    lift_through_chain(xigang, first.pk)
    clock.shift(timedelta(hours=1))
    second = _approved(xigang, "yellow")
    started = warning_issue(
        actor=xigang.office_clerk, warning_id=second.pk, starts_at=timezone.now()
    )
    first.refresh_from_db()
    assert started.episode_id != first.episode_id


# ------------------------------------------------------------------------------- advisory


def test_liaocheng_issues_its_advisory_notice_approved_by_the_office_director(
    liaocheng: Staff, clock: time_machine.Coordinates, make_person: MakePerson
) -> None:
    """ "发布提示信息" (003 §3.1): the office director approves it; no county warning, no tasks,
    nothing in the CAP feed (a warning level's format)."""
    county = liaocheng.jurisdiction.children.order_by("code").first()
    officer = make_person("county-officer", Role.COUNTY_OFFICER, county)
    advisory = warning_propose(
        actor=liaocheng.office_clerk, jurisdiction=liaocheng.jurisdiction, level="advisory"
    )
    approved = through_chain(liaocheng, advisory.pk)
    assert approved.approved_by == liaocheng.office_director
    issued = warning_issue(
        actor=liaocheng.office_clerk, warning_id=advisory.pk, starts_at=T0 + timedelta(days=1)
    )
    assert (issued.state, issued.level, issued.response) == (State.ISSUED, "advisory", "")
    assert not Warning.objects.filter(regional_source=issued).exists()
    assert not Response.objects.exists()
    told = Notice.objects.get(event=Event.ISSUE, object_id=str(issued.pk))
    assert list(told.recipients.values_list("user", flat=True)) == [officer.pk]
    assert f"w{issued.pk}-" not in Client().get("/cap/feed.atom").content.decode()


def test_the_advisory_notice_is_released_promptly_without_a_lead_time(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    """ "应及时……发布提示信息" (003 §3.1): the 24 h of 003 §3.3.1 are the warnings' lead time; an
    advisory starting an hour after its release needs no reason and is recorded as exempt."""
    advisory = warning_propose(
        actor=liaocheng.office_clerk, jurisdiction=liaocheng.jurisdiction, level="advisory"
    )
    through_chain(liaocheng, advisory.pk)
    issued = warning_issue(
        actor=liaocheng.office_clerk,
        warning_id=advisory.pk,
        starts_at=timezone.now() + timedelta(hours=1),
    )
    assert (issued.lead, issued.lead_clause) == (Lead.EXEMPT, "003 §3.1")


# ------------------------------------------------------------------------------- drill


def test_a_drill_runs_the_whole_workflow_marked_and_never_reaches_the_public(
    kashgar: Staff, clock: time_machine.Coordinates, make_person: MakePerson
) -> None:
    """ "定期组织应急演练" (001 §8.3): an exercise episode, red through its three approvers, in
    force, lifted by its chain; every notice says 演练/DRILL, no public endpoint, page or CAP."""
    WebhookEndpoint.objects.create(
        jurisdiction=kashgar.jurisdiction,
        name="website",
        url="http://127.0.0.1:9/hook",
        secret="s" * 32,
        public=True,
    )
    drill = _in_force(kashgar, clock, "red", drill=True)
    assert drill.drill
    assert drill.episode is not None
    assert drill.episode.drill
    counties = Warning.objects.filter(regional_source=drill)
    assert counties.exists()
    assert all(county.drill for county in counties)
    assert list(public_warnings()) == []
    for path in ("/", f"/j/{kashgar.jurisdiction.code}/", "/history/", "/cap/feed.atom"):
        page = Client().get(path)
        assert page.status_code in (200, 404)
        # The history's level filter names every level; what is shown is outside it.
        shown = re.sub(r"<select.*?</select>", "", page.content.decode(), flags=re.DOTALL)
        assert f"w{drill.pk}-" not in shown
        assert "红色预警" not in shown

    lift_through_chain(kashgar, drill.pk)
    assert Warning.objects.get(pk=drill.pk).state == State.ENDED
    notices = Notice.objects.filter(object_id=str(drill.pk))
    assert notices.exists()
    assert all(n.title.startswith(DRILL_MARK) for n in notices)
    public = WebhookEndpoint.objects.get(name="website")
    assert not public.recipients.exists()

    staff = Client()
    staff.force_login(kashgar.office_clerk)
    assert "drill-banner" in staff.get(f"/staff/warning/{drill.pk}/").content.decode()


def test_a_drill_is_refused_where_the_plan_provides_for_none(
    make_person: MakePerson, db: None
) -> None:
    from conftest import _staff
    from hazeguard_platform.jurisdictions.services import plan_import

    chaoyang = _staff(make_person, plan_import(actor=None, plan_id="chaoyang-2024").jurisdiction)
    with pytest.raises(InvalidInputError) as error:
        warning_propose(
            actor=chaoyang.office_clerk, jurisdiction=chaoyang.jurisdiction, level="red", drill=True
        )
    assert error.value.field == "drill"
