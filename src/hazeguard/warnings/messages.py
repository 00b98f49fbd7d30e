"""Explanations as data: a code plus its parameters, rendered in Chinese (first) or English.

Every reason the warning engine gives (a criterion that matched, a lifecycle rule it applied, the
decision's headline) is a :class:`Message`. The code names the kind of reason, the parameters hold
its figures (thresholds [index], durations [days, h], times, levels), and the templates below turn
it into text. The plans are written in Chinese and the interface shows Chinese first
(GLOSSARY.md), so the Chinese templates use the plans' own words ("AQI日均值>200连续2天",
"达到500", "3个及以上连片县（市）", "按一次重污染过程从严启动预警"); the English ones are the
texts the CLI has always printed.

>>> Message("criterion.persistence", {"op": ">", "threshold": 200, "days": 2}).zh
'AQI日均值>200连续2天（48小时）'
>>> Message("criterion.persistence", {"op": ">", "threshold": 200, "days": 2}).en
'AQI > 200 for 2 days'
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final, TypeAlias

from hazeguard.vocabulary import (
    LEVELS,
    RESPONSE_NUMERAL_ZH,
    Language,
    level_name,
    pollutant_name,
)

Param: TypeAlias = str | int | float | bool | list["Param"] | dict[str, "Param"] | None

# Lifecycle rules by the name the engine gives them (AppliedRule.rule).
RULE_NAMES_ZH: Final[dict[str, str]] = {
    "lead time": "提前发布",
    "merging": "过程合并",
    "upgrade on observation": "据监测升级",
    "regional floor": "区域预警",
    "lift": "解除预警",
    "downgrade": "降低预警级别",
    "lifting": "解除条件",
    "dust exclusion": "沙尘天气排除",
    "typhoon exclusion": "台风天气排除",
    "parent order": "上级指令",
}

# Where a matched criterion was judged (MatchedCriterion.source).
SOURCE_NAMES_ZH: Final[dict[str, str]] = {
    "forecast": "预报",
    "observed+forecast": "监测+预报",
    "regional floor": "区域预警",
}

# code -> language -> str.format template over the parameters and the derived values of _values.
TEMPLATES: Final[dict[str, dict[Language, str]]] = {
    # One criterion, "预测AQI日均值>200将持续2天（48小时）及以上" (seed 003 §3.1).
    "criterion.persistence": {
        "zh": "{pollutant}{comparison}{duration}{of_which}",
        "en": "AQI {op} {threshold:g} for {days} day{plural}{pollutant}{of_which}",
    },
    "criterion.any_of": {"zh": "{parts}", "en": "{parts}"},
    "criterion.all_of": {"zh": "{parts}", "en": "{parts}"},
    # "研判3个及以上连片县（市）平均日AQI达到…预警分级标准" (seed 001 §3.4).
    "criterion.regional": {
        "zh": "{min_contiguous_counties}个及以上连片县（市）平均{criterion}{counties}",
        "en": "{criterion} (mean of ≥ {min_contiguous_counties} contiguous counties{counties})",
    },
    # "启动不低于区域预警级别的…应急响应" (seed 001 §3.4).
    "criterion.regional_floor": {
        "zh": "上级发布{floor_colour}区域预警：启动不低于区域预警级别的预警",
        "en": "a regional {floor} warning from a higher jurisdiction: not lower than it",
    },
    # "原则上应提前24小时以上发布，特殊情况下至少提前12小时" (seed 001 §3.5).
    "rule.lead_time.usual": {
        "zh": "预测污染自{onset}开始，提前{ahead:g}小时；满足提前{usual:g}小时以上发布的要求",
        "en": (
            "pollution forecast from {onset}, {ahead:g} h ahead; usual lead time ({usual:g} h) met"
        ),
    },
    "rule.lead_time.minimum": {
        "zh": "预测污染自{onset}开始，提前{ahead:g}小时；仅满足至少提前{minimum:g}小时的要求",
        "en": (
            "pollution forecast from {onset}, {ahead:g} h ahead; "
            "only the minimum lead time ({minimum:g} h) met"
        ),
    },
    # Kept only so that decisions stored before issue 10 still render: the engine no longer
    # postpones a late warning, so it no longer gives this code (it gives rule.lead_time.late).
    "rule.lead_time.short": {
        "zh": "预测污染自{onset}开始，提前{ahead:g}小时；不足至少提前{minimum:g}小时：推迟启动",
        "en": (
            "pollution forecast from {onset}, {ahead:g} h ahead; "
            "less than the minimum lead time ({minimum:g} h): start delayed"
        ),
    },
    # A late release is still made, and its measures start as planned: it is recorded as late,
    # with the reason the office gives (issue 10; 003 §3.3.1 "尽早启动").
    "rule.lead_time.late": {
        "zh": (
            "预测污染自{onset}开始，提前{ahead:g}小时；不足提前{minimum:g}小时：记为迟发，"
            "须说明原因，措施不推迟"
        ),
        "en": (
            "pollution forecast from {onset}, {ahead:g} h ahead; less than {minimum:g} h: "
            "recorded as late with its reason, measures not postponed"
        ),
    },
    # "前后两次重污染过程，且间隔时间未达到36小时，应按一次重污染过程从严启动预警" (003 §3.3.2).
    "rule.merging": {
        "zh": "前后两次污染过程间隔未达到{hours:g}小时，按一次重污染过程从严启动预警",
        "en": "polluted periods less than {hours:g} h apart form one episode, at its highest level",
    },
    # "监测空气质量已经达到更高级别污染程度，且预测未来24小时内不会有明显改善" (001 §3.7.1).
    "rule.upgrade_on_observation": {
        "zh": "监测空气质量已达到{level_name}条件，且预测未来{hours:g}小时内不会有明显改善",
        "en": (
            "observed air quality already meets {level}; "
            "no clear improvement forecast within {hours:g} h"
        ),
    },
    "rule.regional_floor": {
        "zh": "不低于区域预警级别",
        "en": "not lower than the regional warning",
    },
    # "改善到相应级别预警启动标准以下，且预测将持续36小时以上" (seed 001 §3.7.1).
    "rule.improvement": {
        "zh": "已不满足{current_name}条件，且预测空气质量改善将持续{hours:g}小时以上",
        "en": "{current} no longer met; improvement forecast to last at least {hours:g} h",
    },
    "rule.no_lasting_improvement": {
        "zh": "预测空气质量改善持续不足{hours:g}小时：维持预警",
        "en": "improvement not forecast to last {hours:g} h: the warning stays",
    },
    # "因沙尘天气形成的重度污染不适用本预案" (seed 001 §1.3).
    "rule.dust": {
        "zh": "{count}个时段因沙尘天气不计入",
        "en": "{count} period(s) left out as sand and dust",
    },
    # "对于沙尘暴、台风等气象因素……造成的重污染天气，不在本预案范围" (seed 000 §1.4).
    "rule.typhoon": {
        "zh": "{count}个时段因台风天气不计入",
        "en": "{count} period(s) left out as typhoon weather",
    },
    # "根据大连市应急指挥部下达黄色预警…发布西岗区重污染天气相应预警" (seed 000 §3.2.1).
    "rule.parent_order": {
        "zh": "根据{parent_zh}应急指挥部下达的指令：{level_name}",
        "en": "as ordered by {parent_en}'s command: {level_name}",
    },
    # Conditional measures (000 §4.2.1.3(8), 000 §4.2.1.3(4), 003 §4.4.4.1(7), 003 §4.4.2.3).
    "measure.pollutant.no": {
        "zh": "未启用：首要污染物不是{pollutants_text}",
        "en": "not active: {pollutants_text} is not the primary pollutant",
    },
    "measure.pollutant.yes": {
        "zh": "启用：首要污染物为{pollutants_text}",
        "en": "active: {pollutants_text} is the primary pollutant",
    },
    "measure.season.no": {
        "zh": "未启用：仅在每年{season_text}实施",
        "en": "not active: only from {season_text}",
    },
    "measure.season.yes": {
        "zh": "启用：在每年{season_text}期间",
        "en": "active: within {season_text}",
    },
    "measure.aqi.no": {
        "zh": "未启用：AQI日均值未达到{threshold:g}（最高{highest}）",
        "en": "not active: daily AQI does not reach {threshold:g} (highest {highest})",
    },
    "measure.aqi.yes": {
        "zh": "启用：AQI日均值达到{threshold:g}",
        "en": "active: daily AQI reaches {threshold:g}",
    },
    "measure.non_freezing": {
        "zh": "仅在非冰冻条件下实施：请核实",
        "en": "only when not freezing: check",
    },
    "decision.none": {"zh": "不发布预警", "en": "no warning"},
    "decision.issue": {
        "zh": "发布{level_name}{response_text}",
        "en": "issue {level_name}{response}",
    },
    "decision.upgrade": {
        "zh": "升级为{level_name}{response_text}",
        "en": "upgrade to {level_name}{response}",
    },
    "decision.downgrade": {
        "zh": "降级为{level_name}{response_text}",
        "en": "downgrade to {level_name}{response}",
    },
    "decision.lift": {"zh": "解除预警", "en": "lift the warning"},
    "decision.keep": {"zh": "维持{level_name}{response_text}", "en": "keep {level_name}{response}"},
}

# Pieces of the criterion templates, chosen by the parameters.
FRAGMENTS: Final[dict[Language, dict[str, str]]] = {
    "zh": {
        "op>": "AQI日均值>{threshold:g}",
        "op>=": "AQI日均值达到{threshold:g}",  # "达到500" (seed 003 §3.1)
        "one day": "持续24小时",  # "持续24小时及以上" (seed 001 §3.3)
        "days": "连续{days}天（{hours}小时）",
        "pollutant": "{primary_pollutant}为首要污染物时，",  # seed 000 §3.1
        "of_which": "，其中{count}天>{over:g}",
        "any_of": "或",
        "all_of": "且",
        "part": "（{}）",
        "response": "，启动{response}应急响应",
        "counties": "：{}",
        "county_separator": "、",
        "drill": "【演练】",
        "or": "或",
        "season": "{start_month}月{start_day}日至{end_month}月{end_day}日",
    },
    "en": {
        "pollutant": " ({primary_pollutant} primary)",
        "of_which": ", of which {count} over {over:g}",
        "any_of": " or ",
        "all_of": " and ",
        "part": "({})",
        "response": " (response {response})",
        "counties": ": {}",
        "county_separator": ", ",
        "drill": "[DRILL] ",
        "or": " or ",
        "season": "{start_day} {start_month_name} to {end_day} {end_month_name}",
    },
}


@dataclass(frozen=True, eq=False)
class Message:
    """One explanation: a code from :data:`TEMPLATES` and its parameters (JSON values).

    Nested criteria are parameters too: ``parts`` (a list) and ``criterion`` hold the
    :meth:`to_dict` form of the messages they are made of.
    """

    code: str
    params: Mapping[str, Param] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.code not in TEMPLATES:
            raise ValueError(f"unknown explanation code {self.code!r}")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Message):
            return NotImplemented
        return (self.code, dict(self.params)) == (other.code, dict(other.params))

    def __hash__(self) -> int:
        return hash((self.code, repr(sorted(self.params.items()))))

    def render(self, language: Language) -> str:
        """The explanation as text in ``language``."""
        template = TEMPLATES[self.code][language]
        text = template.format(**_values(self, language))
        # A drill is marked on every headline it produces (000 §6.7, 001 §8.3, 003 §7).
        return FRAGMENTS[language]["drill"] + text if self.params.get("drill") is True else text

    @property
    def zh(self) -> str:
        """The Chinese text (shown first)."""
        return self.render("zh")

    @property
    def en(self) -> str:
        """The English text (the CLI's)."""
        return self.render("en")

    def to_dict(self) -> dict[str, Param]:
        """``{"code", "params"}``: the structured form, JSON-ready."""
        return {"code": self.code, "params": dict(self.params)}

    def explained(self) -> dict[str, Param]:
        """The structured form with both renderings: ``{"code", "params", "zh", "en"}``."""
        return {**self.to_dict(), "zh": self.zh, "en": self.en}

    @classmethod
    def from_dict(cls, data: Mapping[str, Param]) -> Message:
        """The message of a :meth:`to_dict` form; ValueError names what is wrong."""
        code, params = data.get("code"), data.get("params", {})
        if not isinstance(code, str) or not isinstance(params, dict):
            raise ValueError(f"an explanation is {{code: text, params: mapping}}, got {data!r}")
        return cls(code, params)


def number(value: float) -> int | float:
    """``200`` for 200.0 (JSON reads better), other values unchanged."""
    return int(value) if float(value).is_integer() else value


def _values(message: Message, language: Language) -> dict[str, Param]:
    """The parameters with the derived values the templates of ``language`` use."""
    params = dict(message.params)
    pieces = FRAGMENTS[language]
    if message.code == "criterion.persistence":
        return _persistence(params, language)
    if message.code in ("criterion.any_of", "criterion.all_of"):
        parts = params.get("parts")
        texts = [_nested(part) for part in (parts if isinstance(parts, list) else [])]
        joiner = pieces[message.code.removeprefix("criterion.")]
        params["parts"] = joiner.join(pieces["part"].format(t.render(language)) for t in texts)
    if "criterion" in params:
        params["criterion"] = _nested(params["criterion"]).render(language)
    if message.code == "criterion.regional":
        names = params.get(f"counties_{language}")
        members = names if isinstance(names, list) else []
        listed = pieces["county_separator"].join(str(name) for name in members)
        params["counties"] = pieces["counties"].format(listed) if listed else ""
    for key in ("level", "current", "floor"):
        value = params.get(key)
        if isinstance(value, str):
            params[f"{key}_name"] = level_name(value, language)
            terms = LEVELS.get(value)
            params[f"{key}_colour"] = terms.colour_zh if terms and terms.colour_zh else value
    codes = params.get("pollutants")
    if isinstance(codes, list):
        shown = [pollutant_name(str(code), language) for code in codes]
        params["pollutants_text"] = pieces["or"].join(shown)
    season = params.get("season")
    if isinstance(season, list) and len(season) == 2:
        params["season_text"] = _season(str(season[0]), str(season[1]), language)
    response = params.get("response")
    params["response"] = pieces["response"].format(response=response) if response else ""
    if language == "zh":
        text = RESPONSE_NUMERAL_ZH.get(response, response) if isinstance(response, str) else ""
        params["response_text"] = pieces["response"].format(response=text) if text else ""
    return params


def _season(start: str, end: str, language: Language) -> str:
    """``3月15日至11月15日`` / ``15 March to 15 November`` from ``03-15`` and ``11-15``."""
    (start_month, start_day), (end_month, end_day) = (
        (int(part) for part in day.split("-")) for day in (start, end)
    )
    return FRAGMENTS[language]["season"].format(
        start_month=start_month,
        start_day=start_day,
        end_month=end_month,
        end_day=end_day,
        start_month_name=calendar.month_name[start_month],
        end_month_name=calendar.month_name[end_month],
    )


def _persistence(params: dict[str, Param], language: Language) -> dict[str, Param]:
    pieces = FRAGMENTS[language]
    days = params["days"]
    pollutant = params.get("primary_pollutant")
    over = params.get("at_least_days_over")
    values = {
        **params,
        "plural": "s" if isinstance(days, int) and days > 1 else "",
        "pollutant": pieces["pollutant"].format(**params) if pollutant else "",
        "of_which": "",
    }
    if isinstance(over, list) and len(over) == 2:
        values["of_which"] = pieces["of_which"].format(over=over[0], count=over[1])
    if language == "zh":
        op = params["op"]
        values["comparison"] = pieces[f"op{op}"].format(**params)
        if days == 1:
            # "达到500" is one daily mean already; "AQI日均值>200" needs its 24 hours said.
            values["duration"] = "" if op == ">=" else pieces["one day"]
        else:
            hours = days * 24 if isinstance(days, int) else days
            values["duration"] = pieces["days"].format(days=days, hours=hours)
    return values


def _nested(value: Param) -> Message:
    if not isinstance(value, dict):
        raise ValueError(f"a nested explanation is a mapping, got {value!r}")
    return Message.from_dict(value)
