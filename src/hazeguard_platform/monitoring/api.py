"""The push endpoint: a monitoring system sends hourly station rows (token, as the whole API).

``POST /api/jurisdictions/{code}/readings`` with ``{"layout": "hazeguard" | "cnemc", "hours":
[{…}, …]}``: each object one station-hour in the layout's field names (docs/monitoring.md).
Idempotent per station-hour: sending the same hour again changes nothing; other values replace
the stored ones with a correction record.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Path, Router, Schema

from hazeguard_platform.jurisdictions.selectors import jurisdiction_for_user
from hazeguard_platform.monitoring.models import Way
from hazeguard_platform.monitoring.services import readings_ingest

router = Router(tags=["monitoring"])
Code = Annotated[str, Path(pattern=r"^[-a-zA-Z0-9_]{1,64}$")]


class ReadingsIn(Schema):
    """Hourly station rows in one layout."""

    layout: str = Field("hazeguard", description="hazeguard or cnemc (docs/monitoring.md)")
    hours: list[dict[str, Any]] = Field(..., max_length=100_000)


class DeliveryOut(Schema):
    """What a delivery changed."""

    id: int
    rows: int
    stored: int
    unchanged: int
    corrected: int


@router.post("/jurisdictions/{code}/readings", response={200: DeliveryOut})
def push_readings(request: HttpRequest, code: Code, payload: ReadingsIn) -> Any:
    """Store hourly station rows pushed by a monitoring system; idempotent per station-hour."""
    place = jurisdiction_for_user(request.user, code)
    delivery = readings_ingest(
        actor=request.user,
        jurisdiction=place,
        body=json.dumps(payload.hours),
        fmt="json",
        layout=payload.layout,
        way=Way.PUSH,
        source="push",
    )
    return delivery
