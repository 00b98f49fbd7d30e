"""AQI levels, categories, colours and the standards' health texts (HJ 633-2012 Table 2 and
Appendix A; HJ 633-2026 Table 1 and Appendix A), word for word.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, overload

import numpy as np
import numpy.typing as npt

from hazeguard.aqi.tables import DEFAULT_STANDARD, HJ633_2012, HJ633_2026, check_standard

#: Inclusive upper AQI of levels 1–5; level 6 is everything above 300 (2012 Table 2, 2026 Table 1).
LEVEL_UPPER_AQI: Final = (50, 100, 150, 200, 300)


@dataclass(frozen=True)
class LevelInfo:
    """What one AQI level means under one standard.

    Attributes
    ----------
    level : int
        1 to 6.
    standard : str
        The standard the texts come from.
    aqi_range : tuple of int
        Lowest and highest AQI of the level (level 6: 301–500). [-]
    name_zh, category_zh, category_en : str
        "一级", "优", "Excellent" … English names are customary, not normative.
    colour_zh : str
        "绿色" …
    rgb, cmyk : tuple of int
        Appendix A colour (RGB 0–255, CMYK in per cent).
    hex : str
        The RGB colour as "#RRGGBB".
    health_effect, advice : str
        对健康影响情况 and 建议采取的措施, as printed in the standard.
    """

    level: int
    standard: str
    aqi_range: tuple[int, int]
    name_zh: str
    category_zh: str
    category_en: str
    colour_zh: str
    rgb: tuple[int, int, int]
    cmyk: tuple[int, int, int, int]
    health_effect: str
    advice: str

    @property
    def hex(self) -> str:
        """The colour as ``#RRGGBB``."""
        return "#{:02X}{:02X}{:02X}".format(*self.rgb)


# (name, category, English, colour, RGB, CMYK): HJ 633-2012 Table 2 + Table A.1, same in 2026.
_LEVELS: Final = (
    ("一级", "优", "Excellent", "绿色", (0, 228, 0), (40, 0, 100, 0)),
    ("二级", "良", "Good", "黄色", (255, 255, 0), (0, 0, 100, 0)),
    ("三级", "轻度污染", "Lightly polluted", "橙色", (255, 126, 0), (0, 52, 100, 0)),
    ("四级", "中度污染", "Moderately polluted", "红色", (255, 0, 0), (0, 100, 100, 0)),
    ("五级", "重度污染", "Heavily polluted", "紫色", (153, 0, 76), (10, 100, 40, 30)),
    ("六级", "严重污染", "Severely polluted", "褐红色", (126, 0, 35), (30, 100, 100, 30)),
)

# HJ 633-2012 Table 2, columns 对健康影响情况 and 建议采取的措施 ("锻练" in level 4 as printed).
_TEXTS_2012: Final = (
    ("空气质量令人满意，基本无空气污染", "各类人群可正常活动"),
    (
        "空气质量可接受，但某些污染物可能对极少数异常敏感人群健康有较弱影响",
        "极少数异常敏感人群应减少户外活动",
    ),
    (
        "易感人群症状有轻度加剧，健康人群出现刺激症状",
        "儿童、老年人及心脏病、呼吸系统疾病患者应减少长时间、高强度的户外锻炼",
    ),
    (
        "进一步加剧易感人群症状，可能对健康人群心脏、呼吸系统有影响",
        "儿童、老年人及心脏病、呼吸系统疾病患者避免长时间、高强度的户外锻练，一般人群适量减少户外运动",
    ),
    (
        "心脏病和肺病患者症状显著加剧，运动耐受力降低，健康人群普遍出现症状",
        "儿童、老年人和心脏病、肺病患者应停留在室内，停止户外运动，一般人群减少户外运动",
    ),
    (
        "健康人群运动耐受力降低，有明显强烈症状，提前出现某些疾病",
        "儿童、老年人和病人应当留在室内，避免体力消耗，一般人群应避免户外活动",
    ),
)

# HJ 633-2026 Table 1: levels 1, 2 and the level-6 effect unchanged; the rest reworded.
_TEXTS_2026: Final = (
    _TEXTS_2012[0],
    _TEXTS_2012[1],
    (
        "敏感人群症状有轻度加剧，健康人群出现刺激症状",
        "青少年儿童、老年人及心血管系统疾病、呼吸系统疾病患者应减少长时间、高强度的户外锻炼",
    ),
    (
        "进一步加剧敏感人群症状，可能对健康人群心血管系统、呼吸系统有影响",
        "青少年儿童、老年人及心血管系统疾病、呼吸系统疾病患者避免长时间、高强度的户外锻炼，"
        "一般人群适量减少户外运动",
    ),
    (
        "心血管系统和呼吸系统患者症状显著加剧，运动耐受力降低，健康人群普遍出现症状",
        "青少年儿童、老年人和心血管系统疾病、呼吸系统疾病患者应停留在室内，停止户外运动，"
        "一般人群减少户外运动",
    ),
    (
        _TEXTS_2012[5][0],
        "青少年儿童、老年人和病人应当留在室内，避免体力消耗，一般人群应避免户外活动",
    ),
)

_TEXTS: Final = {HJ633_2012: _TEXTS_2012, HJ633_2026: _TEXTS_2026}


def describe_level(level: int, standard: str = DEFAULT_STANDARD) -> LevelInfo:
    """Category, colour and health texts of AQI level 1–6 under ``standard``."""
    check_standard(standard)
    if isinstance(level, bool) or not isinstance(level, int | np.integer) or not 1 <= level <= 6:
        raise ValueError(f"AQI level must be an integer from 1 to 6, not {level!r}")
    level = int(level)
    name, category, english, colour, rgb, cmyk = _LEVELS[level - 1]
    # 2012 Table 2: level 1 is 0–50; 2026 §4.1.1 and Table 1: 1–50 (AQI range 1–500).
    low = (0 if standard == HJ633_2012 else 1) if level == 1 else LEVEL_UPPER_AQI[level - 2] + 1
    high = LEVEL_UPPER_AQI[level - 1] if level <= 5 else 500
    effect, advice = _TEXTS[standard][level - 1]
    return LevelInfo(
        level, standard, (low, high), name, category, english, colour, rgb, cmyk, effect, advice
    )


@overload
def level_of(aqi: float) -> int: ...
@overload
def level_of(aqi: npt.ArrayLike) -> npt.NDArray[np.float64]: ...
def level_of(aqi: npt.ArrayLike) -> int | npt.NDArray[np.float64]:
    """The AQI level (1–6) of an AQI [-]: 0–50 → 1, 51–100 → 2, … > 300 → 6.

    An AQI of 0 (every concentration zero) is level 1 under both standards, although HJ 633-2026
    §4.1.1 starts the scale at 1. Arrays give float64 with NaN where the AQI is NaN; a scalar AQI
    gives an int (ValueError if it is NaN or negative).
    """
    values = np.asarray(aqi, dtype=np.float64)
    if np.any(values < 0):
        raise ValueError(f"AQI must not be negative: {aqi!r}")
    # side="left": an AQI equal to an upper bound stays in the lower level (50 → 1, 51 → 2).
    upper = np.asarray(LEVEL_UPPER_AQI, dtype=np.float64)
    index = np.searchsorted(upper, values, "left")
    levels = np.where(np.isnan(values), np.nan, index + 1.0).astype(np.float64)
    if levels.ndim == 0:
        if np.isnan(levels):
            raise ValueError("the AQI is missing (NaN): it has no level")
        return int(levels)
    result: npt.NDArray[np.float64] = levels
    return result
