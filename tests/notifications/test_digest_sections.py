"""The digest on crafted data: what each app's sections say, to whom, as e-mail (HTML and
text) and as the page « Mon récapitulatif »; the community part the animation team exports as
markdown and the chat's weekly summary."""

import datetime
import zoneinfo

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ruche.engagement.digest import thanks_prepare
from ruche.engagement.enums import SubjectType
from ruche.engagement.models import Thanks
from ruche.initiatives.services.lifecycle import initiative_propose
from ruche.members.models import Competence
from ruche.notifications import digest
from ruche.notifications.enums import Mode, Topic, Transport
from ruche.notifications.models import (
    Announcement,
    Channel,
    Delivery,
    DigestDelivery,
    Notification,
)
from ruche.notifications.services import preferences_update
from tests.events.factories import EventFactory
from tests.factories import MemberFactory
from tests.initiatives.factories import InitiativeFactory, NeedFactory, RoleFactory

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
MONDAY_8 = datetime.datetime(2027, 1, 4, 8, 0, tzinfo=PARIS)


def reader(**fields):
    return MemberFactory(last_login=MONDAY_8 - datetime.timedelta(days=30), **fields)


def _at(days_ago: float) -> datetime.datetime:
    return MONDAY_8 - datetime.timedelta(days=days_ago)


def _send(django_capture_on_commit_callbacks, now=MONDAY_8):
    with django_capture_on_commit_callbacks(execute=True):
        return digest.digest_send(now=now)


@pytest.fixture
def community():
    """A week of community life: two new initiatives (one hidden), a need, an old initiative,
    a role asking for « Figma », a public event with places in ten days."""
    author = MemberFactory(display_name="Inès Martin")
    InitiativeFactory(title="Café des devs", lead=author, created_at=_at(2))
    InitiativeFactory(title="Caché", hidden=True, created_at=_at(2))
    InitiativeFactory(title="Trop ancienne", created_at=_at(20))
    NeedFactory(title="Trouver une salle", created_at=_at(1))
    role = RoleFactory(
        initiative=InitiativeFactory(title="Refonte du site", created_at=_at(30)),
        label="Maquettes",
        skill="Figma",
        count=2,
        created_at=_at(3),
    )
    EventFactory(
        title="Forum de la communauté", start=MONDAY_8 + datetime.timedelta(days=10), capacity=50
    )
    return {"author": author, "role": role}


def test_the_digest_tells_news_matching_calls_and_places_left(
    community, django_capture_on_commit_callbacks, settings
):
    designer = reader(display_name="Léa")
    designer.competences.add(Competence.objects.create(name="figma"))

    assert _send(django_capture_on_commit_callbacks) == 1

    (message,) = mail.outbox
    text = message.body
    assert "Café des devs" in text
    assert "Trouver une salle" in text
    assert "Caché" not in text
    assert "Trop ancienne" not in text
    assert "On a besoin de vous" in text
    assert "Maquettes (Figma)" in text
    assert "Forum de la communauté" in text
    assert "50 places libres" in text
    html = message.alternatives[0].content
    assert "<h2>Du nouveau dans la communauté</h2>" in html
    assert f'<a href="{settings.BASE_URL}/initiatives/' in html


def test_calls_for_help_go_to_those_who_have_the_competence(
    community, django_capture_on_commit_callbacks
):
    reader(display_name="Sans Figma")

    _send(django_capture_on_commit_callbacks)

    assert "On a besoin de vous" not in mail.outbox[0].body


def test_a_member_is_not_told_of_their_own_initiative(
    community, django_capture_on_commit_callbacks
):
    community["author"].last_login = _at(30)
    community["author"].save()

    _send(django_capture_on_commit_callbacks)

    (message,) = mail.outbox
    assert "Café des devs" not in message.body
    assert "Trouver une salle" in message.body


@pytest.mark.parametrize("mode", [Mode.OFF, Mode.IN_APP, Mode.EMAIL])
def test_news_is_in_the_digest_only_for_those_who_chose_the_digest(
    community, mode, django_capture_on_commit_callbacks
):
    member = reader()
    preferences_update(actor=member, modes={"news": mode})

    _send(django_capture_on_commit_callbacks)

    assert all("Café des devs" not in m.body for m in mail.outbox)


def test_every_other_week_comes_every_other_week_and_covers_two(
    community, django_capture_on_commit_callbacks
):
    member = reader()
    preferences_update(actor=member, digest_frequency="fortnightly")
    InitiativeFactory(title="Il y a dix jours", created_at=_at(10))

    assert _send(django_capture_on_commit_callbacks) == 1
    assert "Il y a dix jours" in mail.outbox[0].body
    assert _send(django_capture_on_commit_callbacks, MONDAY_8 + datetime.timedelta(days=7)) == 0
    InitiativeFactory(title="La semaine d’après", created_at=_at(-9))
    assert _send(django_capture_on_commit_callbacks, MONDAY_8 + datetime.timedelta(days=14)) == 1
    assert DigestDelivery.objects.filter(member=member).count() == 2


