"""Liaocheng's red episode of the summaries tests (``red``), for the evaluation."""

from __future__ import annotations

from summaries.conftest import environment_officer, housing_officer, red, xigang

__all__ = ["environment_officer", "housing_officer", "red", "xigang"]
