"""A county warning of a regional cascade (区域预警) is a response of its own: it goes through the
same path as the city's warning, opening the county's tasks on issue and closing them when the
city's lifting ends it (Kashgar 001 §3.5 and §4.3, Liaocheng 003 §4.2)."""

from __future__ import annotations

from collections import Counter

import pytest
import time_machine
from flows import in_force, lifted

from conftest import Staff
from hazeguard_platform.operations.models import Response, ResponseState, Task, TaskState
from hazeguard_platform.warnings.models import EndReason, Warning

pytestmark = pytest.mark.django_db


def test_a_kashgar_county_warning_opens_the_county_tasks_and_the_city_lifting_closes_them(
    kashgar: Staff, clock: time_machine.Coordinates
) -> None:
    city = in_force(kashgar, clock, "red")
    counties = list(kashgar.jurisdiction.children.order_by("code"))
    county_warnings = Warning.objects.filter(regional_source=city)
    assert county_warnings.count() == len(counties) > 0

    for county_warning in county_warnings:
        own = Response.objects.get(jurisdiction=county_warning.jurisdiction)
        assert own.warning_id == county_warning.pk
        assert own.state == ResponseState.OPEN
        # The measures the city gives its bureaus are carried out in the county by the county.
        assert Task.objects.filter(response=own, state=TaskState.OPEN).exists()

    lifted(kashgar, city)

    assert set(county_warnings.values_list("end_reason", flat=True)) == {EndReason.REGIONAL_LIFTED}
    for county in counties:
        own = Response.objects.get(jurisdiction=county)
        assert own.state == ResponseState.CLOSED
        assert not Task.objects.filter(response=own).exclude(state=TaskState.CLOSED).exists()


def test_a_county_carries_each_measure_once_when_the_city_already_gave_it(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    """Liaocheng's measures name no unit: the city's response gives each county all of them, so
    the county warning, under the same plan, has none left of its own to open."""
    in_force(liaocheng, clock, "red")
    live = Task.objects.exclude(state=TaskState.CLOSED)
    assignments = Counter((task.assignee_key, task.measure_key) for task in live)
    assert assignments
    assert set(assignments.values()) == {1}
    assert Response.objects.filter(jurisdiction__parent=liaocheng.jurisdiction).count() == 0
