"""The recipients of a notice: who they are, how each is reached, and their rows.

``notice_create`` (services.py) builds a notice for one addressee or for 5,000 (a red warning in
Liaocheng reaches every listed enterprise's contact), so everything here works on the whole list
at once: one query reads the users' phone numbers, two ``bulk_create`` calls write the recipients
and their deliveries, whatever their number (docs/load.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.utils import timezone

from hazeguard_platform.errors import InvalidInputError
from hazeguard_platform.notices.models import (
    Channel,
    Contact,
    Delivery,
    DeliveryState,
    Notice,
    Recipient,
    WebhookEndpoint,
)

Addressee = User | Contact | WebhookEndpoint


@dataclass(frozen=True)
class Addressed:
    """An addressee with a deadline of its own, where the plan gives different recipients of one
    notice different deadlines (a county 3 h, seed 003 §4.2; the website 2 h, 003 §5.2)."""

    addressee: Addressee
    # People acknowledge by then, a webhook endpoint answers 2xx by then [aware datetime].
    due_at: datetime | None
    # The plan clause the deadline comes from ("003 §4.2").
    due_clause: str = ""


def _key(addressee: Addressee) -> tuple[str, int]:
    """Who an addressee is: a contact linked to an account is that account's person."""
    if isinstance(addressee, Contact) and addressee.user_id is not None:
        return ("user", int(addressee.user_id))
    return (
        type(addressee).__name__ if not isinstance(addressee, User) else "user",
        int(addressee.pk),
    )


def _person_name(user: User) -> str:
    full = getattr(user, "get_full_name", lambda: "")()
    return str(full or user.get_username())


def _channels(addressee: Addressee, phones: dict[int, str]) -> list[tuple[str, str]]:
    """(channel, address) pairs that reach one addressee; ``phones`` holds the phone numbers of
    the users' active linked contacts (:func:`_user_phones`)."""
    if isinstance(addressee, WebhookEndpoint):
        if not addressee.active:
            raise InvalidInputError(
                f"the webhook endpoint {addressee.name!r} is not active", field="recipients"
            )
        return [(Channel.WEBHOOK, addressee.url)]
    if isinstance(addressee, Contact):
        if not addressee.active:
            raise InvalidInputError(f"the contact {addressee} is not active", field="recipients")
        # A contact is reached outside the platform; a person with an account is addressed as
        # the user (inbox), and a linked contact only lends that user its phone number.
        found: list[tuple[str, str]] = []
        email, phone = addressee.email, addressee.phone
    else:
        found = [(Channel.INBOX, "")]
        email = str(getattr(addressee, "email", "") or "")
        phone = phones.get(int(addressee.pk), "")
    found += [(Channel.EMAIL, email)] if email else []
    found += [(Channel.SMS, phone)] if phone else []
    if not found:
        raise InvalidInputError(
            f"the contact {addressee} has neither an e-mail address nor a phone number",
            field="recipients",
        )
    return found


# Users per query when reading their contacts' phone numbers: keeps the IN list well under the
# databases' limits on parameters (SQLite's SQLITE_MAX_VARIABLE_NUMBER is 32,766).
PHONE_BATCH = 5000


def _user_phones(addressees: Iterable[Addressee]) -> dict[int, str]:
    """The phone number of each user's active linked contact, by user id, in one query per
    :data:`PHONE_BATCH` users (not one per user: a red warning in Liaocheng has 5,000+)."""
    ids = sorted({int(a.pk) for a in addressees if isinstance(a, User)})
    phones: dict[int, str] = {}
    for start in range(0, len(ids), PHONE_BATCH):
        phones.update(
            Contact.objects.filter(user_id__in=ids[start : start + PHONE_BATCH], active=True)
            .exclude(phone="")
            .values_list("user_id", "phone")
        )
    return phones


def channels_of(addressed: Sequence[Addressed]) -> list[list[tuple[str, str]]]:
    """The (channel, address) pairs of each addressee, in order; refuses an inactive or
    unreachable one (``InvalidInputError``, field ``recipients``). One query for any number of
    users (their phone numbers), none for contacts and endpoints."""
    phones = _user_phones(a.addressee for a in addressed)
    return [_channels(a.addressee, phones) for a in addressed]


