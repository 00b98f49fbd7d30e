"""docs/plan-schema.md documents every key and every enumerated value the loader accepts."""

from __future__ import annotations

import dataclasses
import typing
from typing import Any, Literal, get_args, get_origin

import pytest

from hazeguard.plans import Plan
from hazeguard.plans.build import DURATION_UNITS
from paths import ROOT

DOC = (ROOT / "docs" / "plan-schema.md").read_text(encoding="utf-8")


def schema_classes() -> list[type[Any]]:
    """Every dataclass reachable from :class:`Plan`."""
    found: list[type[Any]] = []
    pending: list[object] = [Plan]
    while pending:
        hint = pending.pop()
        if dataclasses.is_dataclass(hint) and isinstance(hint, type):
            if hint not in found:
                found.append(hint)
                pending.extend(typing.get_type_hints(hint).values())
        else:
            pending.extend(arg for arg in get_args(hint) if get_origin(hint) is not Literal)
    return found


def enumerated() -> set[str]:
    values: set[str] = set(DURATION_UNITS)
    for cls in schema_classes():
        for hint in typing.get_type_hints(cls).values():
            stack = [hint]
            while stack:
                current = stack.pop()
                if get_origin(current) is Literal:
                    values.update(str(arg) for arg in get_args(current))
                else:
                    stack.extend(get_args(current))
    return values


@pytest.mark.parametrize("cls", schema_classes(), ids=lambda cls: cls.__name__)
def test_every_key_of_each_part_is_documented(cls: type[Any]) -> None:
    section = DOC.split(f"### {cls.__name__}\n", 1)
    assert len(section) == 2, f"no section for {cls.__name__}"
    body = section[1].split("\n### ", 1)[0]
    for spec in dataclasses.fields(cls):
        assert f"| `{spec.name}` |" in body, f"{cls.__name__}.{spec.name}"


@pytest.mark.parametrize("value", sorted(enumerated()))
def test_every_enumerated_value_is_documented(value: str) -> None:
    assert f"`{value}`" in DOC
