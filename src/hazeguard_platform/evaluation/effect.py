"""The air-quality effect of an episode's measures, from the hours the platform holds.

When a warning is lifted (``response.services``), :func:`effect_queue` queues an
:class:`EffectEstimate` for the task worker; :func:`effect_run` claims it (a conditional UPDATE:
any number of workers, a task delivered twice runs once) and runs the core's episode evaluation
(:func:`hazeguard.evaluation.evaluate_episode`: observed against business as usual predicted from
the episode's own weather by a model trained outside every warning, with placebo runs) on the
city mean of the jurisdiction's stations and the stored weather
(:func:`hazeguard_platform.monitoring.weather.observed_weather`). What the platform lacks is
recorded by name (``missing``), never guessed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

import numpy as np
import pandas as pd
from django.db import IntegrityError, transaction
from django.utils import timezone

from hazeguard_platform.audit.services import audit_record
from hazeguard_platform.core import CHINA
from hazeguard_platform.evaluation.models import EffectEstimate
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.monitoring.models import POLLUTANT_FIELDS, Reading
from hazeguard_platform.monitoring.selectors import observed_weather, places_under
from hazeguard_platform.warnings.models import Episode

State = EffectEstimate.State
# Hours read around the episode: the placebo windows lie within ±45 days of year of it
# (hazeguard.evaluation.episode.SEASON_DAYS); the model learns from all of them.
RECORD_BEFORE, RECORD_AFTER = dt.timedelta(days=150), dt.timedelta(days=90)
# A warning's measures and their lag are kept out of training one day past its end
# (hazeguard.evaluation.periods.AFTER_DAYS).
AFTER: Final = dt.timedelta(days=1)
MIN_TRAINING_HOURS: Final = 24 * 30  # the core's least record outside warnings
MIN_EPISODE_WEATHER: Final = 0.75  # share of the episode's hours with weather


def effect_queue(*, episode_id: int) -> EffectEstimate | None:
    """Queue the effect estimate of an ended episode (called inside the lift's transaction);
    the task is enqueued when it commits. One already queued or running is returned instead;
    a drill, or an episode still open, has no effect to estimate (``None``)."""
    episode = Episode.objects.get(pk=episode_id)
    if episode.drill or episode.ended_at is None:  # a drill, or the episode goes on
        return None
    try:
        with transaction.atomic():
            pending = _pending(episode_id)
            if pending is not None:
                return pending
            estimate = EffectEstimate.objects.create(episode=episode)
            audit_record(actor=None, action="effect.queue", obj=estimate)
            from hazeguard_platform.evaluation.tasks import effect_estimate_task

            transaction.on_commit(lambda: effect_estimate_task.enqueue(estimate.pk))
    except IntegrityError:  # queued at the same moment by another request
        queued = _pending(episode_id)
        if queued is None:
            raise
        return queued
    return estimate


def _pending(episode_id: int) -> EffectEstimate | None:
    states = [State.QUEUED, State.RUNNING]
    return EffectEstimate.objects.filter(episode_id=episode_id, state__in=states).first()


def effect_run(*, estimate_id: int) -> EffectEstimate | None:
    """Run a queued estimate (the task worker); ``None`` when another worker claimed it."""
    claimed = EffectEstimate.objects.filter(pk=estimate_id, state=State.QUEUED).update(
        state=State.RUNNING, started_at=timezone.now()
    )
    if claimed != 1:
        return None
    estimate = EffectEstimate.objects.select_related("episode__jurisdiction").get(pk=estimate_id)
    try:
        state, inputs, missing, result, error = _estimate(estimate.episode)
    except Exception as exception:
        _finish(estimate, State.FAILED, error=f"the estimate stopped: {exception!r}"[:2000])
        raise
    estimate.inputs, estimate.missing, estimate.result = inputs, missing, result
    _finish(estimate, state, error=error)
    return estimate


def _finish(estimate: EffectEstimate, state: str, *, error: str) -> None:
    estimate.state, estimate.error, estimate.finished_at = state, error, timezone.now()
    estimate.save(update_fields=["state", "error", "finished_at", "inputs", "missing", "result"])
    audit_record(
        actor=None,
        action="effect.run",
        obj=estimate,
        after={"state": state, "missing": estimate.missing, "error": error},
    )


def episode_window(episode: Episode) -> tuple[dt.datetime, dt.datetime] | None:
    """From the first issued warning's start to the episode's end (aware); ``None`` while no
    warning was issued or the episode is still open."""
    starts = [
        w.starts_at or w.issued_at
        for w in episode.warnings.filter(issued_at__isnull=False)
        if (w.starts_at or w.issued_at) is not None
    ]
    if not starts or episode.ended_at is None:
        return None
    return min(s for s in starts if s is not None), episode.ended_at


def _naive(moment: dt.datetime) -> pd.Timestamp:
    return pd.Timestamp(moment.astimezone(CHINA).replace(tzinfo=None))


def _other_windows(
    episode: Episode, first: dt.datetime, last: dt.datetime
) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """The jurisdiction's other episodes (not drills) in the record, and the day after this
    one: kept out of training and of the placebo windows."""
    windows = []
    others = Episode.objects.filter(
        jurisdiction=episode.jurisdiction, drill=False, started_at__lte=last
    ).exclude(pk=episode.pk)
    for other in others:
        window = episode_window(other)
        end = window[1] if window else (other.ended_at or timezone.now())
        begin = window[0] if window else other.started_at
        if end >= first:
            windows.append((_naive(begin), _naive(end + AFTER)))
    return windows


def station_hours(place: Jurisdiction, first: dt.datetime, last: dt.datetime) -> pd.DataFrame:
    """The stored hourly readings of the place's stations: ``time`` (end of the hour, naive
    China time), ``station`` (code) and the pollutants [µg/m³; CO mg/m³]; values the
    plausibility checks flagged are left out, as the city's AQI leaves them out."""
    rows = Reading.objects.filter(
        station__jurisdiction__in=places_under(place), hour_end__gt=first, hour_end__lte=last
    ).values_list("hour_end", "station__code", "flags", *POLLUTANT_FIELDS)
    columns = ["time", "station", "flags", *POLLUTANT_FIELDS]
    table = pd.DataFrame.from_records(list(rows), columns=columns)
    table["time"] = pd.to_datetime([_naive(t) for t in table["time"]]).astype("datetime64[ns]")
    for field in POLLUTANT_FIELDS:
        flagged = np.array([bool(f.get(field)) for f in table["flags"]], dtype=bool)
        table[field] = table[field].astype(np.float64).mask(flagged)
    return table.drop(columns="flags")


