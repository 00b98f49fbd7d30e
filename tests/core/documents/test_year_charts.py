"""The yearly report's charts are PNG pictures of the counts and scores they are given."""

from __future__ import annotations

import io

import numpy as np
import pytest
from matplotlib.image import imread

from hazeguard.documents.year_charts import forecast_skill_png, monthly_verdicts_png

PNG = b"\x89PNG\r\n\x1a\n"


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(imread(io.BytesIO(png), format="png"))


def test_the_monthly_chart_draws_bars_only_where_there_are_episodes() -> None:
    empty = monthly_verdicts_png({})
    drawn = monthly_verdicts_png({12: {"hit": 2, "false_alarm": 1}, 1: {"miss": 1}})
    assert empty.startswith(PNG)
    assert drawn.startswith(PNG)
    # Green (hit) and red (false alarm) bars appear only in the chart that has them.
    red = _pixels(drawn)[..., :3]
    is_red = (red[..., 0] > 0.8) & (red[..., 1] < 0.3) & (red[..., 2] < 0.3)
    assert is_red.sum() > 100
    plain = _pixels(empty)[..., :3]
    assert ((plain[..., 0] > 0.8) & (plain[..., 1] < 0.3) & (plain[..., 2] < 0.3)).sum() == 0


def test_the_skill_chart_needs_a_source_and_leaves_unknown_scores_out() -> None:
    assert forecast_skill_png([("model", 0.6, 35.0), ("entered by hand", None, None)]).startswith(
        PNG
    )
    with pytest.raises(ValueError, match="at least one forecast source"):
        forecast_skill_png([])


def test_chinese_source_names_are_drawn_with_a_cjk_font() -> None:
    from hazeguard.documents.year_charts import cjk_font

    if cjk_font() is None:
        pytest.skip("no CJK system font installed (fonts-wqy-zenhei)")
    # Warnings are errors in the test suite: a missing glyph would fail here.
    assert forecast_skill_png([("手工录入", 0.5, 40.0), ("模型预报", 0.7, 25.0)]).startswith(PNG)
