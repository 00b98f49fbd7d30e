"""The episode's air-quality effect: queued when a warning is lifted, run once by the task worker
on the stored station hours and weather, and shown with its interval and placebo runs.

The real slice: Beijing's Dongsi station, October to December 2015 (tests/platform/evaluation/
data/README.md), and the red warning of 8 December 07:00 to 10 December 12:00 2015 made through
the services, as the office would have made it."""

from __future__ import annotations

import gzip
import io
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from django.core.management import call_command
from django.test import Client
from django_tasks_db.models import DBTaskResult
from summaries.red_episode import RedEpisode

from conftest import Staff, _staff
from hazeguard.evaluation import ModelSettings, city_mean, combine, evaluate_episode
from hazeguard.io.measurements import read_measurements
from hazeguard.io.weather import read_weather
from hazeguard_platform.core import CHINA
from hazeguard_platform.evaluation.effect import effect_queue, effect_run
from hazeguard_platform.evaluation.models import EffectEstimate
from hazeguard_platform.evaluation.selectors import episode_evaluation_for
from hazeguard_platform.evaluation.tasks import effect_estimate_task
from hazeguard_platform.jurisdictions.models import PlanVersion
from hazeguard_platform.jurisdictions.services import plan_import
from hazeguard_platform.monitoring.demo import _stations_text
from hazeguard_platform.monitoring.services import readings_ingest
from hazeguard_platform.monitoring.stations import stations_import
from hazeguard_platform.monitoring.weather import weather_ingest
from hazeguard_platform.warnings.models import Episode, Warning
from hazeguard_platform.warnings.models import State as WarningState

State = EffectEstimate.State
DATA = Path(__file__).parent / "data" / "beijing-dongsi-2015q4.csv.gz"
RED_START = datetime(2015, 12, 8, 7, tzinfo=CHINA)
RED_END = datetime(2015, 12, 10, 12, tzinfo=CHINA)


def test_lifting_queues_one_estimate_that_names_what_is_missing(red: RedEpisode) -> None:
    (estimate,) = EffectEstimate.objects.filter(episode=red.episode)
    assert estimate.state == State.QUEUED
    assert effect_queue(episode_id=red.episode.pk) == estimate, "a second lift queues no second"
    done = effect_run(estimate_id=estimate.pk)
    assert done is not None
    assert (done.state, done.missing) == (State.MISSING, ["stations", "weather"])
    assert effect_run(estimate_id=estimate.pk) is None, "a task delivered twice runs once"
    evaluation = episode_evaluation_for(red.episode)
    assert evaluation.effect.missing == ("stations", "weather")


def test_the_task_is_enqueued_by_id_when_the_lift_commits(
    red: RedEpisode, django_capture_on_commit_callbacks: Any
) -> None:
    EffectEstimate.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        estimate = effect_queue(episode_id=red.episode.pk)
    assert estimate is not None
    task = DBTaskResult.objects.get(task_path=effect_estimate_task.module_path)
    assert task.args_kwargs["args"] == [estimate.pk]
    assert effect_estimate_task.call(estimate.pk) == State.MISSING


def test_the_command_estimates_now_and_names_what_is_missing(red: RedEpisode) -> None:
    out = io.StringIO()
    EffectEstimate.objects.all().delete()
    call_command("episode_effect", str(red.episode.pk), stdout=out)
    assert out.getvalue().splitlines()[1:] == ["  missing: stations", "  missing: weather"]


@pytest.fixture
def beijing(db: None, make_person: Any) -> Staff:
    version = plan_import(actor=None, plan_id="beijing-2015")
    staff = _staff(make_person, version.jurisdiction)
    stations_import(
        actor=None, jurisdiction=staff.jurisdiction, csv_text=_stations_text(), filename="s.csv"
    )
    text = gzip.decompress(DATA.read_bytes()).decode()
    readings_ingest(
        actor=staff.office_clerk,
        jurisdiction=staff.jurisdiction,
        body=text,
        fmt="csv",
        layout="hazeguard",
        way="upload",
        source=DATA.name,
    )
    weather_ingest(
        actor=staff.office_clerk, jurisdiction=staff.jurisdiction, body=text, source=DATA.name
    )
    return staff


def _red_of_december_2015(staff: Staff) -> Episode:
    """Beijing's red of 8-10 December 2015 as a stored past episode. Beijing's plan file holds
    the criteria only (no approval chain: the platform replays it, never issues under it), so
    the rows are written as the lifting would have left them; the lift's own path is the
    Liaocheng test above."""
    version = PlanVersion.objects.get(jurisdiction=staff.jurisdiction)
    episode = Episode.objects.create(
        jurisdiction=staff.jurisdiction, started_at=RED_START, ended_at=RED_END
    )
    Warning.objects.create(
        jurisdiction=staff.jurisdiction,
        level="red",
        response="I",
        state=WarningState.ENDED,
        plan_version=version,
        proposed_at=RED_START - timedelta(hours=14),
        issued_at=RED_START - timedelta(hours=13),
        starts_at=RED_START,
        ended_at=RED_END,
        end_reason="lifted",
        episode=episode,
    )
    return episode


def test_the_worker_estimates_the_red_of_december_2015_as_the_core_does_from_the_file(
    beijing: Staff,
) -> None:
    episode = _red_of_december_2015(beijing)
    estimate = effect_queue(episode_id=episode.pk)
    assert estimate is not None
    done = effect_run(estimate_id=estimate.pk)
    assert done is not None
    assert done.state == State.DONE, (done.missing, done.error)
    pm25 = next(r for r in done.result if r["pollutant"] == "pm25")

    # The same hours read straight from the file by the core's readers give the same answer:
    # storing them in the platform lost nothing.
    measured = read_measurements([DATA], negative_ok=True)
    weather = read_weather([DATA])
    data = city_mean(combine(measured, weather))
    (core,) = evaluate_episode(
        data,
        pd.Timestamp("2015-12-08 07:00"),
        pd.Timestamp("2015-12-10 12:00"),
        excluded=[(pd.Timestamp("2015-12-10 12:00"), pd.Timestamp("2015-12-11 12:00"))],
        pollutants=["pm25"],
        settings=ModelSettings(),
    )
    assert pm25["hours"] == core.hours == 53
    assert pm25["percent"] == pytest.approx(core.percent, abs=1e-3)
    assert pm25["percent_low"] <= pm25["percent"] <= pm25["percent_high"]
    assert len(pm25["placebo_percents"]) >= 10
    # Out of sample, weather and time explain part of Dongsi's hourly PM2.5 over one autumn
    # (R² 0.40 here; the four-year record gives more, docs/evaluation.md).
    assert pm25["r2"] > 0.3
    print({k: pm25[k] for k in ("percent", "percent_low", "percent_high", "placebo_rank", "r2")})

    evaluation = episode_evaluation_for(episode)
    assert evaluation.effect.available
    shown = next(e for e in evaluation.effect.effects if e.pollutant == "pm25")
    assert shown.placebos == len(pm25["placebo_percents"])
    client = Client()
    client.force_login(beijing.office_clerk)
    page = client.get(f"/evaluation/episode/{episode.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = page.content.decode()
    assert 'id="effect-table"' in text
    assert "安慰剂" in text
    client.cookies["django_language"] = "en"
    english = client.get(f"/evaluation/episode/{episode.pk}/").content.decode()
    assert "beyond the placebo runs" in english or "within the placebo runs" in english
    assert "安慰剂" not in english
    data_json = client.get(f"/evaluation/episode/{episode.pk}/evaluation.json").json()
    assert data_json["effect"]["effects"][0]["pollutant"] == "pm25"
