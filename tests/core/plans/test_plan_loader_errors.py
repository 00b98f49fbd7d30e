"""The loader rejects what the schema does not know, naming the file, the line and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from hazeguard.plans import Parent, Plan, PlanError, load_plan, load_plan_file

MINIMAL = """\
id: demo-2020
year: 2020
title_zh: 示例预案
source: a test
completeness: criteria_only
jurisdiction: {code: demo, name_zh: 示例市, name_en: Demo, kind: city}
levels:
  - name: yellow
    response: III
    criteria: {op: ">", threshold: 200, duration: {hours: 48}}
    clause: "003 §3.1"
    text_zh: 黄色预警
  - name: red
    response: I
    criteria: {op: ">", threshold: 300, duration: {days: 2}}
    clause: "003 §3.1"
    text_zh: 红色预警
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "2020.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def error_for(tmp_path: Path, old: str, new: str) -> PlanError:
    assert old in MINIMAL
    with pytest.raises(PlanError) as caught:
        load_plan_file(write(tmp_path, MINIMAL.replace(old, new, 1)))
    return caught.value


def test_it_loads_the_minimal_plan(tmp_path: Path) -> None:
    plan = load_plan_file(write(tmp_path, MINIMAL))
    assert plan.level_names == ("yellow", "red")
    assert plan.level("red").criteria == plan.levels[1].criteria


def test_it_rejects_an_unknown_key_with_its_line(tmp_path: Path) -> None:
    error = error_for(
        tmp_path, '    criteria: {op: ">", threshold: 300', '    critera: {op: ">", threshold: 300'
    )
    assert (error.line, error.key) == (15, "critera")
    assert str(error).endswith("2020.yaml:15: unknown key 'critera' in levels[1]")


def test_it_rejects_an_unknown_operator(tmp_path: Path) -> None:
    error = error_for(tmp_path, 'op: ">", threshold: 300', 'op: "=>", threshold: 300')
    assert (error.line, error.key) == (15, "op")
    assert "unknown operator '=>' in levels[1].criteria" in str(error)


def test_it_rejects_an_unknown_level(tmp_path: Path) -> None:
    error = error_for(tmp_path, "name: red", "name: purple")
    assert (error.line, error.key) == (13, "name")
    assert "unknown level 'purple'" in str(error)


def test_it_rejects_an_unknown_unit(tmp_path: Path) -> None:
    error = error_for(tmp_path, "{days: 2}", "{weeks: 2}")
    assert (error.line, error.key) == (15, "weeks")
    assert "unknown unit 'weeks' in levels[1].criteria.duration" in str(error)


def test_it_rejects_an_unknown_metric(tmp_path: Path) -> None:
    error = error_for(tmp_path, 'op: ">", threshold: 300', 'metric: pm10, op: ">", threshold: 300')
    assert (error.line, error.key) == (15, "metric")


def test_it_rejects_a_missing_required_key(tmp_path: Path) -> None:
    error = error_for(
        tmp_path, '    clause: "003 §3.1"\n    text_zh: 红色预警\n', "    text_zh: 红色预警\n"
    )
    assert (error.line, error.key) == (13, "clause")
    assert "missing key 'clause' in levels[1]" in str(error)


def test_it_rejects_levels_out_of_order(tmp_path: Path) -> None:
    text = MINIMAL.replace("name: yellow", "name: X").replace("name: red", "name: yellow")
    with pytest.raises(PlanError, match="levels must run low to high") as caught:
        load_plan_file(write(tmp_path, text.replace("name: X", "name: red")))
    assert caught.value.line == 13


def test_it_rejects_a_clause_that_names_no_seed_section(tmp_path: Path) -> None:
    error = error_for(
        tmp_path,
        '    clause: "003 §3.1"\n    text_zh: 红色',
        '    clause: "3.1"\n    text_zh: 红色',
    )
    assert error.line == 13
    assert "clause '3.1' must read like '003 §3.1'" in str(error)


def test_it_rejects_a_criterion_with_two_shapes(tmp_path: Path) -> None:
    error = error_for(
        tmp_path,
        'criteria: {op: ">", threshold: 300, duration: {days: 2}}',
        'criteria: {any_of: [], op: ">", threshold: 300, duration: {days: 2}}',
    )
    assert error.line == 15
    assert "exactly one of 'op', 'any_of', 'all_of'" in str(error)


def test_it_rejects_a_duplicate_key(tmp_path: Path) -> None:
    error = error_for(tmp_path, "year: 2020\n", "year: 2020\nyear: 2021\n")
    assert (error.line, error.key) == (3, "year")


