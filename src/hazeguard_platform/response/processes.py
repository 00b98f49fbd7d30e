"""The worker's pass over pollution processes below the warning level (002 §五(二)1).

For every jurisdiction whose plan provides for a process, the core
(:func:`hazeguard.warnings.process.process_decision`) decides from the newest observed rolling
24-h AQI, the newest forecast's AQI for today and tomorrow and the warning in force; this module
opens or closes the process with its tasks (``operations.process_services``) and tells the office
and the unit (inbox and their channels). A warning issued hands over at once
(:func:`process_hand_over`, called by ``response.services``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.utils import timezone

from hazeguard_platform import core
from hazeguard_platform.accounts.models import Membership, Role
from hazeguard_platform.accounts.permissions import Actor
from hazeguard_platform.core import CHINA
from hazeguard_platform.jurisdictions.models import Jurisdiction, PlanVersion
from hazeguard_platform.jurisdictions.selectors import plan_version_for
from hazeguard_platform.monitoring.selectors import latest_city_hour
from hazeguard_platform.operations.models import PollutionProcess, ResponseState
from hazeguard_platform.operations.process_services import process_close, process_open
from hazeguard_platform.warnings.models import Warning
from hazeguard_platform.warnings.selectors import active_warning


def _forecast_aqi(place: Jurisdiction, now: datetime) -> list[float]:
    """The newest forecast's AQI (upper bound) for today and tomorrow [index]."""
    forecast = place.forecasts.filter(issued_at__lte=now).order_by("-issued_at").first()
    if forecast is None:
        return []
    today = now.astimezone(CHINA).date()
    days = forecast.days.filter(day__in=[today, today + timedelta(days=1)])
    return [float(day.aqi_high) for day in days]


def _with_a_process() -> list[tuple[Jurisdiction, PlanVersion]]:
    """Jurisdictions with their own plan version, whose newest provides for a process."""
    found = []
    for place in Jurisdiction.objects.filter(plan_versions__isnull=False).distinct():
        version = plan_version_for(place)
        if version is not None and version.snapshot.get("pollution_process"):
            found.append((place, version))
    return found


def processes_check(*, now: datetime | None = None) -> list[PollutionProcess]:
    """Open or close each jurisdiction's process as the core decides; returns those changed.

    Idempotent: a second pass with the same data changes nothing.
    """
    from hazeguard.warnings.process import process_decision

    now = now or timezone.now()
    changed: list[PollutionProcess] = []
    for place, version in _with_a_process():
        rule = core.plan_from_snapshot(version.snapshot).pollution_process
        assert rule is not None
        hour = latest_city_hour(place, now)
        is_open = PollutionProcess.objects.filter(
            jurisdiction=place, state=ResponseState.OPEN
        ).exists()
        decision = process_decision(
            rule,
            observed_aqi=None if hour is None else hour.rolling_aqi,
            forecast_aqi=_forecast_aqi(place, now),
            warning_in_force=active_warning(place) is not None,
            is_open=is_open,
        )
        if decision.change == "open":
            process = process_open(
                jurisdiction=place,
                plan_version=version,
                because_zh=decision.reason_zh,
                because_en=decision.reason_en,
                now=now,
            )
            _tell(process, opened=True)
            changed.append(process)
        elif decision.change == "close":
            closed = process_close(
                jurisdiction=place,
                because_zh=decision.reason_zh,
                because_en=decision.reason_en,
                now=now,
            )
            if closed is not None:
                _tell(closed, opened=False)
                changed.append(closed)
    return changed


def process_hand_over(warning: Warning, *, actor: Actor) -> PollutionProcess | None:
    """A warning was issued: its jurisdiction's process ends, the response takes over."""
    from hazeguard.warnings.process import process_decision

    version = plan_version_for(warning.jurisdiction)
    rule = None if version is None else core.plan_from_snapshot(version.snapshot).pollution_process
    if rule is None:
        return None
    decision = process_decision(
        rule, observed_aqi=None, forecast_aqi=(), warning_in_force=True, is_open=True
    )
    closed = process_close(
        jurisdiction=warning.jurisdiction,
        because_zh=decision.reason_zh,
        because_en=decision.reason_en,
        now=timezone.now(),
        actor=actor,
    )
    if closed is not None:
        _tell(closed, opened=False)
    return closed


def _unit_staff(process: PollutionProcess) -> Sequence[object]:
    from django.contrib.auth import get_user_model

    units = process.tasks.values_list("member_unit_id", flat=True)
    ids = Membership.objects.filter(
        member_unit_id__in=units, role=Role.MEMBER_UNIT_STAFF, user__is_active=True
    ).values_list("user_id", flat=True)
    return list(get_user_model().objects.filter(pk__in=ids).order_by("pk"))


def _tell(process: PollutionProcess, *, opened: bool) -> None:
    """The office and the unit's staff are told the process opened or closed, and why."""
    from hazeguard_platform.notices.models import Event
    from hazeguard_platform.notices.services import escalation_addressees, notice_create

    place = process.jurisdiction
    recipients = [*escalation_addressees(place), *_unit_staff(process)]
    if not recipients:
        return
    local = timezone.localtime(process.closed_at if not opened else process.opened_at)
    if opened:
        title = f"{place.name_zh} 启动污染过程应对"
        title_en = f"{place.name_in('en')}: pollution process opened"
        zh = (
            f"{local:%Y-%m-%d %H:%M}起启动污染过程应对（{process.clause}）："
            f"{process.opened_because_zh}。"
        )
        en = f"Pollution process opened {local:%Y-%m-%d %H:%M}: {process.opened_because_en}."
        count = process.tasks.count()
        zh += f"专项实施方案任务{count}项已下达。"
        en += f" {count} tasks of the department plan were given."
    else:
        title = f"{place.name_zh} 污染过程应对结束"
        title_en = f"{place.name_in('en')}: pollution process closed"
        zh = f"{local:%Y-%m-%d %H:%M}污染过程应对结束：{process.closed_because_zh}。"
        en = f"Pollution process closed {local:%Y-%m-%d %H:%M}: {process.closed_because_en}."
    notice_create(
        event=Event.REMINDER,
        recipients=recipients,  # type: ignore[arg-type]
        actor=None,
        jurisdiction=place,
        subject_object=process,
        title=title,
        body=zh,
        title_en=title_en,
        body_en=en,
    )
