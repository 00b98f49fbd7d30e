"""CAP 1.2 messages and their Atom index, built from a plain warning record.

The Common Alerting Protocol (OASIS CAP 1.2, 2010) is how other systems (broadcasters, phone alert
gateways, aggregators) pick up a warning. One warning yields a chain of messages: ``Alert`` when it
is issued, ``Update`` when it is adjusted, ``Cancel`` when it is lifted; every later message lists
the earlier ones in ``references`` (CAP 1.2 §3.2.1). The messages carry the level, the response and
the measures the public must follow, not just a headline.

Pure: plain frozen dataclasses in, XML text out. The platform maps its rows onto
:class:`CapWarning`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final, Literal

from hazeguard.vocabulary import LEVELS, RESPONSE_NUMERAL_ZH, WARNING_LEVELS, WarningLevelName

CAP_NAMESPACE: Final = "urn:oasis:names:tc:emergency:cap:1.2"
ATOM_NAMESPACE: Final = "http://www.w3.org/2005/Atom"
CAP_MEDIA_TYPE: Final = "application/cap+xml"

MessageType = Literal["Alert", "Update", "Cancel"]
Status = Literal["Actual", "Exercise", "System", "Test", "Draft"]
LevelName = WarningLevelName
MeasureCategory = Literal["health_protection", "voluntary", "mandatory", "guidance"]

# Views of the one vocabulary (hazeguard.vocabulary), keyed by the warning levels CAP carries.
LEVEL_ZH: Final[Mapping[str, str]] = {name: LEVELS[name].colour_zh for name in WARNING_LEVELS}
LEVEL_SEVERITY: Final[Mapping[str, str]] = {name: LEVELS[name].severity for name in WARNING_LEVELS}
LEVEL_COLOUR: Final[Mapping[str, str]] = {name: LEVELS[name].colour for name in WARNING_LEVELS}
# The responses a CAP record carries: the three-level plans' III, II, I (the old Beijing IV is not
# published through CAP; tests/platform/public_site/test_cap.py holds it to that).
RESPONSE_ZH: Final[Mapping[str, str]] = {
    code: RESPONSE_NUMERAL_ZH[code] for code in ("III", "II", "I")
}
CATEGORY_ZH: Final[dict[str, str]] = {
    "health_protection": "健康防护措施",
    "voluntary": "建议性减排措施",
    "mandatory": "强制性减排措施",
    "guidance": "指导性减排措施",
}
CATEGORY_EN: Final[dict[str, str]] = {
    "health_protection": "Health protection",
    "voluntary": "Voluntary measure",
    "mandatory": "Mandatory measure",
    "guidance": "Guidance measure",
}

# CAP 1.2 §3.2.1: identifier and sender "MUST NOT include spaces, commas or restricted
# characters (< and &)".
_CAP_TOKEN = re.compile(r"^[^\s,<&]+$")


class CapError(ValueError):
    """A warning record that cannot become a valid CAP 1.2 message; names the field."""


@dataclass(frozen=True, slots=True)
class CapReference:
    """An earlier message of the same warning (CAP 1.2 §3.2.1 ``references``)."""

    sender: str
    identifier: str
    sent: datetime

    def token(self) -> str:
        """The ``sender,identifier,sent`` triple CAP expects."""
        return f"{self.sender},{self.identifier},{cap_datetime(self.sent, 'references.sent')}"


@dataclass(frozen=True, slots=True)
class CapMeasure:
    """One measure of the plan at the warning's level.

    ``text`` is the plan's own wording (Chinese); ``clause`` the seed section it came from.
    """

    category: MeasureCategory
    text: str
    responsible_units: tuple[str, ...] = ()
    clause: str = ""

    def line(self) -> str:
        """One line for the ``instruction`` text and the ``measure`` parameters."""
        units = ""
        if self.responsible_units:
            units = f"（责任单位：{'、'.join(self.responsible_units)}）"
        clause = f"［{self.clause}］" if self.clause else ""
        return f"{self.text}{units}{clause}"


@dataclass(frozen=True, slots=True)
class CapWarning:
    """A warning message as CAP needs it.

    Times are timezone-aware datetimes; ``onset``/``expires`` bound the warning period.
    ``expires`` is ``None`` while the end is open (a warning stays until it is lifted), and the
    message then carries no ``expires`` (CAP 1.2 §3.2.2 leaves it to the recipient).
    """

    identifier: str
    sender: str
    sent: datetime
    msg_type: MessageType
    level: LevelName
    jurisdiction_zh: str
    jurisdiction_en: str
    onset: datetime
    expires: datetime | None = None
    response: str | None = None
    status: Status = "Actual"
    sender_name: str = ""
    geocode: str = ""
    # The area's boundary as CAP polygons ("lat,lon lat,lon …", closed; see cap_polygons).
    polygons: tuple[str, ...] = ()
    description_zh: str = ""
    description_en: str = ""
    health_advice_zh: str = ""
    health_advice_en: str = ""
    measures: tuple[CapMeasure, ...] = ()
    references: tuple[CapReference, ...] = ()
    web: str = ""
    contact: str = ""
    note: str = ""

    def __post_init__(self) -> None:
        for name in ("identifier", "sender"):
            if not _CAP_TOKEN.match(getattr(self, name)):
                raise CapError(f"{name}: must be non-empty, without spaces, commas, '<' or '&'")
        if self.level not in LEVEL_SEVERITY:
            raise CapError(f"level: {self.level!r} is not one of {sorted(LEVEL_SEVERITY)}")
        if self.response is not None and self.response not in RESPONSE_ZH:
            raise CapError(f"response: {self.response!r} is not one of {list(RESPONSE_ZH)}")
        if self.msg_type != "Alert" and not self.references:
            raise CapError(f"references: a {self.msg_type} message must reference the earlier ones")
        if not self.jurisdiction_zh.strip():
            raise CapError("jurisdiction_zh: must not be empty")
        for name in ("sent", "onset", "expires"):
            value = getattr(self, name)
            if value is not None:
                cap_datetime(value, name)
        if self.expires is not None and self.expires < self.onset:
            raise CapError("expires: is before onset")


def cap_datetime(value: datetime, field_name: str = "datetime") -> str:
    """Format a time as CAP 1.2 §3.3.2 wants: whole seconds with an explicit offset.

    UTC is written ``-00:00``, as the standard asks; naive datetimes are refused.
    """
    offset = value.utcoffset()
    if offset is None:
        raise CapError(f"{field_name}: needs a timezone (got a naive datetime {value})")
    text = value.replace(microsecond=0).isoformat()
    return text[:-6] + "-00:00" if offset == timedelta(0) else text


def _sub(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, f"{{{CAP_NAMESPACE}}}{tag}")
    if text is not None:
        element.text = text
    return element


def _pair(parent: ET.Element, tag: str, name: str, value: str) -> None:
    holder = _sub(parent, tag)
    _sub(holder, "valueName", name)
    _sub(holder, "value", value)


def _headline(warning: CapWarning, language: str) -> str:
    level_zh = LEVEL_ZH[warning.level]
    if language == "zh-CN":
        if warning.msg_type == "Cancel":
            return f"{warning.jurisdiction_zh}解除重污染天气{level_zh}预警"
        verb = "调整为" if warning.msg_type == "Update" else "发布"
        return f"{warning.jurisdiction_zh}{verb}重污染天气{level_zh}预警"
    place = warning.jurisdiction_en or warning.jurisdiction_zh
    if warning.msg_type == "Cancel":
        return f"{place}: heavy pollution {warning.level} warning lifted"
    verb = "adjusted to" if warning.msg_type == "Update" else "issued"
    return f"{place}: heavy pollution {warning.level} warning {verb}"


def _event(warning: CapWarning, language: str) -> str:
    if language == "zh-CN":
        return f"重污染天气{LEVEL_ZH[warning.level]}预警"
    return f"Heavy pollution {warning.level} warning"


def _response_text(warning: CapWarning, language: str) -> str:
    if warning.response is None:
        return ""
    if language == "zh-CN":
        return f"启动{RESPONSE_ZH[warning.response]}应急响应。"
    return f"Level {warning.response} emergency response."


def _instruction(warning: CapWarning, language: str) -> str:
    names = CATEGORY_ZH if language == "zh-CN" else CATEGORY_EN
    lines = [_health_advice(warning, language)] if _health_advice(warning, language) else []
    lines += [
        f"{names.get(measure.category, measure.category)}：{measure.line()}"
        for measure in warning.measures
    ]
    return "\n".join(lines)


def _health_advice(warning: CapWarning, language: str) -> str:
    if language == "zh-CN":
        return warning.health_advice_zh
    return warning.health_advice_en or warning.health_advice_zh


def _info(alert: ET.Element, warning: CapWarning, language: str) -> None:
    cancel = warning.msg_type == "Cancel"
    info = _sub(alert, "info")
    _sub(info, "language", language)
    _sub(info, "category", "Env")
    _sub(info, "category", "Health")
    _sub(info, "event", _event(warning, language))
    # A lifted warning tells people the episode is over (CAP 1.2 §3.2.2 "AllClear").
    response_types = ["AllClear"] if cancel else ["Avoid", "Execute"]
    for response_type in response_types:
        _sub(info, "responseType", response_type)
    immediate = warning.onset <= warning.sent
    _sub(info, "urgency", "Past" if cancel else ("Immediate" if immediate else "Expected"))
    _sub(info, "severity", "Minor" if cancel else LEVEL_SEVERITY[warning.level])
    _sub(info, "certainty", "Observed" if cancel else "Likely")
    _pair(info, "eventCode", "HazeGuard:level", warning.level)
    _sub(info, "effective", cap_datetime(warning.sent, "sent"))
    _sub(info, "onset", cap_datetime(warning.onset, "onset"))
    if warning.expires is not None:
        _sub(info, "expires", cap_datetime(warning.expires, "expires"))
    if warning.sender_name:
        _sub(info, "senderName", warning.sender_name)
    _sub(info, "headline", _headline(warning, language))
    description = warning.description_zh if language == "zh-CN" else warning.description_en
    description = " ".join(
        part for part in (description, _response_text(warning, language)) if part
    )
    if description:
        _sub(info, "description", description)
    instruction = "" if cancel else _instruction(warning, language)
    if instruction:
        _sub(info, "instruction", instruction)
    if warning.web:
        _sub(info, "web", warning.web)
    if warning.contact:
        _sub(info, "contact", warning.contact)
    _pair(info, "parameter", "level", warning.level)
    _pair(info, "parameter", "colour", LEVEL_COLOUR[warning.level])
    if warning.response is not None:
        _pair(info, "parameter", "response", warning.response)
    if not cancel:
        for measure in warning.measures:
            _pair(info, "parameter", f"measure:{measure.category}", measure.line())
    area = _sub(info, "area")
    _sub(area, "areaDesc", warning.jurisdiction_zh if language == "zh-CN" else _place(warning))
    for polygon in warning.polygons:  # CAP 1.2 §3.3.2: polygon precedes geocode
        _sub(area, "polygon", polygon)
    if warning.geocode:
        # GB/T 2260 administrative division code, the code Chinese agencies use for an area.
        _pair(area, "geocode", "GB/T 2260", warning.geocode)


def cap_polygons(geometry: Mapping[str, Any], max_points: int = 100) -> tuple[str, ...]:
    """The outer rings of a GeoJSON (Multi)Polygon as CAP 1.2 polygons, each thinned to at most
    ``max_points`` points (every k-th point kept) so that alert aggregators accept it.

    Parameters
    ----------
    geometry
        GeoJSON geometry, WGS 84 ``[longitude, latitude]`` pairs. [°]
    max_points
        Most points per polygon, the closing point included.

    Returns
    -------
    tuple of str
        ``"lat,lon lat,lon …"`` per polygon, first point repeated last (CAP 1.2 §3.3.2).
    """
    kind, coordinates = geometry.get("type"), geometry.get("coordinates", [])
    polygons = [coordinates] if kind == "Polygon" else coordinates if kind == "MultiPolygon" else []
    out: list[str] = []
    for polygon in polygons:
        ring = [tuple(point[:2]) for point in polygon[0]] if polygon else []
        if ring and ring[0] == ring[-1]:
            ring = ring[:-1]
        if len(ring) < 3:
            continue
        step = -(-len(ring) // (max_points - 1))
        kept = ring[::step]
        kept.append(kept[0])
        out.append(" ".join(f"{lat:.4f},{lon:.4f}" for lon, lat in kept))
    return tuple(out)


def _place(warning: CapWarning) -> str:
    return warning.jurisdiction_en or warning.jurisdiction_zh


def cap_message(warning: CapWarning) -> str:
    """The CAP 1.2 XML text of one message, with a Chinese and an English ``info`` block."""
    alert = ET.Element(f"{{{CAP_NAMESPACE}}}alert")
    _sub(alert, "identifier", warning.identifier)
    _sub(alert, "sender", warning.sender)
    _sub(alert, "sent", cap_datetime(warning.sent, "sent"))
    _sub(alert, "status", warning.status)
    _sub(alert, "msgType", warning.msg_type)
    _sub(alert, "source", "HazeGuard")
    _sub(alert, "scope", "Public")
    if warning.note:
        _sub(alert, "note", warning.note)
    if warning.references:
        _sub(alert, "references", " ".join(ref.token() for ref in warning.references))
    _info(alert, warning, "zh-CN")
    _info(alert, warning, "en-US")
    body = ET.tostring(alert, encoding="unicode", default_namespace=CAP_NAMESPACE)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


@dataclass(frozen=True, slots=True)
class AtomEntry:
    """One CAP message in the index: ``cap_url`` is where its XML is served."""

    identifier: str
    title: str
    updated: datetime
    cap_url: str
    summary: str = ""
    html_url: str = ""


def _atom(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    # Unqualified tags under an xmlns attribute on the root: ElementTree's default_namespace
    # option refuses the unqualified rel/href attributes Atom links need.
    element = ET.SubElement(parent, tag)
    if text is not None:
        element.text = text
    return element


def _atom_time(value: datetime) -> str:
    if value.utcoffset() is None:
        raise CapError(f"updated: needs a timezone (got a naive datetime {value})")
    return value.replace(microsecond=0).isoformat()


def atom_index(
    *,
    feed_id: str,
    title: str,
    self_url: str,
    author: str,
    entries: Sequence[AtomEntry],
    updated: datetime,
) -> str:
    """An Atom 1.0 (RFC 4287) index linking every CAP message, newest first.

    ``updated`` is used when there are no entries; otherwise the newest entry's time.
    """
    ordered = sorted(entries, key=lambda entry: entry.updated, reverse=True)
    feed = ET.Element("feed", {"xmlns": ATOM_NAMESPACE})
    _atom(feed, "id", feed_id)
    _atom(feed, "title", title)
    _atom(feed, "updated", _atom_time(ordered[0].updated if ordered else updated))
    _atom(_atom(feed, "author"), "name", author)
    _atom(feed, "link").attrib.update({"rel": "self", "href": self_url})
    for entry in ordered:
        item = _atom(feed, "entry")
        _atom(item, "id", entry.identifier)
        _atom(item, "title", entry.title)
        _atom(item, "updated", _atom_time(entry.updated))
        _atom(item, "link").attrib.update(
            {"rel": "alternate", "type": CAP_MEDIA_TYPE, "href": entry.cap_url}
        )
        if entry.html_url:
            _atom(item, "link").attrib.update(
                {"rel": "related", "type": "text/html", "href": entry.html_url}
            )
        if entry.summary:
            _atom(item, "summary", entry.summary)
    body = ET.tostring(feed, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
