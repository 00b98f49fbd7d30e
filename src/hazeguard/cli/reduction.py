"""``hazeguard list``: the emission-reduction list (应急减排清单) from the command line.

Targets come from the plan (``--plan ID``: its reduction targets per level) or, for a list checked
against targets that no shipped plan states, from a small YAML file (``--targets``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click
import numpy as np
import yaml

from hazeguard.reduction.io_excel import ListWorkbook, WorkbookError, read_workbook
from hazeguard.reduction.model import (
    LEVELS,
    POLLUTANTS,
    LevelTargets,
    Pollutant,
    ReductionTargets,
    WarningLevel,
)
from hazeguard.vocabulary import level_name

_PATH = click.Path(path_type=Path)
_EXISTING = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.group("list")
def list_group() -> None:
    """Emission-reduction list: template, import checks, least-cost plan, site signs."""


def load_targets(path: Path) -> ReductionTargets:
    """Read reduction targets from YAML; unknown keys and bad shares name the file and key.

    Format: ``source: <clause>`` and ``levels: {yellow: {SO2: 0.10, ..., so2_nox_sum: 0.20,
    key_enterprise: 0.15}, ...}`` with shares in [0, 1].
    """
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise click.BadParameter(f"{path}: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get("levels"), dict):
        raise click.BadParameter(f"{path}: expected a mapping with 'levels'")
    if unknown := set(data) - {"source", "levels"}:
        raise click.BadParameter(f"{path}: unknown key(s) {sorted(unknown)}")
    levels: dict[WarningLevel, LevelTargets] = {}
    for name, values in data["levels"].items():
        where = f"{path}: levels.{name}"
        try:
            level = WarningLevel(name)
        except ValueError:
            raise click.BadParameter(f"{where}: level must be yellow, orange or red") from None
        if not isinstance(values, dict):
            raise click.BadParameter(f"{where}: expected a mapping")
        shares: dict[str, float] = {}
        for key, value in values.items():
            if key not in {p.value for p in Pollutant} | {"so2_nox_sum", "key_enterprise"}:
                raise click.BadParameter(f"{where}.{key}: unknown key")
            if not isinstance(value, int | float) or not 0 <= value <= 1:
                raise click.BadParameter(f"{where}.{key}: a share in [0, 1], got {value!r}")
            shares[key] = float(value)
        levels[level] = LevelTargets(
            {p: shares[p.value] for p in Pollutant if p.value in shares},
            so2_nox_sum=shares.get("so2_nox_sum"),
            key_enterprise=shares.get("key_enterprise"),
        )
    return ReductionTargets(levels, str(data.get("source", "")))


def resolve_targets(plan_id: str | None, targets_path: Path | None) -> ReductionTargets:
    """The targets of ``--plan`` or ``--targets``: exactly one of them must be given."""
    if (plan_id is None) == (targets_path is None):
        raise click.UsageError("give exactly one of --plan ID or --targets FILE")
    if targets_path is not None:
        return load_targets(targets_path)
    from hazeguard.plans import PlanError, load_plan
    from hazeguard.reduction.targets import targets_from_plan

    try:
        plan = load_plan(str(plan_id))
    except PlanError as error:
        raise click.BadParameter(str(error), param_hint="--plan") from None
    targets = targets_from_plan({str(k): v for k, v in plan.reduction_targets.items()}, plan.id)
    if not targets.levels:
        raise click.BadParameter(f"plan {plan_id} states no reduction targets", param_hint="--plan")
    return targets


def _read(path: Path) -> ListWorkbook:
    try:
        return read_workbook(path)
    except WorkbookError as error:
        raise click.ClickException(str(error)) from None


def _emit(as_json: bool, payload: Mapping[str, Any], lines: list[str]) -> None:
    click.echo(json.dumps(payload, ensure_ascii=False, indent=2) if as_json else "\n".join(lines))


@list_group.command()
@click.argument("out", type=_PATH)
def template(out: Path) -> None:
    """Write an empty list workbook (enterprises, units, measures, inventory) to OUT.xlsx."""
    from hazeguard.reduction.io_excel import write_template

    write_template(out)
    click.echo(f"wrote {out}")


@list_group.command()
@click.argument("source", type=_EXISTING, required=False)
@click.option("-o", "--output", "out", type=_PATH, required=True, help="Workbook to write.")
@click.option("--synthetic", type=int, help="Export a synthetic city of N enterprises instead.")
@click.option("--seed", type=int, default=1, show_default=True, help="Seed of --synthetic.")
@click.option(
    "--price",
    type=float,
    default=400.0,
    show_default=True,
    help="Synthetic output value per unit of daily capacity [yuan].",
)
def export(source: Path | None, out: Path, synthetic: int | None, seed: int, price: float) -> None:
    """Export a list (re-validated from SOURCE.xlsx, or --synthetic) to a workbook."""
    from hazeguard.reduction.io_excel import write_workbook

    if (source is None) == (synthetic is None):
        raise click.UsageError("give either SOURCE.xlsx or --synthetic N")
    if source is not None:
        book = _read(source)
    else:
        from hazeguard.reduction.synthetic import generate_city

        city = generate_city(synthetic or 0, seed)
        values = {
            (e.credit_code, u.unit_id): u.capacity * price
            for e in city.enterprises
            for u in e.units
        }
        book = ListWorkbook(city, values)
    write_workbook(book, out)
    click.echo(f"wrote {out}: {len(book.emission_list.enterprises)} enterprises")


@list_group.command()
@click.argument("workbook", type=_EXISTING)
@click.option(
    "--plan", "plan_id", help="Plan ID whose reduction targets apply (hazeguard plan list)."
)
@click.option("--targets", "targets_path", type=_EXISTING, help="Targets YAML instead of a plan.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def check(workbook: Path, plan_id: str | None, targets_path: Path | None, as_json: bool) -> None:
    """Check a list: rule-table floors per enterprise and the city targets per level."""
    from hazeguard.reduction.accounting import UnitTable, account
    from hazeguard.reduction.checks import check_list
    from hazeguard.reduction.model import Severity
    from hazeguard.reduction.rules import default_rule_book
    from hazeguard.reduction.targets import check_targets

    targets = resolve_targets(plan_id, targets_path)
    book = _read(workbook)
    emission_list = book.emission_list
    accounting = account(UnitTable.from_enterprises(emission_list.enterprises))
    report = check_targets(accounting, emission_list.inventory, targets)
    findings = [*check_list(emission_list, default_rule_book()), *report.findings]
    errors = [f for f in findings if f.severity is Severity.ERROR]
    lines = [f"{emission_list.jurisdiction}: {len(emission_list.enterprises)} enterprises"]
    levels_json = []
    for outcome in report.levels:
        lines.append(f"{level_name(outcome.level.value, 'zh')} ({outcome.level.value}):")
        rows = []
        for p, pollutant in enumerate(POLLUTANTS):
            target = outcome.target[p]
            verdict = "—" if np.isnan(target) else ("ok" if outcome.gap[p] <= 0 else "SHORT")
            lines.append(
                f"  {pollutant.value:5} cut {outcome.reduction[p]:9.3f} t/d = "
                f"{outcome.ratio[p]:6.1%}  target {target:5.0%}  gap {outcome.gap[p]:8.3f} t/d"
                f"  {verdict}"
            )
            rows.append(
                {
                    "pollutant": pollutant.value,
                    "reduction_t_per_d": float(outcome.reduction[p]),
                    "ratio": _number(outcome.ratio[p]),
                    "target": _number(target),
                    "gap_t_per_d": float(outcome.gap[p]),
                }
            )
        lines.append(f"  SO2+NOx {outcome.so2_nox_ratio:6.1%}  short {outcome.so2_nox_gap:.1%}")
        levels_json.append(
            {"level": outcome.level.value, "pollutants": rows, "so2_nox_gap": outcome.so2_nox_gap}
        )
    lines.append(f"{len(errors)} error(s), {len(findings) - len(errors)} other finding(s)")
    lines += [f"  [{f.check}] {f.credit_code or ''} {f.message} ({f.rule})" for f in errors[:40]]
    if len(errors) > 40:
        lines.append(f"  ... and {len(errors) - 40} more (use --json for all)")
    payload = {
        "jurisdiction": emission_list.jurisdiction,
        "levels": levels_json,
        "findings": [
            {
                "severity": f.severity.value,
                "check": f.check,
                "credit_code": f.credit_code,
                "level": f.level.value if f.level else None,
                "message": f.message,
                "rule": f.rule,
            }
            for f in findings
        ],
        "passed": not errors,
    }
    _emit(as_json, payload, lines)
    if errors:
        raise SystemExit(1)


def _number(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


@list_group.command()
@click.argument("workbook", type=_EXISTING)
@click.option(
    "--plan", "plan_id", help="Plan ID whose reduction targets apply (hazeguard plan list)."
)
@click.option("--targets", "targets_path", type=_EXISTING, help="Targets YAML instead of a plan.")
@click.option(
    "--level",
    type=click.Choice([level.value for level in LEVELS]),
    required=True,
    help="Warning level to plan for.",
)
@click.option("--time-limit", type=float, default=60.0, show_default=True, help="Solver [s].")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def plan(
    workbook: Path,
    plan_id: str | None,
    targets_path: Path | None,
    level: str,
    time_limit: float,
    as_json: bool,
) -> None:
    """Least-cost extra measures that close every target gap at LEVEL (HiGHS MILP)."""
    from hazeguard.cli.reduction_plan import plan_report

    targets = resolve_targets(plan_id, targets_path)
    book = _read(workbook)
    warning_level = WarningLevel(level)
    if warning_level not in targets.levels:
        raise click.UsageError(f"{plan_id or targets_path} sets no targets for {level}")
    payload, lines, ok = plan_report(book, warning_level, targets.levels[warning_level], time_limit)
    _emit(as_json, payload, lines)
    if not ok:
        raise SystemExit(1)


def _enterprise(book: ListWorkbook, code: str) -> Any:
    for enterprise in book.emission_list.enterprises:
        if enterprise.credit_code == code:
            return enterprise
    raise click.BadParameter(f"no enterprise {code} on the list", param_hint="--enterprise")


@list_group.command()
@click.argument("workbook", type=_EXISTING)
@click.option("--enterprise", "code", required=True, help="Credit code (统一社会信用代码).")
@click.option("-o", "--output", "out", type=_PATH, required=True, help=".docx to write.")
@click.option("--site-plan", is_flag=True, help="Write the site plan (一厂一策) instead.")
def sign(workbook: Path, code: str, out: Path, site_plan: bool) -> None:
    """Write an enterprise's site sign (公示牌), or with --site-plan its site plan, as .docx."""
    from hazeguard.documents.site import write_site_plan, write_site_sign

    enterprise = _enterprise(_read(workbook), code)
    (write_site_plan if site_plan else write_site_sign)(enterprise, out)
    click.echo(f"wrote {out}")
