"""Plans as data: the schema, the loader and the shipped plan files (``files/<code>/<year>.yaml``).

>>> from hazeguard.plans import load_plan
>>> load_plan("liaocheng-2020").approver_for("red")
'commander'
"""

from hazeguard.plans.criteria import AllOf, AnyOf, Condition, Criterion, Regional, conditions
from hazeguard.plans.errors import PlanError
from hazeguard.plans.loader import list_plans, load_plan, load_plan_file, plan_ids
from hazeguard.plans.model import Plan, rank
from hazeguard.plans.organisation import (
    Deadline,
    DepartmentPlan,
    MemberUnit,
    Provision,
    Task,
)
from hazeguard.plans.parts import (
    LEVEL_ORDER,
    Adjacency,
    Advisory,
    Approval,
    Citation,
    County,
    Exclusion,
    Jurisdiction,
    LeadTime,
    Level,
    Measure,
    Parent,
    ReductionTarget,
    Rule,
    Scope,
)
from hazeguard.plans.pollution_process import PollutionProcess
from hazeguard.plans.procedure import (
    Delegation,
    LeadExemption,
    PlanProcedure,
    Procedure,
    Proposal,
    Silence,
)
from hazeguard.plans.workflow import Chain, ChainStep, Workflow, WorkflowError

__all__ = [
    "LEVEL_ORDER",
    "Adjacency",
    "Advisory",
    "AllOf",
    "AnyOf",
    "Approval",
    "Chain",
    "ChainStep",
    "Citation",
    "Condition",
    "County",
    "Criterion",
    "Deadline",
    "Delegation",
    "DepartmentPlan",
    "Exclusion",
    "Jurisdiction",
    "LeadExemption",
    "LeadTime",
    "Level",
    "Measure",
    "MemberUnit",
    "Parent",
    "Plan",
    "PlanError",
    "PlanProcedure",
    "PollutionProcess",
    "Procedure",
    "Proposal",
    "Provision",
    "ReductionTarget",
    "Regional",
    "Rule",
    "Scope",
    "Silence",
    "Task",
    "Workflow",
    "WorkflowError",
    "conditions",
    "list_plans",
    "load_plan",
    "load_plan_file",
    "plan_ids",
    "rank",
]
