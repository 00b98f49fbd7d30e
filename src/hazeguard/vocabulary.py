"""The one vocabulary: levels, responses, pollutants, roles and China's time zone.

Every other module imports these names; a second level order, name map or time-zone constant is a
bug waiting (STYLE.md §22). Names follow ``GLOSSARY.md``; the Chinese names are the plans' own
("黄色预警", "Ⅲ级应急响应", "指挥部办公室主任").

>>> rank("yellow") > rank("advisory") > rank("none")
True
>>> level_name("orange", "zh"), level_name("orange", "en")
('橙色预警', 'orange warning')
>>> response_name("II", "zh")
'Ⅱ级应急响应'
>>> pollutant_name("O3", "en"), pollutant_of_indicator("pm25_24h")
('O₃', 'PM2.5')
>>> pollutant_of_measurement("pm25"), pollutant_of_measurement("o3_8h")
('PM2.5', 'O3')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, Literal, TypeAlias
from zoneinfo import ZoneInfo

Language: TypeAlias = Literal["zh", "en"]
LANGUAGES: Final[tuple[Language, ...]] = ("zh", "en")

# China has kept UTC+8 without daylight saving since 1991: every plan's "每日17时前" is this clock.
CHINA_ZONE_NAME: Final = "Asia/Shanghai"
CHINA: Final = ZoneInfo(CHINA_ZONE_NAME)

# ---------------------------------------------------------------------------------------- levels

DecisionLevel: TypeAlias = Literal["none", "advisory", "blue", "yellow", "orange", "red"]
WarningLevelName: TypeAlias = Literal["blue", "yellow", "orange", "red"]

LEVEL_ORDER: Final[tuple[DecisionLevel, ...]] = (
    "none",
    "advisory",
    "blue",
    "yellow",
    "orange",
    "red",
)
"""Every decision level, low to high: "由轻到重依次为黄色预警、橙色预警和红色预警" (003 §3.1);
the advisory notice sits below yellow (003 §3.1), blue below yellow in the older plans."""

WARNING_LEVELS: Final[tuple[WarningLevelName, ...]] = ("blue", "yellow", "orange", "red")
"""The warning levels proper (a plan uses three or four of them)."""


@dataclass(frozen=True)
class LevelTerms:
    """How one level is named and shown.

    ``colour_zh`` is the colour word ("黄色"; empty for none and advisory), ``colour`` its sRGB
    hex, ``severity`` the CAP 1.2 severity (§3.2.2: red is Extreme, the plans' highest), and
    ``response`` the response it starts by default (yellow→III, orange→II, red→I, 003 §4.1;
    blue→IV in Beijing's plans; a plan may state its own).
    """

    code: DecisionLevel
    name_zh: str
    name_en: str
    colour_zh: str = ""
    colour: str = ""
    severity: str = ""
    response: str | None = None


LEVELS: Final[Mapping[str, LevelTerms]] = MappingProxyType(
    {
        "none": LevelTerms("none", "无预警", "no warning"),
        "advisory": LevelTerms("advisory", "提示信息", "advisory notice"),
        "blue": LevelTerms("blue", "蓝色预警", "blue warning", "蓝色", "#1e6fd9", "Minor", "IV"),
        "yellow": LevelTerms(
            "yellow", "黄色预警", "yellow warning", "黄色", "#f2c200", "Moderate", "III"
        ),
        "orange": LevelTerms(
            "orange", "橙色预警", "orange warning", "橙色", "#ff7e00", "Severe", "II"
        ),
        "red": LevelTerms("red", "红色预警", "red warning", "红色", "#e00000", "Extreme", "I"),
    }
)


def rank(level: str) -> int:
    """Position of ``level`` in :data:`LEVEL_ORDER` (``none`` is 0, ``red`` 5).

    Raises ``ValueError`` naming the known levels when ``level`` is none of them.
    """
    try:
        return LEVEL_ORDER.index(level)  # type: ignore[arg-type,unused-ignore]
    except ValueError:
        raise ValueError(f"unknown warning level {level!r}: use one of {LEVEL_ORDER}") from None


def level_terms(level: str) -> LevelTerms:
    """The names, colour, CAP severity and default response of ``level``."""
    rank(level)  # the clear error for an unknown name
    return LEVELS[level]


def level_name(level: str, language: Language) -> str:
    """``黄色预警`` / ``yellow warning``, ``提示信息`` / ``advisory notice``; others as given."""
    terms = LEVELS.get(level)
    if terms is None:
        return level
    return terms.name_zh if language == "zh" else terms.name_en


# ------------------------------------------------------------------------------------- responses

ResponseLevel: TypeAlias = Literal["IV", "III", "II", "I"]
RESPONSE_LEVELS: Final[tuple[ResponseLevel, ...]] = ("IV", "III", "II", "I")
"""Response levels from the mildest to the strictest."""

RESPONSE_NUMERAL_ZH: Final[Mapping[str, str]] = MappingProxyType(
    {"IV": "Ⅳ级", "III": "Ⅲ级", "II": "Ⅱ级", "I": "Ⅰ级"}
)
"""The plans write the level with a Roman numeral character: "启动Ⅲ级响应" (003 §4.1.1)."""


def response_name(response: str, language: Language) -> str:
    """``Ⅲ级应急响应`` / ``level III response``; ``ValueError`` for an unknown response."""
    if response not in RESPONSE_NUMERAL_ZH:
        raise ValueError(f"unknown response {response!r}: use one of {RESPONSE_LEVELS}")
    if language == "zh":
        return f"{RESPONSE_NUMERAL_ZH[response]}应急响应"
    return f"level {response} response"


# ------------------------------------------------------------------------------------ pollutants

PollutantCode: TypeAlias = Literal["PM2.5", "PM10", "O3", "SO2", "NO2", "CO"]


@dataclass(frozen=True)
class PollutantTerms:
    """A pollutant: its code (as plans and forecasts write it), names and AQI indicators.

    ``symbol`` is the display form with subscripts (``PM₂.₅``); ``indicators`` are the HJ 633
    indicators (``pm25_24h`` ...) whose IAQI names it primary.
    """

    code: PollutantCode
    name_zh: str
    name_en: str
    symbol: str
    indicators: tuple[str, ...]


POLLUTANTS: Final[Mapping[str, PollutantTerms]] = MappingProxyType(
    {
        "PM2.5": PollutantTerms(
            "PM2.5", "细颗粒物", "fine particulate matter", "PM₂.₅", ("pm25_24h", "pm25_1h")
        ),
        "PM10": PollutantTerms(
            "PM10", "可吸入颗粒物", "inhalable particulate matter", "PM₁₀", ("pm10_24h", "pm10_1h")
        ),
        "O3": PollutantTerms("O3", "臭氧", "ozone", "O₃", ("o3_8h", "o3_1h")),
        "SO2": PollutantTerms("SO2", "二氧化硫", "sulphur dioxide", "SO₂", ("so2_24h", "so2_1h")),
        "NO2": PollutantTerms("NO2", "二氧化氮", "nitrogen dioxide", "NO₂", ("no2_24h", "no2_1h")),
        "CO": PollutantTerms("CO", "一氧化碳", "carbon monoxide", "CO", ("co_24h", "co_1h")),
    }
)

_BY_INDICATOR: Final[Mapping[str, str]] = MappingProxyType(
    {indicator: terms.code for terms in POLLUTANTS.values() for indicator in terms.indicators}
)


def pollutant(code: str) -> PollutantTerms:
    """The pollutant called ``code`` (``PM2.5``, ``O3``); ``ValueError`` names the known ones."""
    try:
        return POLLUTANTS[code]
    except KeyError:
        raise ValueError(f"unknown pollutant {code!r}: use one of {tuple(POLLUTANTS)}") from None


def pollutant_of_indicator(indicator: str) -> str:
    """The pollutant an AQI indicator measures: ``o3_8h`` -> ``O3``."""
    try:
        return _BY_INDICATOR[indicator]
    except KeyError:
        raise ValueError(
            f"unknown indicator {indicator!r}: use one of {tuple(_BY_INDICATOR)}"
        ) from None


_BY_MEASUREMENT: Final[Mapping[str, str]] = MappingProxyType(
    {indicator.split("_")[0]: code for indicator, code in _BY_INDICATOR.items()}
)
"""Measurement column (``pm25``, ``o3``: how hourly tables and the database name them) -> code."""


def pollutant_of_measurement(name: str) -> str:
    """The pollutant of a measurement column or indicator: ``pm25`` -> ``PM2.5``,
    ``o3_8h`` -> ``O3``, ``PM2.5`` -> ``PM2.5``; ``""`` when it names none."""
    if name in POLLUTANTS:
        return name
    return _BY_MEASUREMENT.get(name.strip().lower().replace("pm2.5", "pm25").split("_")[0], "")


def pollutant_name(code: str, language: Language) -> str:
    """``臭氧（O₃）`` / ``O₃``: how a page names a pollutant; unknown codes as given."""
    terms = POLLUTANTS.get(code)
    if terms is None:
        return code
    return f"{terms.name_zh}（{terms.symbol}）" if language == "zh" else terms.symbol


# ----------------------------------------------------------------------------------------- roles

Role: TypeAlias = Literal[
    "commander",
    "deputy_commander",
    "office_director",
    "command_office",
    "coordination_group",
]
"""Who takes part in a plan's workflow: the approvers (指挥长, 副指挥长, 办公室主任) and the
bodies that propose (指挥部办公室, 综合协调组)."""

ROLES: Final[tuple[Role, ...]] = (
    "commander",
    "deputy_commander",
    "office_director",
    "command_office",
    "coordination_group",
)

ROLE_NAMES: Final[Mapping[str, tuple[str, str]]] = MappingProxyType(
    {
        "commander": ("指挥长", "commander"),
        "deputy_commander": ("副指挥长", "deputy commander"),
        "office_director": ("指挥部办公室主任", "office director"),
        "command_office": ("指挥部办公室", "command office"),
        "coordination_group": ("综合协调组", "coordination group"),
    }
)


def role_name(role: str, language: Language) -> str:
    """``副指挥长`` / ``deputy commander``; ``ValueError`` names the known roles."""
    if role not in ROLE_NAMES:
        raise ValueError(f"unknown role {role!r}: use one of {ROLES}")
    zh, en = ROLE_NAMES[role]
    return zh if language == "zh" else en


__all__ = [
    "CHINA",
    "CHINA_ZONE_NAME",
    "LANGUAGES",
    "LEVELS",
    "LEVEL_ORDER",
    "POLLUTANTS",
    "RESPONSE_LEVELS",
    "RESPONSE_NUMERAL_ZH",
    "ROLES",
    "ROLE_NAMES",
    "WARNING_LEVELS",
    "DecisionLevel",
    "Language",
    "LevelTerms",
    "PollutantCode",
    "PollutantTerms",
    "ResponseLevel",
    "Role",
    "WarningLevelName",
    "level_name",
    "level_terms",
    "pollutant",
    "pollutant_name",
    "pollutant_of_indicator",
    "pollutant_of_measurement",
    "rank",
    "response_name",
    "role_name",
]
