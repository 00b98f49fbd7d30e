"""The workflow facts of a plan for people (Chinese first, English) and as plain data.

``hazeguard plan workflow PLAN_ID`` prints :func:`workflow_lines`; ``--json`` prints
:func:`workflow_data`, which the table-driven tests read. Each line ends with its clause, and a
fact the plan leaves unsaid shows the plan file's note.
"""

from __future__ import annotations

from typing import Any

from hazeguard.plans.model import Plan
from hazeguard.plans.workflow import ACTIONS, Chain, Workflow
from hazeguard.plans.workflow_facts import Fact, LeadTimeFacts, MergeFacts
from hazeguard.vocabulary import Language, level_name, role_name

_WORDS: dict[Language, dict[str, str]] = {
    "zh": {
        "title": "{name}（{plan}）预警工作流程",
        "issue": "发布",
        "adjust": "调整",
        "lift": "解除",
        "lift_on_schedule": "按期解除",
        "propose": "提出",
        "review": "审核",
        "agree": "同意",
        "approve": "批准",
        "or": "或",
        "acting": "（{role}{condition}受委托代行{for_role}职责）",
        "silent": "预案未规定：{note}",
        "nobody": "（无人可操作）",
        "colon": "：",
        "lead": "提前发布：提前{usual}小时以上发布{minimum}；迟发照常启动措施，记为迟发并说明原因",
        "lead_minimum": "，至少提前{minimum}小时",
        "exempt_observed": "据监测启动：不受提前时间限制，立即启动",
        "exempt_regional_floor": "按上级/区域预警启动：不受提前时间限制，立即启动",
        "exempt_advisory": "提示信息：及时发布，不受提前时间限制",
        "merge": "过程合并：前后两次过程间隔不足{hours}小时，按一次过程从严启动",
        "lifting": "解除条件：{condition}，且预测持续{hours}小时以上",
        "lifting_aqi": "空气质量改善到AQI≤{aqi}",
        "lifting_below": "空气质量改善到相应级别预警启动标准以下",
        "drills": "演练：预案规定开展应急演练；演练不向公众发布",
        "drills_silent": "演练：预案未规定：{note}",
        "lead_silent": "提前发布：预案未规定：{note}",
        "merge_silent": "过程合并：预案未规定：{note}",
        "parent": "按上级指令：按上级指挥部下达的级别发布，本级不另行研判",
        "excluded": "不适用：{cause}",
        "typhoon": "台风造成的污染",
        "dust_storm": "沙尘暴造成的污染",
        "dust_weather": "沙尘天气造成的污染",
        "deadline": "时限（{kind}）：{text}",
    },
    "en": {
        "title": "{name} ({plan}): warning workflow",
        "issue": "issue",
        "adjust": "adjust",
        "lift": "lift",
        "lift_on_schedule": "lift on schedule",
        "propose": "propose",
        "review": "review",
        "agree": "agree",
        "approve": "approve",
        "or": " or ",
        "acting": " ({role} acting for the {for_role}{condition})",
        "silent": "the plan is silent: {note}",
        "nobody": " (nobody may act)",
        "colon": ": ",
        "lead": "lead time: release {usual} h or more ahead{minimum}; a late release starts its "
        "measures as planned and is recorded as late with its reason",
        "lead_minimum": ", never less than {minimum} h",
        "exempt_observed": "started on observations: no lead time, start at once",
        "exempt_regional_floor": "started on a higher or regional warning: no lead time, start "
        "at once",
        "exempt_advisory": "advisory notice: released promptly, no lead time",
        "merge": "merging: two episodes less than {hours} h apart are one, at the higher level",
        "lifting": "lifting: {condition}, forecast to last at least {hours} h",
        "lifting_aqi": "air quality improves to AQI ≤ {aqi}",
        "lifting_below": "air quality improves below the level's criteria",
        "drills": "drills: the plan provides for exercises; a drill is never public",
        "drills_silent": "drills: the plan is silent: {note}",
        "lead_silent": "lead time: the plan is silent: {note}",
        "merge_silent": "merging: the plan is silent: {note}",
        "parent": "parent's order: the level the parent command orders is issued; no own decision",
        "excluded": "outside the plan: {cause}",
        "typhoon": "pollution caused by typhoons",
        "dust_storm": "pollution caused by dust storms",
        "dust_weather": "pollution caused by sand and dust",
        "deadline": "deadline ({kind}): {text}",
    },
}


def _chain_lines(chain: Chain, heading: str, language: Language) -> list[str]:
    words = _WORDS[language]
    clause = f" [{chain.clause}]" if chain.clause else ""
    lines = [f"{heading}{clause}"]
    if chain.silent:
        lines.append("  " + words["silent"].format(note=_note(chain, language)))
    if not chain.steps:
        lines[0] += words["nobody"]
    for number, step in enumerate(chain.steps, start=1):
        roles = words["or"].join(role_name(role, language) for role in step.roles)
        acting = "".join(
            words["acting"].format(
                role=role_name(d.role, language),
                for_role=role_name(d.acts_for, language),
                condition=(d.condition_zh if language == "zh" else ""),
            )
            for d in step.delegates
        )
        colon = words["colon"]
        lines.append(f"  {number}. {words[step.kind]}{colon}{roles}{acting} [{step.clause}]")
    return lines


