"""The member cards of the directory are kept once rendered (CACHES["template_fragments"]):
each change to what a card shows shows at once, the passing of days included."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ruche.members.enums import Domaine
from ruche.members.models import Member, Mission, Startup
from tests.factories import MemberFactory, MissionFactory, StartupFactory

pytestmark = pytest.mark.django_db


def _card(client, member) -> str:
    html = client.get(reverse("members:member-list")).content.decode()
    start = html.index(member.get_absolute_url())
    end = html.find('<li class="fr-col-12', start)
    return html[start:end] if end != -1 else html[start:]


def test_each_change_to_what_a_card_shows_shows(member_client):
    someone = MemberFactory(display_name="Camille Café", mission=False)
    mission = MissionFactory(member=someone, startups=[StartupFactory(name="Appli du café")])
    assert "Appli du café" in _card(member_client, someone)

    Member.objects.filter(pk=someone.pk).update(display_name="Camille Thé")
    assert "Camille Thé" in _card(member_client, someone)
    Member.objects.filter(pk=someone.pk).update(role="Designer")
    assert "Designer" in _card(member_client, someone)
    Member.objects.filter(pk=someone.pk).update(domaine=Domaine.DESIGN)
    assert str(Domaine.DESIGN.label) in _card(member_client, someone)
    Member.objects.filter(pk=someone.pk).update(transverse_role="Équipe d’animation")
    assert "Équipe d’animation" in _card(member_client, someone)
    Startup.objects.filter(name="Appli du café").update(name="Appli du thé")
    assert "Appli du thé" in _card(member_client, someone)
    assert "Ancien·ne membre" not in _card(member_client, someone)
    Mission.objects.filter(pk=mission.pk).update(
        end=timezone.localdate() - datetime.timedelta(days=1)
    )
    card = _card(member_client, someone)
    assert "Ancien·ne membre" in card
    assert "Appli du thé" not in card
