"""The statistical AQI forecast: quantile gradient boosting per lead day, joint trajectories,
the probability of each warning level of a plan, and its verification against history.

>>> model = train(history, weather)  # doctest: +SKIP
>>> day = date(2016, 12, 16)
>>> result = forecast(model, history, day, 7, weather=weather, rules=rules)  # doctest: +SKIP
>>> result.to_frame()  # date, aqi_low, aqi_median, aqi_high, …  # doctest: +SKIP

See ``docs/forecast.md``.
"""

from hazeguard.forecast.model import ForecastModel, ModelSettings, TrainingError, train
from hazeguard.forecast.predict import ForecastInputError, ForecastResult, forecast
from hazeguard.forecast.probability import level_probabilities, outcomes
from hazeguard.forecast.store import ModelFileError, load_model, save_model
from hazeguard.forecast.verify import Verification, verify

__all__ = [
    "ForecastInputError",
    "ForecastModel",
    "ForecastResult",
    "ModelFileError",
    "ModelSettings",
    "TrainingError",
    "Verification",
    "forecast",
    "level_probabilities",
    "load_model",
    "outcomes",
    "save_model",
    "train",
    "verify",
]
