import datetime

import icalendar
import pytest
from django.urls import reverse

from ruche.events.models import Event
from ruche.events.recurrence import PARIS
from ruche.events.services.agenda import calendar_feed_create, calendar_feed_revoke
from ruche.events.services.events import event_cancel, event_create, event_update
from ruche.events.services.registrations import rsvp_register
from ruche.events.services.shifts import shift_signup
from tests.events.factories import EventFactory, ShiftFactory, register
from tests.events.ics_checks import check_calendar
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

START = datetime.datetime(2099, 1, 6, 9, 0, tzinfo=PARIS)  # a Tuesday


def parse(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return check_calendar(response.content)


def vevents(calendar):
    return list(calendar.walk("VEVENT"))


def by_uid(calendar, uid):
    return [e for e in vevents(calendar) if str(e["uid"]) == uid]


def coffee_series(organiser, **overrides):
    return event_create(
        actor=organiser,
        title="Café du mardi",
        kind="cafe",
        start=START,
        end=START + datetime.timedelta(hours=1),
        location="Ségur",
        is_public=True,
        recurrence="FREQ=WEEKLY;BYDAY=TU;UNTIL=20990224",
        **overrides,
    )


def test_the_public_agenda_is_valid_and_lists_only_public_events(client):
    public = EventFactory(is_public=True, title="Apéro ouvert")
    EventFactory(is_public=False, title="Réunion interne")
    calendar = parse(client.get("/evenements.ics"))
    assert str(calendar["prodid"]) == "-//beta.gouv.fr//Ruche//FR"
    assert str(calendar["version"]) == "2.0"
    assert "method" not in calendar  # a publication, not an invitation (no iTIP)
    assert str(calendar["x-wr-calname"]) == "Ruche — agenda de la communauté beta.gouv"
    assert calendar["refresh-interval"].to_ical() == b"PT1H"
    [timezone] = calendar.walk("VTIMEZONE")
    assert str(timezone["tzid"]) == "Europe/Paris"
    [event] = vevents(calendar)
    assert str(event["summary"]) == "Apéro ouvert"
    assert str(event["uid"]) == public.uid
    assert event["dtstart"].params["TZID"] == "Europe/Paris"
    assert event.start == public.start
    assert event.end == public.end
    assert "dtstamp" in event
    assert event["status"] == "CONFIRMED"


def test_uid_is_stable_and_sequence_grows_on_change_and_cancel(client):
    event = EventFactory(is_public=True)
    first = by_uid(parse(client.get("/evenements.ics")), event.uid)[0]
    event_update(actor=event.created_by, event=event, changes={"location": "Salle 42"})
    second = by_uid(parse(client.get("/evenements.ics")), event.uid)[0]
    event_cancel(actor=event.created_by, event=event, message="Désolé")
    third = by_uid(parse(client.get("/evenements.ics")), event.uid)[0]
    assert [int(e["sequence"]) for e in (first, second, third)] == [0, 1, 2]
    assert str(second["location"]) == "Salle 42"
    assert third["status"] == "CANCELLED"


def test_a_series_with_one_moved_and_one_cancelled_date_reads_back(client):
    organiser = MemberFactory()
    first = coffee_series(organiser)
    occurrences = list(Event.objects.filter(series=first.series).order_by("start"))
    moved, cancelled = occurrences[2], occurrences[4]
    original_start = moved.start
    event_update(
        actor=organiser,
        event=moved,
        changes={
            "start": moved.start + datetime.timedelta(days=1, hours=1),
            "end": moved.end + datetime.timedelta(days=1, hours=1),
        },
    )
    event_cancel(actor=organiser, event=cancelled)
    calendar = parse(client.get("/evenements.ics"))
    components = by_uid(calendar, first.series.uid)
    masters = [c for c in components if "recurrence-id" not in c]
    overrides = [c for c in components if "recurrence-id" in c]
    [master] = masters
    [override] = overrides
    assert master.start == START
    assert master["rrule"]["FREQ"] == ["WEEKLY"]
    assert master["rrule"]["UNTIL"][0].tzinfo is not None  # UTC, as RFC 5545 requires
    exdates = [d.dt for d in master["exdate"].dts]
    assert exdates == [cancelled.recurrence_id]
    assert override["recurrence-id"].dt == original_start
    assert override.start == original_start + datetime.timedelta(days=1, hours=1)
    assert int(master["sequence"]) == int(override["sequence"]) == 2
    # The calendar, expanded as a client would, shows 7 dates with the moved one moved.
    from dateutil.rrule import rrulestr

    rule = rrulestr(master["rrule"].to_ical().decode(), dtstart=master.start)
    dates = [d for d in rule if d not in exdates]
    assert len(dates) == 7
    assert original_start in dates  # replaced by the override, as RECURRENCE-ID says


def test_a_series_edited_as_a_whole_needs_no_override(client):
    organiser = MemberFactory()
    first = coffee_series(organiser)
    event_update(actor=organiser, event=first, changes={"title": "Café"}, whole_series=True)
    components = by_uid(parse(client.get("/evenements.ics")), first.series.uid)
    assert len(components) == 1
    assert str(components[0]["summary"]) == "Café"


def test_one_event_downloads_for_my_agenda(client):
    event = EventFactory(is_public=True)
    response = client.get(reverse("events:event-ics", args=[event.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    [vevent] = vevents(parse(response))
    assert str(vevent["url"]).endswith(event.get_absolute_url())


def test_members_only_events_need_sign_in_to_download(client):
    event = EventFactory(is_public=False)
    response = client.get(reverse("events:event-ics", args=[event.pk]))
    assert response.status_code == 302


def test_the_personal_feed_shows_my_events_and_slots_until_revoked(client):
    member = MemberFactory()
    organised = EventFactory(created_by=member, is_public=False, title="J’organise")
    registered = EventFactory(is_public=False, title="J’y vais")
    EventFactory(is_public=True, title="Pas pour moi")
    register(registered, member)
    shift = ShiftFactory(label="préparer le café")
    shift_signup(actor=member, shift=shift)
    secret = calendar_feed_create(actor=member)
    url = reverse("events:personal-calendar", args=[secret])
    calendar = parse(client.get(url))
    summaries = sorted(str(e["summary"]) for e in vevents(calendar))
    assert summaries == sorted(
        ["J’organise", "J’y vais", f"Créneau : préparer le café — {shift.event.title}"]
    )
    assert organised.uid in {str(e["uid"]) for e in vevents(calendar)}
    new_secret = calendar_feed_create(actor=member)
    assert client.get(url).status_code == 404
    calendar_feed_revoke(actor=member)
    assert client.get(reverse("events:personal-calendar", args=[new_secret])).status_code == 404


def test_the_personal_feed_writes_an_organised_series_once(client):
    member = MemberFactory()
    first = coffee_series(member)
    register(first, member)
    secret = calendar_feed_create(actor=member)
    calendar = parse(client.get(reverse("events:personal-calendar", args=[secret])))
    assert {str(e["uid"]) for e in vevents(calendar)} == {first.series.uid}


def test_the_atom_feed_lists_new_public_events_once_per_series(client):
    organiser = MemberFactory()
    coffee_series(organiser)
    EventFactory(is_public=True, title="Apéro ouvert")
    EventFactory(is_public=False, title="Réunion interne")
    response = client.get(reverse("events:event-feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    text = response.content.decode()
    assert text.count("<entry>") == 2
    assert "Café du mardi" in text
    assert "Réunion interne" not in text


def test_the_public_agenda_is_rebuilt_only_when_it_changes(client, django_assert_max_num_queries):
    event = EventFactory(is_public=True, title="Apéro ouvert")
    first = client.get("/evenements.ics")
    etag = first["ETag"]
    assert client.get("/evenements.ics", headers={"if-none-match": etag}).status_code == 304
    with django_assert_max_num_queries(2):  # the fingerprint, twice; the body comes from cache
        assert client.get("/evenements.ics").content == first.content
    event_update(actor=event.created_by, event=event, changes={"title": "Apéro"})
    second = client.get("/evenements.ics")
    assert second["ETag"] != etag
    assert "Apéro ouvert" not in second.content.decode()


def test_the_event_page_loads_only_its_own_event(client):
    from django.db.models.signals import post_init

    event = EventFactory(is_public=True)
    EventFactory.create_batch(5, is_public=True)
    loaded = []

    def count(sender, instance, **kwargs):
        loaded.append(instance)

    post_init.connect(count, sender=Event)
    try:
        assert client.get(event.get_absolute_url()).status_code == 200
    finally:
        post_init.disconnect(count, sender=Event)
    assert len(loaded) == 1


def test_the_same_data_gives_the_same_bytes_and_dtstamp_is_the_last_change(client):
    member = MemberFactory()
    event = EventFactory(is_public=False)
    register(event, member)
    url = reverse("events:personal-calendar", args=[calendar_feed_create(actor=member)])
    first = client.get(url).content
    assert client.get(url).content == first
    [vevent] = vevents(check_calendar(first))
    assert vevent["dtstamp"].dt == event.updated_at.replace(microsecond=0)


def test_a_download_is_a_plain_file_without_a_calendar_name(client):
    event = EventFactory(is_public=True)
    response = client.get(reverse("events:event-ics", args=[event.pk]))
    calendar = parse(response)
    for name in ("method", "x-wr-calname", "name", "refresh-interval", "x-published-ttl"):
        assert name not in calendar


def test_long_accented_lines_fold_between_characters(client):
    EventFactory(is_public=True, title="Rencontre « éco-conception » " * 6, description="é" * 300)
    calendar = parse(client.get("/evenements.ics"))
    [vevent] = vevents(calendar)
    assert str(vevent["summary"]).startswith("Rencontre « éco-conception »")


def test_a_member_on_the_waiting_list_sees_a_tentative_event(client):
    member = MemberFactory()
    event = EventFactory(is_public=False, capacity=1)
    register(event, MemberFactory())
    rsvp_register(actor=member, event=event)
    url = reverse("events:personal-calendar", args=[calendar_feed_create(actor=member)])
    [vevent] = vevents(parse(client.get(url)))
    assert vevent["status"] == "TENTATIVE"
    assert "liste d’attente" in str(vevent["description"])


def test_a_date_of_a_public_series_made_members_only_is_skipped_in_the_public_agenda(client):
    organiser = MemberFactory()
    first = coffee_series(organiser)
    private = Event.objects.filter(series=first.series).order_by("start")[3]
    event_update(actor=organiser, event=private, changes={"is_public": False})
    [master] = by_uid(parse(client.get("/evenements.ics")), first.series.uid)
    assert [d.dt for d in master["exdate"].dts] == [private.recurrence_id]


def test_the_atom_feed_hands_readers_text_not_markup(client):
    """Atom summaries are typed html: what a member wrote must reach feed readers as text."""
    import xml.etree.ElementTree as ET

    EventFactory(is_public=True, title="Apéro", description="R&D \\<script>alert(1)\\</script>")
    response = client.get(reverse("events:event-feed"))

    summary = ET.fromstring(response.content).find(".//{http://www.w3.org/2005/Atom}summary")
    assert "<script>" not in summary.text
    assert "&lt;script&gt;" in summary.text
    assert "R&amp;D" in summary.text
