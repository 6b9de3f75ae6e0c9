"""Announcements in a Matrix room, against a real Synapse (tests/notifications/synapse.py)."""

import pytest
from django.utils import timezone

from ruche.notifications import deliveries
from ruche.notifications.announcements import announce
from ruche.notifications.enums import DeliveryStatus, Topic, Transport
from ruche.notifications.models import Channel, Delivery

# One Synapse for the run: `make test` keeps these tests on one of its processes.
pytestmark = [pytest.mark.slow, pytest.mark.django_db, pytest.mark.xdist_group("synapse")]


def _channel(synapse) -> Channel:
    channel = Channel(
        name="Tchap de la communauté",
        transport=Transport.MATRIX,
        homeserver_url=synapse.url,
        room_id=synapse.room,
        topics=[Topic.NEW_INITIATIVE],
    )
    channel.set_secret(synapse.bot_token)
    channel.save()
    return channel


def _announce(title: str) -> Delivery:
    announcement = announce(
        topic=Topic.NEW_INITIATIVE,
        title=title,
        url="/initiatives/42/",
        summary="Des ateliers <courts> & concrets.",
    )
    return Delivery.objects.get(announcement=announcement)


def _new_messages(synapse, before: int) -> list[dict]:
    return synapse.messages(synapse.room, synapse.bot_token)[before:]


def test_an_announcement_arrives_in_the_room_with_its_text_and_link(synapse, settings):
    _channel(synapse)
    before = len(synapse.messages(synapse.room, synapse.bot_token))
    delivery = _announce("Atelier « accessibilité »")

    assert deliveries.deliver(delivery.pk) is True

    (message,) = _new_messages(synapse, before)
    link = f"{settings.BASE_URL}/initiatives/42/"
    content = message["content"]
    assert content["msgtype"] == "m.notice"
    assert content["body"] == (
        f"Nouvelle initiative : Atelier « accessibilité » — {link}\n"
        "Des ateliers <courts> & concrets."
    )
    assert content["format"] == "org.matrix.custom.html"
    assert content["formatted_body"] == (
        f'<strong>Nouvelle initiative</strong> : <a href="{link}">Atelier « accessibilité »</a>'
        "<br>Des ateliers &lt;courts&gt; &amp; concrets."
    )
    assert (synapse.startup_seconds or 0) < 60


def test_the_same_delivery_sent_twice_posts_once(synapse):
    _channel(synapse)
    before = len(synapse.messages(synapse.room, synapse.bot_token))
    delivery = _announce("Envoyé deux fois")
    assert deliveries.deliver(delivery.pk) is True

    # The worker died after Synapse took the message and before it could write so: the
    # delivery is sent again, with the same transaction id.
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.PENDING, next_attempt_at=timezone.now()
    )
    assert deliveries.deliver(delivery.pk) is True

    assert [m["content"]["body"].split(" — ")[0] for m in _new_messages(synapse, before)] == [
        "Nouvelle initiative : Envoyé deux fois"
    ]


def test_a_homeserver_down_for_a_while_gets_the_message_once_late(synapse):
    _channel(synapse)
    before = len(synapse.messages(synapse.room, synapse.bot_token))
    synapse.stop()
    try:
        delivery = _announce("Pendant la panne")
        assert deliveries.deliver(delivery.pk) is False
        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.PENDING
        assert "ConnectionError" in delivery.error
    finally:
        synapse.start()

    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert deliveries.deliver(delivery.pk) is True
    assert deliveries.deliver(delivery.pk) is False

    bodies = [m["content"]["body"] for m in _new_messages(synapse, before)]
    assert len(bodies) == 1
    assert bodies[0].startswith("Nouvelle initiative : Pendant la panne")
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 2)
