import pytest
from django.db import transaction

from ruche.notifications.services import notify

pytestmark = pytest.mark.django_db


def test_the_notification_list_speaks_the_readers_language(member_client, member, settings):
    settings.LANGUAGES = [("fr", "Français"), ("en", "English")]
    with transaction.atomic():
        notify(member, "initiatives.co_lead_added", {"title": "Apéro de rentrée", "url": "/"})

    assert "Vous co-portez « Apéro de rentrée »" in member_client.get("/notifications/").text

    member_client.post("/langue/", {"language": "en", "next": "/"})
    assert "You are now co-lead of “Apéro de rentrée”" in member_client.get("/notifications/").text


def test_a_kind_no_longer_declared_shows_the_stored_subject(member_client, member):
    from ruche.notifications.models import Notification

    Notification.objects.create(member=member, kind="gone.kind", subject="Ancien sujet")

    assert "Ancien sujet" in member_client.get("/notifications/").text
