"""The one shape of a document download and of a page's data as JSON (episode summary,
episode and yearly evaluation)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse, JsonResponse

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def docx_response(content: bytes, filename: str) -> HttpResponse:
    """A .docx the browser saves as ``filename`` (ASCII: codes and dates)."""
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def json_response(data: dict[str, Any]) -> JsonResponse:
    """A page's data as JSON, Chinese kept as text (not \\u escapes)."""
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})
