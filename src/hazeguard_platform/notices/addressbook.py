"""Changes to who notices can reach: contacts and webhook endpoints (STYLE.md §7).

Administrators of the jurisdiction (or one above it) keep its address book; every change is
audited. A webhook's secret is shown once, when the endpoint is created.
"""

from __future__ import annotations

import re
import secrets
from urllib.parse import urlsplit

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from hazeguard_platform.accounts.permissions import Actor, require_administrator
from hazeguard_platform.audit.services import audit_record
from hazeguard_platform.errors import InvalidInputError
from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.notices.models import Contact, WebhookEndpoint

# Digits with an optional leading + (E.164 at most 15 digits; Chinese mobiles have 11).
_PHONE = re.compile(r"\+?[0-9]{5,15}")


def contact_create(
    *,
    actor: Actor,
    jurisdiction: Jurisdiction,
    name: str,
    email: str = "",
    phone: str = "",
    user: User | None = None,
    escalation: bool = False,
) -> Contact:
    """Add a contact reached by e-mail and/or SMS; ``escalation`` makes it receive the
    jurisdiction's overdue reports."""
    require_administrator(actor, jurisdiction, action="notice_contact.create")
    name, email = name.strip(), email.strip()
    phone = re.sub(r"[\s-]", "", phone)
    if not name:
        raise InvalidInputError("a contact needs a name", field="name")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise InvalidInputError(f"{email!r} is not an e-mail address", field="email") from None
    if phone and not _PHONE.fullmatch(phone):
        raise InvalidInputError(
            f"{phone!r} is not a phone number (digits, optional leading +)", field="phone"
        )
    if not email and not phone:
        raise InvalidInputError("a contact needs an e-mail address or a phone", field="email")
    with transaction.atomic():
        contact = Contact.objects.create(
            jurisdiction=jurisdiction,
            name=name,
            email=email,
            phone=phone,
            user=user,
            escalation=escalation,
        )
        audit_record(
            actor=actor,
            action="notice_contact.create",
            obj=contact,
            after={"name": name, "email": email, "phone": phone, "escalation": escalation},
        )
    return contact


def webhook_endpoint_create(
    *,
    actor: Actor,
    jurisdiction: Jurisdiction,
    name: str,
    url: str,
    secret: str = "",
    public: bool = False,
) -> WebhookEndpoint:
    """Add a webhook endpoint; without ``secret`` a random one (256 bits) is made. ``public``:
    it publishes to the public (website, media), so warnings must reach it within the plan's
    public-notice deadline (seed 003 §5.2). The audit record names the URL, never the secret."""
    require_administrator(actor, jurisdiction, action="webhook_endpoint.create")
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise InvalidInputError(f"{url!r} is not an http(s) URL", field="url")
    if not name.strip():
        raise InvalidInputError("an endpoint needs a name", field="name")
    if secret and len(secret) < 16:
        raise InvalidInputError("a webhook secret has at least 16 characters", field="secret")
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.create(
            jurisdiction=jurisdiction,
            name=name.strip(),
            url=url.strip(),
            secret=secret or secrets.token_urlsafe(32),
            public=public,
        )
        audit_record(
            actor=actor,
            action="webhook_endpoint.create",
            obj=endpoint,
            after={"name": endpoint.name, "url": endpoint.url, "public": public},
        )
    return endpoint


def webhook_endpoint_deactivate(*, actor: Actor, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """Stop sending to an endpoint; its queued deliveries then fail, visibly."""
    require_administrator(actor, endpoint.jurisdiction, action="webhook_endpoint.deactivate")
    with transaction.atomic():
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(active=False)
        audit_record(
            actor=actor,
            action="webhook_endpoint.deactivate",
            obj=endpoint,
            before={"active": endpoint.active},
            after={"active": False},
        )
    endpoint.refresh_from_db()
    return endpoint
