"""The initiative cards of the list are kept once rendered (CACHES["template_fragments"]):
each change to what a card shows shows at once."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ruche.initiatives.enums import InitiativeKind, InitiativeStatus
from ruche.initiatives.models import CallForHelp, Initiative, Participation, Support
from ruche.members.models import Incubator
from tests.factories import IncubatorFactory, MemberFactory
from tests.initiatives.factories import InitiativeFactory, RoleFactory

pytestmark = pytest.mark.django_db


def _list(client) -> str:
    return client.get(reverse("initiatives:initiative-list")).content.decode()


def _change(initiative, **fields):
    Initiative.objects.filter(pk=initiative.pk).update(**fields)


def test_each_change_to_what_a_card_shows_shows(member_client):
    incubator = IncubatorFactory(title="Incubateur du café")
    initiative = InitiativeFactory(
        title="Un café", status=InitiativeStatus.LOOKING_FOR_HELP, incubator=incubator
    )
    role = RoleFactory(initiative=initiative, label="Animateur", count=2)
    assert "Un café" in _list(member_client)

    _change(initiative, title="Un thé")
    assert "Un thé" in _list(member_client)
    _change(initiative, summary="Un résumé tout neuf")
    assert "Un résumé tout neuf" in _list(member_client)
    _change(initiative, kind=InitiativeKind.TOOL)
    assert str(InitiativeKind.TOOL.label) in _list(member_client)
    assert "Animateur (2 places)" in _list(member_client)
    CallForHelp.objects.filter(pk=role.pk).update(taken=1)
    assert "Animateur (1 place)" in _list(member_client)
    CallForHelp.objects.filter(pk=role.pk).update(label="Cuisinier")
    assert "Cuisinier (1 place)" in _list(member_client)
    _change(initiative, status=InitiativeStatus.PAUSED)
    html = _list(member_client)
    assert str(InitiativeStatus.PAUSED.label) in html
    assert "Cuisinier" not in html
    Support.objects.create(initiative=initiative, member=MemberFactory())
    assert "1 soutien" in _list(member_client)
    Participation.objects.create(initiative=initiative, member=MemberFactory())
    assert "1 participant·e" in _list(member_client)
    Incubator.objects.filter(pk=incubator.pk).update(title="Incubateur du thé")
    assert "Incubateur du thé" in _list(member_client)
    _change(initiative, created_at=timezone.make_aware(datetime.datetime(2031, 3, 4, 12)))
    assert "proposée le 4 mars 2031" in _list(member_client)


def test_a_card_follows_the_language(member_client):
    InitiativeFactory(status=InitiativeStatus.IDEA)
    french = _list(member_client)
    member_client.cookies["django_language"] = "en"
    english = member_client.get(
        reverse("initiatives:initiative-list"), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "proposée le" in french
    assert "proposée le" not in english
