"""The errors services raise; views and the API turn them into 400, 403 and 409 answers."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied


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