def _estimate(
    episode: Episode,
) -> tuple[str, dict[str, Any], list[str], list[dict[str, Any]], str]:
    """(state, inputs, missing, result, error) of one estimate."""
    from hazeguard.evaluation import ModelSettings, city_mean, combine, evaluate_episode
    from hazeguard.evaluation.episode import effect_as_json
    from hazeguard.io.measurements import Measurements
    from hazeguard.io.weather import weather_from_table

    window = episode_window(episode)
    if window is None:
        return State.MISSING, {}, ["episode"], [], ""
    start, end = window
    first, last = start - RECORD_BEFORE, end + RECORD_AFTER
    place = episode.jurisdiction
    hours = station_hours(place, first, last)
    weather = observed_weather(place, first, last)
    excluded = [*_other_windows(episode, first, last), (_naive(end), _naive(end + AFTER))]
    episode_hours = max(1, round((end - start) / dt.timedelta(hours=1)))
    in_episode = (weather["time"] > _naive(start)) & (weather["time"] <= _naive(end))
    inputs: dict[str, Any] = {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "record_first": first.isoformat(),
        "record_last": last.isoformat(),
        "station_rows": len(hours),
        "stations": int(hours["station"].nunique()),
        "hours": int(hours["time"].nunique()),
        "weather_rows": len(weather),
        "weather_hours_in_episode": int(weather.loc[in_episode, "time"].nunique()),
        "episode_hours": episode_hours,
        "excluded": [[a.isoformat(), b.isoformat()] for a, b in excluded],
    }
    missing = []
    if hours.empty:
        missing.append("stations")
    if weather.empty:
        missing.append("weather")
    elif inputs["weather_hours_in_episode"] < MIN_EPISODE_WEATHER * episode_hours:
        missing.append("weather_episode")
    if missing:
        return State.MISSING, inputs, missing, [], ""
    # Station weather where there is some, otherwise the jurisdiction's own series for all.
    if weather["station"].notna().any():
        weather = weather[weather["station"].notna()]
    measured = Measurements(
        times=hours["time"],
        stations=hours["station"].astype("string"),
        concentrations={p: hours[p].to_numpy() for p in POLLUTANT_FIELDS if hours[p].notna().any()},
    )
    try:
        data = city_mean(combine(measured, weather_from_table(weather)))
    except ValueError as error:  # the weather covers none of the measured hours
        return State.MISSING, inputs, ["weather"], [], str(error)
    result, problems = [], []
    with np.errstate(invalid="ignore", divide="ignore"):
        for pollutant in data.pollutants:
            try:
                (effect,) = evaluate_episode(
                    data,
                    _naive(start),
                    _naive(end),
                    excluded=excluded,
                    pollutants=[pollutant],
                    settings=ModelSettings(),
                )
            except ValueError as error:  # too short a record, too few placebo windows
                problems.append(str(error))
                continue
            result.append(effect_as_json(effect))
    inputs["training_hours"] = max((r["train_hours"] for r in result), default=0)
    if not result:
        return State.MISSING, inputs, ["record"], [], "; ".join(problems)
    return State.DONE, inputs, [], result, "; ".join(problems)


def latest_estimate(episode: Episode) -> EffectEstimate | None:
    """The episode's newest effect estimate, whatever its state."""
    return EffectEstimate.objects.filter(episode=episode).first()
