"""Reading an uploaded file with a size cap: the one copy loop of the platform's uploads.

An upload (``UploadedFile`` or any binary file object) is read in 1 MiB chunks so that a file
over the cap is refused as soon as it crosses it, without reading the rest into memory or onto
disk. Used by the emission-list import (enterprises), the meter-readings upload (meters), and
the pages that pass photos and attachments to their services (:func:`upload_content`; the
services still check the bytes they are given, for the API and commands).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import IO

from django.utils.translation import gettext as _

from hazeguard_platform.errors import InvalidInputError

CHUNK_BYTES = 1 << 20  # [bytes]


def upload_copy(
    source: IO[bytes], target: IO[bytes], *, limit_bytes: int, field: str, name: str = ""
) -> int:
    """Copy ``source`` into ``target`` and return the bytes copied [bytes].

    Raises ``InvalidInputError(field=field)`` naming the file (``name``, when given) and the
    limit (in MB) once more than ``limit_bytes`` [bytes] were read; ``target`` then holds a
    partial copy the caller discards.
    """
    size = 0
    for chunk in iter(lambda: source.read(CHUNK_BYTES), b""):
        size += len(chunk)
        if size > limit_bytes:
            which = f"{name}: the file" if name else "the file"
            raise InvalidInputError(
                f"{which} is larger than {limit_bytes / 1024 / 1024:g} MB", field=field
            )
        target.write(chunk)
    return size


def upload_read(source: IO[bytes], *, limit_bytes: int, field: str, name: str = "") -> bytes:
    """The whole of ``source`` as bytes, refused over ``limit_bytes`` [bytes] (see
    :func:`upload_copy`)."""
    buffer = io.BytesIO()
    upload_copy(source, buffer, limit_bytes=limit_bytes, field=field, name=name)
    return buffer.getvalue()


def upload_content(
    source: IO[bytes], *, default_name: str, limit_bytes: int, field: str
) -> tuple[str, bytes]:
    """``(name, content)`` of an uploaded photo or attachment, as the services take them, read
    no further than ``limit_bytes`` [bytes] (the service's own limit): a larger file is refused
    before it is held in memory, naming the file."""
    name = upload_name(source, default_name)
    return name, upload_read(source, limit_bytes=limit_bytes, field=field, name=name)


def upload_name(source: IO[bytes], default: str) -> str:
    """The file's own name without any folder (browsers may send one), else ``default``."""
    return Path(getattr(source, "name", "") or default).name


def require_workbook(content: bytes, *, field: str, name: str = "") -> None:
    """Refuse ``content`` at once unless it is an Excel workbook (.xlsx, an Office Open XML zip
    with ``xl/workbook.xml``), naming the file and saying what to do, in the active language:
    a renamed .xls, CSV or PDF would otherwise wait in the queue to fail there."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if "xl/workbook.xml" in archive.namelist():
                return
    except zipfile.BadZipFile:
        pass
    raise InvalidInputError(
        _(
            "%(name)s is not an Excel workbook (.xlsx). Open it in Excel or WPS, save it as "
            "“Excel Workbook (.xlsx)” and upload it again."
        )
        % {"name": name or _("The file")},
        field=field,
    )
