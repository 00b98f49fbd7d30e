"""Rule tables: the shipped tables load, bad files are rejected naming file, line and key."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from hazeguard.reduction.model import (
    Emissions,
    EmissionStage,
    Enterprise,
    EnterpriseCategory,
    Grade,
    MeasureKind,
    ProductionUnit,
    WarningLevel,
)
from hazeguard.reduction.rules import (
    RULES_DIRECTORY,
    Confidence,
    RuleTableError,
    default_rule_book,
    load_rule_book,
    load_rule_table,
)
from hazeguard.reduction.uscc import credit_code_check_character

YELLOW, ORANGE, RED = WarningLevel.YELLOW, WarningLevel.ORANGE, WarningLevel.RED
LIAOCHENG = RULES_DIRECTORY / "city" / "liaocheng"

GOOD = """\
industry: test_industry
name_zh: 测试行业
source: a test
confidence: M
effective: 2021-01-01
grades:
  B:
    yellow: []
    orange:
      - {kind: limit, percent: 20}
    red:
      - {kind: stop}
"""


def write(tmp_path: Path, text: str, name: str = "table.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def enterprise(
    key_industry: str | None, industry_code: str, category: EnterpriseCategory
) -> Enterprise:
    body = "91371500MA3C0000" + str(len(industry_code))
    return Enterprise(
        credit_code=body + credit_code_check_character(body),
        name="测试企业",
        county="东昌府区",
        industry_code=industry_code,
        key_industry=key_industry,
        grade=Grade.C,
        category=category,
        units=(ProductionUnit("U1", "一号线", "kiln", 100.0, Emissions(1, 1, 1, 1)),),
    )


def test_it_ships_the_complete_cement_clinker_table() -> None:
    table = load_rule_table(RULES_DIRECTORY / "national" / "cement_clinker.yaml")
    assert table.confidence is Confidence.VERIFIED
    assert table.name_zh == "水泥熟料"
    for grade in ("A", "leading", "B", "C", "D"):
        for level in (YELLOW, ORANGE, RED):
            assert (grade, level) in table.cells
    orange_b = table.cell(Grade.B, ORANGE)
    assert orange_b is not None
    assert [(m.kind, m.fraction) for m in orange_b.measures] == [
        (MeasureKind.LIMIT, 0.2),
        (MeasureKind.TRUCK_BAN, None),
    ]
    yellow_c = table.cell(Grade.C, YELLOW)
    assert yellow_c is not None
    assert yellow_c.measures[0].kind is MeasureKind.STOP_LINES
    assert yellow_c.measures[0].fraction == 0.5
    yellow_d = table.cell(Grade.D, YELLOW)
    assert yellow_d is not None
    assert yellow_d.measures[1].truck_stage is EmissionStage.CHINA_6  # 停止公路运输
    red_a = table.cell(Grade.A, RED)
    assert red_a is not None
    assert red_a.voluntary


def test_it_cites_the_row_each_cell_came_from() -> None:
    table = load_rule_table(RULES_DIRECTORY / "national" / "cement_clinker.yaml")
    cell = table.cell(Grade.C, YELLOW)
    assert cell is not None
    assert cell.ref.startswith("cement_clinker.yaml:")
    assert cell.ref.endswith("grades.C.yellow")
    line = int(cell.ref.split(":")[1].split()[0])
    text = (RULES_DIRECTORY / "national" / "cement_clinker.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[line - 1].strip() == "yellow:"


def test_it_follows_the_grade_fallback() -> None:
    table = load_rule_table(RULES_DIRECTORY / "national" / "flat_glass.yaml")
    assert table.cell(Grade.UNGRADED, ORANGE) == table.cell(Grade.C, ORANGE)
    assert table.cell(Grade.A_PLUS, RED) == table.cell(Grade.A, RED)


def test_it_labels_every_shipped_table_with_source_and_confidence() -> None:
    book = default_rule_book([LIAOCHENG])
    assert {"cement_clinker", "flat_glass", "key_default", "other_default", "small_micro"} <= set(
        book.tables
    )
    for table in book.tables.values():
        assert table.source
        assert isinstance(table.confidence, Confidence)


def test_it_picks_the_table_of_an_enterprise() -> None:
    book = default_rule_book([LIAOCHENG])
    cement = enterprise("cement_clinker", "3011", EnterpriseCategory.KEY)
    printing = enterprise("packaging_printing", "2319", EnterpriseCategory.KEY)
    chemicals = enterprise(None, "2661", EnterpriseCategory.OTHER)
    feed = enterprise(None, "1329", EnterpriseCategory.OTHER)
    metal = enterprise(None, "3311", EnterpriseCategory.OTHER)
    micro = enterprise(None, "3399", EnterpriseCategory.SMALL_MICRO)
    assert [
        book.table_for(e).industry  # type: ignore[union-attr]
        for e in (cement, printing, chemicals, feed, metal, micro)
    ] == [
        "cement_clinker",
        "key_default",
        "liaocheng_chemicals",
        "liaocheng_feed",
        "other_default",
        "small_micro",
    ]


def test_a_city_file_overrides_the_national_table(tmp_path: Path) -> None:
    write(tmp_path, GOOD.replace("test_industry", "cement_clinker"))
    book = default_rule_book([tmp_path])
    cement = book.tables["cement_clinker"]
    assert cement.confidence is Confidence.MEMORY
    assert cement.path == str(tmp_path / "table.yaml")


def test_it_uses_the_latest_version_in_force(tmp_path: Path) -> None:
    write(tmp_path, GOOD, "v2021.yaml")
    write(tmp_path, GOOD.replace("2021-01-01", "2024-01-01").replace("20}", "30}"), "v2024.yaml")
    latest = load_rule_book(tmp_path).tables["test_industry"]
    assert latest.effective == dt.date(2024, 1, 1)
    before = load_rule_book(tmp_path, as_of=dt.date(2023, 6, 1)).tables["test_industry"]
    cell = before.cell(Grade.B, ORANGE)
    assert cell is not None
    assert cell.measures[0].fraction == 0.2


def test_it_rejects_two_versions_with_the_same_date(tmp_path: Path) -> None:
    write(tmp_path, GOOD, "a.yaml")
    write(tmp_path, GOOD, "b.yaml")
    with pytest.raises(RuleTableError, match=r"b\.yaml:1: industry: 'test_industry' is also in"):
        load_rule_book(tmp_path)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("name_zh: 测试行业", "name_zh: 测试行业\ncolour: red"),
            r":3: \(top\)\.colour: unknown key",
        ),
        (("confidence: M", "confidence: X"), r":4: confidence: expected one of V, S, M, B"),
        (("effective: 2021-01-01", "effective: soon"), r":5: effective: need a date"),
        (("source: a test\n", ""), r":1: source: required key is missing"),
        (("  B:", "  E:"), r":7: grades\.E: unknown key"),
        (("    red:\n      - {kind: stop}\n", ""), r":8: grades\.B\.red: level is missing"),
        (("{kind: stop}", "{kind: halt}"), r":12: grades\.B\.red\[0\]\.kind: unknown value 'halt'"),
        (("{kind: stop}", "{kind: rotate}"), r":12: .*'rotate' is not a rule kind"),
        (("{kind: limit, percent: 20}", "{kind: limit}"), r":10: .*a limit rule needs a percent"),
        (("percent: 20", "percent: 150"), r":10: .*percent: must be in \(0, 100\], got 150"),
        (("{kind: stop}", "{kind: stop, percent: 10}"), r":12: .*a stop rule takes no percent"),
        (
            ("{kind: stop}", "{kind: truck_ban, truck_stage: China 4}"),
            r":12: .*truck_stage: unknown value 'China 4'",
        ),
        (("{kind: stop}", "{kind: stop, when: night}"), r":12: .*\.when: unknown key"),
        (("    yellow: []", "    yellow: stop"), r":8: grades\.B\.yellow: expected 'voluntary'"),
        (("industry: test_industry", "industry: a\nindustry: b"), r":2: key 'industry' appears"),
        (("grades:", "grades: ["), r":\d+: \(yaml\): "),
    ],
)
def test_it_rejects_a_bad_table_naming_file_line_and_key(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    path = write(tmp_path, GOOD.replace(*change, 1))
    with pytest.raises(RuleTableError, match=expected) as error:
        load_rule_table(path)
    assert str(error.value).startswith(str(path))
