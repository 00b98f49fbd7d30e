"""The plans' workflow as data: one file per shipped plan in tests/core/plans/data/workflow/.

Each case quotes the seed (``seed_zh``, checked against the seed file) and names its clause. The
core runs them against :class:`hazeguard.plans.Workflow` and the engine, and against the CLI
(tests/core/plans/test_plan_workflow_cases.py); the platform runs the same files against its
services, so both must give the same answers.

Kinds and their fields (all cases have ``id``, ``kind``, ``clause``, ``seed_zh``):

``chain``
    ``action`` (issue, adjust, lift), ``level`` (or ``advisory``), optional ``from`` (adjusting:
    the level in force), ``on_schedule``; expects ``steps`` (``[[step, [roles...]], ...]``),
    optional ``silent``, ``chain_clause`` (the clause the chain as a whole carries).
``acts``
    ``action``, ``level``, optional ``on_schedule``, ``acts`` (``[[step, role], ...]`` in order);
    expects ``allowed`` (the acts follow the chain) and, when allowed, ``complete``.
``may``
    ``role``, ``action``, ``level``, ``step``; expects ``allowed``.
``delegation``
    expects ``role`` acting for ``acts_for``.
``lead_time``
    ``ahead_hours`` [h], ``driver`` (forecast, observed, regional_floor); expects ``status``
    (usual, minimum, late, exempt, silent) and ``late``.
``merging``
    expects ``gap_hours`` [h] (None where the plan does not merge) and ``silent``.
``lifting``
    expects ``hours`` [h] and ``aqi_at_most`` [index] of the plan's lifting rule.
``provision``
    ``name`` (drills, follows_parent_order, excludes:<cause>); expects ``applies``.
``decision``
    ``forecast`` (``start`` date, ``aqi`` list, optional ``primary``, ``typhoon``), ``at`` (ISO,
    local), optional ``current``, ``drill``, ``counties`` (regional plans: these counties get the
    forecast, the others AQI 100); expects any of ``action``, ``level``, ``approver``,
    ``approvers`` (of the final step), ``earliest_start``, ``lead_status``, ``expect_drill``,
    ``rule_clause`` and ``measures`` (``[{contains, active, reason}]``, reason = explanation
    code).
``order``
    ``level`` ordered by the parent, ``at``, optional ``current``, ``primary``, ``drill``; expects
    as ``decision``, the resulting level as ``expect_level``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).parent / "core" / "plans" / "data" / "workflow"
KINDS = {
    "chain": ("action", "level"),
    "acts": ("action", "level", "acts", "allowed"),
    "may": ("role", "action", "level", "step", "allowed"),
    "delegation": ("role", "acts_for"),
    "lead_time": ("ahead_hours", "driver", "status"),
    "merging": ("gap_hours", "silent"),
    "lifting": ("hours", "aqi_at_most"),
    "provision": ("name", "applies"),
    "decision": ("forecast", "at"),
    "order": ("level", "at"),
}
COMMON = ("id", "kind", "clause", "seed_zh")


@dataclass(frozen=True)
class WorkflowCase:
    """One case: the plan, what is asked, what the plan says, and where it says it."""

    plan: str
    id: str
    kind: str
    clause: str
    seed_zh: str
    data: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.plan}:{self.id}"


def case_files() -> list[Path]:
    """The data files, one per shipped plan."""
    return sorted(DATA.glob("*.yaml"))


def load_file(path: Path) -> list[WorkflowCase]:
    """The cases of one file; ``ValueError`` names the file and case of a malformed case."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    plan = document.get("plan")
    if plan != path.stem:
        raise ValueError(f"{path.name}: plan {plan!r} must match the file name")
    out: list[WorkflowCase] = []
    for number, raw in enumerate(document.get("cases") or [], start=1):
        where = f"{path.name} case {number} ({raw.get('id', '?')})"
        missing = [key for key in COMMON if key not in raw]
        kind = raw.get("kind")
        if kind not in KINDS:
            raise ValueError(f"{where}: kind {kind!r} is not one of {sorted(KINDS)}")
        missing += [key for key in KINDS[kind] if key not in raw]
        if missing:
            raise ValueError(f"{where}: missing {', '.join(missing)}")
        data = {key: value for key, value in raw.items() if key not in COMMON}
        out.append(WorkflowCase(plan, raw["id"], kind, raw["clause"], raw["seed_zh"], data))
    ids = [case.id for case in out]
    if len(set(ids)) != len(ids):
        raise ValueError(f"{path.name}: case ids repeat")
    return out


def load_cases(kinds: tuple[str, ...] = ()) -> Iterator[WorkflowCase]:
    """Every case of every plan, in file order; only those of ``kinds`` when given."""
    for path in case_files():
        for case in load_file(path):
            if not kinds or case.kind in kinds:
                yield case


def check_decision(case: WorkflowCase, got: dict[str, Any]) -> None:
    """Assert that ``got``, a decision as JSON (``Decision.to_dict``, the CLI's ``--json`` or the
    platform's stored decision), gives the case's expected answers."""
    want = case.data
    level_key = "expect_level" if case.kind == "order" else "level"
    checks = {
        "action": got["action"],
        level_key: got["level"],
        "approver": got["approver"],
        "earliest_start": got["earliest_start"],
        "lead_status": (got["lead"] or {}).get("status"),
        "expect_drill": got["drill"],
        "approvers": (got["chain"] or [{}])[-1].get("roles"),
    }
    for key, value in checks.items():
        if key in want:
            assert value == want[key], f"{case}: {key} is {value!r}, the plan says {want[key]!r}"
    if "rule_clause" in want:
        assert want["rule_clause"] in [rule["clause"] for rule in got["rules"]], case
    for expected in want.get("measures", []):
        measure = next(m for m in got["measures"] if expected["contains"] in m["text"])
        assert measure["active"] is expected["active"], f"{case}: {measure['condition']}"
        if "reason" in expected:
            assert measure["condition"]["code"] == expected["reason"], case
