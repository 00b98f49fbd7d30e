"""The free-text measure parser against a table of real phrasings (data/measure_phrasings.yaml)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from hazeguard.reduction.parser import ParsedKind, parse_measure

PHRASINGS: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "data" / "measure_phrasings.yaml").read_text(encoding="utf-8")
)


def test_the_table_holds_at_least_25_real_phrasings() -> None:
    assert len(PHRASINGS) >= 25
    assert all(row["source"] for row in PHRASINGS)


IDS = [row["text"].strip() or "blank" for row in PHRASINGS]


@pytest.mark.parametrize("row", PHRASINGS, ids=IDS)
def test_it_reads_each_real_phrasing_as_expected(row: dict[str, Any]) -> None:
    result = parse_measure(row["text"])
    expected = row.get("measures", [])
    assert [m.kind.value for m in result.measures] == [e["kind"] for e in expected], result
    for got, want in zip(result.measures, expected, strict=True):
        assert got.value == want.get("value"), got
        assert got.scope == want.get("scope", ""), got
        assert got.baseline == want.get("baseline"), got
        assert got.by_line == want.get("by_line", False), got
        assert got.keep_warm == want.get("keep_warm", False), got
    reasons = [flag.reason for flag in result.flags]
    assert len(reasons) == len(row.get("review", [])), reasons
    for reason, fragment in zip(reasons, row.get("review", []), strict=True):
        assert fragment in reason
    assert result.needs_review == bool(row.get("review"))


def test_it_computes_the_cut_share_of_a_feed_cap_as_one_minus_the_ratio() -> None:
    (measure,) = parse_measure("投料量由960吨/天降至768吨/天").measures
    assert measure.cut_share == pytest.approx(0.2)


def test_it_gives_a_full_stop_a_cut_share_of_one_and_a_truck_ban_none() -> None:
    stop, ban = parse_measure("停产；停止使用国四及以下重型载货车辆（含燃气）进行运输").measures
    assert stop.cut_share == 1.0
    assert ban.kind is ParsedKind.TRUCK_BAN
    assert ban.cut_share is None


def test_it_reads_full_width_digits_and_percent_signs() -> None:
    (measure,) = parse_measure("限产３０％").measures
    assert measure.kind is ParsedKind.LIMIT_PCT
    assert measure.value == 30.0


def test_it_keeps_recognised_clauses_when_another_clause_needs_review() -> None:
    result = parse_measure("熟料生产线停产；按前一年中日生产最低负荷运行")
    assert [m.kind for m in result.measures] == [ParsedKind.STOP]
    assert result.needs_review
    assert result.flags[0].text == "按前一年中日生产最低负荷运行"


ALPHABET = "停产限50%，；。由降至吨天以生产线计轮流批国四及以下车辆自主或0123456789熟料窑"


@given(st.text(alphabet=ALPHABET, max_size=40))
def test_it_never_raises_and_drops_no_clause_silently(text: str) -> None:
    result = parse_measure(text)
    clauses = [c for c in re.split(r"[；;。\n]+", text) if c.strip(" ，,、")]
    assert len(result.flags) <= max(1, len(clauses))
    if clauses:
        assert result.measures or result.flags
