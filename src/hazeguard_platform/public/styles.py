"""The colours of warning levels and AQI categories as a stylesheet, built from the core.

The warning colours come from :data:`hazeguard.vocabulary.LEVELS` and the AQI category colours
from HJ 633 (:func:`hazeguard.aqi.describe_level`): ``site.css`` only uses the variables and
classes this sheet defines, so a colour is written once, in the core (STYLE.md §22).
"""

from __future__ import annotations

from functools import cache

from hazeguard.aqi import describe_level
from hazeguard.vocabulary import LEVELS, WARNING_LEVELS

# Text on light fills (yellow warning, AQI "good" yellow and "excellent" green) stays dark.
_DARK_TEXT_ON = frozenset({"yellow"})
_DARK_TEXT_ON_AQI = frozenset({1, 2})
AQI_LEVELS = range(1, 7)


@cache
def level_css() -> str:
    """``--blue: #1e6fd9`` … for the warning levels and ``.aqi-1`` … ``.aqi-6`` fills."""
    variables = " ".join(f"--{level}: {LEVELS[level].colour};" for level in WARNING_LEVELS)
    lines = [
        "/* Built from hazeguard.vocabulary.LEVELS and HJ 633 (hazeguard.aqi.describe_level). */",
        f":root {{ {variables} }}",
    ]
    for level in WARNING_LEVELS:
        text = "color: #2a2200; " if level in _DARK_TEXT_ON else ""
        lines.append(f".badge.level-{level} {{ background: var(--{level}); {text}}}")
        lines.append(f".card.level-{level} {{ border-top: 6px solid var(--{level}); }}")
    for category in AQI_LEVELS:
        text = "color: #000; " if category in _DARK_TEXT_ON_AQI else ""
        lines.append(f".aqi-{category} {{ background: {describe_level(category).hex}; {text}}}")
    return "\n".join(lines) + "\n"