def test_it_rejects_text_where_a_number_belongs(tmp_path: Path) -> None:
    error = error_for(tmp_path, "threshold: 300", "threshold: high")
    assert (error.line, error.key) == (15, "threshold")


def test_it_rejects_an_id_that_does_not_match_code_and_year(tmp_path: Path) -> None:
    error = error_for(tmp_path, "id: demo-2020", "id: demo-2021")
    assert (error.line, error.key) == (1, "id")


def test_it_reports_invalid_yaml_with_its_line(tmp_path: Path) -> None:
    error = error_for(tmp_path, "title_zh: 示例预案", "title_zh: [示例预案")
    assert error.line is not None
    assert "not valid YAML" in str(error)


def test_it_names_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(PlanError, match="cannot read the file"):
        load_plan_file(tmp_path / "absent.yaml")


def test_it_rejects_a_criterion_duration_that_is_not_whole_days(tmp_path: Path) -> None:
    error = error_for(tmp_path, "{days: 2}", "{hours: 36}")
    assert error.line == 15
    assert "whole number of days" in str(error)


def test_it_rejects_a_less_than_operator_in_a_criterion(tmp_path: Path) -> None:
    error = error_for(tmp_path, 'op: ">", threshold: 300', 'op: "<", threshold: 300')
    assert (error.line, error.key) == (15, "op")


# --- parent: named, or (older files and snapshots) its code alone ---------------------------

JURISDICTION = "jurisdiction: {code: demo, name_zh: 示例市, name_en: Demo, kind: city}\n"


def with_parent(tmp_path: Path, parent: str) -> Plan:
    return load_plan_file(write(tmp_path, MINIMAL.replace(JURISDICTION, JURISDICTION + parent)))


def parent_error(tmp_path: Path, parent: str) -> PlanError:
    with pytest.raises(PlanError) as caught:
        with_parent(tmp_path, parent)
    return caught.value


def test_a_plan_names_its_parent(tmp_path: Path) -> None:
    plan = with_parent(tmp_path, "parent:\n  code: dalian\n  name_zh: 大连市\n  name_en: Dalian\n")
    assert plan.parent == Parent("dalian", "大连市", "Dalian")


def test_a_parent_given_by_its_code_alone_still_loads(tmp_path: Path) -> None:
    plan = with_parent(tmp_path, "parent: dalian\n")
    assert plan.parent == Parent("dalian")
    assert plan.parent is not None
    assert not plan.parent.named


def test_it_rejects_an_unknown_key_in_the_parent_with_its_line(tmp_path: Path) -> None:
    error = parent_error(tmp_path, "parent:\n  code: dalian\n  name: 大连市\n")
    assert (error.line, error.key) == (9, "name")
    assert str(error).endswith("2020.yaml:9: unknown key 'name' in parent")


def test_it_rejects_a_parent_named_in_one_language_only(tmp_path: Path) -> None:
    error = parent_error(tmp_path, "parent: {code: dalian, name_zh: 大连市}\n")
    assert (error.line, error.key) == (7, "parent")
    assert "name_zh and name_en in parent" in str(error)


def test_it_rejects_an_unknown_parent_kind(tmp_path: Path) -> None:
    error = parent_error(
        tmp_path, "parent: {code: qing, name_zh: 清, name_en: Qing, kind: empire}\n"
    )
    assert error.line == 7
    assert "unknown kind 'empire' in parent" in str(error)


def test_it_rejects_a_parent_that_is_a_list(tmp_path: Path) -> None:
    error = parent_error(tmp_path, "parent: [dalian]\n")
    assert (error.line, error.key) == (7, "parent")
    assert "expected text at parent" in str(error)


def test_a_complete_plan_must_state_or_silence_each_workflow_fact(tmp_path: Path) -> None:
    # Issue 10: "where the plan is silent, say so in the plan file". The Xigang file without its
    # lead-time silence is refused, naming what to do.
    from hazeguard.plans.loader import plan_path

    text = plan_path("dalian-xigang-2023").read_text(encoding="utf-8")
    start = text.index("  - topic: lead_time\n")
    end = text.index("  - topic: merge\n")
    path = tmp_path / "xigang.yaml"
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(PlanError, match="states no lead_time: state it, or list it under"):
        load_plan_file(path)


def test_a_stored_snapshot_without_a_workflow_section_still_loads() -> None:
    snapshot = load_plan("kashgar-2023").to_dict()
    snapshot.pop("workflow")
    assert Plan.from_dict(snapshot).workflow is None
