"""Every ``text_zh`` that cites a seed quotes that seed: the plan files carry the original text."""

from __future__ import annotations

import re

import pytest

from hazeguard.plans import list_plans, load_plan
from hazeguard.plans.trace import cited, resolve
from paths import SHARED

SEEDS = SHARED / "seeds"
# Quotes are cut at sentence ends and at "……" (the mark of an omission inside a quote).
FRAGMENT = re.compile(r"……|(?<=[。；])")


def seed_text(number: str) -> str:
    (path,) = SEEDS.glob(f"{number}_*.txt")
    return re.sub(r"\s+", "", path.read_text(encoding="utf-8"))


def quoted_parts() -> list[tuple[str, str, str]]:
    return [
        (plan.id, key, clause)
        for plan in list_plans()
        for key, clause in cited(plan)
        if re.match(r"\d{3} ", clause)
    ]


@pytest.mark.shared_data
@pytest.mark.parametrize(("plan_id", "key", "clause"), quoted_parts())
def test_each_quoted_text_is_in_its_seed(plan_id: str, key: str, clause: str) -> None:
    seed = seed_text(clause[:3])
    for part in resolve(load_plan(plan_id), key):
        text = getattr(part, "text_zh", None)
        if text is None:
            continue
        for fragment in FRAGMENT.split(re.sub(r"\s+", "", text)):
            assert fragment in seed, f"{plan_id} {key}: {fragment!r} is not in seed {clause[:3]}"


@pytest.mark.shared_data
@pytest.mark.parametrize("plan_id", ["beijing-2013", "beijing-2015", "beijing-2016"])
def test_beijing_criteria_quote_the_readme_row_of_their_plan(plan_id: str) -> None:
    readme = (SHARED / "data" / "README-warning-criteria.md").read_text(encoding="utf-8")
    for level in load_plan(plan_id).levels:
        quoted = level.text_zh.split(f"{level.name}: ", 1)[1]
        assert f"| {quoted} |" in readme, (plan_id, level.name)
