"""The errors services raise; views and the API turn them into 400, 403 and 409 answers (and a
database outage into 503)."""

from __future__ import annotations

import errno

from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError
from django.utils.translation import gettext_lazy


class ServiceError(Exception):
    """A request the service cannot carry out; nothing was changed.

    ``field`` names the input at fault (a form field or API property), or is ``None`` when the
    refusal is about the object's state rather than one input.
    """

    status = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def as_dict(self) -> dict[str, str | None]:
        """``{"error": message, "field": field}`` for an API answer."""
        return {"error": self.message, "field": self.field}


class InvalidInputError(ServiceError):
    """Bad input: the answer is 400 and names the field."""


class ConflictError(ServiceError):
    """The object's state does not allow the action (or someone changed it first): 409."""

    status = 409


class ForbiddenError(PermissionDenied):
    """The actor's roles do not allow the action: 403, and an audit record of the refusal."""

    status = 403

    def __init__(self, message: str, *, action: str) -> None:
        super().__init__(message)
        self.message = message
        self.action = action


# The database went away during a request (restarted, failed over, connection cut): its
# transaction was rolled back, so the action was not carried out and can be sent again.
# Views answer 503 with this text (middleware.DatabaseOutageMiddleware), the API likewise.
DATABASE_ERRORS = (OperationalError, InterfaceError)
DATABASE_OUTAGE = gettext_lazy(
    "The database could not be reached, so nothing was changed. Please try again in a minute."
)
DATABASE_OUTAGE_TITLE = gettext_lazy("Service briefly unavailable")
# Seconds a client is asked to wait before sending the request again (Retry-After).
DATABASE_RETRY_AFTER = 30

# The database's own disk is full (PostgreSQL's SQLSTATE 53100 disk_full: its data directory or a
# tablespace has no space left; SQLite's SQLITE_FULL): the statement failed and the transaction
# was rolled back, so nothing was changed and nothing stored before is lost. 507, like an upload
# on a full disk, with a message of its own.
DATABASE_FULL_SQLSTATE = "53100"
DATABASE_FULL = gettext_lazy(
    "The database's disk is full, so nothing was changed; what was stored before is intact. "
    "Tell the administrator, and send it again once space has been freed."
)


def database_full(error: BaseException) -> bool:
    """Whether a database error says the database's disk is full."""
    cause = error.__cause__
    if getattr(cause, "sqlstate", None) == DATABASE_FULL_SQLSTATE:
        return True
    return "database or disk is full" in str(error)  # SQLite


# The server could not write an upload to disk (full, over a quota, over the file-size limit):
# the request is refused before any view runs (middleware.StorageFullMiddleware), with 507.
STORAGE_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
STORAGE_FULL_TITLE = gettext_lazy("The server's disk is full")
STORAGE_FULL = gettext_lazy(
    "The uploaded file could not be written because the server's disk is full. Nothing was "
    "stored and nothing stored before was changed. Tell the administrator, and upload the file "
    "again once space has been freed."
)
