"""The animation team's channel pages: adding and changing a channel (its secret stored
encrypted), seeing its deliveries and failures, sending a failed one again, being told when a
channel has failed for a day; and the channels the environment names."""

import datetime

import pytest
from django.utils import timezone

from ruche.notifications import announcements, deliveries
from ruche.notifications.enums import DeliveryStatus, Topic, Transport
from ruche.notifications.models import Announcement, Channel, Delivery, Notification
from tests.factories import MemberFactory
from tests.helpers import assert_constant_queries
from tests.notifications.receivers import Receiver

pytestmark = pytest.mark.django_db
MATRIX = {
    "name": "Tchap — communauté",
    "transport": "matrix",
    "homeserver_url": "https://matrix.agent.tchap.gouv.fr",
    "room_id": "!abcdef:agent.tchap.gouv.fr",
    "secret": "syt_secret_token",
    "topics": ["new_initiative", "weekly_summary"],
    "scope": "community",
}


@pytest.fixture
def team_client(client, animator):
    client.force_login(animator)
    return client


def _failed(channel, error="HTTP 500: boom") -> Delivery:
    announcement = Announcement.objects.create(
        topic=Topic.NEW_INITIATIVE, text="Nouvelle initiative : X", markdown="x", html="x"
    )
    return Delivery.objects.create(
        announcement=announcement,
        channel=channel,
        transport=channel.transport,
        status=DeliveryStatus.FAILED,
        attempts=7,
        error=error,
        next_attempt_at=timezone.now(),
    )


def test_the_team_adds_a_matrix_room_whose_token_is_stored_encrypted(team_client):
    response = team_client.post("/notifications/salons/nouveau/", MATRIX)

    channel = Channel.objects.get()
    assert response["Location"] == f"/notifications/salons/{channel.pk}/"
    assert channel.topics == ["new_initiative", "weekly_summary"]
    assert "syt_secret_token" not in channel.secret_encrypted
    assert channel.matrix_credentials() == (
        "https://matrix.agent.tchap.gouv.fr",
        "!abcdef:agent.tchap.gouv.fr",
        "syt_secret_token",
    )
    page = team_client.get(f"/notifications/salons/{channel.pk}/modifier/").text
    assert "syt_secret_token" not in page


def test_a_secret_left_empty_is_kept(team_client):
    team_client.post("/notifications/salons/nouveau/", MATRIX)
    channel = Channel.objects.get()

    team_client.post(
        f"/notifications/salons/{channel.pk}/modifier/", {**MATRIX, "secret": "", "name": "Tchap"}
    )

    channel.refresh_from_db()
    assert channel.name == "Tchap"
    assert channel.matrix_credentials()[2] == "syt_secret_token"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"room_id": "#communaute:tchap"}, "room_id", "commence par « ! »"),
        ({"homeserver_url": "matrix"}, "homeserver_url", "adresse du serveur Matrix"),
        ({"topics": []}, "topics", "Ce champ est obligatoire."),
        ({"secret": ""}, "secret", "jeton d’accès"),
        ({"name": "Tchap\nBcc"}, "name", "une seule ligne"),
        ({"scope": "incubator"}, "incubator", "Choisissez l’incubateur"),
    ],
)
def test_a_wrong_channel_gets_a_clear_message_and_loses_nothing(
    team_client, change, field, message
):
    response = team_client.post("/notifications/salons/nouveau/", {**MATRIX, **change})

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert response.context["form"]["name"].value() == {**MATRIX, **change}["name"]
    assert not Channel.objects.exists()


def test_the_weekly_summary_goes_to_community_channels_only(team_client):
    from tests.factories import IncubatorFactory

    incubator = IncubatorFactory()
    response = team_client.post(
        "/notifications/salons/nouveau/",
        {**MATRIX, "scope": "incubator", "incubator": incubator.pk},
    )

    assert "toute la communauté" in " ".join(response.context["form"].errors["topics"])


def test_a_group_room_is_chosen_among_the_groups(team_client):
    from tests.groups.factories import WorkingGroupFactory

    group = WorkingGroupFactory(name="Club accessibilité")
    page = team_client.get("/notifications/salons/nouveau/").text
    assert "Club accessibilité" in page

    team_client.post(
        "/notifications/salons/nouveau/",
        {**MATRIX, "topics": ["group_decision"], "scope": "group", "group_id": group.pk},
    )

    assert Channel.objects.get().group_id == group.pk


