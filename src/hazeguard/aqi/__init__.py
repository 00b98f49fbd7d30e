"""The air quality index of HJ 633-2012 and HJ 633-2026: exact, vectorised, levels and texts."""

from hazeguard.aqi.exact import RESOLUTION, SubIndex, iaqi, sub_index
from hazeguard.aqi.frame import index_frame
from hazeguard.aqi.levels import LevelInfo, describe_level, level_of
from hazeguard.aqi.report import IndexBuffers, IndexResult, index_arrays
from hazeguard.aqi.tables import (
    DEFAULT_STANDARD,
    HJ633_2012,
    HJ633_2026,
    INDICATORS,
    MODES,
    STANDARDS,
    Breakpoints,
    breakpoints,
    mode_indicators,
    standard_at,
)

__all__ = [
    "DEFAULT_STANDARD",
    "HJ633_2012",
    "HJ633_2026",
    "INDICATORS",
    "MODES",
    "RESOLUTION",
    "STANDARDS",
    "Breakpoints",
    "IndexBuffers",
    "IndexResult",
    "LevelInfo",
    "SubIndex",
    "breakpoints",
    "describe_level",
    "iaqi",
    "index_arrays",
    "index_frame",
    "level_of",
    "mode_indicators",
    "standard_at",
    "sub_index",
]
