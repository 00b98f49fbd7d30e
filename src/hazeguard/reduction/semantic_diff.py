"""Semantic comparison of lists: where two values differ, floats compared with a tolerance."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import fields, is_dataclass


def differences(
    left: object, right: object, *, rel_tol: float = 1e-12, path: str = ""
) -> list[str]:
    """Where two lists (or any of their parts) differ, floats compared to ``rel_tol``.

    Excel keeps 15 significant digits, so an exported float may come back in its last binary
    digit; this is the semantic equality of a round trip.
    """
    if isinstance(left, float) and isinstance(right, float):
        return [] if math.isclose(left, right, rel_tol=rel_tol, abs_tol=1e-300) else [path]
    if type(left) is not type(right):
        return [path]
    if is_dataclass(left):
        return [
            d
            for f in fields(left)
            for d in differences(
                getattr(left, f.name),
                getattr(right, f.name),
                rel_tol=rel_tol,
                path=f"{path}.{f.name}",
            )
        ]
    if isinstance(left, tuple | list):
        assert isinstance(right, tuple | list)
        if len(left) != len(right):
            return [f"{path} (length {len(left)} != {len(right)})"]
        return [
            d
            for i, (a, b) in enumerate(zip(left, right, strict=True))
            for d in differences(a, b, rel_tol=rel_tol, path=f"{path}[{i}]")
        ]
    if isinstance(left, Mapping):
        assert isinstance(right, Mapping)
        if set(left) != set(right):
            return [f"{path} (keys differ)"]
        return [
            d
            for k in left
            for d in differences(left[k], right[k], rel_tol=rel_tol, path=f"{path}[{k!r}]")
        ]
    return [] if left == right else [path]
