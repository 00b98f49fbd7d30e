"""Sign-in is throttled per user name and address, and passwords follow the rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.test import RequestFactory, override_settings

from hazeguard_platform.accounts.services import person_create
from hazeguard_platform.audit.models import AuditEntry
from hazeguard_platform.errors import InvalidInputError

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 1, 5, 4, 0, tzinfo=UTC)


def _sign_in(password: str, address: str = "10.0.0.1") -> User | None:
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR=address)
    user = authenticate(request, username="clerk", password=password)
    return user if isinstance(user, User) else None


@pytest.fixture
def clerk() -> User:
    return User.objects.create_user("clerk", password="right-password-42")


@override_settings(LOGIN_MAX_FAILURES=3, LOGIN_LOCK_MINUTES=15)
def test_it_locks_after_the_allowed_failures_even_for_the_right_password(clerk: User) -> None:
    with time_machine.travel(NOON, tick=False):
        for _ in range(3):
            assert _sign_in("wrong") is None
        assert _sign_in("right-password-42") is None
        assert AuditEntry.objects.filter(action="login.lock").count() == 1


@override_settings(LOGIN_MAX_FAILURES=3, LOGIN_LOCK_MINUTES=15)
def test_it_lets_the_user_in_again_when_the_lock_runs_out(clerk: User) -> None:
    with time_machine.travel(NOON, tick=False) as clock:
        for _ in range(3):
            _sign_in("wrong")
        clock.shift(timedelta(minutes=16))
        assert _sign_in("right-password-42") == clerk


@override_settings(LOGIN_MAX_FAILURES=3, LOGIN_LOCK_MINUTES=15)
def test_it_does_not_lock_the_same_user_name_from_another_address(clerk: User) -> None:
    with time_machine.travel(NOON, tick=False):
        for _ in range(3):
            _sign_in("wrong", address="10.0.0.1")
        assert _sign_in("right-password-42", address="10.0.0.2") == clerk


@override_settings(LOGIN_MAX_FAILURES=3)
def test_a_successful_sign_in_clears_earlier_failures(clerk: User) -> None:
    for _ in range(2):
        _sign_in("wrong")
    assert _sign_in("right-password-42") == clerk
    for _ in range(2):
        _sign_in("wrong")
    assert _sign_in("right-password-42") == clerk


@pytest.mark.parametrize("password", ["short1", "password123", "1234567890123"])
def test_it_rejects_a_weak_password_naming_the_field(password: str) -> None:
    with pytest.raises(InvalidInputError) as error:
        person_create(actor=None, username="newcomer", password=password)
    assert error.value.field == "password"
    assert not User.objects.filter(username="newcomer").exists()


def test_it_creates_a_person_with_a_good_password_and_audits_it() -> None:
    user = person_create(actor=None, username="newcomer", password="haze-guard-strong-9")
    assert user.check_password("haze-guard-strong-9")
    assert AuditEntry.objects.filter(action="person.create", object_id=str(user.pk)).exists()
