"""Did the measures work? Meteorological normalisation, deweathered trends and episode effects.

The method is Grange et al. (2018, Atmos. Chem. Phys. 18, 6223) as the ``rmweather`` package
implements it: a tree-ensemble model of the hourly concentration on weather and time, and the
weather-normalised series as the mean prediction over weather resampled from the whole record.
See docs/evaluation.md.
"""

from hazeguard.evaluation.data import EvaluationData, city_mean, combine
from hazeguard.evaluation.episode import EpisodeEffect, evaluate_episode
from hazeguard.evaluation.model import ModelFit, ModelSettings
from hazeguard.evaluation.normalise import Normalised, normalise
from hazeguard.evaluation.trend import TrendChange, trend_change

__all__ = [
    "EpisodeEffect",
    "EvaluationData",
    "ModelFit",
    "ModelSettings",
    "Normalised",
    "TrendChange",
    "city_mean",
    "combine",
    "evaluate_episode",
    "normalise",
    "trend_change",
]
