"""Free-text measures as real emission-reduction lists write them, parsed into structured parts.

Real lists (应急减排清单) carry each enterprise's measure per warning level as Chinese free text
(emission-list.md §6.1: "real lists carry measures as Chinese free text"). This module splits such a
text into clauses and recognises the common phrasings (emission-list.md §6.1, §5.2-5.7, §7.2; seed
003 §4.4). A clause it recognises becomes a :class:`ParsedMeasure`; a clause it cannot read without
guessing becomes a :class:`ReviewFlag` naming the reason, so that a person looks at it. Nothing is
silently dropped: every clause ends up in exactly one of the two lists.

The parse result is deliberately independent of the data model; :mod:`hazeguard.reduction.io_excel`
maps it onto the model's measures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class ParsedKind(StrEnum):
    """What a recognised clause asks for (names follow emission-list.md §11.1 ``Measure.kind``)."""

    STOP = "stop"  # 停产 (whole enterprise, or the named process/line)
    LIMIT_PCT = "limit_pct"  # 限产 x% [%]
    STOP_PCT_BY_LINE = "stop_pct_by_line"  # 停产 x%，以生产线计 [%]
    FEED_CAP = "feed_cap"  # 投料量由 A 降至 B [t/d]
    LOAD_CAP = "load_cap"  # 负荷不超过 x% (kept share, stored as the cut share) [%]
    COKING_HOURS = "coking_hours"  # 结焦时间延长至 N 小时 [h]
    ROTATION = "rotation"  # 轮流停产 (n batches, when stated)
    TRUCK_BAN = "truck_ban"  # 停止使用国四及以下重型载货车辆
    ROAD_TRANSPORT_BAN = "road_transport_ban"  # 停止公路运输
    VOLUNTARY = "voluntary"  # 自主采取减排措施 (A grade, 引领性)


@dataclass(frozen=True)
class ParsedMeasure:
    """One recognised clause of a free-text measure.

    Attributes
    ----------
    kind
        What the clause asks for.
    value
        Cut share for ``limit_pct``/``stop_pct_by_line``/``load_cap`` [%]; the capped feed for
        ``feed_cap`` [t/d, or the unit of the text]; the new coking time for ``coking_hours`` [h];
        the number of batches for ``rotation``; ``None`` otherwise.
    baseline
        The feed before the cut for ``feed_cap`` (``A`` in "由A降至B") [same unit as ``value``].
    scope
        The process, line or device the clause names ("熟料生产线", "热镀工序");
        ``""`` means the whole site.
    by_line
        ``True`` when the cut is counted by whole lines (以生产线计, emission-list.md §5.1 rule 4).
    keep_warm
        ``True`` for 停产保窑 / 保温保窑: the kiln stays hot, so some emissions remain (§5.7).
    text
        The clause as written.
    """

    kind: ParsedKind
    value: float | None
    text: str
    scope: str = ""
    baseline: float | None = None
    by_line: bool = False
    keep_warm: bool = False

    @property
    def cut_share(self) -> float | None:
        """Share of activity the clause removes [0-1]; ``None`` when the text does not fix it."""
        if self.kind is ParsedKind.STOP:
            return 1.0
        if self.kind in (ParsedKind.LIMIT_PCT, ParsedKind.STOP_PCT_BY_LINE, ParsedKind.LOAD_CAP):
            return None if self.value is None else self.value / 100.0
        if self.kind is ParsedKind.FEED_CAP and self.value is not None and self.baseline:
            return 1.0 - self.value / self.baseline  # emission-list.md §7.2 "(1 - B/A)"
        return None


@dataclass(frozen=True)
class ReviewFlag:
    """A clause that needs a person: the text and why it could not be read unambiguously."""

    text: str
    reason: str


@dataclass(frozen=True)
class ParseResult:
    """Everything read from one free-text measure."""

    text: str
    measures: tuple[ParsedMeasure, ...]
    flags: tuple[ReviewFlag, ...]

    @property
    def needs_review(self) -> bool:
        """``True`` when any clause was not read unambiguously."""
        return bool(self.flags)


_NUMBER = r"(\d+(?:\.\d+)?)"
_PCT = _NUMBER + r"\s*[%％]"
_CLAUSE_SPLIT = re.compile(r"[；;。\n]+")
_TRUCK = re.compile(
    r"(?:停止使用|禁止使用|停用)?国[四五六]及以下[^；;。，,]*?(?:车辆|货车辆?)(?:\([^)]*\))?(?:进行运输|运输)?"
)
_ROAD = re.compile(r"停止公路运输")
_VOLUNTARY = re.compile(r"自主(?:采取|确定)?.*?(?:减排|措施)")
_ROTATION = re.compile(r"轮流停产|轮产")
_BATCHES = re.compile(r"(?:分|不超过|最多)?\s*([1-9一二三四五六])\s*批")
_HOURS = r"\s*(?:小时|h)"
_COKING_TO = re.compile(r"(?:结焦|出焦)时间.*?(?:延长|延至|调整)(?:至|到)\s*" + _NUMBER + _HOURS)
_COKING_BY = re.compile(r"(?:结焦|出焦)时间.*?延长\s*" + _NUMBER + _HOURS)
_FEED = re.compile(
    r"(投料量|拉引量|产量|用煤量|用气量|用电量|出料量)?\s*由\s*"
    + _NUMBER
    + r"\s*(吨|t|万立方米|立方米|千瓦时|kWh)?(?:/(?:天|日|d))?\s*"
    + r"(?:降低|降|减少|压减|削减)(?:至|到)\s*"
    + _NUMBER
)
_STOP_PCT = re.compile(r"停产\s*(?:不低于|不少于|至少)?\s*" + _PCT)
_LIMIT_PCT = re.compile(r"限(?:产|制生产)\s*(?:不低于|不少于|至少|达到)?\s*" + _PCT)
_LOAD = re.compile(r"(?:生产)?负荷\s*(?:不超过|不高于|降至|降低至|控制在)\s*" + _PCT)
_BY_LINE = re.compile(r"以(?:生产线|产线|窑|炉|高炉|设备|窑炉)计")
_STOP = re.compile(r"(停产保窑|保温保窑|停产|停止生产|停工|停运|停炉|焖炉|关停)")
_OR = re.compile(r"或")
_MAY_ROTATE = re.compile(r"可[^，,]*轮流停产")
_SCOPE_TRIM = re.compile(r"^(?:企业|其中|对|除重点行业外的.*?企业|在保障安全生产前提下|全厂)")
# Phrasings that name a real practice but give no number the platform could book (seed 003 §4.4
# "以热定产"; emission-list.md §5.3 "按前一年中日生产最低负荷运行", §2.2 long-term stops).
_NEEDS_NUMBER = (
    (re.compile(r"以热定产|以量定产"), "load capped by heat or volume: needs the approved load"),
    (re.compile(r"最低负荷|怠速"), "run at minimum load: needs the load as a number"),
    (re.compile(r"长期停产|错峰"), "stopped before the warning: not an emergency reduction"),
    (re.compile(r"排放浓度|治污效率"), "emission-limit measure: needs CEMS limits per level"),
    (re.compile(r"不超过\s*\d+\s*炉"), "heat count cap: needs the normal count to compute the cut"),
    (_COKING_BY, "coking time extended by N hours: needs the normal coking time"),
)
_IGNORABLE = re.compile(r"^(?:可在县域内安排|单条生产线的可县域内|可县域内|\(含.*\))?$")


def parse_measure(text: str) -> ParseResult:
    """Parse one free-text measure (one cell of a list) into recognised clauses and review flags.

    Parameters
    ----------
    text
        The measure as written, e.g. "熟料生产线停产；停止公路运输".

    Returns
    -------
    ParseResult
        Recognised measures in text order, and a flag for each clause that was not recognised or is
        ambiguous (e.g. "轮流停产或限产50%" leaves the choice open).
    """
    measures: list[ParsedMeasure] = []
    flags: list[ReviewFlag] = []
    clauses = [c.strip(" ，,、") for c in _CLAUSE_SPLIT.split(_normalise(text))]
    clauses = [c for c in clauses if c]
    if not clauses:
        return ParseResult(text, (), (ReviewFlag(text, "empty measure"),))
    for clause in clauses:
        found, flag = _parse_clause(clause)
        measures.extend(found)
        if flag is not None:
            flags.append(flag)
    return ParseResult(text, tuple(measures), tuple(flags))


def _normalise(text: str) -> str:
    """Full-width digits and punctuation to ASCII where the patterns expect them."""
    table = str.maketrans("０１２３４５６７８９．／（）", "0123456789./()")
    return text.translate(table)


def _parse_clause(clause: str) -> tuple[list[ParsedMeasure], ReviewFlag | None]:
    """One clause (between ；/。) -> its measures, or a flag when it cannot be read for sure."""
    for pattern, reason in _NEEDS_NUMBER:
        if pattern.search(clause):
            return [], ReviewFlag(clause, reason)
    found: list[ParsedMeasure] = []
    rest = clause
    if truck := _TRUCK.search(rest):
        found.append(ParsedMeasure(ParsedKind.TRUCK_BAN, None, truck.group(0)))
        rest = rest[: truck.start()] + rest[truck.end() :]
    if _ROAD.search(rest):
        found.append(ParsedMeasure(ParsedKind.ROAD_TRANSPORT_BAN, None, clause))
        rest = _ROAD.sub("", rest)
    if _VOLUNTARY.search(rest):
        return [*found, ParsedMeasure(ParsedKind.VOLUNTARY, None, clause)], None
    actions = _actions(rest, clause)
    if len(actions) > 1 and _OR.search(rest):
        # "轮流停产或限产50%": the list leaves the choice to the enterprise, so book neither.
        return found, ReviewFlag(clause, "alternative measures joined by 或: choose one")
    if not actions and not _IGNORABLE.match(rest.strip(" ，,")):
        return found, ReviewFlag(clause, "no measure recognised")
    return actions + found, None


def _actions(rest: str, clause: str) -> list[ParsedMeasure]:
    """The production measures of a clause (stop, limit, feed cap, coking time, rotation)."""
    by_line = bool(_BY_LINE.search(rest))
    out: list[ParsedMeasure] = []
    if match := _FEED.search(rest):
        scope = _scope(rest[: match.start()] + (match.group(1) or ""))
        out.append(
            ParsedMeasure(
                ParsedKind.FEED_CAP,
                float(match.group(4)),
                clause,
                scope=scope,
                baseline=float(match.group(2)),
            )
        )
        return out
    if match := _COKING_TO.search(rest):
        out.append(ParsedMeasure(ParsedKind.COKING_HOURS, float(match.group(1)), clause))
        return out
    if match := _STOP_PCT.search(rest):
        out.append(
            ParsedMeasure(
                ParsedKind.STOP_PCT_BY_LINE,
                float(match.group(1)),
                clause,
                scope=_scope(rest[: match.start()]),
                by_line=True,  # a share of a stop can only be met by stopping whole lines (§5.1.4)
            )
        )
    elif match := _LIMIT_PCT.search(rest):
        out.append(
            ParsedMeasure(
                ParsedKind.LIMIT_PCT,
                float(match.group(1)),
                clause,
                scope=_scope(rest[: match.start()]),
                by_line=by_line,
            )
        )
    elif match := _LOAD.search(rest):
        out.append(
            ParsedMeasure(
                ParsedKind.LOAD_CAP,
                100.0 - float(match.group(1)),
                clause,
                scope=_scope(rest[: match.start()]),
            )
        )
    # "限产50%，可在县域内安排轮流停产": rotation is a way to meet the limit, not a second measure.
    if _ROTATION.search(rest) and not (out and _MAY_ROTATE.search(rest)):
        batches = _BATCHES.search(rest)
        out.append(
            ParsedMeasure(
                ParsedKind.ROTATION,
                None if batches is None else float(_digit(batches.group(1))),
                clause,
                by_line=by_line,
            )
        )
    elif not out and (match := _STOP.search(rest)):
        out.append(
            ParsedMeasure(
                ParsedKind.STOP,
                None,
                clause,
                scope=_scope(rest[: match.start()]),
                by_line=by_line,
                keep_warm=match.group(1) in ("停产保窑", "保温保窑"),
            )
        )
    return out


def _scope(prefix: str) -> str:
    """The process or line named before the verb ("熟料生产线" in "熟料生产线停产")."""
    scope = prefix.strip(" ，,、：:")
    while (trimmed := _SCOPE_TRIM.sub("", scope).strip(" ，,、")) != scope:
        scope = trimmed
    return scope


def _digit(token: str) -> int:
    """'3' or '三' -> 3."""
    return int(token) if token.isdigit() else "一二三四五六".index(token) + 1
