"""Reads of public subscriptions."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from hazeguard_platform.jurisdictions.models import Jurisdiction
from hazeguard_platform.subscriptions.models import Subscription, SubscriptionState


def confirmed_subscribers(place: Jurisdiction) -> list[Subscription]:
    """The confirmed subscriptions that hear of ``place``'s warnings: its own and its counties'
    (a city's warning covers them through the regional cascade), each address once — as the
    subscriber of ``place`` when it subscribed to both."""
    found: QuerySet[Subscription] = (
        Subscription.objects.filter(Q(jurisdiction=place) | Q(jurisdiction__parent=place))
        .filter(state=SubscriptionState.ACTIVE)
        .select_related("jurisdiction")
        .order_by("pk")
    )
    seen: set[tuple[str, str]] = set()
    unique = []
    # The place's own subscribers first, then its counties'.
    for subscription in sorted(found, key=lambda s: (s.jurisdiction_id != place.pk, s.pk)):
        key = (subscription.channel, subscription.address)
        if key not in seen:
            seen.add(key)
            unique.append(subscription)
    return unique


def subscription_by_id(pk: int) -> Subscription | None:
    """The subscription a signed link names, with its jurisdiction."""
    return Subscription.objects.select_related("jurisdiction").filter(pk=pk).first()