def test_the_channel_page_shows_failures_and_a_failed_one_is_sent_again(team_client, settings):
    channel = Channel.objects.create(name="Mattermost", transport=Transport.WEBHOOK, topics=[])
    delivery = _failed(channel, "HTTP 403: token revoked")

    page = team_client.get(f"/notifications/salons/{channel.pk}/").text
    assert "HTTP 403: token revoked" in page
    assert "1 envoi en échec." in page

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    response = team_client.post(f"/notifications/salons/envois/{delivery.pk}/reessayer/")

    assert response["Location"] == f"/notifications/salons/{channel.pk}/"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 0)
    # Only a failed delivery is sent again by hand.
    assert (
        team_client.post(f"/notifications/salons/envois/{delivery.pk}/reessayer/").status_code
        == 403
    )


def test_the_channel_page_costs_the_same_queries_for_10_or_200_deliveries(team_client):
    channel = Channel.objects.create(name="Mattermost", transport=Transport.WEBHOOK, topics=[])

    assert_constant_queries(
        team_client,
        f"/notifications/salons/{channel.pk}/",
        lambda count: [_failed(channel) for _ in range(count)],
    )


def test_a_disabled_channel_announces_nothing(team_client):
    channel = Channel.objects.create(
        name="Mattermost", transport=Transport.WEBHOOK, topics=[Topic.NEW_INITIATIVE]
    )

    team_client.post(f"/notifications/salons/{channel.pk}/activer/")
    announcements.announce(topic=Topic.NEW_INITIATIVE, title="X", url="/x/")

    assert not Delivery.objects.exists()
    team_client.post(f"/notifications/salons/{channel.pk}/activer/")
    announcements.announce(topic=Topic.NEW_INITIATIVE, title="Y", url="/y/")
    assert Delivery.objects.count() == 1


def test_the_team_is_told_once_when_a_channel_has_failed_for_a_day(animator):
    channel = Channel.objects.create(name="Mattermost", transport=Transport.WEBHOOK, topics=[])
    _failed(channel, "HTTP 500: boom")
    now = timezone.now()
    Channel.objects.filter(pk=channel.pk).update(failing_since=now - datetime.timedelta(hours=20))
    assert announcements.failing_channels_warn(now=now) == 0

    Channel.objects.filter(pk=channel.pk).update(failing_since=now - datetime.timedelta(hours=25))
    assert announcements.failing_channels_warn(now=now) == 1
    assert announcements.failing_channels_warn(now=now) == 0

    (warning,) = Notification.objects.filter(member=animator)
    assert warning.subject == "Le salon « Mattermost » ne reçoit plus les annonces depuis un jour"
    assert "HTTP 500: boom" in warning.context["error"]
    assert not Notification.objects.exclude(member=animator).exists()


def test_a_success_ends_the_failure_streak(db):
    receiver = Receiver()
    channel = Channel.objects.create(
        name="Mattermost", transport=Transport.WEBHOOK, topics=[Topic.NEW_INITIATIVE],
        failing_since=timezone.now(), failure_warned_at=timezone.now(),
    )  # fmt: skip
    channel.set_secret(receiver.url)
    channel.save()
    announcements.announce(topic=Topic.NEW_INITIATIVE, title="X", url="/x/")
    try:
        assert deliveries.deliver(Delivery.objects.get().pk) is True
    finally:
        receiver.close()

    channel.refresh_from_db()
    assert (channel.failing_since, channel.failure_warned_at) == (None, None)


def test_the_environment_names_default_channels(settings):
    settings.MATRIX_HOMESERVER_URL = "https://matrix.example"
    settings.MATRIX_ROOM_ID = "!room:example"
    settings.MATRIX_ACCESS_TOKEN = "syt_from_env"
    settings.CHAT_WEBHOOK_URL = "https://chat.example/hooks/1"

    announcements.environment_channels_sync()
    announcements.environment_channels_sync()

    matrix = Channel.objects.get(transport=Transport.MATRIX)
    webhook = Channel.objects.get(transport=Transport.WEBHOOK)
    assert matrix.from_environment
    assert webhook.from_environment
    assert matrix.secret_encrypted == "" == webhook.secret_encrypted
    assert matrix.matrix_credentials() == (
        "https://matrix.example",
        "!room:example",
        "syt_from_env",
    )
    assert webhook.webhook_url() == "https://chat.example/hooks/1"
    assert set(matrix.topics) == set(Topic.values)

    settings.CHAT_WEBHOOK_URL = ""
    announcements.environment_channels_sync()
    webhook.refresh_from_db()
    assert not webhook.is_active


def test_a_member_outside_the_team_cannot_change_channels(db):
    member = MemberFactory()
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        announcements.channel_save(actor=member, fields=MATRIX)
