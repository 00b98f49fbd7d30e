"""The compliance thresholds file: every parameter with its value, label and clause."""

from __future__ import annotations

from pathlib import Path

import pytest

from hazeguard.compliance import ThresholdError, load_thresholds
from hazeguard.compliance.thresholds import THRESHOLDS_FILE


def test_every_shipped_parameter_cites_the_reference_with_a_known_label() -> None:
    thresholds = load_thresholds()
    parameters = [*vars(thresholds.electricity).values(), *vars(thresholds.cems).values()]
    assert len(parameters) == 9
    assert all(p.label in {"V", "S", "M", "B"} for p in parameters)
    assert all("emission-list.md §8" in p.clause for p in parameters)
    assert thresholds.electricity.grace_hours.value == 6


def _edit(tmp_path: Path, old: str, new: str) -> Path:
    text = THRESHOLDS_FILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "thresholds.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("  grace_hours:", "  grace_hour:", r"electricity: unknown \['grace_hour'\] / missing"),
        ("    label: V", "    label: X", r"electricity.standby_share: label must be one of"),
        ("    value: 0.25", "    value: -0.25", r"standby_share: value must be a non-negative"),
        ("cems:", "cemss:", r"section 'cems' is missing"),
    ],
)
def test_it_rejects_a_thresholds_file_naming_section_and_key(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    with pytest.raises(ThresholdError, match=message):
        load_thresholds(_edit(tmp_path, old, new))
