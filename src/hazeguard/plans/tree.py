"""A YAML document as a tree of :class:`Item` that remembers the line of every key and value.

PyYAML's composer gives nodes with marks; this module turns them into plain values wrapped with
their line, so the schema validator can say *where* a mistake is. A snapshot dictionary
(``Plan.to_dict()``) becomes the same tree with no lines, so one validator serves both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

import yaml

from hazeguard.plans.errors import PlanError

# libyaml's parser when PyYAML was built with it (about ten times faster); both keep line marks
LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Scalar = str | int | float | bool | dt.date | None


@dataclass(frozen=True)
class Item:
    """One value of a plan document and where it stands.

    ``value`` is a ``dict[str, Item]``, a ``list[Item]`` or a scalar. ``raw`` is the scalar's text
    as written (so ``17:00`` stays a clock time and is not read as YAML 1.1's base-60 number).
    """

    value: object
    line: int | None
    raw: str | None = None
    key_lines: Mapping[str, int] = field(default_factory=dict)


def parse_yaml(text: str, file: str) -> Item:
    """Parse one YAML document into an :class:`Item` tree, rejecting duplicate keys."""
    try:
        node = yaml.compose(text, Loader=LOADER)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise PlanError(file, line, "", f"not valid YAML: {error}") from None
    if node is None:
        raise PlanError(file, 1, "", "the file is empty")
    return _from_node(node, file)


def _from_node(node: yaml.Node, file: str) -> Item:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        values: dict[str, Item] = {}
        key_lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                raise PlanError(file, key_line, "", "a key must be a plain word")
            key = str(key_node.value)
            if key in values:
                raise PlanError(file, key_line, key, f"duplicate key {key!r}")
            values[key] = _from_node(value_node, file)
            key_lines[key] = key_line
        return Item(values, line, key_lines=key_lines)
    if isinstance(node, yaml.SequenceNode):
        return Item([_from_node(child, file) for child in node.value], line)
    assert isinstance(node, yaml.ScalarNode)
    constructor = yaml.constructor.SafeConstructor()
    value: Scalar = constructor.construct_object(node)
    return Item(value, line, raw=str(node.value))


def from_plain(value: object) -> Item:
    """Wrap a JSON-like value (a snapshot) as an :class:`Item` tree without lines."""
    if isinstance(value, Mapping):
        return Item({str(key): from_plain(child) for key, child in value.items()}, None)
    if isinstance(value, list | tuple):
        return Item([from_plain(child) for child in value], None)
    raw = None if value is None or isinstance(value, bool) else str(value)
    return Item(value, None, raw=raw)
