"""The proposal and warning pages per role on Liaocheng (seed 003): the buttons each role sees,
refusals audited, approval, issue and lifting.

Liaocheng's red warning is approved by the commander, not the deputy commander (003 §3.3).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from flows import CONFIRMED, forecast, in_force, proposed, signed_in

from conftest import T0, Staff
from hazeguard_platform.audit.models import AuditEntry, Outcome
from hazeguard_platform.warnings.models import State, Warning

pytestmark = pytest.mark.django_db


def test_a_proposal_without_a_reason_is_a_400_naming_the_field(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    basis = forecast(liaocheng)

    response = signed_in(liaocheng.office_clerk).post(
        "/staff/j/liaocheng/propose/", {"level": "red", "forecast": basis.pk, "reason": ""}
    )

    assert response.status_code == 400
    assert response.context["propose_form"].errors["reason"]
    assert not Warning.objects.exists()


def test_the_office_proposes_red_from_the_forecast(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    basis = forecast(liaocheng)

    response = signed_in(liaocheng.office_clerk).post(
        "/staff/j/liaocheng/propose/",
        {"level": "red", "forecast": basis.pk, "reason": "预测AQI>300持续2天"},
    )

    warning = Warning.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/warning/{warning.pk}/"
    assert (warning.level, warning.state, warning.forecast_id) == ("red", State.PROPOSED, basis.pk)


@pytest.mark.parametrize(
    ("persona", "buttons"),
    [
        ("office_clerk", {"withdraw"}),
        # Red is reviewed by the office director before the commander approves it (003 §3.3.1).
        ("office_director", {"review", "reject", "withdraw"}),
        ("deputy_commander", set()),
        ("commander", {"reject"}),
    ],
)
def test_each_role_sees_only_its_buttons_on_a_red_proposal(
    liaocheng: Staff, clock: time_machine.Coordinates, persona: str, buttons: set[str]
) -> None:
    warning = proposed(liaocheng)

    response = signed_in(getattr(liaocheng, persona)).get(f"/staff/warning/{warning.pk}/")

    assert response.status_code == 200
    assert set(response.context["action_forms"]) == buttons


def test_the_deputy_commander_cannot_approve_red_and_the_refusal_is_audited(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    warning = proposed(liaocheng)

    response = signed_in(liaocheng.deputy_commander).post(f"/staff/warning/{warning.pk}/approve/")

    assert response.status_code == 403
    assert "无权执行此操作" in response.content.decode()
    warning.refresh_from_db()
    assert warning.state == State.PROPOSED
    assert AuditEntry.objects.filter(
        actor=liaocheng.deputy_commander, action="warning.approve", outcome=Outcome.DENIED
    ).exists()


def test_the_commander_approves_the_office_issues_and_the_commander_lifts(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    warning = proposed(liaocheng)
    url = f"/staff/warning/{warning.pk}"

    assert signed_in(liaocheng.office_director).post(f"{url}/review/").status_code == 302
    assert signed_in(liaocheng.commander).post(f"{url}/approve/").status_code == 302
    issued = signed_in(liaocheng.office_clerk).post(
        f"{url}/issue/", {"starts_at": (T0 + timedelta(days=1)).isoformat()}
    )
    assert issued.status_code == 302
    warning.refresh_from_db()
    assert warning.state == State.ISSUED

    # Lifted by the issuing procedure (003 §3.3.2): proposed, reviewed, approved.
    signed_in(liaocheng.office_clerk).post(f"{url}/lift/", {"note": "空气质量改善", **CONFIRMED})
    signed_in(liaocheng.office_director).post(f"{url}/lift/", CONFIRMED)
    lifted = signed_in(liaocheng.commander).post(f"{url}/lift/", CONFIRMED)

    assert lifted.status_code == 302
    warning.refresh_from_db()
    assert warning.state == State.ENDED


def test_lifting_without_a_reason_is_a_400_naming_the_field_and_changes_nothing(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    warning = in_force(liaocheng, clock)

    # The lifting's first step (the office's proposal) states why (003 §3.3.2).
    response = signed_in(liaocheng.office_clerk).post(
        f"/staff/warning/{warning.pk}/lift/", CONFIRMED
    )

    assert response.status_code == 400
    assert "note" in response.context["action_forms"]["lift"].errors
    warning.refresh_from_db()
    assert warning.state == State.IN_FORCE


def test_an_unknown_action_is_not_found(liaocheng: Staff, clock: time_machine.Coordinates) -> None:
    warning = proposed(liaocheng)

    response = signed_in(liaocheng.commander).post(f"/staff/warning/{warning.pk}/explode/")

    assert response.status_code == 404
