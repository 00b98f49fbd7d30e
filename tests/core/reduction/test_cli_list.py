"""``hazeguard list``: template, export, check, plan and sign, run as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from docx import Document
from openpyxl import load_workbook
from sample_list import CEMENT, sample_book

from hazeguard.cli import main
from hazeguard.reduction.io_excel import read_workbook, write_workbook

DATA = Path(__file__).parent / "data"
LIAOCHENG = DATA / "targets_liaocheng.yaml"


def run(*args: object) -> Result:
    return CliRunner().invoke(main, ["list", *map(str, args)])


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("city") / "city.xlsx"
    result = run("export", "--synthetic", 120, "--seed", 5, "-o", path)
    assert result.exit_code == 0, result.output
    return path


def targets(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "targets.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_list_template_writes_the_four_sheets(tmp_path: Path) -> None:
    result = run("template", tmp_path / "t.xlsx")
    assert result.exit_code == 0, result.output
    assert load_workbook(tmp_path / "t.xlsx").sheetnames == [
        "企业",
        "生产单元",
        "减排措施",
        "排放清单",
    ]


def test_list_export_rewrites_a_workbook_to_the_same_list(tmp_path: Path) -> None:
    write_workbook(sample_book(), tmp_path / "in.xlsx")
    result = run("export", tmp_path / "in.xlsx", "-o", tmp_path / "out.xlsx")
    assert result.exit_code == 0, result.output
    assert read_workbook(tmp_path / "out.xlsx") == sample_book()


def test_list_check_prints_each_level_against_the_plan_targets(city: Path) -> None:
    result = run("check", city, "--targets", LIAOCHENG, "--json")
    payload = json.loads(result.output)
    assert [level["level"] for level in payload["levels"]] == ["yellow", "orange", "red"]
    assert payload["levels"][0]["pollutants"][0]["target"] == 0.10
    assert result.exit_code == (0 if payload["passed"] else 1)


def test_list_check_takes_the_targets_from_the_plan_file(city: Path) -> None:
    from_plan = json.loads(run("check", city, "--plan", "liaocheng-2020", "--json").output)
    from_file = json.loads(run("check", city, "--targets", LIAOCHENG, "--json").output)
    # Liaocheng 003 §4.3: SO2, NOx, PM, VOCs cut 10/20/30 %, the same as the targets file.
    assert [[row["target"] for row in level["pollutants"]] for level in from_plan["levels"]] == [
        [0.10] * 4,
        [0.20] * 4,
        [0.30] * 4,
    ]
    assert from_plan["levels"] == from_file["levels"]


def test_list_plan_takes_the_level_targets_from_the_plan_file(city: Path) -> None:
    result = run("plan", city, "--plan", "liaocheng-2020", "--level", "yellow", "--json")
    payload = json.loads(result.output)
    assert (result.exit_code, payload["level"], payload["status"]) == (0, "yellow", "optimal")
    # an optimal plan reaches every yellow target of 003 §4.3 (10 % of each pollutant)
    assert min(payload["ratio"].values()) >= 0.10


def test_it_wants_exactly_one_of_plan_and_targets(city: Path) -> None:
    neither = run("check", city)
    both = run("check", city, "--plan", "liaocheng-2020", "--targets", LIAOCHENG)
    assert neither.exit_code == both.exit_code == 2
    assert "exactly one of --plan ID or --targets FILE" in neither.output


def test_it_names_an_unknown_plan(city: Path) -> None:
    result = run("check", city, "--plan", "atlantis-2030")
    assert result.exit_code == 2
    assert "Invalid value for --plan" in result.output
    assert "no plan 'atlantis-2030'" in result.output


def test_list_check_names_the_import_error_cell(tmp_path: Path) -> None:
    write_workbook(sample_book(), tmp_path / "list.xlsx")
    workbook = load_workbook(tmp_path / "list.xlsx")
    workbook["企业"]["F3"] = "Z级"
    workbook.save(tmp_path / "list.xlsx")
    result = run("check", tmp_path / "list.xlsx", "--targets", LIAOCHENG)
    assert result.exit_code == 1
    assert "企业!F3 (绩效分级)" in result.output
    assert "nothing imported" in result.output


def test_list_plan_closes_every_gap_at_the_least_cost(city: Path, tmp_path: Path) -> None:
    high = targets(
        tmp_path,
        "levels:\n  yellow: {SO2: 0.3, NOx: 0.3, PM: 0.2, VOCs: 0.3, so2_nox_sum: 0.62}\n",
    )
    result = run("plan", city, "--targets", high, "--level", "yellow", "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["status"] == "optimal"
    assert payload["ratio"]["PM"] >= 0.2 - 1e-9
    assert payload["ratio"]["SO2"] + payload["ratio"]["NOx"] >= 0.62 - 1e-9
    assert payload["extra_measures"]
    assert all(m["extra_cost_yuan_per_d"] > 0 for m in payload["extra_measures"])


def test_list_plan_names_the_pollutant_it_cannot_close(city: Path, tmp_path: Path) -> None:
    impossible = targets(tmp_path, "levels:\n  red: {PM: 0.95}\n")
    result = run("plan", city, "--targets", impossible, "--level", "red")
    assert result.exit_code == 1
    assert "NO PLAN: infeasible" in result.output
    assert "PM: target 95.0%, best with every candidate" in result.output


def test_it_rejects_a_targets_file_with_an_unknown_key(city: Path, tmp_path: Path) -> None:
    bad = targets(tmp_path, "levels:\n  red: {PM2.5: 0.3}\n")
    result = run("plan", city, "--targets", bad, "--level", "red")
    assert result.exit_code == 2
    assert "levels.red.PM2.5: unknown key" in result.output


def test_list_sign_writes_the_site_sign_and_the_site_plan(tmp_path: Path) -> None:
    book = tmp_path / "list.xlsx"
    write_workbook(sample_book(), book)
    result = run("sign", book, "--enterprise", CEMENT, "-o", tmp_path / "s.docx")
    assert result.exit_code == 0, result.output
    result = run("sign", book, "--enterprise", CEMENT, "-o", tmp_path / "p.docx", "--site-plan")
    assert result.exit_code == 0, result.output
    sign = Document(str(tmp_path / "s.docx"))
    cells = [cell.text for table in sign.tables for row in table.rows for cell in row.cells]
    assert "聊城示例水泥有限公司" in cells
    assert "一厂一策" in Document(str(tmp_path / "p.docx")).paragraphs[0].text


def test_list_sign_rejects_an_unknown_enterprise(tmp_path: Path) -> None:
    write_workbook(sample_book(), tmp_path / "list.xlsx")
    result = run("sign", tmp_path / "list.xlsx", "--enterprise", "X", "-o", tmp_path / "s.docx")
    assert result.exit_code == 2
    assert "no enterprise X" in result.output
