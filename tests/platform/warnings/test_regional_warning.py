"""A regional warning of Liaocheng flows down to its counties, which must respond within 3 hours
(seed 003 §4.2: "各县（市、区）人民政府及市属开发区管委会接到预警信息后，3小时内...")."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db.models import QuerySet

from conftest import T0, MakePerson, Staff, forecast_days, lift_through_chain, up_to_approval
from hazeguard_platform.accounts.models import Role
from hazeguard_platform.errors import ConflictError, ForbiddenError
from hazeguard_platform.forecasts.services import consultation_record, forecast_enter
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.response.services import (
    warning_approve,
    warning_issue,
    warning_lift,
    warning_propose,
    warning_review,
)
from hazeguard_platform.warnings.models import EndReason, State, Step, Warning
from hazeguard_platform.warnings.selectors import allowed_actions, overdue_responses
from hazeguard_platform.warnings.services import (
    response_overdue_mark,
    warning_acknowledge,
    warning_start,
)

pytestmark = pytest.mark.django_db


def _issue(staff: Staff, level: str, approver: User) -> Warning:
    warning = warning_propose(
        actor=staff.office_clerk, jurisdiction=staff.jurisdiction, level=level
    )
    up_to_approval(staff, warning.pk)  # the office director's review (003 §3.3.1)
    warning_approve(actor=approver, warning_id=warning.pk)
    return warning_issue(
        actor=staff.office_clerk, warning_id=warning.pk, starts_at=T0 + timedelta(hours=24)
    )


def _children(warning: Warning) -> QuerySet[Warning]:
    return Warning.objects.filter(regional_source=warning).order_by("jurisdiction__code")


def _county(staff: Staff, code: str) -> Jurisdiction:
    return staff.jurisdiction.children.get(code=code)


def test_every_county_gets_the_regional_level_with_a_3_hour_deadline(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    city = _issue(liaocheng, "orange", liaocheng.deputy_commander)
    children = list(_children(city))
    assert len(children) == liaocheng.jurisdiction.children.count() == 11
    for child in children:
        assert (child.level, child.state) == ("orange", State.ISSUED)
        assert child.starts_at == city.starts_at
        assert child.respond_by == T0 + timedelta(hours=3)
        assert child.plan_version == city.plan_version, "counties act under the city's plan"


def test_a_county_already_at_a_higher_level_keeps_its_warning(
    liaocheng: Staff, clock: time_machine.Coordinates, make_person: MakePerson
) -> None:
    chiping = _county(liaocheng, "chiping")
    clerk = make_person("chiping-clerk", Role.COMMAND_OFFICE_STAFF, chiping)
    director = make_person("chiping-director", Role.OFFICE_DIRECTOR, chiping)
    commander = make_person("chiping-commander", Role.COMMANDER, chiping)
    own = warning_propose(actor=clerk, jurisdiction=chiping, level="red")
    warning_review(actor=director, warning_id=own.pk)
    warning_approve(actor=commander, warning_id=own.pk)
    warning_issue(actor=clerk, warning_id=own.pk, starts_at=T0 + timedelta(hours=24))
    city = _issue(liaocheng, "orange", liaocheng.deputy_commander)
    assert not _children(city).filter(jurisdiction=chiping).exists()
    assert _children(city).count() == 10


def test_the_county_officer_acknowledges_in_time(
    liaocheng: Staff, clock: time_machine.Coordinates, make_person: MakePerson
) -> None:
    linqing = _county(liaocheng, "linqing")
    officer = make_person("linqing-officer", Role.COUNTY_OFFICER, linqing)
    city = _issue(liaocheng, "yellow", liaocheng.deputy_commander)
    child = _children(city).get(jurisdiction=linqing)
    assert "acknowledge" in allowed_actions(officer, child)
    with pytest.raises(ForbiddenError):
        warning_acknowledge(actor=liaocheng.office_clerk, warning_id=child.pk)
    clock.shift(timedelta(hours=2))
    done = warning_acknowledge(actor=officer, warning_id=child.pk)
    assert done.responded_at == T0 + timedelta(hours=2)
    clock.shift(timedelta(hours=2))
    assert response_overdue_mark(warning_id=child.pk) is False
    with pytest.raises(ConflictError):
        warning_acknowledge(actor=officer, warning_id=child.pk)


def test_a_county_that_does_not_respond_in_3_hours_is_marked_overdue(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    city = _issue(liaocheng, "yellow", liaocheng.deputy_commander)
    child = _children(city).first()
    assert child is not None
    clock.shift(timedelta(hours=2, minutes=59))
    assert response_overdue_mark(warning_id=child.pk) is False
    clock.shift(timedelta(minutes=1))
    assert response_overdue_mark(warning_id=child.pk) is True
    assert response_overdue_mark(warning_id=child.pk) is False, "marking is idempotent"
    assert list(overdue_responses()) == [child]


def test_the_county_warnings_start_with_the_city_and_end_when_it_is_lifted(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    city = _issue(liaocheng, "orange", liaocheng.deputy_commander)
    clock.shift(timedelta(hours=24))
    warning_start(warning_id=city.pk)
    for child in _children(city):
        assert warning_start(warning_id=child.pk) is not None
    clock.shift(timedelta(days=2))
    lift_through_chain(liaocheng, city.pk, "air improved")
    for child in _children(city):
        assert (child.state, child.end_reason) == (State.ENDED, EndReason.REGIONAL_LIFTED)


def test_a_county_consultation_takes_the_city_warning_as_its_floor(
    liaocheng: Staff, clock: time_machine.Coordinates, make_person: MakePerson
) -> None:
    gaotang = _county(liaocheng, "gaotang")
    clerk = make_person("gaotang-clerk", Role.COMMAND_OFFICE_STAFF, gaotang)
    city = _issue(liaocheng, "orange", liaocheng.deputy_commander)
    clock.shift(timedelta(hours=24))
    warning_start(warning_id=city.pk)
    clean = forecast_enter(
        actor=clerk,
        jurisdiction=gaotang,
        issued_at=T0 + timedelta(hours=24),
        days=forecast_days(90, 80, 70),
    )
    consultation = consultation_record(
        actor=clerk,
        jurisdiction=gaotang,
        held_at=T0 + timedelta(hours=25),
        conclusion="the county follows the city's orange warning",
        forecast_ids=[clean.pk],
        concluded_level="orange",
    )
    assert consultation.decision["level"] == "orange", "a regional warning sets a floor"


def test_the_sweep_starts_due_warnings_and_marks_late_responses_once(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    from hazeguard_platform.warnings.lifecycle import warnings_due_sweep

    city = _issue(liaocheng, "orange", liaocheng.deputy_commander)
    assert warnings_due_sweep() == (0, 0)
    clock.shift(timedelta(hours=3))
    assert warnings_due_sweep() == (0, 11), "every county missed the 3-hour deadline"
    clock.shift(timedelta(hours=21))
    assert warnings_due_sweep() == (12, 0), "the city and its 11 counties start"
    assert warnings_due_sweep() == (0, 0)
    city.refresh_from_db()
    assert city.state == State.IN_FORCE


def test_liaocheng_red_is_lifted_by_its_issuing_procedure_step_by_step(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    """ "各级别的预警按照发布程序予以解除" (003 §3.3.2): the office proposes the lifting, the
    office director reviews it, the commander approves it; the deputy never may, and the office
    director alone no longer lifts a red (the issue's finding)."""
    red = _issue(liaocheng, "red", liaocheng.commander)
    clock.shift(timedelta(hours=24))
    warning_start(warning_id=red.pk)
    steps = [
        (liaocheng.office_clerk, State.IN_FORCE),
        (liaocheng.office_director, State.IN_FORCE),
        (liaocheng.commander, State.ENDED),
    ]
    for actor, after in steps:
        for other in (liaocheng.deputy_commander, *(a for a, _ in steps if a is not actor)):
            assert "lift" not in allowed_actions(other, Warning.objects.get(pk=red.pk))
        with pytest.raises(ForbiddenError):
            warning_lift(actor=liaocheng.deputy_commander, warning_id=red.pk, reason="改善")
        assert "lift" in allowed_actions(actor, Warning.objects.get(pk=red.pk))
        lifted = warning_lift(actor=actor, warning_id=red.pk, reason="空气质量改善")
        assert lifted.state == after
    assert list(Step.objects.filter(warning=red, action="lift").values_list("kind", "role")) == [
        ("propose", "coordination_group"),
        ("review", "office_director"),
        ("approve", "commander"),
    ]
