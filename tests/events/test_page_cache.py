"""The event page keeps parts rendered (CACHES["template_fragments"], keyed by all they show):
a change of the event or of what it links to shows at once, and no reader gets another's parts."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ruche.events.enums import EventStatus
from ruche.events.models import Event
from ruche.groups.models import WorkingGroup
from ruche.initiatives.models import Initiative
from ruche.members.models import Incubator, Member
from tests.events.factories import EventFactory, ShiftFactory, ShiftSignupFactory, register
from tests.events.test_events import create
from tests.factories import IncubatorFactory, MemberFactory
from tests.groups.factories import WorkingGroupFactory
from tests.initiatives.factories import InitiativeFactory

pytestmark = pytest.mark.django_db


def page(client: Client, event: Event) -> str:
    response = client.get(event.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def signed_in(member: Member) -> Client:
    client = Client()
    client.force_login(member)
    return client


def test_a_renamed_moved_or_cancelled_event_shows_at_once(member_client):
    event = EventFactory(title="Apéro d’hiver", location="Ségur")
    assert "Apéro d’hiver" in page(member_client, event)

    Event.objects.filter(pk=event.pk).update(title="Apéro de printemps", location="Lyon")
    html = page(member_client, event)
    assert "Apéro de printemps" in html
    assert "Lyon" in html
    assert "Ségur" not in html

    Event.objects.filter(pk=event.pk).update(status=EventStatus.CANCELLED)
    assert "Cet événement est annulé" in page(member_client, event)


def test_what_the_event_links_to_shows_renamed(member_client):
    event = EventFactory(
        group=WorkingGroupFactory(name="Groupe Alpha"),
        initiative=InitiativeFactory(title="Initiative Alpha"),
        incubator=IncubatorFactory(title="Incubateur Alpha"),
    )
    assert page(member_client, event).count("Alpha") >= 3

    WorkingGroup.objects.filter(pk=event.group_id).update(name="Groupe Beta")
    Initiative.objects.filter(pk=event.initiative_id).update(title="Initiative Beta")
    Incubator.objects.filter(pk=event.incubator_id).update(title="Incubateur Beta")
    html = page(member_client, event)
    assert "Alpha" not in html
    assert "Groupe Beta" in html
    assert "Initiative Beta" in html
    assert "Incubateur Beta" in html


def test_organisers_show_with_their_current_name_and_contact(member_client):
    event = EventFactory(created_by=MemberFactory(display_name="Ada Lovelace"))
    assert "Ada Lovelace" in page(member_client, event)

    Member.objects.filter(pk=event.created_by_id).update(
        display_name="Ada King", contact_email="ada@example.org"
    )
    html = page(member_client, event)
    assert "Ada King" in html
    assert "mailto:ada@example.org" in html
    assert "Ada Lovelace" not in html

    event.organisers.add(MemberFactory(display_name="Grace Hopper"))
    assert "Grace Hopper" in page(member_client, event)


def test_visitors_never_get_the_parts_kept_for_members(member_client):
    event = EventFactory(initiative=InitiativeFactory(title="Initiative Alpha"))
    initiative_url = event.initiative.get_absolute_url()
    organiser_url = event.created_by.get_absolute_url()
    html = page(member_client, event)
    assert initiative_url in html
    assert organiser_url in html

    html = page(Client(), event)
    assert initiative_url not in html
    assert organiser_url not in html
    assert "Se connecter pour s’inscrire" in html


def test_only_organisers_get_the_management_links(member):
    event = EventFactory()
    edit = f"/evenements/{event.pk}/modifier/"
    assert edit in page(signed_in(event.created_by), event)
    assert edit not in page(signed_in(member), event)
    assert edit in page(signed_in(event.created_by), event)


def test_registrations_and_slots_stay_live_per_member(member):
    event = EventFactory()
    shift = ShiftFactory(event=event, label="préparer le café")
    other = MemberFactory(display_name="Grace Hopper")
    assert "Je m’inscris" in page(signed_in(member), event)

    register(event, member)
    ShiftSignupFactory(shift=shift, member=other)
    html = page(signed_in(member), event)
    assert "Vous êtes inscrit·e" in html
    assert "1 personne inscrite" in html
    assert "Grace Hopper" in html
    assert "1 sur 2" in html
    html = page(signed_in(other), event)
    assert "Vous êtes inscrit·e" not in html
    assert "Je me retire" in html


def test_the_other_dates_of_a_series_show_changes(member_client):
    first = create(MemberFactory(), recurrence="FREQ=WEEKLY;COUNT=3")
    second = Event.objects.filter(series=first.series).exclude(pk=first.pk).first()
    assert "autres-dates" in page(member_client, first)

    Event.objects.filter(pk=second.pk).update(status=EventStatus.CANCELLED)
    html = page(member_client, first)
    other_dates = html[html.index('id="autres-dates"') :]
    assert "Annulé" in other_dates[: other_dates.index("</ul>")]


def test_each_language_gets_its_own_page(member_client, settings):
    if ("en", "English") not in [(code, str(name)) for code, name in settings.LANGUAGES]:
        pytest.skip("no English catalogue compiled")
    event = EventFactory()
    assert "Informations pratiques" in page(member_client, event)
    member_client.cookies["django_language"] = "en"
    html = page(member_client, event)
    assert "Informations pratiques" not in html
    assert "Qui contacter" not in html


@pytest.mark.parametrize("reader", ["member", "visitor", "organiser"])
def test_every_event_page_runs_the_same_queries(reader):
    """A single event and a series' occurrence, with slots, signups and registrations or none."""
    single = EventFactory()
    occurrence = create(MemberFactory(), recurrence="FREQ=WEEKLY;COUNT=3", is_public=True)
    busy = EventFactory(capacity=1)
    ShiftSignupFactory(shift=ShiftFactory(event=busy))
    register(busy, MemberFactory())
    member = {"member": MemberFactory(), "organiser": busy.created_by}.get(reader)
    client = signed_in(member) if member else Client()
    counts = set()
    for event in (single, occurrence, busy, single):
        with CaptureQueriesContext(connection) as queries:
            page(client, event)
        counts.add(len(queries))
    assert len(counts) == 1


