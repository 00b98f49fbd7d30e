"""An :class:`EpisodeSummary` from JSON-like data, and the JSON Schema of that data.

The JSON mirrors the dataclasses field for field (``summary_model``): an object per record,
an array per tuple, ISO 8601 text for dates (``YYYY-MM-DD``) and times (local Asia/Shanghai
unless an offset is given; an offset is converted to local time), ``null`` where a field may be
unknown. Unknown keys are rejected; an error names the field's path (``timeline[1].level``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from typing import Any, Final, TypeVar

from hazeguard.vocabulary import CHINA

T = TypeVar("T")
TIME_TEXT: Final = "ISO 8601; local (Asia/Shanghai) time unless an offset is given"


class SummaryDataError(ValueError):
    """Episode data that does not fit the summary's fields; the message names the field."""


def record_from_dict(kind: type[T], data: Any, where: str = "episode") -> T:
    """Build the dataclass ``kind`` from a mapping, checking every field against its type."""
    if not isinstance(data, dict):
        raise SummaryDataError(f"{where}: expected an object, got {_json_name(data)}")
    fields = {field.name: field for field in dataclasses.fields(kind)}  # type: ignore[arg-type]
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise SummaryDataError(f"{where}: unknown field(s) {unknown}; known: {list(fields)}")
    hints = typing.get_type_hints(kind)
    values: dict[str, Any] = {}
    for name, field in fields.items():
        if name not in data:
            if _required(field):
                raise SummaryDataError(f"{where}.{name}: required field is missing")
            continue
        values[name] = _value(hints[name], data[name], f"{where}.{name}")
    try:
        return kind(**values)
    except ValueError as error:  # the record's own checks (e.g. timeline order)
        raise SummaryDataError(f"{where}: {error}") from error


def _required(field: dataclasses.Field[Any]) -> bool:
    return field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING


def _value(hint: Any, value: Any, where: str) -> Any:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        (inner,) = [arg for arg in args if arg is not type(None)]
        return _value(inner, value, where)
    if origin is tuple:
        if not isinstance(value, list):
            raise SummaryDataError(f"{where}: expected an array, got {_json_name(value)}")
        return tuple(_value(args[0], item, f"{where}[{n}]") for n, item in enumerate(value))
    if origin is typing.Literal:
        if value not in args:
            raise SummaryDataError(f"{where}: {value!r} is not one of {', '.join(args)}")
        return value
    if dataclasses.is_dataclass(hint):
        return record_from_dict(hint, value, where)  # type: ignore[arg-type]
    if hint is dt.datetime:
        return _time(value, where)
    if hint is dt.date:
        return _date(value, where)
    if hint is str and isinstance(value, str):
        return value
    if hint is bool and isinstance(value, bool):
        return value
    if hint is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if hint is int and isinstance(value, int) and not isinstance(value, bool):
        if value < 0:
            raise SummaryDataError(f"{where}: {value} is negative; a count is never negative")
        return value
    raise SummaryDataError(f"{where}: expected {_schema(hint)['type']}, got {_json_name(value)}")


def _time(value: Any, where: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise SummaryDataError(f"{where}: {value!r} is not an ISO 8601 date-time") from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(CHINA).replace(tzinfo=None)
    return moment


def _date(value: Any, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise SummaryDataError(f"{where}: {value!r} is not an ISO 8601 date") from None


def _json_name(value: Any) -> str:
    names = {bool: "a boolean", dict: "an object", list: "an array", str: "text"}
    if value is None:
        return "null"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"the number {value}"
    return names.get(type(value), type(value).__name__)


def record_to_dict(record: Any) -> Any:
    """A record as the JSON-like data :func:`record_from_dict` reads back: objects per record,
    arrays per tuple, ISO 8601 text for dates and times (local times without an offset)."""
    if dataclasses.is_dataclass(record) and not isinstance(record, type):
        return {
            field.name: record_to_dict(getattr(record, field.name))
            for field in dataclasses.fields(record)
        }
    if isinstance(record, tuple):
        return [record_to_dict(item) for item in record]
    if isinstance(record, dt.datetime):
        if record.tzinfo is not None:
            record = record.astimezone(CHINA).replace(tzinfo=None)
        return record.isoformat()
    if isinstance(record, dt.date):
        return record.isoformat()
    return record


def record_schema(kind: type) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12 subset) of a record type: its fields, types, required."""
    hints = typing.get_type_hints(kind)
    fields = dataclasses.fields(kind)
    return {
        "type": "object",
        "description": (kind.__doc__ or "").strip().splitlines()[0],
        "properties": {field.name: _schema(hints[field.name]) for field in fields},
        "required": [field.name for field in fields if _required(field)],
        "additionalProperties": False,
    }


def _schema(hint: Any) -> dict[str, Any]:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        (inner,) = [arg for arg in args if arg is not type(None)]
        return {"anyOf": [_schema(inner), {"type": "null"}]}
    if origin is tuple:
        return {"type": "array", "items": _schema(args[0])}
    if origin is typing.Literal:
        return {"type": "string", "enum": list(args)}
    if dataclasses.is_dataclass(hint):
        return record_schema(hint)  # type: ignore[arg-type]
    if hint is dt.datetime:
        return {"type": "string", "format": "date-time", "description": TIME_TEXT}
    if hint is dt.date:
        return {"type": "string", "format": "date"}
    names = {str: "string", float: "number", int: "integer", bool: "boolean"}
    return {"type": names[hint]} | ({"minimum": 0} if hint is int else {})
