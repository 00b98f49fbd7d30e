"""The yearly evaluation page: every episode of the year with its verdict, the counts, the
findings for the revision and the planning cycle's deadlines as the plan carries them."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import docx
import time_machine
from django.test import Client
from django.utils import translation
from enterprises.list_helpers import CEMENT_CODE, import_list, write_list
from summaries.red_episode import CEMENT_ZH, RedEpisode

from conftest import Staff
from hazeguard_platform.core import CHINA
from hazeguard_platform.evaluation.findings import cycle_sentence
from hazeguard_platform.evaluation.models import EffectEstimate
from hazeguard_platform.evaluation.selectors import episode_evaluation_for
from hazeguard_platform.evaluation.year import year_evaluation_for
from hazeguard_platform.evaluation.year_charts import MONTHLY_CAPTION, SKILL_CAPTION

from .test_episode_evaluation import _observe_january


def _client(staff: Staff) -> Client:
    client = Client()
    client.force_login(staff.office_clerk)
    return client


def test_the_year_lists_the_red_as_a_late_hit_and_finds_it(red: RedEpisode) -> None:
    _observe_january(red)
    year = year_evaluation_for(red.staff.jurisdiction, 2026)

    (row,) = year.rows
    assert (row.verdict, row.level, row.lead) == ("hit, late", "red", "usual")
    assert (year.count("hit"), year.count("late"), year.count("false alarm")) == (1, 1, 0)
    assert year.misses == ()
    assert [(f.code, f.count, f.total) for f in year.findings] == [("late", 1, 1)]
    # The forecasts entered on 4 January (flows.RED_DAYS) against the observed 5-9 January:
    # 280-320 held 310; 290-330 missed 250 (6th), 300-340 missed 250 (7th), 270-310 missed 133,
    # 210-250 missed 43 (HJ 633 AQI of the PM25 means).
    (skill,) = year.skill
    assert (skill.source, skill.days, skill.inside_share) == ("entry", 5, 0.2)
    page = _client(red.staff).get("/evaluation/liaocheng/2026/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-count="late">1<' in text
    assert "已判定的 1 次过程中有 1 次晚于实测数据达到预案启动标准的时间。" in text
    assert f'href="/evaluation/episode/{row.episode_id}/"' in text
    english = _client(red.staff)
    english.cookies["django_language"] = "en"
    text = english.get("/evaluation/liaocheng/2026/").content.decode()
    assert "1 of 1 judged episodes began later than the plan&#x27;s criteria were met" in text
    assert "hit, issued late" in text
    assert page.get("Content-Type", "").startswith("text/html")
    # The cement plant's confirmed downgrade after the inspection (summaries.red_episode).
    (downgrade,) = [g for g in year.changes.grade_changes if g.by == "supervision"]
    assert downgrade.name == CEMENT_ZH
    assert '<tr data-by="supervision">' in text
    assert "downgrade after an inspection" in text
    download = _client(red.staff).get("/evaluation/liaocheng/2026/evaluation.docx")
    assert download.status_code == 200
    document = docx.Document(io.BytesIO(download.content))
    # The monthly verdicts and, with the forecast entered for the red, the forecast skill.
    assert len(document.inline_shapes) == 2
    captions = [p.text for p in document.paragraphs if p.text.startswith("图 ")]
    assert captions == [MONTHLY_CAPTION, SKILL_CAPTION]
    episodes = _client(red.staff).get("/summaries/liaocheng/").content.decode()
    assert 'href="/evaluation/liaocheng/2026/"' in episodes


# One pollutant's stored result as the worker writes it (the core's EpisodeEffect as JSON).
PM25_RESULT = {
    "pollutant": "PM2.5",
    "hours": 48,
    "observed": 150.0,
    "counterfactual": 200.0,
    "effect": -50.0,
    "low": -80.0,
    "high": -20.0,
    "percent": -25.0,
    "percent_low": -40.0,
    "percent_high": -10.0,
    "placebo_percents": [-5.0, 3.0, 8.0],
    "placebo_rank": 0.0,
    "placebo_significant": 0.0,
    "r2": 0.6,
    "rmse": 30.0,
    "train_hours": 3000,
}


def test_the_year_gives_each_episodes_effect_and_cost_and_their_totals(
    red: RedEpisode, tmp_path: Path
) -> None:
    """Issue 13 §3: "effect and cost per episode and in total"."""
    path = write_list(tmp_path / "valued.xlsx", output_value={(CEMENT_CODE, "K1"): 100_000.0})
    import_list(red.staff.office_clerk, red.staff.jurisdiction, path)
    EffectEstimate.objects.create(
        episode=red.episode, state=EffectEstimate.State.DONE, result=[PM25_RESULT]
    )

    year = year_evaluation_for(red.staff.jurisdiction, 2026)

    (row,) = year.rows
    cost = episode_evaluation_for(red.episode).cost.total
    assert cost is not None
    assert row.cost == cost  # the episode evaluation's own figure
    assert year.total_cost == cost
    assert row.pm25 is not None
    assert (row.pm25.percent, row.pm25.percent_low, row.pm25.percent_high) == (-25.0, -40.0, -10.0)
    assert (year.pm25_mean_percent, year.pm25_hours) == (-25.0, 48)
    text = _client(red.staff).get("/evaluation/liaocheng/2026/").content.decode()
    assert f'data-effect="-25.0"><a href="/evaluation/episode/{row.episode_id}/#effect">' in text
    assert "(-40.0 … -10.0)" in text
    assert f'data-cost="{cost:.0f}"' in text
    totals = text[text.index('id="year-totals"') :]
    assert 'data-effect="-25.0"' in totals
    assert f'data-cost="{cost:.0f}"' in totals
    download = _client(red.staff).get("/evaluation/liaocheng/2026/evaluation.docx")
    document = docx.Document(io.BytesIO(download.content))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert "-25.0%（-40.0 … -10.0）" in cells
    assert f"{cost:,.0f}" in cells
    assert "全年" in cells


def test_the_planning_cycle_s_deadlines_come_from_the_plan_with_their_state(
    kashgar: Staff,
) -> None:
    # 1 September 2025: the list (001 §8.5, 15 September) is due within 30 days; the revision
    # (001 §5.2, end of October) is upcoming.
    with time_machine.travel(dt.datetime(2025, 9, 1, 12, tzinfo=CHINA), tick=False):
        year = year_evaluation_for(kashgar.jurisdiction, 2025)
    assert year.rows == ()
    assert not year.judged
    states = {(c.kind, c.due.isoformat(), c.clause): c.state for c in year.cycle}
    assert states == {
        ("list_update", "2025-09-15", "001 §8.5"): "due",
        ("plan_revision", "2025-10-31", "001 §5.2"): "upcoming",
    }
    # December: no list was imported in 2025, so the list is overdue; the revision is due only
    # when the evaluation calls for a major change, which the platform cannot know.
    with time_machine.travel(dt.datetime(2025, 12, 1, 12, tzinfo=CHINA), tick=False):
        year = year_evaluation_for(kashgar.jurisdiction, 2025)
    assert [c.state for c in year.cycle] == ["overdue", "unrecorded"]
    assert "kashgar-2023" in cycle_sentence(year)


def test_a_plan_silent_on_the_cycle_is_quoted_from_its_file(red: RedEpisode) -> None:
    year = year_evaluation_for(red.staff.jurisdiction, 2026)
    assert year.cycle == ()
    assert "003 §4.9" in year.cycle_silence
    with translation.override("zh-hans"):
        assert "003未规定年度时限" in cycle_sentence(year)


def test_a_year_that_is_not_a_year_is_refused_and_others_are_forbidden(
    red: RedEpisode,
) -> None:
    assert _client(red.staff).get("/evaluation/liaocheng/20x6/").status_code == 404
    assert _client(red.staff).get("/evaluation/nowhere/2026/").status_code == 404
    outsider = Client()
    outsider.force_login(red.firms.cement_contact)
    assert outsider.get("/evaluation/liaocheng/2026/").status_code == 403
