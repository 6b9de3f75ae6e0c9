"""Delivery: one row per message and channel (a notification's e-mail, an announcement in one
chat room), sent by the worker once the transaction that wrote it has committed.

A worker claims the row with a conditional update, so two workers, a task run twice or a task
taken back from a worker that died never send it twice; a claim left by a dead worker is taken
over once it is older than the worker silence limit. A failure is tried again after 5 s, 5 min,
30 min, 2 h, 5 h and 10 h (or when a server answering 429 says to), then the delivery is marked
failed. What a transport does is in transports/; this module only decides when (tasks.py
queues the work).
"""

import datetime
import logging

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from ruche.notifications import emails
from ruche.notifications.enums import DeliveryStatus
from ruche.notifications.models import Channel, Delivery
from ruche.notifications.registry import get_kind
from ruche.notifications.transports import email, matrix, webhook
from ruche.notifications.transports.base import DeliveryFailed, Outgoing, Transport

logger = logging.getLogger(__name__)

BACKOFF = (
    datetime.timedelta(seconds=5),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
    datetime.timedelta(hours=5),
    datetime.timedelta(hours=10),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
# Deliveries whose own task should have run by now (lost with a worker, or deferred by a
# backend that cannot defer) are picked up by the periodic job after this delay.
OVERDUE = datetime.timedelta(minutes=1)
TRANSPORTS: dict[str, type[Transport]] = {
    "email": email.EmailTransport,
    "matrix": matrix.MatrixTransport,
    "webhook": webhook.WebhookTransport,
}


def stale_claim() -> datetime.timedelta:
    """A claim this old was left by a worker that died while sending (the same silence after
    which the queue takes a dead worker's tasks back; a request times out long before)."""
    return datetime.timedelta(seconds=settings.WORKER_SILENCE_SECONDS)


def deliver(delivery_id: int) -> bool:
    """Sends one delivery if it is due; True if this call sent it."""
    now = timezone.now()
    claimable = Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=now) | Q(
        status=DeliveryStatus.SENDING,
        claimed_at__lt=now - stale_claim(),
        attempts__lt=MAX_ATTEMPTS,
    )
    claimed = Delivery.objects.filter(claimable, pk=delivery_id).update(
        status=DeliveryStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return False
    delivery = Delivery.objects.select_related(
        "notification__member", "announcement", "channel"
    ).get(pk=delivery_id)
    try:
        message = _message(delivery)
        if message is None:
            Delivery.objects.filter(pk=delivery_id).update(
                status=DeliveryStatus.CANCELLED, error="Nothing to send anymore."
            )
            return False
        TRANSPORTS[delivery.transport](delivery.channel).send(message)
    except Exception as error:  # any failure of a transport is retried, never lost
        _failed(delivery, error)
        return False
    Delivery.objects.filter(pk=delivery_id).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now(), error=""
    )
    if delivery.channel_id:
        Channel.objects.filter(pk=delivery.channel_id, failing_since__isnull=False).update(
            failing_since=None, failure_warned_at=None
        )
    return True


def _message(delivery: Delivery) -> Outgoing | None:
    announcement = delivery.announcement
    if announcement is not None:
        return Outgoing(
            key=delivery.key,
            subject=announcement.get_topic_display(),
            text=announcement.text,
            html=announcement.html,
            markdown=announcement.markdown,
        )
    notification = delivery.notification
    if notification is None:  # a delivery carries an announcement or a notification
        raise ValueError(f"Delivery {delivery.pk} has nothing to send.")
    spec = get_kind(notification.kind)
    # A message carrying a secret has it minted now, by its kind: never stored in clear, and
    # a retry carries a fresh one.
    extra = spec.at_send(notification) if spec.at_send else ({}, ())
    if extra is None:
        return None
    context, attachments = extra
    return emails.write(
        notification, spec, delivery.key, {**notification.context, **context}, attachments
    )


def _failed(delivery: Delivery, error: Exception) -> None:
    now = timezone.now()
    retry_after = getattr(error, "retry_after", None)
    permanent = getattr(error, "permanent", False)
    reason = str(error) if isinstance(error, DeliveryFailed) else f"{type(error).__name__}: {error}"
    if permanent or delivery.attempts >= MAX_ATTEMPTS:
        status, next_attempt = DeliveryStatus.FAILED, delivery.next_attempt_at
    else:
        wait = BACKOFF[delivery.attempts - 1]
        if retry_after is not None:
            wait = datetime.timedelta(seconds=retry_after)
        status, next_attempt = DeliveryStatus.PENDING, now + wait
    Delivery.objects.filter(pk=delivery.pk).update(
        status=status, next_attempt_at=next_attempt, error=reason[:2000]
    )
    if delivery.channel_id:
        Channel.objects.filter(pk=delivery.channel_id, failing_since__isnull=True).update(
            failing_since=now
        )
    logger.warning("Delivery %s (%s) failed: %s", delivery.pk, delivery.transport, reason)


def undelivered() -> list[int]:
    """Puts back claims left by a crashed worker; returns the deliveries that are due and whose
    task has not run (the periodic job queues them again)."""
    now = timezone.now()
    stale = Delivery.objects.filter(
        status=DeliveryStatus.SENDING, claimed_at__lt=now - stale_claim()
    )
    # The crash may have come after the message left: past the last attempt, give up rather
    # than risk sending it again and again.
    stale.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=DeliveryStatus.FAILED, error="Worker stopped while sending."
    )
    stale.update(status=DeliveryStatus.PENDING)
    return list(
        Delivery.objects.filter(
            status=DeliveryStatus.PENDING, next_attempt_at__lt=now - OVERDUE
        ).values_list("pk", flat=True)[:500]
    )