def workflow_lines(plan: Plan, language: Language = "zh") -> list[str]:
    """Every workflow fact of ``plan`` as lines of text in ``language``, with clauses."""
    words = _WORDS[language]
    workflow = Workflow.of(plan)
    name = plan.title_zh if language == "zh" else (plan.title_en or plan.title_zh)
    lines = [words["title"].format(name=name, plan=plan.id)]
    for level in plan.level_names:
        shown = level_name(level, language)
        for action in ACTIONS:
            chain = workflow.chain(action, level)
            lines += _chain_lines(chain, f"{words[action]} {shown}", language)
        scheduled = workflow.chain("lift", level, on_schedule=True)
        if scheduled != workflow.chain("lift", level):
            lines += _chain_lines(scheduled, f"{words['lift_on_schedule']} {shown}", language)
    if plan.advisory is not None:
        chain = workflow.chain("issue", "advisory")
        lines += _chain_lines(
            chain, f"{words['issue']} {level_name('advisory', language)}", language
        )
    lead = workflow.lead_time
    if lead.silent:
        lines.append(words["lead_silent"].format(note=_note(lead, language)))
    else:
        minimum = (
            words["lead_minimum"].format(minimum=f"{lead.minimum_hours:g}")
            if lead.minimum_hours is not None
            else ""
        )
        usual = f"{lead.usual_hours:g}"
        lines.append(words["lead"].format(usual=usual, minimum=minimum) + f" [{lead.clause}]")
    for exemption in lead.exemptions:
        lines.append(f"  {words['exempt_' + exemption.driver]} [{exemption.clause}]")
    merging = workflow.merging
    if merging.silent:
        lines.append(words["merge_silent"].format(note=_note(merging, language)))
    else:
        lines.append(words["merge"].format(hours=f"{merging.gap_hours:g}") + f" [{merging.clause}]")
    lifting = plan.lifting
    if lifting is not None and lifting.duration is not None:
        condition = (
            words["lifting_aqi"].format(aqi=lifting.aqi_at_most)
            if lifting.aqi_at_most is not None
            else words["lifting_below"]
        )
        hours = f"{lifting.duration.total_seconds() / 3600:g}"
        text = words["lifting"].format(condition=condition, hours=hours)
        lines.append(f"{text} [{lifting.clause}]")
    parent = workflow.follows_parent_order
    if parent.applies:
        lines.append(f"{words['parent']} [{parent.clause}]")
    for exclusion in plan.exclusions:
        cause = words.get(exclusion.cause, exclusion.cause)
        lines.append(words["excluded"].format(cause=cause) + f" [{exclusion.clause}]")
    drills = workflow.drills
    if drills.applies:
        lines.append(f"{words['drills']} [{drills.clause}]")
    else:
        lines.append(words["drills_silent"].format(note=_note(drills, language)))
    return lines


def _chain_data(chain: Chain) -> dict[str, Any]:
    return {
        "steps": [
            {
                "step": step.kind,
                "roles": list(step.roles),
                "delegates": [
                    {"role": d.role, "acts_for": d.acts_for, "clause": d.clause}
                    for d in step.delegates
                ],
                "clause": step.clause,
            }
            for step in chain.steps
        ],
        "clause": chain.clause,
        "silent": chain.silent,
        "note": chain.note,
        "note_zh": chain.note_zh,
    }


def workflow_data(plan: Plan) -> dict[str, Any]:
    """Every workflow fact of ``plan`` as JSON-ready data (chains by action and level, lead time,
    merging, lifting, parent's order, exclusions, drills, deadlines by kind)."""
    workflow = Workflow.of(plan)
    chains: dict[str, dict[str, Any]] = {action: {} for action in (*ACTIONS, "lift_on_schedule")}
    levels = [*plan.level_names, *(["advisory"] if plan.advisory is not None else [])]
    for level in levels:
        for action in ACTIONS:
            chains[action][level] = _chain_data(workflow.chain(action, level))
        scheduled = workflow.chain("lift", level, on_schedule=True)
        chains["lift_on_schedule"][level] = _chain_data(scheduled)
    lead, merging, lifting = workflow.lead_time, workflow.merging, plan.lifting
    return {
        "plan": plan.id,
        "chains": chains,
        "lead_time": {
            "usual_hours": lead.usual_hours,
            "minimum_hours": lead.minimum_hours,
            "clause": lead.clause,
            "exempt": {e.driver: e.clause for e in lead.exemptions},
            "silent": lead.silent,
            "note": lead.note,
            "note_zh": lead.note_zh,
        },
        "merging": {
            "gap_hours": merging.gap_hours,
            "clause": merging.clause,
            "silent": merging.silent,
            "note": merging.note,
            "note_zh": merging.note_zh,
        },
        "lifting": None
        if lifting is None
        else {
            "hours": None if lifting.duration is None else lifting.duration.total_seconds() / 3600,
            "aqi_at_most": lifting.aqi_at_most,
            "clause": lifting.clause,
        },
        "follows_parent_order": _fact_data(workflow.follows_parent_order),
        "excludes": {e.cause: e.clause for e in plan.exclusions},
        "drills": _fact_data(workflow.drills),
        "deadlines": {d.kind: d.clause for d in plan.deadlines},
    }


def _fact_data(fact: Fact) -> dict[str, Any]:
    return {
        "applies": fact.applies,
        "clause": fact.clause,
        "note": fact.note,
        "note_zh": fact.note_zh,
    }


def _note(fact: Chain | LeadTimeFacts | MergeFacts | Fact, language: Language) -> str:
    return fact.note_zh if language == "zh" else fact.note
