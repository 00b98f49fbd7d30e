"""The Beijing replay of docs/replay-beijing.md runs, and its figures are what the doc says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hazeguard.warnings.compare import compare, episodes, read_history, report
from hazeguard.warnings.io import read_daily
from hazeguard.warnings.replay import replay
from hazeguard.warnings.schedule import schedule_for
from paths import ROOT, SHARED_DATA

DOC = ROOT / "docs" / "replay-beijing.md"


def embedded_report() -> str:
    text = DOC.read_text(encoding="utf-8")
    found = re.search(r"<!-- replay-beijing:begin -->\n(.*)<!-- replay-beijing:end -->", text, re.S)
    assert found, "docs/replay-beijing.md lost its result markers"
    return found.group(1)


@pytest.mark.shared_data
def test_the_beijing_replay_gives_the_figures_in_the_doc() -> None:
    data = SHARED_DATA / "city-daily-aqi" / "beijing.csv"
    history = read_daily(data, history=True)
    periods = replay(schedule_for("beijing"), history, horizon=3)
    assert len({p.episode for p in periods}) == 57
    assert len(periods) == 114
    real, undated = read_history(SHARED_DATA / "warning-history.csv", "Beijing")
    result = compare(real, episodes(periods), (history.dates[0], history.dates[-1]), undated)
    assert report(result, "Beijing: replay vs real warnings") == embedded_report()
    assert (result.hits, result.misses) == (22, 1)


@pytest.mark.shared_data
def test_the_doc_states_the_command_that_produces_it() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert "hazeguard warn replay --plan beijing" in text
    assert "hazeguard warn compare" in text
    assert Path(SHARED_DATA / "warning-history.csv").is_file()
