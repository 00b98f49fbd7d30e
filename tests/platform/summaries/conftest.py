"""The operations personas (Xigang, whose plan owes daily reports, 000 §5.1) and Liaocheng's red
episode (``red``) for the summaries."""

from __future__ import annotations

from operations.conftest import environment_officer, housing_officer, xigang

from .red_episode import red

__all__ = ["environment_officer", "housing_officer", "red", "xigang"]
