"""Events of working groups: who may attach one, the API field, the group's own calendar and
the members' personal feeds."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ruche.events.models import Event
from ruche.events.recurrence import PARIS
from ruche.events.services.agenda import calendar_feed_create
from ruche.events.services.events import event_update
from tests.events.factories import EventFactory, in_days
from tests.events.ics_checks import check_calendar
from tests.events.test_api import payload
from tests.events.test_events import create, errors
from tests.events.test_pages import form_time
from tests.factories import MemberFactory
from tests.groups.factories import MembershipFactory, WorkingGroupFactory
from tests.helpers import assert_constant_queries

pytestmark = pytest.mark.django_db

START = datetime.datetime(2099, 1, 6, 12, 30, tzinfo=PARIS)  # a Tuesday


def in_group(**group_fields):
    membership = MembershipFactory(group=WorkingGroupFactory(**group_fields))
    return membership.member, membership.group


def summaries(response) -> list[str]:
    assert response.status_code == 200
    calendar = check_calendar(response.content)
    return sorted(str(e["summary"]) for e in calendar.walk("VEVENT"))


# Who may attach an event to a group


def test_a_member_of_a_group_publishes_an_event_for_it():
    member, group = in_group()
    event = create(member, group=group)
    assert event.group == group


def test_someone_outside_the_group_cannot_attach_an_event_to_it():
    _member, group = in_group()
    with pytest.raises(ValidationError) as excinfo:
        create(MemberFactory(), group=group)
    assert "Seuls les membres de ce groupe" in errors(excinfo)["group"][0]
    assert not Event.objects.exists()


def test_an_archived_group_takes_no_new_event():
    member, group = in_group(archived_at=timezone.now())
    with pytest.raises(ValidationError) as excinfo:
        create(member, group=group)
    assert "n’existe pas ou plus" in errors(excinfo)["group"][0]


def test_the_animation_team_attaches_an_event_to_any_group(animator):
    _member, group = in_group()
    assert create(animator, group=group).group == group


def test_an_organiser_moves_an_event_to_their_group_or_out_of_any(member):
    event = EventFactory(created_by=member)
    _other, group = in_group()
    with pytest.raises(ValidationError):
        event_update(actor=member, event=event, changes={"group": group})
    MembershipFactory(group=group, member=member)
    event_update(actor=member, event=event, changes={"group": group})
    assert Event.objects.get(pk=event.pk).group == group
    event_update(actor=member, event=event, changes={"group": None})
    assert Event.objects.get(pk=event.pk).group is None


def test_a_series_for_a_group_puts_every_date_in_the_group():
    member, group = in_group()
    first = create(member, group=group, start=START, recurrence="FREQ=WEEKLY;INTERVAL=2;COUNT=4")
    assert Event.objects.filter(series=first.series, group=group).count() == 4


# API


def test_the_api_publishes_an_event_for_my_group_and_filters_by_group(api):
    member, group = in_group()
    response = api(member, "post", "/events", payload(group=group.pk))
    assert response.status_code == 201
    assert response.json()["group"] == group.pk
    EventFactory(title="Hors groupe")
    listed = api(member, "get", "/events", {"group": group.pk}).json()
    assert [item["id"] for item in listed["items"]] == [response.json()["id"]]


@pytest.mark.parametrize(
    ("whose", "message"),
    [("unknown", "Groupe de travail inconnu"), ("other", "Seuls les membres de ce groupe")],
)
def test_the_api_refuses_a_group_that_is_not_mine_or_does_not_exist(api, whose, message):
    _member, group = in_group()
    group_id = group.pk + 1000 if whose == "unknown" else group.pk
    response = api(MemberFactory(), "post", "/events", payload(group=group_id))
    assert response.status_code == 400
    assert message in str(response.json()["detail"])
    assert not Event.objects.exists()


def test_the_api_changes_an_events_group(api):
    member, group = in_group()
    event = EventFactory(created_by=member)
    response = api(member, "patch", f"/events/{event.pk}", {"group": group.pk})
    assert response.status_code == 200
    assert response.json()["group"] == group.pk
    response = api(member, "patch", f"/events/{event.pk}", {"group": None})
    assert response.json()["group"] is None


# Pages


def test_the_form_offers_my_groups_and_publishes_the_event_in_one(client):
    member, group = in_group(name="Égalité femmes-hommes")
    WorkingGroupFactory(name="Pas le mien")
    client.force_login(member)
    page = client.get(reverse("events:event-create") + f"?groupe={group.pk}").text
    assert "Égalité femmes-hommes" in page
    assert "Pas le mien" not in page
    assert f'<option value="{group.pk}" selected>' in page
    start = in_days(12)
    response = client.post(
        reverse("events:event-create"),
        {
            "title": "Rencontre du groupe",
            "kind": "group_meeting",
            "start": form_time(start),
            "end": form_time(start + datetime.timedelta(hours=1)),
            "location": "Ségur",
            "group": str(group.pk),
        },
    )
    event = Event.objects.get()
    assert response.status_code == 302
    assert event.group == group
    page = client.get(event.get_absolute_url()).text
    assert "Égalité femmes-hommes" in page
    assert reverse("events:group-calendar", args=[group.slug]) in page


def test_members_of_no_group_see_no_group_field(member_client):
    WorkingGroupFactory()
    assert 'name="group"' not in member_client.get(reverse("events:event-create")).text


def test_the_edit_form_keeps_an_events_group(client):
    member, group = in_group()
    event = EventFactory(created_by=member, group=group)
    client.force_login(member)
    page = client.get(reverse("events:event-edit", args=[event.pk])).text
    assert f'<option value="{group.pk}" selected>' in page


def test_the_subscribe_page_lists_the_groups_calendars(client):
    group = WorkingGroupFactory(name="Club accessibilité")
    WorkingGroupFactory(name="Ancien groupe", archived_at=timezone.now())
    page = client.get(reverse("events:subscribe")).text
    assert "Agenda du groupe « Club accessibilité »" in page
    assert reverse("events:group-calendar", args=[group.slug]) in page
    assert "Ancien groupe" not in page


# Calendars


def test_a_groups_calendar_lists_its_public_events_only(client):
    member, group = in_group(name="Relations entre incubateurs")
    EventFactory(group=group, is_public=True, title="Rencontre ouverte", created_by=member)
    EventFactory(group=group, is_public=False, title="Rencontre interne", created_by=member)
    EventFactory(is_public=True, title="Autre chose")
    response = client.get(reverse("events:group-calendar", args=[group.slug]))
    assert summaries(response) == ["Rencontre ouverte"]
    calendar = check_calendar(response.content)
    assert str(calendar["x-wr-calname"]) == "Ruche — Relations entre incubateurs"
    assert client.get("/groupes/inconnu/agenda.ics").status_code == 404


def test_a_groups_series_with_a_moved_date_reads_back(client):
    member, group = in_group()
    first = create(
        member,
        group=group,
        is_public=True,
        start=START,
        recurrence="FREQ=WEEKLY;INTERVAL=2;COUNT=5",
    )
    moved = Event.objects.filter(series=first.series).order_by("start")[1]
    later = datetime.timedelta(hours=2)
    event_update(
        actor=member, event=moved, changes={"start": moved.start + later, "end": moved.end + later}
    )
    response = client.get(reverse("events:group-calendar", args=[group.slug]))
    components = check_calendar(response.content).walk("VEVENT")
    [master] = [c for c in components if "recurrence-id" not in c]
    [override] = [c for c in components if "recurrence-id" in c]
    assert master["rrule"]["INTERVAL"] == [2]
    assert override["recurrence-id"].dt == moved.recurrence_id
    assert override.start == moved.recurrence_id + later


def test_a_groups_calendar_is_cached_until_it_changes(client, django_assert_max_num_queries):
    member, group = in_group()
    event = EventFactory(group=group, is_public=True, title="Rencontre", created_by=member)
    url = reverse("events:group-calendar", args=[group.slug])
    first = client.get(url)
    assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304
    with django_assert_max_num_queries(3):  # the fingerprint twice and the group
        assert client.get(url).content == first.content
    event_update(actor=member, event=event, changes={"title": "Rencontre d’hiver"})
    assert summaries(client.get(url)) == ["Rencontre d’hiver"]


def test_a_groups_calendar_runs_the_same_queries_for_10_or_200_events(client, settings):
    # Measured while building the body each time, not while reading it from the cache.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    member, group = in_group()

    def add(n):
        for _ in range(n):
            EventFactory(group=group, is_public=True, created_by=member)

    assert_constant_queries(client, reverse("events:group-calendar", args=[group.slug]), add)


def test_my_feed_follows_my_groups_meetings_members_only_included(client):
    member, group = in_group()
    EventFactory(group=group, is_public=False, title="Rencontre interne")
    EventFactory(group=WorkingGroupFactory(), is_public=False, title="Un autre groupe")
    outsider = MemberFactory()
    for person, expected in ((member, ["Rencontre interne"]), (outsider, [])):
        secret = calendar_feed_create(actor=person)
        response = client.get(reverse("events:personal-calendar", args=[secret]))
        assert summaries(response) == expected
