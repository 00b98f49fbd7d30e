"""Each enterprise check passes a sound site plan and names what is wrong with a broken one."""

from __future__ import annotations

from dataclasses import replace

import pytest
from reduction_factory import (
    LEVELS3,
    ORANGE,
    RED,
    YELLOW,
    cement,
    compliant_c_plan,
    limit,
    line,
    stop,
    truck_ban,
)

from hazeguard.reduction.checks import (
    annual_emissions_kg,
    check_category,
    check_coverage,
    check_enterprise,
    check_list,
    check_rotation,
    check_stop_lines,
    check_unit_status,
    qualifies_as_small_micro,
)
from hazeguard.reduction.model import (
    EmissionStage,
    Enterprise,
    EnterpriseCategory,
    Finding,
    Grade,
    Measure,
    MeasureKind,
    Pollutant,
    Severity,
    TruckTrips,
    UnitStatus,
)
from hazeguard.reduction.rules import RuleBook, default_rule_book
from hazeguard.reduction.synthetic import generate_city
from paths import ROOT


@pytest.fixture(scope="module")
def book() -> RuleBook:
    return default_rule_book()


def errors(findings: list[Finding], check: str | None = None) -> list[Finding]:
    return [
        f for f in findings if f.severity is Severity.ERROR and (check is None or f.check == check)
    ]


def test_a_compliant_grade_c_plan_passes_every_check(book: RuleBook) -> None:
    assert check_enterprise(cement(measures=compliant_c_plan()), book) == []


def test_it_flags_a_grade_c_plan_that_limits_instead_of_stopping_half_the_lines(
    book: RuleBook,
) -> None:
    plan = (limit(YELLOW, 0.2), stop(ORANGE), stop(RED))
    found = errors(check_enterprise(cement(measures=plan), book), "grade_floor")
    assert len(found) == 1
    assert found[0].level is YELLOW
    assert found[0].credit_code == cement().credit_code
    assert found[0].rule.startswith("cement_clinker.yaml:")
    assert "20.0% of the capacity" in found[0].message
    assert found[0].gap == pytest.approx(0.3)


def test_it_flags_a_grade_b_plan_below_the_orange_limit_per_pollutant(book: RuleBook) -> None:
    plan = (
        Measure(YELLOW, MeasureKind.EXEMPT, reason="B级黄色仅限运输"),
        limit(ORANGE, 0.1),
        stop(RED),
    )
    found = errors(check_enterprise(cement(Grade.B, plan), book), "grade_floor")
    assert {f.pollutant for f in found} == set(Pollutant)
    nox = next(f for f in found if f.pollutant is Pollutant.NOX)
    assert nox.level is ORANGE
    assert nox.rule.endswith("grades.B.orange")
    assert nox.gap == pytest.approx(0.1 * 1.0)  # 10 % of 2 × 0.5 t/d NOx still missing


def test_it_lets_grade_a_choose_its_own_measures(book: RuleBook) -> None:
    plan = tuple(Measure(level, MeasureKind.VOLUNTARY) for level in LEVELS3)
    assert check_enterprise(cement(Grade.A, plan), book) == []


def test_it_treats_an_ungraded_cement_plant_as_grade_c(book: RuleBook) -> None:
    plan = (limit(YELLOW, 0.3), stop(ORANGE), stop(RED))
    found = errors(check_enterprise(cement(Grade.UNGRADED, plan), book), "grade_floor")
    assert [f.rule.split(":")[0] for f in found] == ["cement_clinker.yaml"]


@pytest.mark.parametrize(
    ("ban", "flagged"),
    [
        (None, True),
        (EmissionStage.CHINA_3, True),
        (EmissionStage.CHINA_4, True),
        (EmissionStage.CHINA_6, False),
    ],
)
def test_it_requires_grade_d_to_stop_all_road_transport(
    book: RuleBook, ban: EmissionStage | None, flagged: bool
) -> None:
    trucks = (TruckTrips(EmissionStage.CHINA_4, 30), TruckTrips(EmissionStage.CHINA_6, 20))
    plan = [stop(level) for level in LEVELS3]
    if ban is not None:
        plan += [truck_ban(level, ban) for level in LEVELS3]
    found = errors(check_enterprise(cement(Grade.D, tuple(plan), trucks=trucks), book))
    assert bool(found) is flagged
    assert all(f.check == "truck_ban" for f in found)


def test_it_needs_no_truck_ban_without_old_trucks(book: RuleBook) -> None:
    trucks = (TruckTrips(EmissionStage.CHINA_6, 40),)
    plan = (Measure(YELLOW, MeasureKind.EXEMPT, reason="仅运输"), limit(ORANGE, 0.2), stop(RED))
    assert errors(check_enterprise(cement(Grade.B, plan, trucks=trucks), book)) == []


def test_it_flags_a_red_cut_smaller_than_the_orange_cut(book: RuleBook) -> None:
    plan = (limit(YELLOW, 0.5), stop(ORANGE), limit(RED, 0.6))
    found = errors(check_enterprise(cement(Grade.D, plan), book), "monotone")
    assert {f.level for f in found} == {RED}
    assert len(found) == 4  # every pollutant falls
    assert found[0].gap == pytest.approx(0.4 * 0.2)


def test_it_flags_stopped_lines_short_of_the_share() -> None:
    units = (line("L1", 1500.0), line("L2", 3500.0))
    bad = Measure(YELLOW, MeasureKind.STOP_LINES, ("L1",), fraction=0.5)
    good = Measure(ORANGE, MeasureKind.STOP_LINES, ("L2",), fraction=0.5)
    found = check_stop_lines(cement(measures=(bad, good), units=units))
    assert len(found) == 1
    assert found[0].level is YELLOW
    assert "30.0% of capacity" in found[0].message


