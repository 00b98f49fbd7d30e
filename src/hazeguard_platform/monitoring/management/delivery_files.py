"""What the commands that deliver files (``weather_load``, ``readings_load``) share: the place
named, each file's text (``.gz`` decompressed, a BOM dropped), the line reporting a delivery."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

from django.core.management.base import CommandError

from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.monitoring.models import Delivery


def jurisdiction_named(code: str) -> Jurisdiction:
    """The jurisdiction with this code; ``CommandError`` naming it otherwise."""
    place = Jurisdiction.objects.filter(code=code).first()
    if place is None:
        raise CommandError(f"no jurisdiction {code!r}")
    return place


def file_texts(paths: list[Path]) -> Iterator[tuple[Path, str]]:
    """Each file and its UTF-8 text, in the order given; ``CommandError`` for one unreadable."""
    for path in paths:
        try:
            raw = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from None
        yield path, (gzip.decompress(raw) if path.suffix == ".gz" else raw).decode("utf-8-sig")


def delivery_line(path: Path, delivery: Delivery) -> str:
    """``name: N rows, N new, N corrected, N already stored``."""
    return (
        f"{path.name}: {delivery.rows} rows, {delivery.stored} new, "
        f"{delivery.corrected} corrected, {delivery.unchanged} already stored"
    )
