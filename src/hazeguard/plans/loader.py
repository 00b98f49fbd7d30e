"""Load plan files: YAML -> :class:`Item` tree -> strictly built :class:`Plan`, then checks
that span several keys (level order, unit references, county adjacency, the ID)."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hazeguard.plans.build import Builder
from hazeguard.plans.criteria import Criterion, build_criterion, conditions
from hazeguard.plans.errors import PlanError
from hazeguard.plans.model import Plan, rank
from hazeguard.plans.parts import Parent, build_parent
from hazeguard.plans.procedure import SilentTopic
from hazeguard.plans.tree import Item, from_plain, parse_yaml

FILES = Path(__file__).parent / "files"


def _builder(file: str) -> Builder:
    from hazeguard.plans.build import Hook, build_duration

    hooks: dict[object, Hook] = {
        dt.timedelta: build_duration,
        Criterion: build_criterion,
        Parent: build_parent,
    }
    return Builder(file, hooks=hooks)


def _shown(path: Path) -> str:
    """``liaocheng/2020.yaml`` for a shipped file, else the path as given."""
    try:
        return path.resolve().relative_to(FILES.resolve()).as_posix()
    except ValueError:
        return str(path)


def load_plan_file(path: str | Path) -> Plan:
    """Load and validate one plan file; any mistake raises :class:`PlanError` (file:line: key)."""
    path = Path(path)
    shown = _shown(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise PlanError(shown, None, "", f"cannot read the file: {error.strerror}") from None
    builder = _builder(shown)
    plan = _plan_from_item(parse_yaml(text, shown), builder)
    _check_workflow(plan, builder)
    return plan


def plan_from_plain(data: dict[str, Any]) -> Plan:
    """Rebuild a plan from its :meth:`Plan.to_dict` snapshot, validating it like a file.

    A snapshot stored before plan files had a ``workflow`` section still loads: its workflow
    answers are then silent (see :class:`hazeguard.plans.Workflow`).
    """
    return _plan_from_item(from_plain(data), _builder("<snapshot>"))


def _plan_from_item(item: Item, builder: Builder) -> Plan:
    plan = builder.dataclass(Plan, item, "")
    _check(plan, builder)
    return plan


def _check_workflow(plan: Plan, builder: Builder) -> None:
    """A complete or partial plan file states each workflow fact or records its silence.

    "Where the plan is silent, say so in the plan file" (issue 10): the lead time, the merge
    rule, each level's approval, adjusting, lifting, drills and (with an advisory notice) who
    publishes it are each stated or listed under ``workflow.silences`` with a note.
    """
    if plan.completeness == "criteria_only":
        return
    workflow = plan.workflow
    advisory_known = workflow is not None and workflow.advisory is not None
    stated: dict[SilentTopic, bool] = {
        "lead_time": plan.lead_time is not None,
        "merge": plan.merging is not None,
        "approval": all(level.approval is not None for level in plan.levels),
        "adjust": workflow is not None and bool(workflow.adjust),
        "lift": workflow is not None and bool(workflow.lift),
        "drill": workflow is not None and workflow.drills is not None,
        "advisory": plan.advisory is None or advisory_known,
        "pollution_process": plan.pollution_process is not None,
        "planning_cycle": workflow is not None and bool(workflow.cycle),
    }
    for topic, known in stated.items():
        silent = workflow is not None and workflow.silence(topic) is not None
        if not known and not silent:
            line = builder.lines.get("workflow") or builder.lines.get("id")
            message = (
                f"the plan states no {topic}: state it, or list it under workflow.silences "
                "with a note (note_zh and note) saying what the software does instead"
            )
            raise PlanError(builder.file, line, "workflow", message)


def _check(plan: Plan, builder: Builder) -> None:
    """Rules of the schema that span several keys."""

    def fail(path: str, key: str, message: str) -> PlanError:
        line = builder.lines.get(path)
        while line is None and "." in path:
            path = path.rsplit(".", 1)[0]
            line = builder.lines.get(path)
        return PlanError(builder.file, line, key, message)

    if plan.id != f"{plan.jurisdiction.code}-{plan.year}":
        raise fail("id", "id", f"id {plan.id!r} must be '<jurisdiction code>-<year>'")
    if not plan.levels:
        raise fail("levels", "levels", "a plan has at least one level")
    for index in range(1, len(plan.levels)):
        if rank(plan.levels[index].name) <= rank(plan.levels[index - 1].name):
            raise fail(f"levels[{index}].name", "name", "levels must run low to high, each once")
    unit_codes = {unit.code for unit in plan.member_units}
    county_codes = {county.code for county in plan.counties}
    if len(county_codes) != len(plan.counties):
        raise fail("counties", "counties", "county codes must be unique")
    pairs: set[frozenset[str]] = set()
    for index, pair in enumerate(plan.adjacency):
        path = f"adjacency[{index}].between"
        for code in pair.between:
            if code not in county_codes:
                raise fail(path, "between", f"unknown county {code!r} in adjacency[{index}]")
        if frozenset(pair.between) in pairs:
            raise fail(path, "between", f"adjacency[{index}] repeats a pair")
        pairs.add(frozenset(pair.between))
    for index, level in enumerate(plan.levels):
        for number, measure in enumerate(level.measures):
            for code in measure.responsible_units:
                if code not in unit_codes:
                    raise fail(
                        f"levels[{index}].measures[{number}].responsible_units",
                        "responsible_units",
                        f"unknown member unit {code!r} in levels[{index}].measures[{number}]",
                    )
        if any(leaf.regional for leaf in conditions(level.criteria)) and not pairs:
            raise fail(
                f"levels[{index}].criteria", "regional", "a regional criterion needs adjacency"
            )
        if plan.completeness == "complete" and not level.measures:
            raise fail(f"levels[{index}]", "measures", "a complete plan lists measures per level")
    if plan.completeness == "complete" and plan.scope is None:
        raise fail("completeness", "completeness", "a complete plan states its scope")
    _check_process(plan, unit_codes, fail)
    for index, department in enumerate(plan.department_plans):
        for number, assignment in enumerate(department.assignments):
            if assignment.county not in county_codes:
                raise fail(
                    f"department_plans[{index}].assignments[{number}].county",
                    "county",
                    f"unknown county {assignment.county!r} in department_plans[{index}]",
                )


def _check_process(
    plan: Plan, unit_codes: set[str], fail: Callable[[str, str, str], PlanError]
) -> None:
    """The pollution process names a member unit and tasks of the department plans."""
    process = plan.pollution_process
    if process is None:
        return
    if process.unit not in unit_codes:
        raise fail("pollution_process.unit", "unit", f"unknown member unit {process.unit!r}")
    clauses = {task.clause for department in plan.department_plans for task in department.tasks}
    for clause in process.tasks:
        if clause not in clauses:
            raise fail(
                "pollution_process.tasks", "tasks", f"no department-plan task has clause {clause!r}"
            )


def plan_path(plan_id: str) -> Path:
    """The shipped file of ``plan_id`` (``liaocheng-2020`` -> ``files/liaocheng/2020.yaml``)."""
    code, _, year = plan_id.rpartition("-")
    return FILES / code / f"{year}.yaml"


def plan_ids() -> list[str]:
    """IDs of every shipped plan, sorted."""
    return sorted(f"{path.parent.name}-{path.stem}" for path in FILES.glob("*/*.yaml"))


@functools.cache
def load_plan(plan_id: str) -> Plan:
    """The shipped plan ``plan_id`` (e.g. ``liaocheng-2020``); plans are immutable, so cached."""
    path = plan_path(plan_id)
    if plan_id not in plan_ids():
        known = ", ".join(plan_ids())
        raise PlanError("<plans>", None, plan_id, f"no plan {plan_id!r}; known: {known}")
    return load_plan_file(path)


def list_plans() -> list[Plan]:
    """Every shipped plan, sorted by ID."""
    return [load_plan(plan_id) for plan_id in plan_ids()]
