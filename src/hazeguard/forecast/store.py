"""Saving and loading a trained model (joblib), refusing files from another version.

A model file is a pickle: loading one runs code, so load only files you made or trust. A file
records the format version of this module and the scikit-learn version that fitted it; a file
from another format or another scikit-learn minor version is refused with the fix (retrain),
since scikit-learn does not promise that fitted estimators survive its upgrades.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import joblib
import sklearn

from hazeguard.forecast.model import ForecastModel

#: Bumped whenever :class:`~hazeguard.forecast.model.ForecastModel` changes shape.
FORMAT: Final = "hazeguard-forecast/1"


class ModelFileError(ValueError):
    """A model file that cannot be used; the message names the file and the fix."""


def _minor(version: str) -> str:
    return ".".join(version.split(".")[:2])


def save_model(model: ForecastModel, path: str | Path) -> None:
    """Write ``model`` to ``path`` (joblib, compressed)."""
    payload = {"format": FORMAT, "sklearn": sklearn.__version__, "model": model}
    joblib.dump(payload, Path(path), compress=3)


def load_model(path: str | Path) -> ForecastModel:
    """Read a model written by :func:`save_model`.

    Raises
    ------
    ModelFileError
        Not a model file, another format, or fitted by another scikit-learn minor version.
    """
    source = Path(path)
    try:
        payload = joblib.load(source)
    except FileNotFoundError:
        raise ModelFileError(f"{source}: no such file") from None
    except Exception as error:  # a truncated or foreign file fails inside the unpickler
        raise ModelFileError(f"{source}: not a HazeGuard forecast model ({error})") from None
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        found = payload.get("format") if isinstance(payload, dict) else type(payload).__name__
        raise ModelFileError(
            f"{source}: model format {found!r}, this HazeGuard reads {FORMAT!r}; "
            "retrain with `hazeguard forecast train`"
        )
    if _minor(str(payload.get("sklearn"))) != _minor(sklearn.__version__):
        raise ModelFileError(
            f"{source}: fitted with scikit-learn {payload.get('sklearn')}, this is "
            f"{sklearn.__version__}; retrain with `hazeguard forecast train`"
        )
    model = payload.get("model")
    if not isinstance(model, ForecastModel):
        raise ModelFileError(f"{source}: holds no forecast model")
    return model