def test_the_page_shows_my_digest_as_it_stands(community, member_client, member):
    member.competences.add(Competence.objects.create(name="Figma"))

    page = member_client.get("/notifications/recapitulatif/")

    assert page.status_code == 200
    assert "Café des devs" in page.text
    assert "Maquettes" in page.text
    assert "Exporter la partie communauté" not in page.text
    assert not DigestDelivery.objects.exists()


def test_the_animation_team_exports_the_community_part_as_markdown(community, client, animator):
    client.force_login(animator)
    now = timezone.now()
    InitiativeFactory(title="Toute fraîche", created_at=now - datetime.timedelta(days=1))

    response = client.get("/notifications/recapitulatif/communaute.md")

    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert "attachment;" in response["Content-Disposition"]
    body = response.content.decode()
    assert "Du nouveau dans la communauté" in body
    assert "Toute fraîche" in body
    # Nothing personal: no greeting, no calls matched to someone.
    assert "Bonjour" not in body
    assert "On a besoin de vous" not in body


def test_the_weekly_summary_is_announced_once_a_week(community, settings):
    channel = Channel.objects.create(
        name="Tchap", transport=Transport.WEBHOOK, topics=[Topic.WEEKLY_SUMMARY]
    )

    assert digest.weekly_summary_announce(now=MONDAY_8) is True
    assert digest.weekly_summary_announce(now=MONDAY_8 + datetime.timedelta(hours=2)) is False
    assert digest.weekly_summary_announce(now=MONDAY_8 + datetime.timedelta(days=2)) is False

    (announcement,) = Announcement.objects.all()
    assert announcement.markdown.startswith("**Récapitulatif de la semaine du 4 janvier**")
    assert "Café des devs" in announcement.markdown
    assert "<strong>Récapitulatif" in announcement.html
    assert Delivery.objects.get().channel == channel


@pytest.mark.django_db(transaction=True)
def test_a_new_initiative_is_announced_and_told_to_those_who_want_news_now(settings):
    channel = Channel.objects.create(
        name="Tchap", transport=Transport.WEBHOOK, topics=[Topic.NEW_INITIATIVE]
    )
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    eager, quiet, digest_reader = MemberFactory(), MemberFactory(), MemberFactory()
    preferences_update(actor=eager, modes={"news": Mode.EMAIL})
    preferences_update(actor=quiet, modes={"news": Mode.IN_APP})
    author = MemberFactory()

    initiative = initiative_propose(
        actor=author, title="Apéro accessibilité", kind="event", summary="On en parle."
    )

    delivery = Delivery.objects.get(announcement__isnull=False)
    assert delivery.channel == channel
    assert f"/initiatives/{initiative.pk}/" in delivery.announcement.markdown
    told = {d.notification.member_id for d in Delivery.objects.filter(notification__isnull=False)}
    assert told == {eager.pk}
    assert set(Notification.objects.values_list("member_id", flat=True)) == {eager.pk, quiet.pk}
    assert digest_reader.pk not in told


def _thank(receiver, days_ago, message="", giver=None):
    return Thanks.objects.create(
        giver=giver or MemberFactory(display_name="Noé Petit"),
        receiver=receiver,
        subject_type=SubjectType.INITIATIVE,
        subject_id=1,
        message=message,
        at=_at(days_ago),
    )


def test_the_digest_tells_the_thanks_received_since_the_last_one(
    django_capture_on_commit_callbacks,
):
    thanked = reader()
    _thank(thanked, 2, "Merci pour l’accueil !")
    _thank(thanked, 10, "Un merci de la semaine d’avant")
    _thank(MemberFactory(), 1, "Pour quelqu’un d’autre")

    _send(django_capture_on_commit_callbacks)

    (message,) = mail.outbox
    assert "Les mercis reçus" in message.body
    assert "Noé Petit : « Merci pour l’accueil ! »" in message.body
    assert "de la semaine d’avant" not in message.body
    assert "Pour quelqu’un d’autre" not in message.body
    assert f"/membres/{thanked.pk}/#mercis" in message.alternatives[0][0]


def test_thanks_already_seen_are_not_told_again(django_capture_on_commit_callbacks):
    thanked = reader()
    _thank(thanked, 3, "Déjà lu sur mon profil")
    seen = Notification.objects.create(member=thanked, kind="engagement.thanked")
    Notification.objects.filter(pk=seen.pk).update(created_at=_at(2), read_at=_at(1))
    _thank(thanked, 1)

    built = digest.digest_page(thanked, now=MONDAY_8)

    [section] = [s for s in built if s["name"] == "engagement.thanks"]
    assert section["thanks"] == [{"giver": "Noé Petit", "message": ""}]


def test_the_thanks_section_costs_the_same_queries_for_10_or_200_thanks():
    def queries(count):
        Thanks.objects.all().delete()
        giver = MemberFactory()
        for receiver in MemberFactory.create_batch(count):
            _thank(receiver, 1, "Merci", giver=giver)
        with CaptureQueriesContext(connection) as captured:
            thanks_prepare(MONDAY_8)
        return len(captured)

    assert queries(10) == queries(200)
