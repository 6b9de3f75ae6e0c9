"""Announcements to an incoming webhook, against a real HTTP server on 127.0.0.1: whatever goes
wrong (connection refused, a server error, 429 with Retry-After, no answer in time), the
delivery is tried again on its schedule and the message arrives once."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from ruche.notifications import deliveries
from ruche.notifications.announcements import announce
from ruche.notifications.deliveries import BACKOFF, MAX_ATTEMPTS
from ruche.notifications.enums import DeliveryStatus, Scope, Topic, Transport
from ruche.notifications.models import Announcement, Channel, Delivery
from tests.core.helpers import DATABASE_TASKS
from tests.helpers import run_at_once
from tests.notifications.receivers import Receiver
from tests.servers import free_port


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


def _channel(url: str, **fields) -> Channel:
    channel = Channel(
        name="Mattermost de la communauté",
        transport=Transport.WEBHOOK,
        topics=[Topic.NEW_INITIATIVE, Topic.CALL_FOR_HELP],
        **fields,
    )
    channel.set_secret(f"{url}/hooks/abc")
    channel.save()
    return channel


def _announce(**extra) -> Delivery:
    announce(
        topic=Topic.NEW_INITIATIVE,
        title="Café [des] devs",
        url="/initiatives/7/",
        summary="Un café par mois entre développeur·ses.",
        **extra,
    )
    return Delivery.objects.get()


def _due_now(delivery: Delivery) -> None:
    """The delivery's next attempt has come (instead of waiting for it)."""
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())


def _waits(delivery: Delivery) -> datetime.timedelta:
    delivery.refresh_from_db()
    return delivery.next_attempt_at - timezone.now()


def test_an_announcement_arrives_as_markdown_with_its_link(db, receiver, settings):
    _channel(receiver.url)
    delivery = _announce()

    assert deliveries.deliver(delivery.pk) is True

    (received,) = receiver.acknowledged
    assert received["path"] == "/hooks/abc"
    assert received["json"] == {
        "text": f"**Nouvelle initiative** : [Café \\[des\\] devs]({settings.BASE_URL}"
        "/initiatives/7/)\nUn café par mois entre développeur·ses."
    }
    assert received["headers"]["Idempotency-Key"] == delivery.key
    assert delivery.key.startswith(f"ruche-{delivery.pk}-")
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 1)


def test_connection_refused_then_the_server_comes_up(db):
    port = free_port()
    _channel(f"http://127.0.0.1:{port}")
    delivery = _announce()

    assert deliveries.deliver(delivery.pk) is False
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING
    assert "ConnectionError" in delivery.error
    assert abs(_waits(delivery) - BACKOFF[0]) < datetime.timedelta(seconds=2)
    assert Channel.objects.get().failing_since is not None

    server = Receiver(port)
    try:
        assert deliveries.deliver(delivery.pk) is False  # not due yet
        _due_now(delivery)
        assert deliveries.deliver(delivery.pk) is True
        assert deliveries.deliver(delivery.pk) is False
        assert len(server.acknowledged) == 1
    finally:
        server.close()
    assert Channel.objects.get().failing_since is None


def test_server_errors_are_retried_on_the_schedule_then_delivered_once(db, receiver):
    receiver.script = [(500, {}), (502, {}), (503, {})]
    _channel(receiver.url)
    delivery = _announce()

    for attempt in range(3):
        assert deliveries.deliver(delivery.pk) is False
        assert abs(_waits(delivery) - BACKOFF[attempt]) < datetime.timedelta(seconds=2)
        _due_now(delivery)
    assert deliveries.deliver(delivery.pk) is True

    assert receiver.requests == 4
    assert len(receiver.acknowledged) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.error) == (DeliveryStatus.SENT, 4, "")


def test_too_many_requests_waits_as_long_as_the_server_says(db, receiver):
    receiver.script = [(429, {"Retry-After": "120"})]
    _channel(receiver.url)
    delivery = _announce()

    assert deliveries.deliver(delivery.pk) is False

    assert abs(_waits(delivery) - datetime.timedelta(seconds=120)) < datetime.timedelta(seconds=2)
    assert "HTTP 429" in delivery.error
    _due_now(delivery)
    assert deliveries.deliver(delivery.pk) is True
    assert len(receiver.acknowledged) == 1


