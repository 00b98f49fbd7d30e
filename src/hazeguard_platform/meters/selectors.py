"""Who may send meter readings, and the uploads a person sees."""

from __future__ import annotations

from django.db import models
from django.shortcuts import get_object_or_404

from hazeguard_platform.accounts.permissions import Actor, refuse
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.meters.models import ElectricityCheck, ElectricityCheckJob, MeterUpload
from hazeguard_platform.meters.services import allowed_enterprises, is_office
from hazeguard_platform.warnings.models import Episode


def upload_jurisdiction_for_user(user: Actor, code: str) -> Jurisdiction:
    """The jurisdiction whose readings ``user`` may send: its command office (or one above),
    or a contact of one of its listed enterprises; else 403 (audited), 404 for an unknown code."""
    place = get_object_or_404(Jurisdiction, code=code)
    if is_office(user, place) or allowed_enterprises(user, place):
        return place
    raise refuse(user, action="meter_readings.view", obj=place, message="office or contact only")


def uploads_for(user: Actor, place: Jurisdiction) -> models.QuerySet[MeterUpload]:
    """Recent uploads: every one for the office, a contact's own for a contact."""
    uploads = MeterUpload.objects.filter(jurisdiction=place)
    if not is_office(user, place):
        uploads = uploads.filter(uploaded_by_id=getattr(user, "pk", None))
    return uploads[:20]


def latest_check(episode: Episode) -> ElectricityCheck | None:
    """The newest electricity check of ``episode``, if one was run."""
    return ElectricityCheck.objects.filter(episode=episode).first()


def latest_check_job(episode: Episode) -> ElectricityCheckJob | None:
    """The newest request to run the electricity check of ``episode`` (queued, running, done or
    failed), if any."""
    return ElectricityCheckJob.objects.filter(episode=episode).first()