def test_a_long_idle_line_does_not_count_towards_the_stopped_share() -> None:
    units = (line("L1", 2500.0, status=UnitStatus.LONG_IDLE), line("L2"), line("L3"))
    measure = Measure(YELLOW, MeasureKind.STOP_LINES, ("L1",), fraction=0.5)
    enterprise = cement(measures=(measure,), units=units)
    assert len(check_stop_lines(enterprise)) == 1
    status = check_unit_status(enterprise)
    assert [(f.unit_id, f.severity) for f in status] == [("L1", Severity.WARNING)]
    assert "no reduction credited" in status[0].message


def test_it_allows_at_most_three_rotation_batches() -> None:
    three = Measure(YELLOW, MeasureKind.ROTATE, batch=1, batches=3)
    four = Measure(ORANGE, MeasureKind.ROTATE, batch=2, batches=4)
    found = check_rotation(cement(measures=(three, four)))
    assert [(f.level, f.check) for f in found] == [(ORANGE, "rotation")]
    assert "seed 003 §2" in found[0].rule


def test_it_flags_an_operating_unit_without_measure_or_exemption() -> None:
    units = (line("L1"), line("L2"), line("L3", status=UnitStatus.OFF_PEAK_STOPPED))
    plan = (stop(YELLOW, "L1"), truck_ban(YELLOW), stop(ORANGE), stop(RED))
    found = check_coverage(cement(measures=plan, units=units))
    assert [(f.unit_id, f.level) for f in found] == [("L2", YELLOW)]


def test_an_explicit_exemption_covers_a_unit() -> None:
    plan = (
        stop(YELLOW, "L1"),
        Measure(YELLOW, MeasureKind.EXEMPT, ("L2",), reason="保温保窑"),
        stop(ORANGE),
        stop(RED),
    )
    assert check_coverage(cement(measures=plan)) == []


def small_micro(emissions: tuple[float, float, float, float], coal: bool = False) -> Enterprise:
    enterprise = cement(
        Grade.UNGRADED,
        units=(line("W1", 1.0, emissions, process="workshop"),),
        category=EnterpriseCategory.SMALL_MICRO,
    )
    return replace(enterprise, key_industry=None, coal_or_oil_fired=coal)


def test_it_accepts_a_small_micro_emitter_below_100_kg_a_year() -> None:
    assert check_category(small_micro((0.0, 0.0001, 0.0001, 0.0001))) == []  # 99 kg/a


def test_it_rejects_a_small_micro_emitter_above_100_kg_a_year_or_burning_coal() -> None:
    assert check_category(small_micro((0.0, 0.0002, 0.0001, 0.0001)))[0].check == "category"
    assert check_category(small_micro((0.0, 0.0, 0.0, 0.0001), coal=True))[0].check == "category"


def test_it_rejects_an_essential_key_industry_enterprise_below_grade_b() -> None:
    essential = EnterpriseCategory.ESSENTIAL
    assert check_category(cement(Grade.B, category=essential)) == []
    found = check_category(cement(Grade.C, category=essential))
    assert found[0].rule == "seed 003 §4.6"


def test_a_generated_city_passes_and_a_broken_one_fails(book: RuleBook) -> None:
    sound = generate_city(300, seed=7, rule_book=book)
    assert errors(check_list(sound, book)) == []
    broken = generate_city(300, seed=7, rule_book=book, noncompliant_share=0.3)
    checks = {f.check for f in errors(check_list(broken, book))}
    assert {"grade_floor", "monotone", "coverage"} <= checks


@pytest.mark.parametrize(("feed_after", "flagged"), [(768.0, True), (672.0, False)])
def test_a_grade_d_glass_furnace_must_cut_its_feed_by_30_percent(
    book: RuleBook, feed_after: float, flagged: bool
) -> None:
    # 邢台 style "原料日投料量由960吨降低到768吨" is −20 %; grade D needs −30 % (flat_glass.yaml).
    furnace = line("F1", 960.0, process="furnace")
    plan = tuple(
        Measure(level, MeasureKind.FEED_CAP, ("F1",), amount=feed_after, base_amount=960.0)
        for level in LEVELS3
    )
    glass = replace(cement(Grade.D, plan, units=(furnace,)), key_industry="flat_glass")
    found = errors(check_enterprise(glass, book))
    assert bool(found) is flagged
    assert all(f.rule.endswith("grades.D." + f.level.value) for f in found if f.level)


def test_the_example_in_docs_reduction_md_passes_the_checks(book: RuleBook) -> None:
    text = (ROOT / "docs" / "reduction.md").read_text(encoding="utf-8")
    example = text.split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict[str, object] = {}
    exec(example, namespace)  # the documented example must stay true
    plant = namespace["plant"]
    assert isinstance(plant, Enterprise)
    assert check_enterprise(plant, book) == []


def test_it_points_out_an_other_enterprise_that_qualifies_as_small_micro() -> None:
    tiny = replace(small_micro((0.0, 0.0001, 0.0, 0.0)), category=EnterpriseCategory.OTHER)
    found = check_category(tiny)
    assert [(f.severity, f.rule) for f in found] == [(Severity.INFO, "seed 003 §4.7")]
    assert qualifies_as_small_micro(tiny)
    assert annual_emissions_kg(tiny) == pytest.approx(33.0)
