"""The outbox worker's one step: claim due deliveries, try each once, record the outcome.

Model: healthchecks ``sendalerts``. A row is claimed by a conditional ``UPDATE … WHERE state =
old AND attempts = n`` (STYLE.md §9): of two workers exactly one gets it. The claim carries a
lease; a worker that stops mid-way leaves a ``sending`` row whose lease runs out, and the next run
claims it again, so a restart resumes. Network I/O happens outside any transaction, so no
database lock is held while an SMTP server or webhook answers. The outcome is written with a
second conditional UPDATE that only succeeds for the worker that still holds the claim.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone

from hazeguard_platform.audit.services import audit_record
from hazeguard_platform.notices import conf
from hazeguard_platform.notices.messages import message_for
from hazeguard_platform.notices.models import Attempt, AttemptOutcome, Delivery, DeliveryState
from hazeguard_platform.notices.transports import TRANSPORTS, TransportError

logger = logging.getLogger(__name__)


def worker_name() -> str:
    """``host:pid`` of this process, recorded on the rows it claims."""
    return f"{socket.gethostname()}:{os.getpid()}"[:64]


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed try: the first delay, doubled per try, capped."""
    # The exponent stops at 12 (4096 × the first delay): past the cap anyway, and no overflow.
    delay = conf.retry_delay() * (1 << min(max(attempts - 1, 0), 12))
    return min(delay, conf.MAX_BACKOFF)


@dataclass
class OutboxRun:
    """What one :func:`outbox_process` call did (ids of the deliveries per outcome)."""

    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    # Claimed by another worker between our read and our UPDATE.
    lost: int = 0

    @property
    def claimed(self) -> int:
        return len(self.sent) + len(self.retrying) + len(self.failed)


def due_deliveries(now: datetime) -> Q:
    """Rows a worker may claim at ``now``: queued and due, or left by a stopped worker (lease
    run out)."""
    return Q(state=DeliveryState.QUEUED, next_attempt_at__lte=now) | Q(
        state=DeliveryState.SENDING, lease_until__lte=now
    )


def outbox_next_due() -> datetime | None:
    """When the earliest unfinished delivery can next be worked (``None``: nothing unfinished)."""
    pending = Delivery.objects.filter(state__in=[DeliveryState.QUEUED, DeliveryState.SENDING])
    times = pending.aggregate(queued=Min("next_attempt_at"), leased=Min("lease_until"))
    found = [value for value in (times["queued"], times["leased"]) if value is not None]
    return min(found) if found else None


def _clock(now: datetime) -> datetime:
    # ``now`` is the run's start; a long batch stamps later outcomes with the real time, and a
    # frozen test clock (time-machine) makes both the same.
    return max(now, timezone.now())


def _claim(row: Mapping[str, Any], *, now: datetime, worker: str) -> Delivery | None:
    """Take one row by a conditional UPDATE; ``None`` when another worker was first."""
    old_state, attempts = row["state"], int(row["attempts"])
    with transaction.atomic():
        taken = Delivery.objects.filter(pk=row["pk"], state=old_state, attempts=attempts).update(
            state=DeliveryState.SENDING,
            attempts=attempts + 1,
            worker=worker,
            lease_until=now + conf.lease(),
        )
        if not taken:
            return None
        if old_state == DeliveryState.SENDING:
            # The previous claimant never recorded an outcome: log its try as abandoned.
            Attempt.objects.create(
                delivery_id=row["pk"],
                number=attempts,
                worker=str(row["worker"]),
                started_at=row["lease_until"],
                finished_at=now,
                outcome=AttemptOutcome.ABANDONED,
                error=f"worker {row['worker']} stopped before recording an outcome",
            )
    return Delivery.objects.select_related(
        "recipient__notice__jurisdiction", "recipient__endpoint"
    ).get(pk=row["pk"])


def _finish(
    delivery: Delivery,
    *,
    started: datetime,
    worker: str,
    error: TransportError | None,
    provider_id: str = "",
) -> str:
    """Record the outcome of our try; returns the attempt's outcome."""
    now = _clock(started)
    number = delivery.attempts
    if error is None:
        outcome = AttemptOutcome.SENT
        confirms = TRANSPORTS[delivery.channel].confirms_delivery
        changes: dict[str, object] = {
            "state": DeliveryState.SENT,
            "sent_at": now,
            "last_error": "",
            "provider_id": provider_id[:100],
        }
        if confirms:
            changes["delivered_at"] = now
        # Otherwise delivered_at stays as it is: an SMS receipt may have come in already.
    elif error.permanent or number >= conf.max_attempts():
        outcome = AttemptOutcome.FAILED
        changes = {"state": DeliveryState.FAILED, "failed_at": now, "last_error": error.message}
    else:
        outcome = AttemptOutcome.RETRY
        changes = {
            "state": DeliveryState.QUEUED,
            "next_attempt_at": now + backoff(number),
            "last_error": error.message,
        }
    with transaction.atomic():
        kept = Delivery.objects.filter(
            pk=delivery.pk, state=DeliveryState.SENDING, worker=worker, attempts=number
        ).update(lease_until=None, **changes)
        if not kept:
            # Our lease ran out and another worker took the row over: it decides the state now.
            logger.warning("delivery %s: lease lost before the outcome was recorded", delivery.pk)
        elif outcome == AttemptOutcome.FAILED:
            audit_record(
                actor=None,
                action="notice.delivery_failed",
                obj=delivery,
                after={"channel": delivery.channel, "address": delivery.address, "tries": number},
                message=error.message if error is not None else "",
            )
        Attempt.objects.create(
            delivery=delivery,
            number=number,
            worker=worker,
            started_at=started,
            finished_at=now,
            outcome=outcome,
            error=error.message if error is not None else "",
        )
    return outcome


def outbox_process(*, now: datetime, limit: int = 50, worker: str = "") -> OutboxRun:
    """Claim up to ``limit`` due deliveries and try each once.

    ``now`` is the run's clock [aware datetime]: it picks the due rows and stamps the outcome.
    Idempotent: a row already sent is never claimed again, and running this in several processes
    at once sends each row once.
    """
    worker = worker or worker_name()
    run = OutboxRun()
    rows = list(
        Delivery.objects.filter(due_deliveries(now))
        .order_by("next_attempt_at", "pk")
        .values("pk", "state", "attempts", "worker", "lease_until")[:limit]
    )
    for row in rows:
        started = _clock(now)
        delivery = _claim(row, now=started, worker=worker)
        if delivery is None:
            run.lost += 1
            continue
        error: TransportError | None = None
        provider_id = ""
        try:
            provider_id = TRANSPORTS[delivery.channel]().notify(message_for(delivery), delivery)
        except TransportError as failure:
            error = failure
        except Exception as failure:  # a bug must not stop the other deliveries
            logger.exception("delivery %s: unexpected error", delivery.pk)
            error = TransportError(f"internal error: {failure!r}")
        outcome = _finish(
            delivery, started=started, worker=worker, error=error, provider_id=provider_id
        )
        {
            AttemptOutcome.SENT: run.sent,
            AttemptOutcome.RETRY: run.retrying,
            AttemptOutcome.FAILED: run.failed,
        }[AttemptOutcome(outcome)].append(delivery.pk)
    return run
