"""The OASIS CAP 1.2 XML schema, loaded once, for tests that check messages against it."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lxml import etree

CAP_XSD = Path(__file__).parent / "data" / "CAP-v1.2.xsd"


@cache
def cap_schema() -> etree.XMLSchema:
    """OASIS's CAP-v1.2.xsd (see data/README.md for its source)."""
    return etree.XMLSchema(etree.parse(str(CAP_XSD)))


def assert_valid_cap(xml_text: str | bytes) -> etree._Element:
    """Parse a CAP message and fail with the schema's own error lines when it is invalid."""
    data = xml_text.encode() if isinstance(xml_text, str) else xml_text
    document = etree.fromstring(data)
    schema = cap_schema()
    if not schema.validate(document):
        errors = "\n".join(f"line {e.line}: {e.message}" for e in schema.error_log)
        raise AssertionError(f"not valid CAP 1.2:\n{errors}\n{data.decode()}")
    return document
