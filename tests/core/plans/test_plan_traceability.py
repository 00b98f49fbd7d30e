"""docs/traceability.md ties each seed clause to a plan key and a test; check every row of it."""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import pytest

from hazeguard.plans import list_plans, load_plan
from hazeguard.plans.trace import cited, cites, resolve, split_key
from paths import ROOT, SHARED

TABLE = ROOT / "docs" / "traceability.md"
TESTS = Path(__file__).parent
ROW = re.compile(
    r"^\| (\d{3} §\S+|beijing-README §\S+) \| ([a-z0-9-]+) \| `([^`]+)` \| `([^`]+)` \|$"
)
UNITS = ("时", "月", "个", "小时", "千克", "年", "日")  # "17时" is a time, not a section
SKIPPED = re.compile(r"^\| (\d{3} §\S+) \| (.+) \|$")


def rows() -> list[tuple[str, str, str, str]]:
    found = []
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        match = ROW.match(line)
        if match:
            found.append((match[1], match[2], match[3], match[4]))
    return found


def not_carried() -> dict[str, str]:
    lines = TABLE.read_text(encoding="utf-8").splitlines()
    found = {}
    for line in lines[lines.index("## Sections that state no rule the plan files carry") :]:
        match = SKIPPED.match(line)
        if match:
            found[match[1]] = match[2]
    return found


@cache
def functions_in(file: str) -> frozenset[str]:
    tree = ast.parse((TESTS / file).read_text(encoding="utf-8"))
    return frozenset(node.name for node in tree.body if isinstance(node, ast.FunctionDef))


def test_the_table_has_rows_for_every_shipped_plan() -> None:
    assert {plan for _, plan, _, _ in rows()} == {plan.id for plan in list_plans()}


@pytest.mark.parametrize(("clause", "plan_id", "key", "test"), rows())
def test_each_row_names_a_plan_key_that_cites_its_clause(
    clause: str, plan_id: str, key: str, test: str
) -> None:
    plan = load_plan(plan_id)
    *above, field = split_key(key)
    parents = resolve(plan, ".".join(above)) if above else [plan]
    parts = resolve(plan, key)
    assert parts, f"{key} names nothing in {plan_id}"
    assert any(cites(part, clause) for part in parts) or any(
        cites(getattr(parent, field, None), clause, parent, field) for parent in parents
    ), f"{plan_id} {key} does not cite {clause}"


@pytest.mark.parametrize("test", sorted({row[3] for row in rows()}))
def test_each_named_test_exists(test: str) -> None:
    file, _, function = test.partition("::")
    assert (TESTS / file).is_file(), file
    assert function in functions_in(file), test


def test_every_clause_a_plan_cites_has_a_row() -> None:
    listed = {(plan, clause) for clause, plan, _, _ in rows()}
    missing = {
        (plan.id, clause)
        for plan in list_plans()
        for _, clause in cited(plan)
        if (plan.id, clause) not in listed
    }
    assert not missing


def seed_sections(number: str) -> list[str]:
    """Numbered section headings of a seed: ``4.4.2`` (``五(二)6`` in seed 002)."""
    (path,) = (SHARED / "seeds").glob(f"{number}_*.txt")
    sections, top, sub = [], "", ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if number == "002":
            if match := re.match(r"^([一二三四五六七八九十])、", line):
                top, sub = match[1], ""
                sections.append(top)
            elif (match := re.match(r"^（([一二三四五六七八九十])）", line)) and top:
                sub = match[1]
                sections.append(f"{top}({sub})")
            elif (match := re.match(r"^(\d+)\.\S{1,20}$", line)) and sub:
                sections.append(f"{top}({sub}){match[1]}")
        elif (
            (match := re.match(r"^(\d+(?:\.\d+)*)\s*([^\d\s.%].*)$", line))
            and len(line) < 40
            and not match[2].startswith(UNITS)
        ):
            sections.append(match[1])
    return sections


@pytest.mark.shared_data
@pytest.mark.parametrize("number", ["000", "001", "002", "003", "004"])
def test_every_seed_section_is_carried_or_explained(number: str) -> None:
    carried = {clause for clause, _, _, _ in rows() if clause.startswith(number)}
    explained = not_carried()
    for section in seed_sections(number):
        clause = f"{number} §{section}"
        below = (f"{clause}.", f"{clause}(") if number != "002" else (clause,)
        assert (
            clause in carried
            or clause in explained
            or any(other != clause and other.startswith(below) for other in carried)
        ), f"{clause} is neither carried nor explained in docs/traceability.md"
