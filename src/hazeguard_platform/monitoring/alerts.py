"""Observed pollution the forecast did not announce: the office is told at once.

When a jurisdiction's rolling 24-h AQI rises above its plan's pollution threshold (heavy
pollution, 200, in most plans) while the newest forecast said no such thing, or when the engine,
given the observations, recommends a higher warning than the one in force and than the forecast
alone gives, the office gets a notice (inbox and its channels) with the engine's decision on the
observed data and a link that opens an ad-hoc consultation (003 §3.2: 对未预测到的污染应及时
组织会商). One alert per jurisdiction, level and day.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from hazeguard.vocabulary import WARNING_LEVELS, level_name
from hazeguard_platform import core
from hazeguard_platform.core import CHINA, rank
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.jurisdictions.selectors import plan_version_for
from hazeguard_platform.monitoring.models import ObservedAlert
from hazeguard_platform.monitoring.selectors import latest_city_hour

HEAVY = "heavy"  # the alert's level key when the engine recommends no warning yet
# Below this rolling 24-h AQI no plan finds anything to act on (their lowest criteria are 150-200),
# so places this clean are not checked at all. [index]
QUIET_AQI = 100


def polluted_places(place_ids: set[int]) -> list[int]:
    """Of these places, those whose newest rolling 24-h AQI is above :data:`QUIET_AQI`. Two
    queries, however many places."""
    from django.db.models import Max

    from hazeguard_platform.monitoring.models import CityHour

    newest = (
        CityHour.objects.filter(jurisdiction_id__in=place_ids, rolling_aqi__isnull=False)
        .values("jurisdiction_id")
        .annotate(newest=Max("hour_end"))
    )
    wanted = {(row["jurisdiction_id"], row["newest"]) for row in newest}
    hours = CityHour.objects.filter(
        jurisdiction_id__in={place for place, _ in wanted}, rolling_aqi__gt=QUIET_AQI
    ).values_list("jurisdiction_id", "hour_end")
    polluted = {place for place, moment in hours if (place, moment) in wanted}
    if not polluted:
        return []
    from hazeguard_platform.jurisdictions.models import PlanVersion

    planned = set(PlanVersion.objects.values_list("jurisdiction_id", flat=True).distinct())
    parents = dict(Jurisdiction.objects.values_list("id", "parent_id"))
    return sorted(place for place in polluted if _has_plan(place, planned, parents))


def _has_plan(place_id: int, planned: set[int], parents: Mapping[int, int | None]) -> bool:
    """Whether the place or one above it has a plan imported (else no decision to alert on)."""
    node: int | None = place_id
    while node is not None:
        if node in planned:
            return True
        node = parents.get(node)
    return False


def _forecast_said(jurisdiction: Jurisdiction, at: datetime, threshold: float) -> bool:
    """Whether the newest forecast by ``at`` put today or tomorrow above ``threshold``."""
    forecast = jurisdiction.forecasts.filter(issued_at__lte=at).order_by("-issued_at").first()
    if forecast is None:
        return False
    today = at.astimezone(CHINA).date()
    days = forecast.days.filter(day__in=[today, today + timedelta(days=1)])
    return any(d.aqi_high > threshold for d in days)


def observed_check(*, jurisdiction_id: int) -> ObservedAlert | None:
    """Alert the office if the newest observations call for it (see the module); idempotent."""
    from hazeguard_platform.forecasts.services import engine_decision
    from hazeguard_platform.warnings.selectors import active_warning

    place = Jurisdiction.objects.get(pk=jurisdiction_id)
    hour = latest_city_hour(place)
    version = plan_version_for(place)
    if hour is None or hour.rolling_aqi is None or version is None:
        return None
    at = hour.hour_end
    threshold = core.pollution_threshold(version.snapshot)
    forecast = place.forecasts.filter(issued_at__lte=at).order_by("-issued_at").first()
    observed_level = forecast_level = ""
    decision: dict[str, object] = {}
    if forecast is not None:
        decision = engine_decision(place, version.snapshot, forecast, at)
        alone = engine_decision(place, version.snapshot, forecast, at, with_observed=False)
        observed_level = str(decision.get("level") or "")
        forecast_level = str(alone.get("level") or "")
    current = active_warning(place)
    in_force = current.level if current is not None else ""
    unforecast = hour.rolling_aqi > threshold and not _forecast_said(place, at, threshold)
    # An advisory notice is no warning: only a warning level above both counts as "higher".
    higher = observed_level in WARNING_LEVELS and rank(observed_level) > max(
        rank(in_force or "none"), rank(forecast_level or "none")
    )
    if not (unforecast or higher):
        return None
    key = observed_level if higher else HEAVY
    day_start = datetime.combine(at.astimezone(CHINA).date(), datetime.min.time(), CHINA)
    if ObservedAlert.objects.filter(
        jurisdiction=place, level=key, hour_end__gt=day_start, hour_end__lte=at
    ).exists():
        return None
    return _alert(place, key, hour.hour_end, hour.rolling_aqi, decision, in_force)


def _alert(
    place: Jurisdiction,
    key: str,
    hour_end: datetime,
    aqi: int,
    decision: dict[str, object],
    in_force: str,
) -> ObservedAlert:
    from hazeguard_platform.notices.conf import base_url
    from hazeguard_platform.notices.models import Event
    from hazeguard_platform.notices.services import escalation_addressees, notice_create

    local = timezone.localtime(hour_end)
    link = base_url() + reverse("forecasts:consultation_new", args=[place.code])
    headline = decision.get("headline") if isinstance(decision.get("headline"), dict) else {}
    assert isinstance(headline, dict)
    title = f"{place.name_zh} 实测AQI {aqi}（{local:%m-%d %H}时，连续24小时），预报未预见"
    body = "\n".join(
        [
            f"{place.name_zh}截至{local:%Y-%m-%d %H}时连续24小时AQI为{aqi}。",
            f"现行预警：{level_name(in_force or 'none', 'zh')}。引擎依据实测数据的建议："
            f"{headline.get('zh', '无预报，无法给出建议；请先录入预报。')}",
            f"请组织临时会商：{link}",
        ]
    )
    place_en = place.name_in("en")
    title_en = f"{place_en}: observed AQI {aqi} ({local:%m-%d %H}:00, rolling 24 h), not forecast"
    body_en = "\n".join(
        [
            f"{place_en}: rolling 24-h AQI {aqi} at {local:%Y-%m-%d %H}:00.",
            f"Warning in force: {level_name(in_force or 'none', 'en')}. "
            "The engine on the observed data: "
            f"{headline.get('en', 'no forecast, so no recommendation; enter a forecast first.')}",
            f"Hold an ad-hoc consultation: {link}",
        ]
    )
    with transaction.atomic():
        alert = ObservedAlert.objects.create(
            jurisdiction=place, level=key, hour_end=hour_end, aqi=aqi, decision=decision
        )
        recipients = escalation_addressees(place)
        if recipients:
            notice = notice_create(
                event=Event.REMINDER,
                recipients=recipients,
                actor=None,
                jurisdiction=place,
                title=title,
                body=body,
                title_en=title_en,
                body_en=body_en,
            )
            alert.notice_id = notice.pk
            alert.save(update_fields=["notice_id"])
    return alert
