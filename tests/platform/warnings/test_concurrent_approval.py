"""Two people approving the same warning at once: exactly one succeeds."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from conftest import MakePerson, Staff, up_to_approval
from hazeguard_platform.accounts.models import Role
from hazeguard_platform.errors import ConflictError
from hazeguard_platform.response.services import warning_approve, warning_propose
from hazeguard_platform.warnings.models import State, Warning
from hazeguard_platform.warnings.transitions import transition


@pytest.mark.django_db
def test_the_conditional_update_refuses_a_change_made_from_a_stale_read(kashgar: Staff) -> None:
    warning = warning_propose(
        actor=kashgar.office_clerk, jurisdiction=kashgar.jurisdiction, level="orange"
    )
    up_to_approval(kashgar, warning.pk)  # the office director's review (001 §3.5)
    stale = Warning.objects.get(pk=warning.pk)  # read by a second person before the approval
    warning_approve(actor=kashgar.deputy_commander, warning_id=warning.pk)
    with pytest.raises(ConflictError, match="changed by someone else"), transaction.atomic():
        transition(stale, actor=kashgar.commander, action="warning.approve", to=State.APPROVED)
    warning.refresh_from_db()
    assert (warning.state, warning.approved_by, warning.version) == (
        State.APPROVED,
        kashgar.deputy_commander,
        stale.version + 1,
    )


@pytest.mark.django_db(transaction=True)
def test_two_approvers_at_the_same_moment_exactly_one_succeeds(
    kashgar: Staff, make_person: MakePerson
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks between two connections need PostgreSQL (set DATABASE_URL)")
    second_deputy = make_person("kashgar-deputy-2", Role.DEPUTY_COMMANDER, kashgar.jurisdiction)
    warning = warning_propose(
        actor=kashgar.office_clerk, jurisdiction=kashgar.jurisdiction, level="orange"
    )
    up_to_approval(kashgar, warning.pk)
    reviewed = Warning.objects.get(pk=warning.pk).version
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def approve(user_id: int) -> None:
        from django.contrib.auth.models import User

        try:
            user = User.objects.get(pk=user_id)
            barrier.wait(timeout=10)
            warning_approve(actor=user, warning_id=warning.pk)
            outcomes.append("approved")
        except ConflictError:
            outcomes.append("conflict")
        finally:
            connection.close()  # each thread has its own connection

    threads = [
        threading.Thread(target=approve, args=(user.pk,))
        for user in (kashgar.deputy_commander, second_deputy)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["approved", "conflict"]
    warning.refresh_from_db()
    assert (warning.state, warning.version) == (State.APPROVED, reviewed + 1)
