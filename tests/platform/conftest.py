"""Named personas for the platform's roles, the jurisdictions they work in, and a frozen clock.

Kashgar (seed 001) names a different approver for each level (yellow: office director, orange:
deputy commander, red: commander) and a minimum lead time (12 h); Liaocheng (seed 003) has
counties that must respond to its regional warnings within 3 h.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import User
from django.utils import translation

from hazeguard_platform.accounts.models import Membership, Role
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.jurisdictions.services import plan_import
from hazeguard_platform.warnings.models import Warning

PASSWORD = "a-long-test-password-7"
# 08:00 China Standard Time on Sunday 4 January 2026.
T0 = datetime(2026, 1, 4, 0, 0, tzinfo=UTC)
FIRST_DAY = date(2026, 1, 5)

MakePerson = Callable[..., User]


@pytest.fixture(autouse=True)
def default_language() -> Iterator[None]:
    """Each test starts in the site's language (Chinese): a page requested in English leaves
    English active in the thread, and a service called next would answer in it."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    """Each test starts with an empty cache: a test's rows are rolled back and the next test's
    get the same ids (and, under the frozen clock, the same times), so a page cached under
    them (the situation data) would be served to it."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def clock() -> Iterator[time_machine.Coordinates]:
    """The clock, frozen at ``T0``; ``clock.shift(timedelta(...))`` moves it."""
    with time_machine.travel(T0, tick=False) as coordinates:
        yield coordinates


@pytest.fixture
def city(db: None) -> Jurisdiction:
    """A city with no plan imported (tests of accounts and audit need none)."""
    return Jurisdiction.objects.create(code="testcity", name_zh="测试市", kind="city")


@pytest.fixture
def make_person(db: None) -> MakePerson:
    """Make a user holding ``role`` in ``jurisdiction``."""

    def make(username: str, role: Role | None, jurisdiction: Jurisdiction | None) -> User:
        user = User.objects.create_user(username=username, password=PASSWORD)
        if role is not None and jurisdiction is not None:
            Membership.objects.create(user=user, jurisdiction=jurisdiction, role=role)
        return user

    return make


@dataclass
class Staff:
    """The command of one jurisdiction, one persona per role."""

    jurisdiction: Jurisdiction
    office_clerk: User
    office_director: User
    deputy_commander: User
    commander: User
    administrator: User


def _staff(make_person: MakePerson, jurisdiction: Jurisdiction) -> Staff:
    prefix = jurisdiction.code
    return Staff(
        jurisdiction=jurisdiction,
        office_clerk=make_person(f"{prefix}-clerk", Role.COMMAND_OFFICE_STAFF, jurisdiction),
        office_director=make_person(f"{prefix}-director", Role.OFFICE_DIRECTOR, jurisdiction),
        deputy_commander=make_person(f"{prefix}-deputy", Role.DEPUTY_COMMANDER, jurisdiction),
        commander=make_person(f"{prefix}-commander", Role.COMMANDER, jurisdiction),
        administrator=make_person(f"{prefix}-admin", Role.ADMINISTRATOR, jurisdiction),
    )


@pytest.fixture
def kashgar(db: None, make_person: MakePerson) -> Staff:
    """Kashgar with its plan imported and its command staffed."""
    version = plan_import(actor=None, plan_id="kashgar-2023")
    return _staff(make_person, version.jurisdiction)


@pytest.fixture
def liaocheng(db: None, make_person: MakePerson) -> Staff:
    """Liaocheng with its plan imported and its command staffed."""
    version = plan_import(actor=None, plan_id="liaocheng-2020")
    return _staff(make_person, version.jurisdiction)


@pytest.fixture
def office_clerk(kashgar: Staff) -> User:
    return kashgar.office_clerk


@pytest.fixture
def office_director(kashgar: Staff) -> User:
    return kashgar.office_director


@pytest.fixture
def deputy_commander(kashgar: Staff) -> User:
    return kashgar.deputy_commander


@pytest.fixture
def commander(kashgar: Staff) -> User:
    return kashgar.commander


@pytest.fixture
def county_officer(kashgar: Staff, make_person: MakePerson) -> User:
    """The officer of Kashgar's first county (by code)."""
    county = kashgar.jurisdiction.children.order_by("code").first()
    return make_person("county-officer", Role.COUNTY_OFFICER, county)


@pytest.fixture
def liaocheng_county_officer(liaocheng: Staff, make_person: MakePerson) -> User:
    """The officer of Liaocheng's Dongchangfu district."""
    county = liaocheng.jurisdiction.children.get(code="dongchangfu")
    return make_person("dongchangfu-officer", Role.COUNTY_OFFICER, county)


def forecast_days(*aqi_high: int, pollutant: str = "PM2.5") -> list[dict[str, object]]:
    """Consecutive forecast days from ``FIRST_DAY``, each AQI ``high - 40`` to ``high``."""
    return [
        {
            "date": (FIRST_DAY + timedelta(days=index)).isoformat(),
            "aqi_low": max(0, high - 40),
            "aqi_high": high,
            "primary_pollutant": pollutant if high > 50 else "",
            "dust": False,
        }
        for index, high in enumerate(aqi_high)
    ]


def persona(staff: Staff, plan_role: str) -> User:
    """The member of ``staff`` who holds the plan's role (the office's clerk proposes)."""
    return {
        "command_office": staff.office_clerk,
        "coordination_group": staff.office_clerk,
        "office_director": staff.office_director,
        "deputy_commander": staff.deputy_commander,
        "commander": staff.commander,
    }[plan_role]


def through_chain(staff: Staff, warning_id: int, *, until: str = "approve") -> Warning:
    """Take the remaining steps of a proposal's approval chain (the plan's, step by step), each
    by the persona of the step's first role, up to and including the step of kind ``until``."""
    from hazeguard_platform.response import services
    from hazeguard_platform.warnings import chains

    take = {
        "review": services.warning_review,
        "agree": services.warning_agree,
        "approve": services.warning_approve,
    }
    while True:
        warning = Warning.objects.get(pk=warning_id)
        step = chains.next_step(warning, chains.proposal_action(warning)).step
        if step is None:
            return warning
        warning = take[step.kind](actor=persona(staff, step.roles[0]), warning_id=warning_id)
        if step.kind == until:
            return warning


def lift_through_chain(staff: Staff, warning_id: int, reason: str = "空气质量改善") -> Warning:
    """Lift a warning by the plan's lifting chain, each step by the persona of its first role."""
    from hazeguard_platform.response.services import warning_lift
    from hazeguard_platform.warnings import chains

    while True:
        warning = Warning.objects.get(pk=warning_id)
        step = chains.next_step(warning, "lift").step
        if step is None or warning.state not in ("issued", "in_force"):
            return warning
        warning_lift(actor=persona(staff, step.roles[0]), warning_id=warning_id, reason=reason)


def up_to_approval(staff: Staff, warning_id: int) -> Warning:
    """Take the chain's steps before the approval (review, agree), leaving the approval."""
    from hazeguard_platform.warnings import chains

    while True:
        warning = Warning.objects.get(pk=warning_id)
        step = chains.next_step(warning, chains.proposal_action(warning)).step
        if step is None or step.kind == "approve":
            return warning
        through_chain(staff, warning_id, until=step.kind)
