"""``EpisodeSummary.from_dict``: the episode from JSON, each bad field named by its path."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from test_summary_report import liaocheng_episode

from hazeguard.documents.summary import EpisodeSummary
from hazeguard.documents.summary_json import SummaryDataError

EXAMPLE = Path(__file__).parent / "data" / "episode_liaocheng.json"
SCHEMA = Path(__file__).parents[3] / "docs" / "episode-summary.schema.json"


def example() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    return data


def test_the_shipped_example_is_the_liaocheng_episode_field_for_field() -> None:
    assert EpisodeSummary.from_dict(example()) == liaocheng_episode()


def test_a_summary_written_as_json_reads_back_equal() -> None:
    episode = liaocheng_episode()
    data = json.loads(json.dumps(episode.to_dict(), ensure_ascii=False))
    assert data["reductions"][2]["claimed"] is None
    assert data["compliance"][0]["acknowledged"] is True
    assert EpisodeSummary.from_dict(data) == episode


def test_times_with_an_offset_become_local_time_and_optional_fields_may_be_null() -> None:
    data = example()
    data["prepared_at"] = "2024-12-16T02:00:00Z"
    data["notices"][1]["done"] = None
    data["aqi"][0]["observed"] = 225  # an integer is a number
    episode = EpisodeSummary.from_dict(data)
    assert episode.prepared_at == dt.datetime(2024, 12, 16, 10, 0)
    assert episode.notices[1].done is None
    assert not episode.notices[1].on_time
    assert episode.aqi[0].observed == 225.0


def test_only_the_first_four_fields_and_the_timeline_are_required() -> None:
    data = {key: example()[key] for key in ("jurisdiction_zh", "plan_id", "prepared_by_zh")}
    data |= {"prepared_at": "2024-12-16T10:00", "timeline": example()["timeline"][:1]}
    episode = EpisodeSummary.from_dict(data)
    assert episode.notices == ()
    assert episode.highest_level == "orange"


def changed(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(example())
    target = data
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("timeline", 1, "level"), "purple", "episode.timeline[1].level: 'purple' is not one of "
         "advisory, yellow, orange, red"),
        (("plan_id",), KeyError, "episode.plan_id: required field is missing"),
        (("aqi", 2, "forecast"), "260", "episode.aqi[2].forecast: expected number, got text"),
        (("aqi", 2, "day"), "12/11/2024", "episode.aqi[2].day: '12/11/2024' is not an ISO 8601 "
         "date"),
        (("notices", 0, "due"), 5, "episode.notices[0].due: 5 is not an ISO 8601 date-time"),
        (("compliance", 0, "violation"), -1, "episode.compliance[0].violation: -1 is negative; "
         "a count is never negative"),
        (("compliance", 0, "violation"), True, "episode.compliance[0].violation: expected "
         "integer, got a boolean"),
        (("reports",), {}, "episode.reports: expected an array, got an object"),
        (("measures", 0), "停工", "episode.measures[0]: expected an object, got text"),
        (("timeline", 0, "time"), "2024-12-13T00:00", "episode: the timeline must be in time "
         "order"),
    ],
)  # fmt: skip
def test_it_names_the_field_of_a_bad_value(path: tuple[Any, ...], value: Any, message: str) -> None:
    with pytest.raises(SummaryDataError) as raised:
        EpisodeSummary.from_dict(changed(path, value))
    assert str(raised.value) == message


def test_it_rejects_an_unknown_field_listing_the_known_ones() -> None:
    data = changed(("inspections", 0, "penalty_yuan"), 50_000)
    with pytest.raises(SummaryDataError, match=r"^episode\.inspections\[0\]: unknown field\(s\) "
                       r"\['penalty_yuan'\]; known: \['time', 'enterprise_zh', 'finding_zh', "
                       r"'outcome_zh', 'violation', 'penalty_zh', 'downgrade_zh'\]$"):  # fmt: skip
        EpisodeSummary.from_dict(data)


def test_the_documented_schema_file_is_the_dataclasses_schema() -> None:
    schema = EpisodeSummary.json_schema()
    assert json.loads(SCHEMA.read_text(encoding="utf-8")) == schema
    assert schema["required"] == [
        "jurisdiction_zh", "plan_id", "prepared_by_zh", "prepared_at", "timeline",
    ]  # fmt: skip
    timeline = schema["properties"]["timeline"]["items"]
    assert timeline["properties"]["level"] == {
        "type": "string",
        "enum": ["advisory", "yellow", "orange", "red"],
    }
    assert timeline["additionalProperties"] is False
    aqi = schema["properties"]["aqi"]["items"]["properties"]
    assert aqi["forecast"] == {"anyOf": [{"type": "number"}, {"type": "null"}]}
    assert aqi["day"] == {"type": "string", "format": "date"}
