"""Shared constants of the forecast tests: the shipped two years of Beijing, a small fast model."""

from __future__ import annotations

from pathlib import Path

from hazeguard.forecast import ModelSettings
from hazeguard.io.beijing import daily_path

DATA = Path(__file__).parent / "data"
DAILY = daily_path()
WEATHER = DATA / "beijing-weather-2014-2016.csv"
# Few, shallow trees and three lead days: the tests check the machinery, not the skill.
FAST = ModelSettings(leads=3, max_iter=8, learning_rate=0.5)
FASTEST = ModelSettings(leads=1, max_iter=8, learning_rate=0.5)