def _recipient(notice: Notice, addressed: Addressed) -> Recipient:
    addressee = addressed.addressee
    if isinstance(addressee, WebhookEndpoint):
        recipient = Recipient(notice=notice, endpoint=addressee, name=addressee.name)
    elif isinstance(addressee, Contact):
        recipient = Recipient(notice=notice, contact=addressee, name=addressee.name)
    else:
        recipient = Recipient(notice=notice, user=addressee, name=_person_name(addressee))
    recipient.due_at, recipient.due_clause = addressed.due_at, addressed.due_clause[:32]
    return recipient


def _delivery(recipient: Recipient, channel: str, address: str, now: datetime) -> Delivery:
    if channel == Channel.INBOX:
        # The inbox row is the message itself: it is there once the transaction commits.
        return Delivery(
            recipient=recipient,
            channel=channel,
            state=DeliveryState.SENT,
            sent_at=now,
            delivered_at=now,
        )
    return Delivery(recipient=recipient, channel=channel, address=address, next_attempt_at=now)


def recipients_add(
    notice: Notice,
    unique: Sequence[Addressed],
    channels: Sequence[list[tuple[str, str]]],
    now: datetime,
) -> list[Recipient]:
    """Insert the recipients and their deliveries: two ``bulk_create`` calls, whatever their
    number (PostgreSQL and SQLite return the new primary keys, which the deliveries need)."""
    added = Recipient.objects.bulk_create([_recipient(notice, a) for a in unique])
    Delivery.objects.bulk_create(
        _delivery(recipient, channel, address, now)
        for recipient, pairs in zip(added, channels, strict=True)
        for channel, address in pairs
    )
    return added


def audit_summary(added: Sequence[Recipient]) -> dict[str, object]:
    """What the audit record keeps of the recipients: how many, of which kind, and who by id.

    Not their names: a red warning in Liaocheng reaches 5,000+ people, and a list of names made
    the record about 100 KB; the ids are a tenth of that and name each addressee for good (the
    recipient rows, with the names as sent, are on the notice)."""
    ids: dict[str, list[int]] = {"user": [], "contact": [], "endpoint": []}
    for recipient in added:
        for kind, pk in (
            ("user", recipient.user_id),
            ("contact", recipient.contact_id),
            ("endpoint", recipient.endpoint_id),
        ):
            if pk is not None:
                ids[kind].append(int(pk))
    return {
        "recipients": len(added),
        "by_kind": {kind: len(pks) for kind, pks in ids.items()},
        "addressee_ids": ids,
    }


def _merged(first: Addressed, second: Addressed) -> Addressed:
    """One person given twice: addressed as the account if either is one (inbox, and the
    linked contact's phone through :func:`_user_phones`), by the earlier deadline."""
    earlier = first
    if first.due_at is None or (second.due_at is not None and second.due_at < first.due_at):
        earlier = second
    account = isinstance(second.addressee, User)
    person = second if account and not isinstance(first.addressee, User) else first
    return Addressed(person.addressee, earlier.due_at, earlier.due_clause)


def addressed_once(
    recipients: Iterable[Addressee | Addressed], due_at: datetime | None, due_clause: str
) -> list[Addressed]:
    """Each distinct addressee once, in the order first given, with its earliest deadline; a
    plain addressee takes ``due_at`` [aware datetime] and ``due_clause``. A contact linked to an
    account that is also given is the same person: addressed once, as the account."""
    unique: dict[tuple[str, int], Addressed] = {}
    for item in recipients:
        entry = item if isinstance(item, Addressed) else Addressed(item, due_at, due_clause)
        if entry.due_at is not None and timezone.is_naive(entry.due_at):
            raise InvalidInputError("due_at needs a time zone", field="due_at")
        key = _key(entry.addressee)
        unique[key] = _merged(unique[key], entry) if key in unique else entry
    return list(unique.values())
