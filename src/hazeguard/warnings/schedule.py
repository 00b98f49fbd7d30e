"""Which plan is in force on a day: one plan, or a jurisdiction's successive plans by date.

``--plan beijing`` means "the Beijing plan in force on each date": every shipped plan of the
jurisdiction ``beijing``, each in force from its ``issued`` date (or, when a plan file records no
issue date, from 1 January of its year) until the next one takes over. Days before the first plan
have no plan, and no warning.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date

from hazeguard.warnings.adapter import rules_from_plan
from hazeguard.warnings.rules import WarningRules


@dataclass(frozen=True)
class Schedule:
    """Plans in force from given days, in order.

    Parameters
    ----------
    starts
        First day each plan is in force, ascending.
    rules
        The plans' warning rules, in the same order.
    """

    starts: tuple[date, ...]
    rules: tuple[WarningRules, ...]

    def __call__(self, day: date) -> WarningRules | None:
        """The rules in force on ``day`` (None before the first plan)."""
        index = bisect.bisect_right(self.starts, day) - 1
        return self.rules[index] if index >= 0 else None

    def describe(self) -> list[str]:
        """One line per plan: ``<id> from <day>``."""
        return [
            f"{r.plan_id} from {s.isoformat()}"
            for s, r in zip(self.starts, self.rules, strict=True)
        ]


def schedule_for(name: str) -> Schedule:
    """A plan ID (``liaocheng-2020``: in force every day) or a jurisdiction code (``beijing``)."""
    from hazeguard.plans import list_plans, load_plan, plan_ids

    if name in plan_ids():
        return Schedule((date.min,), (rules_from_plan(load_plan(name)),))
    plans = [plan for plan in list_plans() if plan.jurisdiction.code == name]
    if not plans:
        known = sorted({plan.jurisdiction.code for plan in list_plans()})
        ids, codes = ", ".join(plan_ids()), ", ".join(known)
        raise ValueError(f"{name!r} is neither a plan ID ({ids}) nor a jurisdiction ({codes})")
    dated = sorted((plan.issued or date(plan.year, 1, 1), plan.id, plan) for plan in plans)
    return Schedule(
        tuple(start for start, _, _ in dated), tuple(rules_from_plan(p) for _, _, p in dated)
    )
