"""The evaluation of Liaocheng's red episode after lifting: forecast against observed, timeliness,
the criteria on what was observed, compliance, reductions, effect and cost; page, JSON, .docx."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from pathlib import Path

import docx
from django.test import Client
from enterprises.list_helpers import CEMENT_CODE, import_list, write_list
from flows import observe
from summaries.red_episode import RedEpisode

from hazeguard_platform.enterprises.models import ProductionUnit
from hazeguard_platform.evaluation.selectors import episode_evaluation_for

# PM2.5 24-h means [µg/m³] of Dongchangfu's station from 1 to 9 January 2026, and their daily
# AQI (HJ 633-2012 Table 1): 30 -> 43, 260 -> 310, 200 -> 250, 100 -> 133.
PM25 = {1: 30, 2: 30, 3: 30, 4: 260, 5: 260, 6: 200, 7: 200, 8: 100, 9: 30}


def _observe_january(red: RedEpisode) -> None:
    rows = "".join(
        f"{datetime(2026, 1, day, 1) + timedelta(hours=k):%Y-%m-%d %H:%M},东昌府,"
        f"{pm25 - 1 + 2 * (k % 2)},,,,,\n"  # ±1 in turn: a steady value would be flagged stuck
        for day, pm25 in PM25.items()
        for k in range(24)
    )
    observe(red.staff, "time,station,pm25,pm10,so2,no2,o3,co\n" + rows)


def _client(red: RedEpisode) -> Client:
    client = Client()
    client.force_login(red.staff.office_clerk)
    return client


def test_it_judges_the_red_against_the_criteria_on_the_observed_days(red: RedEpisode) -> None:
    _observe_january(red)
    evaluation = episode_evaluation_for(red.episode)

    assert dict(evaluation.observed)[date(2026, 1, 5)] == 310.0
    # Four days above 200 from 4 January, two above 300 (003 §3.1): red was called for from the
    # 4th; the warning started on the 5th, one day later.
    (verdict,) = evaluation.criteria
    assert verdict.verdict == "hit, late"
    assert verdict.replayed_level == "red"
    assert verdict.replayed_first == date(2026, 1, 4)
    assert verdict.lag_days == 1
    # The forecast of 5 January (flows.RED_DAYS: 280-320), issued on the 4th, held 310.
    first = next(c for c in evaluation.forecasts if c.day == date(2026, 1, 5))
    assert (first.aqi_low, first.aqi_high, first.lead_days, first.inside) == (280, 320, 1, True)


def test_it_reads_timeliness_compliance_and_reductions_from_the_episode(red: RedEpisode) -> None:
    evaluation = episode_evaluation_for(red.episode)

    (warning,) = evaluation.warnings
    # Issued at 08:00 on the 4th for 08:00 on the 5th: 24 h, Liaocheng's usual lead (003 §3.3.1).
    assert warning.lead_hours == 24.0
    assert warning.usual_hours == 24.0
    assert warning.lead == "usual"
    assert [step.kind for step in warning.steps][-1] == "approve"
    compliance = evaluation.compliance
    assert compliance.inspections == 1
    assert compliance.violations_found == 1
    assert compliance.enterprises_acknowledged == 1
    assert compliance.production_reports_short == 1  # the cement kiln limited, red stops it
    assert compliance.electricity_checked_at is None  # readings uploaded, check not run yet
    assert evaluation.criteria == ()
    assert evaluation.criteria_problem == "no_observations"
    assert {row.level for row in evaluation.reductions} == {"red"}
    assert evaluation.effect.missing == ("stations", "weather")


def test_the_cost_is_the_output_value_times_the_share_stopped_times_the_days(
    red: RedEpisode, tmp_path: Path
) -> None:
    before = episode_evaluation_for(red.episode).cost
    assert before.total is None
    assert before.units_cut > 0
    # The list imported again with the cement kiln's 日产值: 100,000 yuan a day; red stops it
    # entirely (its site plan).
    path = write_list(tmp_path / "valued.xlsx", output_value={(CEMENT_CODE, "K1"): 100_000.0})
    import_list(red.staff.office_clerk, red.staff.jurisdiction, path)
    assert ProductionUnit.objects.get(unit_id="K1").output_value == 100_000.0

    cost = episode_evaluation_for(red.episode).cost

    (line,) = [line for line in cost.lines if line[1] == "K1"]
    days = cost.days["red"]
    assert 2 < days < 3  # 08:00 on the 5th to the lift on the 7th
    assert line[5] == 1.0
    assert cost.total == 100_000.0 * days
    assert f"{CEMENT_CODE}/M1" in cost.units_without_value  # the mill has no output value


def test_the_page_json_and_docx_show_the_evaluation_in_both_languages(red: RedEpisode) -> None:
    _observe_january(red)
    client = _client(red)
    url = f"/evaluation/episode/{red.episode.pk}/"

    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "过程评估" in text
    assert "命中，迟发" in text
    assert "echarts.min.js" in text
    client.cookies["django_language"] = "en"
    english = client.get(url).content.decode()
    assert "hit, issued late" in english
    assert "Episode evaluation" in english
    assert "命中" not in english
    client.cookies["django_language"] = "zh-hans"

    data = client.get(f"{url}evaluation.json").json()
    assert data["criteria"][0]["verdict"] == "hit, late"
    assert data["warnings"][0]["lead"] == "usual"
    word = docx.Document(io.BytesIO(client.get(f"{url}evaluation.docx").content))
    body = "\n".join(p.text for p in word.paragraphs)
    assert "重污染天气过程评估报告" in body
    assert "判定：命中，迟发" in body
    summary = client.get(f"/summaries/episode/{red.episode.pk}/").content.decode()
    assert f'href="{url}"' in summary


def test_only_the_command_office_sees_the_evaluation(red: RedEpisode) -> None:
    client = Client()
    client.force_login(red.firms.cement_contact)
    assert client.get(f"/evaluation/episode/{red.episode.pk}/").status_code == 403
    assert _client(red).get("/evaluation/episode/999999/").status_code == 404
