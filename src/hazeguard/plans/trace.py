"""Where each rule of a plan comes from: walk a plan's cited parts, resolve a key to a part.

A *key* names a part of a plan the way ``docs/traceability.md`` does::

    levels[yellow].approval                  list item by its name/kind/code/id
    levels[red].measures[category=guidance]  list items whose field has a value
    rules[kind=lift]  deadlines[0]           ...or by position

A part is *cited* by a clause when it (or, for a plain field ``x``, its ``x_clause``) carries it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from typing import Any

from hazeguard.plans.model import Plan

SEGMENT = re.compile(r"(?P<field>[a-z_]+)(?:\[(?P<selector>[^\]]+)\])?")
IDENTITY = ("name", "kind", "code", "id", "cause")


def resolve(plan: Plan, key: str) -> list[Any]:
    """Every part of ``plan`` that ``key`` names (empty when it names nothing)."""
    found: list[Any] = [plan]
    for segment in split_key(key):
        match = SEGMENT.fullmatch(segment)
        if match is None:
            raise ValueError(f"not a plan key: {key!r} (at {segment!r})")
        field, selector = match["field"], match["selector"]
        values = [getattr(part, field) for part in found if hasattr(part, field)]
        if selector is None:
            found = values
            continue
        items = [item for value in values if isinstance(value, tuple) for item in value]
        found = _select(items, selector)
    return found


def split_key(key: str) -> list[str]:
    """The segments of ``key``, split at dots outside brackets (``tasks[clause=004 §3.3.1]``)."""
    return re.findall(r"(?:[^.\[]|\[[^\]]*\])+", key)


def _select(items: list[Any], selector: str) -> list[Any]:
    if selector.isdigit():
        index = int(selector)
        return items[index : index + 1]
    if "=" in selector:
        field, value = selector.split("=", 1)
        return [item for item in items if str(getattr(item, field, None)) == value]
    return [
        item
        for item in items
        if any(str(getattr(item, name, None)) == selector for name in IDENTITY)
    ]


def cites(part: Any, clause: str, parent: Any = None, field: str = "") -> bool:
    """Whether ``part`` (found as ``field`` of ``parent``) carries ``clause``."""
    if getattr(part, "clause", None) == clause:
        return True
    return parent is not None and getattr(parent, f"{field}_clause", None) == clause


def cited(plan: Plan) -> Iterator[tuple[str, str]]:
    """``(key, clause)`` for every cited part of ``plan``, keys as :func:`resolve` reads them."""
    yield from _walk(plan, "")


def _walk(part: Any, key: str) -> Iterator[tuple[str, str]]:
    if not dataclasses.is_dataclass(part):
        return
    clause = getattr(part, "clause", None)
    if isinstance(clause, str) and key:
        yield key, clause
    for spec in dataclasses.fields(part):
        value = getattr(part, spec.name)
        child = f"{key}.{spec.name}" if key else spec.name
        if spec.name.endswith("_clause") and isinstance(value, str) and value:
            yield child.removesuffix("_clause"), value
        elif isinstance(value, tuple):
            for index, item in enumerate(value):
                yield from _walk(item, f"{child}[{_selector(item, index)}]")
        else:
            yield from _walk(value, child)


def _selector(item: Any, index: int) -> str:
    for name in IDENTITY:
        value = getattr(item, name, None)
        if isinstance(value, str):
            return value
    return str(index)
