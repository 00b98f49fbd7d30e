"""A small strict validator: it builds frozen dataclasses from an :class:`Item` tree.

The dataclasses of :mod:`hazeguard.plans.model` *are* the schema: each field's type says what
the file may hold (``Literal[...]`` enumerates operators, levels, units, categories), a field
without a default is required, and any key that is not a field is an error. The reverse,
:func:`to_plain`, gives the JSON-serialisable snapshot that :func:`build` reads back.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import types
import typing
from collections.abc import Callable
from typing import Any, Literal, TypeVar, Union, get_args, get_origin

from hazeguard.plans.errors import PlanError
from hazeguard.plans.tree import Item

T = TypeVar("T")

# field name -> the noun an error uses for a value outside its enumeration
NOUNS: dict[str, str] = {
    "op": "operator",
    "name": "level",
    "level": "level",
    "metric": "metric",
    "primary_pollutant": "primary pollutant",
    "response": "response level",
    "approver": "approver",
    "reviewed_by": "approver",
    "agreed_by": "approver",
    "or_approved_by": "approver",
    "by": "approver",
    "role": "role",
    "acts_for": "role",
    "roles": "role",
    "driver": "driver",
    "topic": "topic",
    "when": "moment",
    "procedure": "procedure",
    "basis": "basis",
    "category": "measure category",
    "source_class": "source class",
    "kind": "kind",
    "cause": "exclusion",
    "after": "event",
    "covers": "period",
    "phase": "phase",
    "statistic": "statistic",
    "completeness": "completeness",
}

# duration unit -> seconds per unit; the only units a duration may use
DURATION_UNITS: dict[str, int] = {"minutes": 60, "hours": 3600, "days": 86400}

Hook = Callable[["Builder", Item, str, str], Any]


@dataclasses.dataclass
class Builder:
    """Builds values for one file, recording the line of every path it visits."""

    file: str
    hooks: dict[object, Hook] = dataclasses.field(default_factory=dict)
    lines: dict[str, int] = dataclasses.field(default_factory=dict)

    def error(
        self, item: Item | None, key: str, message: str, line: int | None = None
    ) -> PlanError:
        """A :class:`PlanError` at ``line`` (or the item's line)."""
        if line is None and item is not None:
            line = item.line
        return PlanError(self.file, line, key, message)

    def build(self, hint: object, item: Item, path: str, key: str) -> Any:
        """Build a value of type ``hint`` from ``item`` found at ``path`` (under ``key``)."""
        if item.line is not None:
            self.lines.setdefault(path, item.line)
        if hint in self.hooks:
            return self.hooks[hint](self, item, path, key)
        origin = get_origin(hint)
        if origin in (Union, types.UnionType):
            options = [arg for arg in get_args(hint) if arg is not type(None)]
            if item.value is None:
                return None
            if len(options) == 1:
                return self.build(options[0], item, path, key)
            for target, hook in self.hooks.items():
                if set(get_args(target)) == set(options):
                    return hook(self, item, path, key)
            raise TypeError(f"no hook for {hint}")
        if origin is Literal:
            return self._literal(get_args(hint), item, path, key)
        if origin is tuple:
            return self._tuple(get_args(hint)[0], item, path, key)
        if dataclasses.is_dataclass(hint) and isinstance(hint, type):
            return self.dataclass(hint, item, path)
        return self._scalar(hint, item, path, key)

    def mapping(self, item: Item, path: str, key: str) -> dict[str, Item]:
        """The item's mapping, or an error saying a mapping was expected."""
        if not isinstance(item.value, dict):
            raise self.error(item, key, f"expected a mapping at {path or 'the top'}")
        return item.value

    def dataclass(self, cls: type[T], item: Item, path: str) -> T:
        """Build dataclass ``cls``; unknown keys and missing required keys are errors."""
        values = self.mapping(item, path, path.rsplit(".", 1)[-1])
        fields = _fields(cls)
        for key in values:
            if key not in fields:
                where = f" in {path}" if path else ""
                raise self.error(item, key, f"unknown key {key!r}{where}", item.key_lines.get(key))
        hints = _hints(cls)
        kwargs: dict[str, Any] = {}
        for name, spec in fields.items():
            child_path = f"{path}.{name}" if path else name
            if name in values:
                child = values[name]
                if child.line is None and name in item.key_lines:
                    child = dataclasses.replace(child, line=item.key_lines[name])
                kwargs[name] = self.build(hints[name], child, child_path, name)
            elif _required(spec):
                where = f" in {path}" if path else ""
                raise self.error(item, name, f"missing key {name!r}{where}")
        try:
            return cls(**kwargs)
        except ValueError as problem:  # __post_init__ checks of one object
            raise self.error(item, path.rsplit(".", 1)[-1], f"{problem} in {path}") from None

    def _literal(self, allowed: tuple[Any, ...], item: Item, path: str, key: str) -> Any:
        value = item.raw if isinstance(allowed[0], str) and item.raw is not None else item.value
        if value not in allowed:
            noun = NOUNS.get(key, "value")
            choices = ", ".join(str(a) for a in allowed)
            parent = path.rsplit(".", 1)[0] if "." in path else path
            raise self.error(
                item, key, f"unknown {noun} {value!r} in {parent} (key {key!r}; one of: {choices})"
            )
        return value

    def _tuple(self, inner: object, item: Item, path: str, key: str) -> tuple[Any, ...]:
        if not isinstance(item.value, list):
            raise self.error(item, key, f"expected a list at {path}")
        return tuple(
            self.build(inner, child, f"{path}[{index}]", key)
            for index, child in enumerate(item.value)
        )

    def _scalar(self, hint: object, item: Item, path: str, key: str) -> Any:
        value = item.value
        if hint is str:
            if isinstance(value, dict | list) or item.raw is None:
                raise self.error(item, key, f"expected text at {path}")
            return item.raw
        if hint is bool and isinstance(value, bool):
            return value
        if hint is int and isinstance(value, int) and not isinstance(value, bool):
            return value
        if hint is float and isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        if hint is dt.date:
            if isinstance(value, dt.date):
                return value
            if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                return dt.date.fromisoformat(value)
        name = getattr(hint, "__name__", str(hint))
        raise self.error(item, key, f"expected {name} at {path}, got {value!r}")


# resolving string annotations is the slow part of building, and a class's never change
_FIELDS: dict[type[Any], dict[str, dataclasses.Field[Any]]] = {}
_HINTS: dict[type[Any], dict[str, Any]] = {}


def _fields(cls: type[Any]) -> dict[str, dataclasses.Field[Any]]:
    if cls not in _FIELDS:
        _FIELDS[cls] = {spec.name: spec for spec in dataclasses.fields(cls) if spec.init}
    return _FIELDS[cls]


def _hints(cls: type[Any]) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def _required(spec: dataclasses.Field[Any]) -> bool:
    return spec.default is dataclasses.MISSING and spec.default_factory is dataclasses.MISSING


def build_duration(builder: Builder, item: Item, path: str, key: str) -> dt.timedelta:
    """A duration written as ``{hours: 48}`` or ``{days: 2}`` (one unit of DURATION_UNITS)."""
    values = builder.mapping(item, path, key)
    if len(values) != 1:
        example = "{hours: 48}"
        raise builder.error(item, key, f"a duration has exactly one unit at {path}, e.g. {example}")
    ((unit, amount),) = values.items()
    if unit not in DURATION_UNITS:
        choices = ", ".join(DURATION_UNITS)
        message = f"unknown unit {unit!r} in {path} (one of: {choices})"
        raise builder.error(item, unit, message, item.key_lines.get(unit))
    number = builder.build(float, amount, f"{path}.{unit}", unit)
    if number < 0:
        raise builder.error(amount, unit, f"a duration cannot be negative at {path}")
    return dt.timedelta(seconds=number * DURATION_UNITS[unit])


def duration_to_plain(value: dt.timedelta) -> dict[str, int | float]:
    """``{hours: 48}`` for whole hours, else ``{minutes: ...}`` (the snapshot form)."""
    seconds = value.total_seconds()
    if seconds % 3600 == 0:
        return {"hours": int(seconds // 3600)}
    minutes = seconds / 60
    return {"minutes": int(minutes) if minutes.is_integer() else minutes}


def to_plain(value: object) -> Any:
    """A JSON-serialisable form of a built value; fields equal to their default are left out."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        plain: dict[str, Any] = {}
        for spec in dataclasses.fields(value):
            if not spec.init:
                continue
            child = getattr(value, spec.name)
            if spec.default is not dataclasses.MISSING and child == spec.default:
                continue
            if spec.default_factory is not dataclasses.MISSING and child == spec.default_factory():
                continue
            plain[spec.name] = to_plain(child)
        return plain
    if isinstance(value, tuple | list):
        return [to_plain(child) for child in value]
    if isinstance(value, dt.timedelta):
        return duration_to_plain(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
