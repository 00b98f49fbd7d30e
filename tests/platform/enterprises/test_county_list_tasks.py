"""A county's own emission list follows the city's regional warning (区域预警): the county's
listed enterprises get their site-plan measures for the county warning's level, the tasks
change with the city's downgrade and close when the city lifts (seed 003 §4.2, §4.4), and their
contacts get the city's notices like the city's enterprises."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import time_machine
from django.utils import timezone
from flows import ORANGE_DAYS, adjusted, in_force, lifted, proposed

from conftest import MakePerson, Staff, up_to_approval
from hazeguard_platform.accounts.models import Role
from hazeguard_platform.enterprises.models import EnterpriseTask
from hazeguard_platform.notices.models import Notice
from hazeguard_platform.response.services import warning_approve, warning_issue
from hazeguard_platform.warnings.models import Warning

from .list_helpers import Firms, listed_firms


def _county_firms(liaocheng: Staff, make_person: MakePerson, folder: Path) -> Firms:
    linqing = liaocheng.jurisdiction.children.get(code="linqing")
    clerk = make_person("linqing-clerk", Role.COMMAND_OFFICE_STAFF, linqing)
    return listed_firms(clerk, linqing, folder)


def _open(firm: object) -> list[tuple[str, str]]:
    return list(
        EnterpriseTask.objects.filter(enterprise=firm, state="open")
        .order_by("pk")
        .values_list("level", "description")
    )


def _told(notice: Notice) -> set[int]:
    return set(notice.recipients.exclude(user=None).values_list("user_id", flat=True))


def test_a_county_list_gets_red_tasks_changes_on_a_downgrade_and_closes_on_lift(
    liaocheng: Staff, make_person: MakePerson, tmp_path: Path, clock: time_machine.Coordinates
) -> None:
    firms = _county_firms(liaocheng, make_person, tmp_path)
    red = in_force(liaocheng, clock, "red")
    county_red = Warning.objects.get(regional_source=red, jurisdiction=firms.cement.jurisdiction)
    assert _open(firms.cement) == [("red", "全厂停产")]
    assert _open(firms.chemicals) == [("red", "全厂停产")]
    assert set(EnterpriseTask.objects.values_list("warning_id", flat=True)) == {county_red.pk}

    orange = adjusted(liaocheng, red, "orange")
    county_orange = Warning.objects.get(
        regional_source=orange, jurisdiction=firms.cement.jurisdiction
    )
    assert county_orange.level == "orange", "the county follows the city down"
    assert _open(firms.cement) == [("orange", "1号熟料生产线停产"), ("orange", "1号水泥磨限产50%")]
    assert _open(firms.chemicals) == []  # its site plan lists nothing at orange
    old = EnterpriseTask.objects.filter(warning=county_red)
    assert set(old.values_list("state", "close_reason")) == {("closed", "level_changed")}

    lifted(liaocheng, orange)
    assert not EnterpriseTask.objects.filter(state="open").exists()
    closed = EnterpriseTask.objects.filter(warning=county_orange)
    assert set(closed.values_list("close_reason", flat=True)) == {"lifted"}


def test_the_county_lists_contacts_get_the_citys_notices(
    liaocheng: Staff, make_person: MakePerson, tmp_path: Path, clock: time_machine.Coordinates
) -> None:
    firms = _county_firms(liaocheng, make_person, tmp_path)
    contacts = {firms.cement_contact.pk, firms.chemicals_contact.pk}
    red = in_force(liaocheng, clock, "red")
    orange = adjusted(liaocheng, red, "orange")
    lifted(liaocheng, orange)
    for event in ("issue", "adjust", "lift"):
        assert contacts <= _told(Notice.objects.get(event=event)), event


def test_a_county_with_its_own_higher_warning_keeps_its_tasks(
    liaocheng: Staff, make_person: MakePerson, tmp_path: Path, clock: time_machine.Coordinates
) -> None:
    firms = _county_firms(liaocheng, make_person, tmp_path)
    linqing = firms.cement.jurisdiction
    county = Staff(
        linqing,
        *(
            make_person(f"linqing-{name}", role, linqing)
            for name, role in (
                ("clerk-2", Role.COMMAND_OFFICE_STAFF),
                ("director", Role.OFFICE_DIRECTOR),
                ("deputy", Role.DEPUTY_COMMANDER),
                ("commander", Role.COMMANDER),
                ("admin", Role.ADMINISTRATOR),
            )
        ),
    )
    own = in_force(county, clock, "red")
    city = proposed(liaocheng, "orange", ORANGE_DAYS)
    up_to_approval(liaocheng, city.pk)
    warning_approve(actor=liaocheng.deputy_commander, warning_id=city.pk)
    warning_issue(
        actor=liaocheng.office_clerk, warning_id=city.pk, starts_at=timezone.now() + timedelta(1)
    )
    assert not Warning.objects.filter(regional_source=city, jurisdiction=linqing).exists()
    assert set(EnterpriseTask.objects.filter(state="open").values_list("warning_id", "level")) == {
        (own.pk, "red")
    }
