"""Checks on summary-report attachments: a PDF or a Word (.docx) file by its content, ≤ 10 MB."""

from __future__ import annotations

import io
import zipfile
from typing import TypedDict

from django.utils.translation import gettext as _

from hazeguard_platform.errors import InvalidInputError

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024  # [bytes]
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# A .docx is a ZIP (OOXML) holding the main document part; a .xlsx or any other ZIP is not one.
DOCX_PART = "word/document.xml"


class StoredAttachment(TypedDict):
    attachment_name: str
    attachment_type: str
    attachment_size: int
    attachment: bytes


def _sniffed_type(content: bytes) -> str | None:
    # The file's own bytes decide its type, never its name or the browser's content type.
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                if DOCX_PART in archive.namelist():
                    return DOCX
        except zipfile.BadZipFile:
            return None
    return None


def checked_attachment(name: str, content: bytes) -> StoredAttachment:
    """The attachment as stored, or ``InvalidInputError(field="attachment")`` naming the file."""
    if not content:
        raise InvalidInputError(
            _("%(name)s: the file is empty") % {"name": name}, field="attachment"
        )
    if len(content) > MAX_ATTACHMENT_BYTES:
        raise InvalidInputError(
            _("%(name)s: %(size).1f MB is above the limit of 10 MB")
            % {"name": name, "size": len(content) / 1024 / 1024},
            field="attachment",
        )
    content_type = _sniffed_type(content)
    if content_type is None:
        raise InvalidInputError(
            _("%(name)s: only a PDF or a Word (.docx) file is accepted") % {"name": name},
            field="attachment",
        )
    return {
        "attachment_name": name[:200],
        "attachment_type": content_type,
        "attachment_size": len(content),
        "attachment": content,
    }
