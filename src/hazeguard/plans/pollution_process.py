"""A pollution process below the warning level (未达到预警启动条件的污染过程, 002 §五(二)1).

Written in a plan file as ``pollution_process: {...}`` (docs/plan-schema.md): the AQI above which
a process is under way, the member unit that runs it and the department-plan tasks (by clause)
that run under it. A plan without the provision lists ``pollution_process`` under
``workflow.silences``. Evaluated by :func:`hazeguard.warnings.process.process_decision`.
"""

from __future__ import annotations

from dataclasses import dataclass

from hazeguard.plans.parts import check_clause

# The AQI scale ends at 500 (HJ 633-2012 Table 1).
_TOP_OF_SCALE = 500


@dataclass(frozen=True)
class PollutionProcess:
    """When a process below the warning level is under way, and who runs it.

    ``opens_above``: AQI [index] above which the observed rolling 24-h AQI or a forecast day's
    AQI makes a process; ``threshold_note_zh``/``threshold_note`` say where the number comes from
    when the plan gives none. ``unit``: the member unit (code) whose tasks run under the process;
    ``tasks``: the clauses of its department-plan tasks that run under it.
    """

    opens_above: int
    unit: str
    tasks: tuple[str, ...]
    clause: str
    text_zh: str
    threshold_note_zh: str = ""
    threshold_note: str = ""

    def __post_init__(self) -> None:
        check_clause(self.clause)
        for clause in self.tasks:
            check_clause(clause)
        if not 0 <= self.opens_above < _TOP_OF_SCALE:
            raise ValueError(f"opens_above must be an AQI from 0 to 499, not {self.opens_above}")
        if not self.tasks:
            raise ValueError("a pollution process names the tasks that run under it: tasks")
