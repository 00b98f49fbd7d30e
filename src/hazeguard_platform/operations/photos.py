"""Checks on report photos: JPEG or PNG by their first bytes, at most 5 MB."""

from __future__ import annotations

from typing import TypedDict

from django.utils.translation import gettext as _

from hazeguard_platform.errors import InvalidInputError

MAX_PHOTO_BYTES = 5 * 1024 * 1024  # [bytes]
# The file's own signature decides its type, never its name or the browser's content type.
SIGNATURES = {b"\xff\xd8\xff": "image/jpeg", b"\x89PNG\r\n\x1a\n": "image/png"}


class StoredPhoto(TypedDict):
    name: str
    content_type: str
    size: int
    content: bytes


def checked_photo(name: str, content: bytes) -> StoredPhoto:
    """The photo as stored, or ``InvalidInputError(field="photos")`` naming the file."""
    if len(content) > MAX_PHOTO_BYTES:
        raise InvalidInputError(
            _("%(name)s: %(size).1f MB is above the limit of 5 MB")
            % {"name": name, "size": len(content) / 1024 / 1024},
            field="photos",
        )
    content_type = next(
        (kind for magic, kind in SIGNATURES.items() if content.startswith(magic)), None
    )
    if content_type is None:
        message = _("%(name)s: only JPEG or PNG photos are accepted") % {"name": name}
        raise InvalidInputError(message, field="photos")
    return {
        "name": name[:200],
        "content_type": content_type,
        "size": len(content),
        "content": content,
    }
