"""What every staff page shares, below the apps: the page's language as the core names it, and a
service's refusal shown on the form that asked for it.

A form with bad input answers 400 and names the field; a service's ``InvalidInputError`` is put on
the form field it names (400), ``ConflictError`` answers 409, ``ForbiddenError`` 403 (Django's
``PermissionDenied``; the service has already written the audit record).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from hazeguard.vocabulary import Language, level_name
from hazeguard_platform.errors import ConflictError, ServiceError


def page_language() -> Language:
    """The page's language as the core names it (``zh`` or ``en``)."""
    return "en" if (get_language() or "zh").startswith("en") else "zh"


def label_in(label: str, language: Language) -> str:
    """One language's half of a ``"中文 english"`` choice label (the models' states and events:
    ``已提请 proposed`` → ``已提请`` / ``proposed``)."""
    zh, _, en = str(label).partition(" ")
    return (en or zh) if language == "en" else zh


def level_choices(levels: Iterable[str]) -> list[tuple[str, str]]:
    """``(code, name)`` choices of ``levels``, named in the page's language by the core."""
    return [(level, level_name(level, page_language())) for level in levels]


def rename_service_field(error: ServiceError) -> None:
    """The services name model ids (``forecast_id``); the forms name the choice (``forecast``)."""
    if error.field and error.field.endswith("_id"):
        error.field = error.field.removesuffix("_id")


def status_of(error: ServiceError) -> int:
    """409 for a conflict with the object's state, 400 for bad input."""
    return 409 if isinstance(error, ConflictError) else 400


def render_form_error(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    form: forms.BaseForm | forms.BaseFormSet[Any],
    error: ServiceError,
) -> HttpResponse:
    """Show a service's refusal on the form: 400 on the named field, 409 for a conflict. The
    template includes ``_form_errors.html`` for the refusal that names no field of the form."""
    if isinstance(form, forms.BaseForm) and error.field in form.fields:
        form.add_error(error.field, error.message)
    elif isinstance(form, forms.BaseForm):
        # The message says what to do; the internal field name means nothing to the reader.
        form.add_error(None, error.message)
    context = {**context, "service_error": error}
    return render(request, template, context, status=status_of(error))
