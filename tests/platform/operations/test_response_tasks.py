"""Tasks follow the response: opened on issue, retargeted on a level change, closed on lifting."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from flows import adjusted, in_force, lifted

from conftest import Staff, up_to_approval
from hazeguard_platform import core
from hazeguard_platform.audit.models import AuditEntry
from hazeguard_platform.operations.models import (
    DailyReport,
    Response,
    ResponseState,
    Task,
    TaskState,
)
from hazeguard_platform.operations.services import reports_schedule
from hazeguard_platform.response.services import warning_adjust, warning_approve, warning_issue

pytestmark = pytest.mark.django_db


def _red_measures(staff: Staff) -> list[str]:
    version = staff.jurisdiction.plan_versions.get()
    plan = core.plan_from_snapshot(version.snapshot)
    return [measure.text_zh for measure in plan.measures_for("red")]


def test_it_gives_every_liaocheng_county_the_red_measures_on_issue(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    warning = in_force(liaocheng, clock, "red")
    response = Response.objects.get(jurisdiction=liaocheng.jurisdiction)
    counties = list(liaocheng.jurisdiction.children.order_by("code"))
    measures = _red_measures(liaocheng)

    # Liaocheng's measures name no responsible unit: each county carries them out (003 §4.2).
    tasks = Task.objects.filter(response=response)
    assert response.state == ResponseState.OPEN
    assert response.warning_id == warning.pk
    assert len(counties) > 5
    assert len(measures) > 10
    assert Counter(t.county_id for t in tasks) == {c.pk: len(measures) for c in counties}
    assert sorted(t.text_zh for t in tasks if t.county_id == counties[0].pk) == sorted(measures)
    assert {t.level for t in tasks} == {"red"}
    assert {t.state for t in tasks} == {TaskState.OPEN}
    assert all(t.member_unit_id is None and t.clause.startswith("003 §4.4.4") for t in tasks)
    assert AuditEntry.objects.filter(action="response.open").count() == 1


def test_it_names_the_responsible_units_of_kashgar_measures(
    kashgar: Staff, clock: time_machine.Coordinates
) -> None:
    in_force(kashgar, clock, "red")
    plan = core.plan_from_snapshot(kashgar.jurisdiction.plan_versions.get().snapshot)
    named = [m for m in plan.measures_for("red") if m.responsible_units]
    tasks = Task.objects.filter(member_unit__isnull=False)

    assert named, "Kashgar names responsible units for some measures (001 §4.3)"
    assert sorted((t.member_unit.code, t.text_zh) for t in tasks) == sorted(
        (code, m.text_zh) for m in named for code in m.responsible_units
    )


def test_it_retargets_the_tasks_when_the_level_changes(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    red = in_force(liaocheng, clock, "red")
    county = liaocheng.jurisdiction.children.order_by("code").first()
    assert county is not None
    done = Task.objects.filter(county=county).order_by("id").first()
    assert done is not None
    Task.objects.filter(pk=done.pk).update(state=TaskState.DONE)

    orange = adjusted(liaocheng, red, "orange")

    plan = core.plan_from_snapshot(liaocheng.jurisdiction.plan_versions.get().snapshot)
    orange_texts = sorted(m.text_zh for m in plan.measures_for("orange"))
    live = Task.objects.filter(county=county).exclude(state=TaskState.CLOSED)
    response = Response.objects.get()
    assert response.level == "orange"
    assert response.warning_id == orange.pk
    # The task reported done stays done; the red-only ones close; orange's own are open.
    assert Task.objects.get(pk=done.pk).state == TaskState.DONE
    assert sorted(t.text_zh for t in live if t.state == TaskState.OPEN) == orange_texts
    closed = Task.objects.filter(county=county, state=TaskState.CLOSED)
    assert closed.exists()
    assert {t.close_reason for t in closed} == {"level changed to orange"}
    assert {t.level for t in live if t.state == TaskState.OPEN} == {"orange"}


def test_it_keeps_the_tasks_both_levels_share_on_an_upgrade(
    kashgar: Staff, clock: time_machine.Coordinates
) -> None:
    orange = in_force(kashgar, clock, "orange")
    before = {(t.assignee_key, t.measure_key): t.pk for t in Task.objects.all()}

    red = warning_adjust(
        actor=kashgar.office_clerk, warning_id=orange.pk, level="red", reason="污染加重"
    )
    up_to_approval(kashgar, red.pk)
    warning_approve(actor=kashgar.commander, warning_id=red.pk)
    # An upgrade keeps the plan's lead time (001 §3.5); its tasks open at issue.
    warning_issue(
        actor=kashgar.office_clerk, warning_id=red.pk, starts_at=timezone.now() + timedelta(days=1)
    )

    after = Task.objects.exclude(state=TaskState.CLOSED)
    shared = [t for t in after if (t.assignee_key, t.measure_key) in before]
    assert Response.objects.get(jurisdiction=kashgar.jurisdiction).level == "red"
    assert red.level == "red"
    # Kashgar's measures add up level by level (001 §4.3.3): orange's tasks carry on unchanged.
    assert shared
    assert all(before[(t.assignee_key, t.measure_key)] == t.pk for t in shared)
    assert after.filter(level="red").exists()
    assert not Task.objects.filter(state=TaskState.CLOSED).exists()


def test_it_closes_every_task_when_the_warning_is_lifted(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    warning = in_force(liaocheng, clock, "red")

    lifted(liaocheng, warning)

    response = Response.objects.get()
    assert response.state == ResponseState.CLOSED
    assert response.closed_at is not None
    assert set(Task.objects.values_list("state", "close_reason").distinct()) == {
        (TaskState.CLOSED, "lifted")
    }


def test_liaocheng_owes_no_daily_report_rows_as_its_plan_states_no_deadline(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    in_force(liaocheng, clock, "red")

    created = reports_schedule(now=timezone.now() + timedelta(days=2))

    # 003 §6.2.2 has the coordination group "每天调度" the units, with no time to report by.
    assert created == []
    assert not DailyReport.objects.exists()
    assert Task.objects.filter(state=TaskState.OPEN).exists()
