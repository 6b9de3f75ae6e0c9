"""The queue's side of deliveries: writing them so that their task runs once the caller's
transaction has committed, the task itself (which asks again later when a delivery failed),
and the periodic job that takes up what a lost task left."""

import datetime

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from ruche.notifications import deliveries
from ruche.notifications.enums import DeliveryStatus
from ruche.notifications.models import Delivery


@task()
def deliver_message(delivery_id: int) -> bool:
    sent = deliveries.deliver(delivery_id)
    if not sent:
        pending = Delivery.objects.filter(
            pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__gt=timezone.now()
        ).values_list("next_attempt_at", flat=True)
        for next_attempt in pending:
            enqueue(delivery_id, run_after=next_attempt)
    return sent


def enqueue(delivery_id: int, run_after: datetime.datetime | None = None) -> None:
    job = deliver_message
    if run_after is not None:
        if not job.get_backend().supports_defer:
            return  # the periodic job sends it once due
        job = job.using(run_after=run_after)
    job.enqueue(delivery_id)


def schedule(delivery_ids: list[int]) -> None:
    """Queues the deliveries once the caller's transaction has committed."""

    def enqueue_all() -> None:
        for pk in delivery_ids:
            enqueue(pk)

    transaction.on_commit(enqueue_all)


def create(**fields) -> Delivery:
    """A delivery due now, sent after the caller's transaction commits."""
    delivery = Delivery.objects.create(next_attempt_at=timezone.now(), **fields)
    schedule([delivery.pk])
    return delivery


def create_many(rows: list[Delivery]) -> list[Delivery]:
    now = timezone.now()
    for row in rows:
        row.next_attempt_at = now
    created = Delivery.objects.bulk_create(rows)
    schedule([delivery.pk for delivery in created])
    return created


def retry_undelivered() -> int:
    """Periodic: claims left by a crashed worker put back, and what is due queued again."""
    due = deliveries.undelivered()
    for delivery_id in due:
        enqueue(delivery_id)
    return len(due)