def test_a_server_that_does_not_answer_in_time_is_asked_again(db, receiver, settings):
    settings.NOTIFICATIONS_HTTP_TIMEOUT = 0.5
    receiver.hang_seconds = 1.5
    receiver.script = ["hang"]
    _channel(receiver.url)
    delivery = _announce()

    assert deliveries.deliver(delivery.pk) is False
    delivery.refresh_from_db()
    assert delivery.error == "No answer within 0.5 s"
    assert abs(_waits(delivery) - BACKOFF[0]) < datetime.timedelta(seconds=2)

    _due_now(delivery)
    assert deliveries.deliver(delivery.pk) is True
    assert len(receiver.acknowledged) == 1


def test_a_refused_request_is_not_tried_again(db, receiver):
    receiver.script = [(404, {})]
    _channel(receiver.url)
    delivery = _announce()

    assert deliveries.deliver(delivery.pk) is False

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    _due_now(delivery)
    assert deliveries.deliver(delivery.pk) is False
    assert receiver.requests == 1


def test_after_the_last_attempt_the_delivery_is_failed(db, receiver):
    receiver.script = [(500, {})] * MAX_ATTEMPTS
    _channel(receiver.url)
    delivery = _announce()

    for _attempt in range(MAX_ATTEMPTS + 2):
        deliveries.deliver(delivery.pk)
        _due_now(delivery)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, MAX_ATTEMPTS)
    assert receiver.requests == MAX_ATTEMPTS
    assert len(BACKOFF) == 6
    assert BACKOFF[-1] == datetime.timedelta(hours=10)


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_deliver_each_message_exactly_once(receiver, settings):
    settings.TASKS = DATABASE_TASKS  # queued, not run: the two workers below do the work
    _channel(receiver.url)
    for number in range(15):
        announce(topic=Topic.NEW_INITIATIVE, title=f"Initiative {number}", url=f"/i/{number}/")
    ids = list(Delivery.objects.values_list("pk", flat=True))

    def worker():
        return sum(deliveries.deliver(pk) for pk in ids)

    sent = run_at_once([worker, worker])

    assert len(sent) == 2
    assert sum(sent) == 15
    texts = sorted(item["json"]["text"] for item in receiver.acknowledged)
    assert len(texts) == len(set(texts)) == 15


@pytest.mark.django_db(transaction=True)
def test_an_announcement_rolled_back_with_its_change_never_leaves(receiver):
    _channel(receiver.url)

    def fail_after_announcing():
        with transaction.atomic():
            announce(topic=Topic.NEW_INITIATIVE, title="Jamais", url="/i/1/")
            raise RuntimeError("the initiative was not saved")

    with pytest.raises(RuntimeError):
        fail_after_announcing()

    assert not Announcement.objects.exists()
    assert not Delivery.objects.exists()
    assert receiver.requests == 0


def test_only_the_channels_that_follow_the_topic_and_scope_get_it(db, receiver):
    from tests.factories import IncubatorFactory

    here, elsewhere = IncubatorFactory(), IncubatorFactory()
    everyone = _channel(receiver.url)
    incubator = _channel(receiver.url, scope=Scope.INCUBATOR, incubator=here)
    _channel(receiver.url, scope=Scope.INCUBATOR, incubator=elsewhere)
    _channel(receiver.url, scope=Scope.GROUP, group_id=12)
    group = _channel(receiver.url, scope=Scope.GROUP, group_id=7)
    other_topics = _channel(receiver.url)
    other_topics.topics = [Topic.GROUP_DECISION]
    other_topics.save()
    off = _channel(receiver.url, is_active=False)

    announce(topic=Topic.NEW_INITIATIVE, title="A", url="/a/", incubator_id=here.pk)
    announce(topic=Topic.CALL_FOR_HELP, title="B", url="/b/", group_id=7)

    reached = {
        (delivery.announcement.text.split(" : ")[1][0], delivery.channel_id)
        for delivery in Delivery.objects.select_related("announcement")
    }
    assert reached == {
        ("A", everyone.pk),
        ("A", incubator.pk),
        ("B", everyone.pk),
        ("B", group.pk),
    }
    assert off.pk not in {channel for _title, channel in reached}


def test_the_same_key_announces_once(db, receiver):
    _channel(receiver.url)

    first = announce(topic=Topic.NEW_INITIATIVE, title="A", url="/a/", key="once")
    second = announce(topic=Topic.NEW_INITIATIVE, title="A", url="/a/", key="once")

    assert first is not None
    assert second is None
    assert Delivery.objects.count() == 1
