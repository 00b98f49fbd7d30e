"""Two workers draining the outbox at the same moment send every delivery exactly once."""

from __future__ import annotations

import json
import threading
from collections import Counter

import pytest
from django.db import connection
from django.utils import timezone

from hazeguard_platform.notices.models import Delivery, DeliveryState, Event
from hazeguard_platform.notices.services import notice_create, outbox_process

from .notice_helpers import HttpReceiver, Office

NOTICES = 12


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_delivery_exactly_once(
    office: Office, http_receiver: HttpReceiver
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("two writing connections at once need PostgreSQL (set DATABASE_URL)")
    for number in range(NOTICES):
        notice_create(
            event=Event.REMINDER,
            recipients=[office.endpoint],
            actor=None,
            jurisdiction=office.city,
            title=f"reminder {number}",
        )
    barrier = threading.Barrier(2)
    claimed: dict[str, int] = {}

    def work(name: str) -> None:
        try:
            barrier.wait(timeout=10)
            total = 0
            for _ in range(NOTICES):  # bounded: each pass claims at least one row or stops
                run = outbox_process(now=timezone.now(), limit=3, worker=name)
                total += run.claimed
                if run.claimed == 0 and run.lost == 0:
                    break
            claimed[name] = total
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=work, args=(name,)) for name in ("a:1", "b:2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    sent_ids = Counter(json.loads(r.body)["delivery"] for r in http_receiver.requests)
    assert len(sent_ids) == NOTICES
    assert set(sent_ids.values()) == {1}
    assert sum(claimed.values()) == NOTICES
    assert set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.SENT}
