"""The operations personas (Xigang, whose plan owes daily reports, 000 §5.1) for the summaries."""

from __future__ import annotations

from operations.conftest import environment_officer, housing_officer, xigang

__all__ = ["environment_officer", "housing_officer", "xigang"]