def agenda(client: Client, query: str = "") -> str:
    response = client.get("/evenements/" + query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_agenda_filters_show_what_was_typed_and_the_current_incubators(member_client):
    assert 'value="petanque"' in agenda(member_client, "?q=petanque")
    html = agenda(member_client, "?q=the")
    assert 'value="the"' in html
    assert 'value="petanque"' not in html

    incubator = IncubatorFactory(title="Incubateur Alpha")
    assert "Incubateur Alpha" in agenda(member_client)
    Incubator.objects.filter(pk=incubator.pk).update(title="Incubateur Beta")
    assert "Incubateur Beta" in agenda(member_client)
    html = agenda(member_client, f"?incubator={incubator.slug}")
    assert "Incubateur Beta" in html
    assert f'<option value="{incubator.slug}" selected>' in html


def test_visitors_never_get_the_filters_kept_for_members(member_client):
    assert 'name="audience"' in agenda(member_client)
    assert 'name="audience"' not in agenda(Client())
    assert 'name="audience"' in agenda(member_client)


def test_a_wrong_filter_is_marked_each_time(member_client):
    assert 'aria-invalid="true"' in agenda(member_client, "?kind=nope")
    assert 'aria-invalid="true"' not in agenda(member_client, "?kind=")


def test_the_agenda_cards_show_changes_and_each_members_registration(member):
    event = EventFactory(title="Apéro Alpha")
    other = MemberFactory()
    assert "Apéro Alpha" in agenda(signed_in(member))
    Event.objects.filter(pk=event.pk).update(title="Apéro Beta")
    assert "Apéro Beta" in agenda(signed_in(member))

    register(event, member)
    assert "Vous êtes inscrit·e" in agenda(signed_in(member))
    assert "Vous êtes inscrit·e" not in agenda(signed_in(other))
    assert "1 inscrit·e" in agenda(Client())
