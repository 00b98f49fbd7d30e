"""Plans are imported as immutable snapshots; warnings keep the version they were decided on."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from conftest import Staff, up_to_approval
from hazeguard_platform.errors import ForbiddenError, InvalidInputError
from hazeguard_platform.immutable import ImmutableRowError
from hazeguard_platform.jurisdictions.models import Jurisdiction, MemberUnit, PlanVersion
from hazeguard_platform.jurisdictions.services import plan_import
from hazeguard_platform.response.services import warning_approve, warning_propose

pytestmark = pytest.mark.django_db


def test_it_builds_the_tree_province_city_counties_with_member_units(liaocheng: Staff) -> None:
    city = liaocheng.jurisdiction
    assert (city.code, city.name_zh, city.parent.code if city.parent else None) == (
        "liaocheng",
        "聊城市",
        "shandong",
    )
    assert city.children.count() == 11
    assert city.children.get(code="linqing").kind == "city"
    assert MemberUnit.objects.filter(jurisdiction=city).count() == 9


def test_it_places_dalian_xigang_under_dalian() -> None:
    version = plan_import(actor=None, plan_id="dalian-xigang-2023")
    xigang = version.jurisdiction
    assert xigang.parent is not None
    assert xigang.parent.code == "dalian"


def test_importing_an_unchanged_plan_adds_no_version(liaocheng: Staff) -> None:
    again = plan_import(actor=None, plan_id="liaocheng-2020")
    assert again.number == 1
    assert PlanVersion.objects.filter(plan_id="liaocheng-2020").count() == 1


def test_it_names_an_unknown_plan(kashgar: Staff) -> None:
    with pytest.raises(InvalidInputError) as error:
        plan_import(actor=None, plan_id="atlantis-2099")
    assert error.value.field == "plan_id"


def test_only_an_administrator_imports_plans(kashgar: Staff) -> None:
    with pytest.raises(ForbiddenError):
        plan_import(actor=kashgar.commander, plan_id="liaocheng-2020")
    plan_import(actor=kashgar.administrator, plan_id="liaocheng-2020")
    assert Jurisdiction.objects.filter(code="liaocheng").exists()


def test_a_stored_plan_version_cannot_be_edited(liaocheng: Staff) -> None:
    version = PlanVersion.objects.get(plan_id="liaocheng-2020")
    version.snapshot = {}
    with pytest.raises(ImmutableRowError):
        version.save()


def test_a_proposal_keeps_the_rules_of_the_version_it_was_decided_on(
    kashgar: Staff, clock: time_machine.Coordinates
) -> None:
    warning = warning_propose(
        actor=kashgar.office_clerk, jurisdiction=kashgar.jurisdiction, level="orange"
    )
    old = warning.plan_version
    # A new version in which the commander approves orange (as if the plan file were edited).
    snapshot = dict(old.snapshot)
    levels = [dict(level) for level in snapshot["levels"]]
    orange = next(level for level in levels if level["name"] == "orange")
    orange["approval"] = {**orange["approval"], "approver": "commander"}
    snapshot["levels"] = levels
    PlanVersion.objects.create(
        jurisdiction=old.jurisdiction,
        plan_id=old.plan_id,
        number=2,
        snapshot=snapshot,
        digest="edited",
    )
    with pytest.raises(ForbiddenError):
        warning_approve(actor=kashgar.commander, warning_id=warning.pk)
    up_to_approval(kashgar, warning.pk)  # the office director's review (001 §3.5)
    approved = warning_approve(actor=kashgar.deputy_commander, warning_id=warning.pk)
    assert approved.plan_version == old


@pytest.mark.parametrize(
    ("plan_id", "parent"),
    [
        ("dalian-xigang-2023", ("dalian", "大连市", "Dalian", "city")),
        ("liaocheng-2020", ("shandong", "山东省", "Shandong Province", "province")),
        (
            "kashgar-2023",
            ("xinjiang", "新疆维吾尔自治区", "Xinjiang Uygur Autonomous Region", "province"),
        ),
    ],
)
def test_the_parent_gets_the_names_the_plan_gives_it(
    plan_id: str, parent: tuple[str, str, str, str]
) -> None:
    version = plan_import(actor=None, plan_id=plan_id)
    above = version.jurisdiction.parent
    assert above is not None
    assert (above.code, above.name_zh, above.name_en, above.kind) == parent


def test_a_parent_first_known_by_its_code_is_named_by_a_later_import() -> None:
    # As a database imported before plans named their parents holds it.
    Jurisdiction.objects.create(code="dalian", name_zh="dalian", name_en="dalian", kind="city")
    plan_import(actor=None, plan_id="dalian-xigang-2023")
    dalian = Jurisdiction.objects.get(code="dalian")
    assert (dalian.name_zh, dalian.name_en) == ("大连市", "Dalian")


def test_a_child_plan_does_not_rename_a_parent_already_named() -> None:
    Jurisdiction.objects.create(code="dalian", name_zh="大连", name_en="Dalian City", kind="city")
    plan_import(actor=None, plan_id="dalian-xigang-2023")
    assert Jurisdiction.objects.get(code="dalian").name_zh == "大连"


def test_the_public_overview_shows_the_parents_name_not_its_code(client: Client) -> None:
    plan_import(actor=None, plan_id="dalian-xigang-2023")
    page = client.get("/").content.decode()
    assert "大连市" in page
    assert ">dalian<" not in page
