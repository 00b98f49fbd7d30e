"""The demo: shipped plans, people in every role, and a few forecasts and warnings to act on.

Beijing's consultation shows the three kinds of source side by side: the model's forecast (queued
for the task worker, trained on Beijing's real daily AQI of 2014-2016 moved by whole weeks to end
yesterday), the monitoring centre's and the weather bureau's.

Everything goes through the services, as a person would; loading twice changes nothing.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from hazeguard.reduction.io_excel import ListWorkbook, write_workbook
from hazeguard.reduction.synthetic import generate_city
from hazeguard_platform.accounts.models import Role
from hazeguard_platform.accounts.services import membership_grant, person_create
from hazeguard_platform.enterprises.list_import import emission_list_import
from hazeguard_platform.enterprises.models import ListedEnterprise
from hazeguard_platform.enterprises.services import enterprise_contact_add
from hazeguard_platform.forecasts.models import Forecast, ModelForecastRun, Provider
from hazeguard_platform.forecasts.services import consultation_record, forecast_enter
from hazeguard_platform.forecasts.validation import day_inputs
from hazeguard_platform.jurisdictions.models import Jurisdiction, MemberUnit
from hazeguard_platform.jurisdictions.services import plan_import
from hazeguard_platform.response.services import warning_approve, warning_issue, warning_propose

DEMO_PLANS = ("liaocheng-2020", "kashgar-2023", "dalian-xigang-2023", "beijing-2015")
# Shown at start: demo accounts exist only on a demo database.
DEMO_PASSWORD = "hazeguard-demo-2026"
# Liaocheng's demo emission list: synthetic (hazeguard.reduction.synthetic), same seed, same list.
DEMO_LIST_ENTERPRISES = 6
DEMO_LIST_SEED = 2026

COMMAND = (
    ("clerk", Role.COMMAND_OFFICE_STAFF),
    ("director", Role.OFFICE_DIRECTOR),
    ("deputy", Role.DEPUTY_COMMANDER),
    ("commander", Role.COMMANDER),
    ("admin", Role.ADMINISTRATOR),
)


@dataclass(frozen=True)
class DemoAccount:
    """One demo sign-in: user name, role and where it holds it."""

    username: str
    role: str
    jurisdiction: str
    detail: str = ""  # the member unit or enterprise the account answers for


def _person(username: str, full_name: str) -> User:
    existing = User.objects.filter(username=username).first()
    if existing is not None:
        return existing
    person_create(actor=None, username=username, password=DEMO_PASSWORD, full_name=full_name)
    return User.objects.get(username=username)


def _grant(
    username: str,
    jurisdiction: Jurisdiction,
    role: Role,
    accounts: list[DemoAccount],
    unit: MemberUnit | None = None,
    detail: str = "",
) -> User:
    user = _person(username, f"{jurisdiction.name_zh} {role.label}")
    if not user.memberships.filter(jurisdiction=jurisdiction, role=role).exists():
        membership_grant(
            actor=None, user=user, jurisdiction=jurisdiction, role=role, member_unit=unit
        )
    detail = detail or (unit.name_zh if unit is not None else "")
    accounts.append(DemoAccount(username, role.value, jurisdiction.code, detail))
    return user


def _demo_enterprise(liaocheng: Jurisdiction) -> ListedEnterprise:
    """Liaocheng's first listed enterprise; on a fresh database the office first imports a small
    synthetic list through the list import, as it would upload its workbook."""
    listed = ListedEnterprise.objects.filter(jurisdiction=liaocheng, listed=True)
    if not listed.exists():
        synthetic = generate_city(
            DEMO_LIST_ENTERPRISES, seed=DEMO_LIST_SEED, jurisdiction=liaocheng.name_zh
        )
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "demo-emission-list.xlsx"
            write_workbook(ListWorkbook(synthetic), path)
            with path.open("rb") as file:
                clerk = User.objects.get(username="liaocheng-clerk")
                emission_list_import(jurisdiction=liaocheng, file=file, actor=clerk)
    first = listed.order_by("pk").first()
    assert first is not None  # the import above stored the list or raised
    return first


def _forecast_days(start: datetime, highs: list[int]) -> list[dict[str, object]]:
    return day_inputs(timezone.localdate(start) + timedelta(days=1), highs)


def _demo_workflow(now: datetime) -> None:
    """Liaocheng: a forecast, a consultation and a proposal waiting for the deputy commander.
    Kashgar: a yellow warning approved and issued to start in 24 h, cascaded to its counties."""
    user = User.objects.get
    liaocheng = Jurisdiction.objects.get(code="liaocheng")
    forecast = forecast_enter(
        actor=user(username="liaocheng-clerk"),
        jurisdiction=liaocheng,
        issued_at=now,
        days=_forecast_days(now, [180, 235, 262, 248, 214, 150, 110]),
        note="demo: 聊城市环境监测站 7-day forecast",
    )
    consultation = consultation_record(
        actor=user(username="liaocheng-clerk"),
        jurisdiction=liaocheng,
        held_at=now,
        conclusion="未来第2-5天AQI超过200，建议发布橙色预警",
        concluded_level="orange",
        forecast_ids=[forecast.pk],
        participant_ids=[user(username="liaocheng-director").pk],
        other_participants="市气象台预报员",
    )
    warning_propose(
        actor=user(username="liaocheng-clerk"),
        jurisdiction=liaocheng,
        level="orange",
        consultation_id=consultation.pk,
        reason="demo: consultation concluded orange",
    )
    kashgar = Jurisdiction.objects.get(code="kashgar")
    dusty = forecast_enter(
        actor=user(username="kashgar-clerk"),
        jurisdiction=kashgar,
        issued_at=now,
        days=_forecast_days(now, [160, 215, 230, 205, 170, 120, 90]),
    )
    warning = warning_propose(
        actor=user(username="kashgar-clerk"),
        jurisdiction=kashgar,
        level="yellow",
        forecast_id=dusty.pk,
        reason="demo",
    )
    warning_approve(actor=user(username="kashgar-director"), warning_id=warning.pk)
    # The usual lead time (24 h, seed 001 §3.5), counted from the next full hour.
    start = (timezone.now() + timedelta(hours=25)).replace(minute=0, second=0, microsecond=0)
    # Announced to last the forecast's three days above 200: from then the office director lifts
    # it on schedule, without approval (001 §3.7.2).
    warning_issue(
        actor=user(username="kashgar-clerk"),
        warning_id=warning.pk,
        starts_at=start,
        ends_at=start + timedelta(days=3),
    )


# What the demo's monitoring centre and weather bureau say for Beijing, today and the six days
# after (upper AQI; ranges 40 wide): invented, as any person's forecast in a demo is.
CENTRE_HIGHS = (120, 180, 240, 290, 260, 170, 110)
BUREAU_HIGHS = (110, 150, 210, 250, 230, 150, 100)


def _demo_sources(now: datetime) -> None:
    """Beijing: observed days to yesterday, the model's forecast of today queued for the worker
    (as the housekeeping loop queues it), and the centre's and the bureau's forecasts."""
    from hazeguard_platform.forecasts.model_runs import enqueue_run
    from hazeguard_platform.monitoring.demo import beijing_days_store, shift_to

    beijing = Jurisdiction.objects.get(code="beijing")
    today = timezone.localdate(now)
    shift = shift_to(today - timedelta(days=1))
    beijing_days_store(beijing, until=today - timedelta(days=1) - shift, shift=shift)
    enqueue_run(ModelForecastRun.objects.create(jurisdiction=beijing, day=today, queued_at=now))
    clerk = User.objects.get(username="beijing-clerk")
    official_forecasts(beijing, clerk, now, {"centre": CENTRE_HIGHS, "bureau": BUREAU_HIGHS})


def official_forecasts(
    place: Jurisdiction, clerk: User, at: datetime, highs: dict[str, tuple[int, ...]]
) -> list[Forecast]:
    """The monitoring centre's and the weather bureau's forecasts issued at ``at``, of its China
    date and the days after: ``highs["centre"]``, ``highs["bureau"]`` the upper AQI of each
    day, the ranges 40 wide."""
    first = timezone.localdate(at)
    return [
        forecast_enter(
            actor=clerk,
            jurisdiction=place,
            issued_at=at,
            days=day_inputs(first, list(highs[key]), spread=40),
            provider=provider,
            note="demo",
        )
        for key, provider in (
            ("centre", Provider.MONITORING_CENTRE),
            ("bureau", Provider.WEATHER_BUREAU),
        )
    ]


def demo_load(*, now: datetime | None = None) -> list[DemoAccount]:
    """Import the demo plans, create one account per role, and (on a fresh database) a forecast,
    a consultation and warnings to act on. Returns the demo accounts."""
    now = now or timezone.now()
    accounts: list[DemoAccount] = []
    with transaction.atomic():
        fresh = not Jurisdiction.objects.filter(code="liaocheng").exists()
        for plan_id in DEMO_PLANS:
            plan_import(actor=None, plan_id=plan_id)
        for code in ("liaocheng", "kashgar", "dalian-xigang", "beijing"):
            jurisdiction = Jurisdiction.objects.get(code=code)
            for suffix, role in COMMAND:
                _grant(f"{code}-{suffix}", jurisdiction, role, accounts)
        liaocheng = Jurisdiction.objects.get(code="liaocheng")
        county = liaocheng.children.order_by("code").first()
        if county is not None:
            _grant(f"{county.code}-officer", county, Role.COUNTY_OFFICER, accounts)
        unit = liaocheng.member_units.order_by("code").first()
        if unit is not None:
            _grant(f"liaocheng-{unit.code}", liaocheng, Role.MEMBER_UNIT_STAFF, accounts, unit)
        enterprise = _demo_enterprise(liaocheng)
        contact = _grant(
            "liaocheng-enterprise",
            liaocheng,
            Role.ENTERPRISE_CONTACT,
            accounts,
            detail=enterprise.name,
        )
        if not contact.enterprise_links.filter(enterprise=enterprise).exists():
            clerk = User.objects.get(username="liaocheng-clerk")
            enterprise_contact_add(actor=clerk, enterprise=enterprise, user=contact)
        from hazeguard_platform.monitoring.demo import monitoring_demo_load

        monitoring_demo_load()  # Beijing's stations, for the replay of December 2015
        if fresh:
            _demo_workflow(now)
            _demo_sources(now)
    return accounts
