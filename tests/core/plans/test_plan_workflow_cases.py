"""The workflow cases of tests/core/plans/data/workflow/ hold in the core and in the CLI alike.

One file per shipped plan, each case with the seed's words (checked against the seed) and clause;
tests/workflow_cases.py loads them, so the platform runs the same files against its services.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from hazeguard.cli import main
from hazeguard.plans import Workflow, WorkflowError, load_plan
from hazeguard.warnings import Decision, daily, decide, decide_on_order
from paths import SHARED
from workflow_cases import WorkflowCase, case_files, check_decision, load_cases, load_file

CASES = list(load_cases())
SEEDS = SHARED / "seeds"


def ids(case: WorkflowCase) -> str:
    return str(case)


# --- the files themselves ------------------------------------------------------------------


def test_every_shipped_plan_has_a_case_file() -> None:
    from hazeguard.plans import plan_ids

    assert [path.stem for path in case_files()] == plan_ids()


def test_a_malformed_case_is_named(tmp_path: Path) -> None:
    path = tmp_path / "kashgar-2023.yaml"
    path.write_text("plan: kashgar-2023\ncases:\n- {id: x, kind: chain, clause: 001 §3.5}\n")
    with pytest.raises(ValueError, match=r"kashgar-2023.yaml case 1 \(x\): missing seed_zh"):
        load_file(path)


@pytest.mark.shared_data
@pytest.mark.parametrize("case", CASES, ids=ids)
def test_the_case_quotes_its_seed(case: WorkflowCase) -> None:
    if case.clause.startswith("beijing-README"):
        source = (SHARED / "data" / "README-warning-criteria.md").read_text(encoding="utf-8")
    else:
        (path,) = SEEDS.glob(f"{case.clause[:3]}_*.txt")
        source = path.read_text(encoding="utf-8")
    text = re.sub(r"\s+", "", source)
    for fragment in re.split(r"……", re.sub(r"\s+", "", case.seed_zh)):
        assert fragment in text, f"{case}: {fragment!r} is not in {case.clause}"


# --- the core ------------------------------------------------------------------------------


def _forecast(case: WorkflowCase) -> Any:
    spec = case.data["forecast"]
    single = daily(
        spec["start"], spec["aqi"], primary=spec.get("primary"), typhoon=spec.get("typhoon")
    )
    polluted = case.data.get("counties")
    if polluted is None:
        return single
    quiet = daily(spec["start"], [100] * len(spec["aqi"]))
    plan = load_plan(case.plan)
    return {c.code: single if c.code in polluted else quiet for c in plan.counties}


def _core_decision(case: WorkflowCase) -> Decision:
    plan, at = load_plan(case.plan), datetime.fromisoformat(case.data["at"])
    if case.kind == "order":
        return decide_on_order(
            plan,
            case.data["level"],
            at=at,
            current=case.data.get("current"),
            primary=tuple(case.data.get("primary", ())),
            drill=case.data.get("drill", False),
        )
    return decide(
        plan,
        _forecast(case),
        at=at,
        current=case.data.get("current"),
        drill=case.data.get("drill", False),
    )


def _steps(case: WorkflowCase) -> list[list[Any]]:
    return [[kind, list(roles)] for kind, roles in case.data["steps"]]


@pytest.mark.parametrize("case", CASES, ids=ids)
def test_the_case_holds_in_the_core(case: WorkflowCase) -> None:
    plan, want = load_plan(case.plan), case.data
    workflow = Workflow.of(plan)
    schedule = bool(want.get("on_schedule"))
    if case.kind == "chain":
        if "from" in want:
            chain = workflow.adjust_chain(want["from"], want["level"])
        else:
            chain = workflow.chain(want["action"], want["level"], on_schedule=schedule)
        assert [[s.kind, list(s.roles)] for s in chain.steps] == _steps(case)
        assert chain.silent is want.get("silent", False)
        if "chain_clause" in want:
            assert chain.clause == want["chain_clause"]
    elif case.kind == "acts":
        chain = workflow.chain(want["action"], want["level"], on_schedule=schedule)
        acts = [tuple(act) for act in want["acts"]]
        if not want["allowed"]:
            with pytest.raises(WorkflowError):
                chain.check(acts)  # type: ignore[arg-type]
        else:
            assert chain.complete(acts) is want["complete"]  # type: ignore[arg-type]
    elif case.kind == "may":
        allowed = workflow.may(want["role"], want["action"], want["level"], want["step"])
        assert allowed is want["allowed"]
    elif case.kind == "delegation":
        found = [(d.role, d.acts_for, d.clause) for d in workflow.procedure.delegations]
        assert (want["role"], want["acts_for"], case.clause) in found
    elif case.kind == "lead_time":
        judged = workflow.lead_time.judge(want["ahead_hours"], want["driver"])
        assert (judged.status, judged.late) == (want["status"], want["late"])
    elif case.kind == "merging":
        merging = workflow.merging
        assert (merging.gap_hours, merging.silent) == (want["gap_hours"], want["silent"])
        assert merging.clause == ("" if want["silent"] else case.clause)
    elif case.kind == "lifting":
        rule = plan.lifting
        assert rule is not None
        assert rule.duration == timedelta(hours=want["hours"])
        assert (rule.aqi_at_most, rule.clause) == (want["aqi_at_most"], case.clause)
    elif case.kind == "provision":
        assert _provision(workflow, want["name"]) is want["applies"]
    else:
        check_decision(case, json.loads(json.dumps(_core_decision(case).to_dict())))


def _provision(workflow: Workflow, name: str) -> bool:
    if name.startswith("excludes:"):
        return workflow.excludes(name.removeprefix("excludes:")).applies
    fact = workflow.drills if name == "drills" else workflow.follows_parent_order
    return fact.applies


# --- the CLI -------------------------------------------------------------------------------


def _cli(*args: str) -> dict[str, Any]:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def _cli_workflow(plan_id: str) -> dict[str, Any]:
    return _cli("plan", "workflow", plan_id, "--json")


def _allowed(steps: list[dict[str, Any]], acts: list[list[str]]) -> bool:
    """Whether the acts follow the printed chain step by step (role or delegate)."""
    if len(acts) > len(steps):
        return False
    for (kind, role), step in zip(acts, steps, strict=False):
        delegates = [d["role"] for d in step["delegates"]]
        if kind != step["step"] or (role not in step["roles"] and role not in delegates):
            return False
    return True


def _lead_status(lead: dict[str, Any], ahead: float, driver: str) -> str:
    if lead["silent"]:
        return "silent"
    if driver in lead["exempt"]:
        return "exempt"
    if ahead >= lead["usual_hours"]:
        return "usual"
    minimum = lead["minimum_hours"]
    return "minimum" if minimum is not None and ahead >= minimum else "late"


def _csv(path: Path, spec: dict[str, Any]) -> str:
    start = date.fromisoformat(spec["start"])
    rows = ["date,aqi,primary_pollutant,typhoon"]
    primary = spec.get("primary") or [""] * len(spec["aqi"])
    typhoon = spec.get("typhoon") or [False] * len(spec["aqi"])
    for k, (aqi, first, storm) in enumerate(zip(spec["aqi"], primary, typhoon, strict=True)):
        rows.append(f"{start + timedelta(days=k)},{aqi},{first},{str(storm).lower()}")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return str(path)


def _cli_decision(case: WorkflowCase, tmp_path: Path) -> dict[str, Any]:
    want = case.data
    options = ["--plan", case.plan, "--at", want["at"], "--json"]
    if want.get("current"):
        options += ["--current", want["current"]]
    if want.get("drill"):
        options.append("--drill")
    if case.kind == "order":
        primary = [arg for p in want.get("primary", ()) for arg in ("--primary", p)]
        return _cli("warn", "order", "--level", want["level"], *options, *primary)
    main_file = _csv(tmp_path / "forecast.csv", want["forecast"])
    counties: list[str] = []
    if want.get("counties") is not None:
        quiet = {**want["forecast"], "aqi": [100] * len(want["forecast"]["aqi"])}
        quiet_file = _csv(tmp_path / "quiet.csv", quiet)
        for county in load_plan(case.plan).counties:
            chosen = main_file if county.code in want["counties"] else quiet_file
            counties += ["--county", f"{county.code}={chosen}"]
    return _cli("warn", "evaluate", main_file, *options, *counties)


@pytest.mark.parametrize("case", CASES, ids=ids)
def test_the_case_holds_in_the_cli(case: WorkflowCase, tmp_path: Path) -> None:
    want = case.data
    if case.kind in ("decision", "order"):
        check_decision(case, _cli_decision(case, tmp_path))
        return
    facts = _cli_workflow(case.plan)
    chains = facts["chains"]
    action = "lift_on_schedule" if want.get("on_schedule") else want.get("action")
    if case.kind == "chain":
        chain = chains[action][want["level"]]
        assert [[s["step"], s["roles"]] for s in chain["steps"]] == _steps(case)
        assert chain["silent"] is want.get("silent", False)
        if "chain_clause" in want:
            assert chain["clause"] == want["chain_clause"]
    elif case.kind == "acts":
        steps = chains[action][want["level"]]["steps"]
        allowed = _allowed(steps, want["acts"])
        assert allowed is want["allowed"]
        if allowed:
            assert (len(want["acts"]) == len(steps)) is want["complete"]
    elif case.kind == "may":
        steps = chains[action][want["level"]]["steps"]
        step = next((s for s in steps if s["step"] == want["step"]), None)
        assert (step is not None and want["role"] in step["roles"]) is want["allowed"]
    elif case.kind == "delegation":
        approving = [s for chain in chains["issue"].values() for s in chain["steps"]]
        named = {(d["role"], d["acts_for"], d["clause"]) for s in approving for d in s["delegates"]}
        roles = {role for s in approving if s["step"] == "approve" for role in s["roles"]}
        # Printed as a delegate where it widens who approves; where the deputy approves in its
        # own right already (Xigang), both roles are approvers.
        assert (want["role"], want["acts_for"], case.clause) in named or {
            want["role"],
            want["acts_for"],
        } <= roles
    elif case.kind == "lead_time":
        status = _lead_status(facts["lead_time"], want["ahead_hours"], want["driver"])
        assert (status, status == "late") == (want["status"], want["late"])
    elif case.kind == "merging":
        merging = facts["merging"]
        assert (merging["gap_hours"], merging["silent"]) == (want["gap_hours"], want["silent"])
    elif case.kind == "lifting":
        lifting = facts["lifting"]
        assert (lifting["hours"], lifting["aqi_at_most"]) == (want["hours"], want["aqi_at_most"])
    elif case.kind == "provision":
        name = want["name"]
        if name.startswith("excludes:"):
            assert (name.removeprefix("excludes:") in facts["excludes"]) is want["applies"]
        else:
            assert facts[name]["applies"] is want["applies"]
