"""Rounding of concentrations: GB/T 8170 before indexing, and removal of float noise from means.

HJ 633-2026 §4.2.2 requires concentrations rounded per GB/T 8170 before the sub-index is
computed: SO2, NO2, O3, PM10 and PM2.5 to integers in µg/m³, CO to one decimal in mg/m³. HJ 633-2012
says nothing, so for 2012 the rounding is an option (reference aqi-hj633.md §2.1).
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

# Decimal places of a reported concentration (HJ 633-2026 §4.2.2): CO in mg/m³ to 0.1, the
# others in µg/m³ to integers. Keys are pollutants, the prefix of an indicator name.
REPORTED_DECIMALS: Final[dict[str, int]] = {
    "pm25": 0,
    "pm10": 0,
    "so2": 0,
    "no2": 0,
    "o3": 0,
    "co": 1,
}

# A mean of hourly values is snapped to this many decimals before it is indexed. The means come
# from sums of floats, which can land 1e-12 above an exact breakpoint (a 24-h PM2.5 mean of
# exactly 75 computed as 75.00000000000001); the sub-index is rounded *up* (HJ 633-2012 §6.2), so
# that noise would add 1 to the IAQI. 1e-6 [µg/m³] is far below any instrument's resolution.
SNAP_DECIMALS: Final = 6

# Digits kept when deciding whether a scaled value is exactly half-way: inputs come from decimal
# text ("2.675"), whose binary value may sit a hair below the half; 9 digits keeps any real excess
# over the half (a 24-h mean of 4-decimal data differs from a half by at least 1/240000).
_HALF_DECIMALS: Final = 9


def snap(values: npt.ArrayLike) -> FloatArray:
    """Remove floating-point noise from computed means.

    Parameters
    ----------
    values
        Concentrations. [µg/m³ or mg/m³]

    Returns
    -------
    numpy.ndarray
        The values rounded to ``SNAP_DECIMALS`` decimals; NaN stays NaN. [same unit]
    """
    return np.asarray(np.round(np.asarray(values, dtype=np.float64), SNAP_DECIMALS), np.float64)


def round_gb8170(values: npt.ArrayLike, decimals: int) -> FloatArray:
    """Round to ``decimals`` places the GB/T 8170 way ("四舍六入五成双").

    A digit after the last kept one below 5 is dropped, above 5 rounds up; an exact 5 with
    nothing after it rounds to the even neighbour, and a 5 followed by non-zero digits rounds up
    (GB/T 8170-2008 §3.2). Values are read as the decimal numbers they were written as, so 2.675
    (stored in binary as 2.67499999…) is an exact half and rounds to 2.68.

    Parameters
    ----------
    values
        Concentrations. [µg/m³ or mg/m³]
    decimals
        Number of decimal places to keep.

    Returns
    -------
    numpy.ndarray
        Rounded values; NaN stays NaN. [same unit]
    """
    scale = 10.0**decimals
    scaled = np.round(np.asarray(values, dtype=np.float64) * scale, _HALF_DECIMALS)
    # np.rint rounds exact halves to even: the GB/T 8170 rule on the snapped decimal value.
    return np.asarray(np.rint(scaled) / scale, dtype=np.float64)


def round_indicator(indicator: str, values: npt.ArrayLike) -> FloatArray:
    """Round an indicator's concentrations to its reported precision (HJ 633-2026 §4.2.2).

    Parameters
    ----------
    indicator
        Indicator name such as ``"pm25_24h"`` or ``"co_1h"``; its pollutant prefix sets the
        precision.
    values
        Concentrations. [µg/m³; CO mg/m³]

    Returns
    -------
    numpy.ndarray
        Rounded concentrations. [µg/m³; CO mg/m³]
    """
    pollutant = indicator.split("_", 1)[0]
    if pollutant not in REPORTED_DECIMALS:
        raise ValueError(f"unknown indicator {indicator!r}: no reported precision for it")
    return round_gb8170(values, REPORTED_DECIMALS[pollutant])
