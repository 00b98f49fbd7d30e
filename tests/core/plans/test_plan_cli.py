"""``hazeguard plan``: list, show, check and diff as a person uses them."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from hazeguard.cli import main
from hazeguard.plans import Plan, load_plan, plan_ids
from hazeguard.plans.loader import plan_path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["plan", *args])
    return result.exit_code, result.stdout, result.stderr


def test_plan_list_prints_one_plan_per_line_starting_with_its_id() -> None:
    code, out, _ = run("list")
    assert code == 0
    assert [line.split("\t")[0] for line in out.splitlines()] == plan_ids()


def test_plan_show_prints_criteria_approvers_deadlines_and_measures() -> None:
    code, out, _ = run("show", "liaocheng-2020")
    assert code == 0
    assert "red criteria: ((AQI > 200 for ≥ 96 h) and (AQI > 300 for ≥ 48 h))" in out
    assert "red approver: commander" in out
    assert "deadline public_notice: within 2 h after warning issued" in out
    assert "measures at red (28):" in out


def test_plan_show_refuses_an_unknown_id() -> None:
    code, _, err = run("show", "atlantis-2020")
    assert code == 1
    assert "no plan 'atlantis-2020'" in err


def test_plan_check_says_ok_for_a_shipped_file() -> None:
    code, out, _ = run("check", str(plan_path("kashgar-2023")))
    assert code == 0
    assert out.startswith("OK kashgar-2023")


def test_plan_check_exits_2_naming_file_line_and_key(tmp_path: Path) -> None:
    text = plan_path("liaocheng-2020").read_text(encoding="utf-8")
    broken = tmp_path / "2020.yaml"
    broken.write_text(text.replace("  criteria:", "  critera:", 1), encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row.startswith("  criteria:"))
    code, _, err = run("check", str(broken))
    assert code == 2
    assert f"2020.yaml:{line}: unknown key 'critera' in levels[0]" in err


def test_plan_diff_shows_what_changed_between_beijing_2015_and_2016() -> None:
    code, out, _ = run("diff", "beijing-2015", "beijing-2016")
    assert code == 0
    assert "- orange criteria: AQI > 200 for ≥ 72 h" in out
    assert "+ orange criteria: (AQI > 200 for ≥ 72 h) and (AQI > 300 for ≥ 24 h)" in out
    assert "blue criteria" not in out


def test_plan_diff_of_a_plan_with_itself_finds_nothing() -> None:
    code, out, _ = run("diff", "kashgar-2023", "kashgar-2023")
    assert code == 0
    assert out.strip().endswith("(no differences)")


def test_plan_show_json_prints_the_snapshot_the_platform_stores() -> None:
    code, out, _ = run("show", "beijing-2016", "--json")
    assert code == 0
    assert Plan.from_dict(json.loads(out)) == load_plan("beijing-2016")


def test_plan_workflow_says_who_approves_orange_in_kashgar_chinese_first() -> None:
    code, out, _ = run("workflow", "kashgar-2023")
    assert code == 0
    orange = out.split("发布 橙色预警 [001 §3.5]\n", 1)[1].split("\n调整", 1)[0]
    assert orange.splitlines() == [
        "  1. 提出：指挥部办公室 [001 §2.2.1]",
        "  2. 审核：指挥部办公室主任 [001 §3.5]",
        "  3. 批准：副指挥长 [001 §3.5]",
    ]


def test_plan_workflow_says_when_a_liaocheng_warning_lifts_in_english() -> None:
    code, out, _ = run("workflow", "liaocheng-2020", "--lang", "en")
    assert code == 0
    assert "lifting: air quality improves to AQI ≤ 150, forecast to last at least 36 h" in out
    assert "lift red warning [003 §3.3.2]\n  1. propose: coordination group" in out
    assert "  3. approve: commander [003 §3.3.1]" in out
    assert "预" not in out  # one language at a time


def test_plan_workflow_shows_a_silence_with_the_plan_files_note() -> None:
    code, out, _ = run("workflow", "dalian-xigang-2023")
    assert code == 0
    assert "提前发布：预案未规定：000未规定提前发布时间" in out
    assert "2. 批准：副指挥长或指挥长 [000 §2.1]" in out
