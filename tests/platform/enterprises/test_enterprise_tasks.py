"""Each listed enterprise gets its site-plan measures as tasks when a level starts (seed 003
§4.4: enterprises carry out the measures of their 一厂一策 for the warning level in force)."""

from __future__ import annotations

import time_machine
from flows import adjusted, in_force, lifted

from conftest import Staff
from hazeguard_platform.audit.models import AuditEntry
from hazeguard_platform.enterprises.models import EnterpriseTask
from hazeguard_platform.enterprises.services import enterprise_tasks_open

from .list_helpers import Firms


def _open(firm: object) -> list[str]:
    return list(
        EnterpriseTask.objects.filter(enterprise=firm, state="open").values_list(
            "description", flat=True
        )
    )


def test_issuing_a_red_warning_gives_every_enterprise_its_red_measures(
    liaocheng: Staff, firms: Firms, clock: time_machine.Coordinates
) -> None:
    warning = in_force(liaocheng, clock, "red")
    assert _open(firms.cement) == ["全厂停产"]
    assert _open(firms.chemicals) == ["全厂停产"]
    assert set(EnterpriseTask.objects.values_list("warning_id", "level")) == {(warning.pk, "red")}
    entry = AuditEntry.objects.get(action="enterprise_tasks.open")
    assert entry.after == {"level": "red", "tasks": 2, "enterprises": 2, "closed": 0}


def test_a_level_change_closes_the_old_tasks_and_opens_the_new_levels(
    liaocheng: Staff, firms: Firms, clock: time_machine.Coordinates
) -> None:
    red = in_force(liaocheng, clock, "red")
    orange = adjusted(liaocheng, red, "orange")
    assert _open(firms.cement) == ["1号熟料生产线停产", "1号水泥磨限产50%"]
    assert _open(firms.chemicals) == []  # its site plan lists nothing at orange
    old = EnterpriseTask.objects.filter(warning=red)
    assert set(old.values_list("state", "close_reason")) == {("closed", "level_changed")}
    assert set(
        EnterpriseTask.objects.filter(state="open").values_list("warning_id", flat=True)
    ) == {orange.pk}


def test_lifting_closes_every_task(
    liaocheng: Staff, firms: Firms, clock: time_machine.Coordinates
) -> None:
    warning = in_force(liaocheng, clock, "orange")
    assert _open(firms.cement)
    lifted(liaocheng, warning)
    assert not EnterpriseTask.objects.filter(state="open").exists()
    assert set(EnterpriseTask.objects.values_list("close_reason", flat=True)) == {"lifted"}


def test_opening_twice_for_the_same_warning_changes_nothing(
    liaocheng: Staff, firms: Firms, clock: time_machine.Coordinates
) -> None:
    warning = in_force(liaocheng, clock, "red")
    count = EnterpriseTask.objects.count()
    enterprise_tasks_open(warning=warning, actor=None)
    assert EnterpriseTask.objects.count() == count
    assert EnterpriseTask.objects.filter(state="open").count() == count


def test_a_delisted_enterprise_gets_no_tasks(
    liaocheng: Staff, firms: Firms, clock: time_machine.Coordinates
) -> None:
    firms.chemicals.listed = False
    firms.chemicals.save(update_fields=["listed"])
    in_force(liaocheng, clock, "red")
    assert _open(firms.chemicals) == []
    assert _open(firms.cement) == ["全厂停产"]
