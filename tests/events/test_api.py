import datetime

import pytest

from ruche.events.models import Event, Shift, ShiftSignup
from ruche.events.services.events import event_cancel
from tests.events.factories import EventFactory, ShiftFactory, in_days, register
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def payload(**overrides):
    start = in_days(15)
    return {
        "title": "Démo de Cantine Verte",
        "kind": "demo",
        "start": start.isoformat(),
        "end": (start + datetime.timedelta(hours=1)).isoformat(),
        "location": "Ségur",
        "capacity": 2,
        "public": True,
        **overrides,
    }


def test_a_member_publishes_an_event(api):
    member = MemberFactory()
    response = api(member, "post", "/events", payload())
    assert response.status_code == 201
    body = response.json()
    assert body["title"] == "Démo de Cantine Verte"
    assert body["organisers"] == [member.pk]
    assert body["places_left"] == 2
    assert body["public"] is True
    assert body["ics_url"].endswith(f"/evenements/{body['id']}/agenda.ics")


def test_a_recurring_event_is_published_with_an_rrule(api):
    response = api(MemberFactory(), "post", "/events", payload(recurrence="FREQ=WEEKLY;COUNT=4"))
    assert response.status_code == 201
    assert response.json()["series"]["description"].endswith(", 4 fois")
    assert Event.objects.count() == 4


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"capacity": 0}, "capacity", "au moins 1"),
        ({"recurrence": "FREQ=WEEKLY"}, "recurrence", "doit avoir une fin"),
    ],
)
def test_bad_input_is_a_400_with_a_french_message(api, overrides, field, message):
    response = api(MemberFactory(), "post", "/events", payload(**overrides))
    assert response.status_code == 400
    assert message in " ".join(response.json()["detail"][field])


def test_an_unknown_kind_is_a_422_that_names_the_accepted_values(api):
    response = api(MemberFactory(), "post", "/events", payload(kind="barbecue"))

    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", "payload", "kind"]
    assert "'apero', 'cafe', 'talk'" in error["msg"]
    assert "ou 'other'" in error["msg"]


def test_an_end_before_the_start_is_a_400(api):
    start = in_days(3)
    response = api(
        MemberFactory(),
        "post",
        "/events",
        payload(start=start.isoformat(), end=(start - datetime.timedelta(hours=1)).isoformat()),
    )
    assert response.json()["detail"]["end"] == ["La fin doit être après le début."]


def titles(response) -> list[str]:
    return [item["title"] for item in response.json()["items"]]


def test_the_list_filters_by_period_kind_and_words(api):
    EventFactory(title="Apéro de rentrée", kind="apero", start=in_days(5))
    EventFactory(title="Forum des communs", kind="forum", start=in_days(40))
    EventFactory(title="Vieux forum", kind="forum", start=in_days(-40), end=in_days(-40, 20))
    member = MemberFactory()
    response = api(member, "get", "/events")
    assert response.json()["count"] == 2
    assert titles(response) == ["Apéro de rentrée", "Forum des communs"]
    assert titles(api(member, "get", "/events", {"kind": "forum"})) == ["Forum des communs"]
    assert titles(api(member, "get", "/events", {"q": "rentrée"})) == ["Apéro de rentrée"]
    since = in_days(-60).isoformat()
    until = in_days(10).isoformat()
    response = api(member, "get", "/events", {"from": since, "to": until})
    assert titles(response) == ["Vieux forum", "Apéro de rentrée"]


def test_rsvp_answers_confirmed_then_waitlisted_with_position(api):
    event = EventFactory(capacity=1)
    first, second = MemberFactory.create_batch(2)
    assert api(first, "post", f"/events/{event.pk}/rsvp").json() == {
        "status": "confirmed",
        "position": None,
    }
    assert api(second, "post", f"/events/{event.pk}/rsvp").json() == {
        "status": "waitlisted",
        "position": 1,
    }
    response = api(second, "post", f"/events/{event.pk}/rsvp")
    assert response.status_code == 400
    assert "liste d’attente" in response.json()["detail"]["__all__"][0]
    assert api(first, "delete", f"/events/{event.pk}/rsvp").status_code == 204
    assert api(second, "get", f"/events/{event.pk}").json()["confirmed_count"] == 1


def test_patch_follows_the_same_permissions(api):
    organiser = MemberFactory()
    event = EventFactory(created_by=organiser)
    response = api(MemberFactory(), "patch", f"/events/{event.pk}", {"title": "Pirate"})
    assert response.status_code == 403
    response = api(organiser, "patch", f"/events/{event.pk}", {"capacity": 5, "public": False})
    assert response.status_code == 200
    assert (response.json()["capacity"], response.json()["public"]) == (5, False)


def test_shifts_are_listed_and_signed_up_for(api):
    shift = ShiftFactory(capacity=1)
    member = MemberFactory()
    response = api(member, "get", f"/events/{shift.event_id}/shifts")
    assert response.json()[0]["label"] == "préparer le café"
    assert response.json()[0]["taken"] == 0
    response = api(member, "post", f"/shifts/{shift.pk}/signup")
    assert response.status_code == 201
    assert response.json() == {"shift": shift.pk, "member": member.pk, "swap_offered": False}
    response = api(MemberFactory(), "post", f"/shifts/{shift.pk}/signup")
    assert response.status_code == 400
    assert "complet" in response.json()["detail"]["__all__"][0]
    assert api(member, "delete", f"/shifts/{shift.pk}/signup").status_code == 204
    assert not ShiftSignup.objects.exists()
    assert Shift.objects.count() == 1


def test_a_cancelled_event_refuses_rsvp_over_the_api(api):
    event = EventFactory()
    register(event, MemberFactory())
    event_cancel(actor=event.created_by, event=event)
    response = api(MemberFactory(), "post", f"/events/{event.pk}/rsvp")
    assert response.status_code == 400
    assert "annulé" in response.json()["detail"]["__all__"][0]


def test_an_event_is_attached_to_an_initiative_by_id(api):
    from ruche.initiatives.services.lifecycle import initiative_propose

    member = MemberFactory()
    initiative = initiative_propose(
        actor=member, title="Cafés du mardi", kind="event", summary="Un café par semaine."
    )
    response = api(member, "post", "/events", payload(initiative=initiative.pk))
    assert response.status_code == 201
    assert response.json()["initiative"] == initiative.pk
    response = api(member, "post", "/events", payload(initiative=999999))
    assert response.status_code == 400
    assert "Initiative inconnue" in response.json()["detail"]


def test_the_event_list_runs_the_same_queries_for_10_or_200_events(api):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    member = MemberFactory()
    organiser = MemberFactory()
    counts = []
    for total in (10, 200):
        EventFactory.create_batch(total - Event.objects.count(), created_by=organiser)
        api(member, "get", "/events", {"limit": 200})  # warm up
        with CaptureQueriesContext(connection) as queries:
            response = api(member, "get", "/events", {"limit": 200})
        assert response.json()["count"] == total
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_times_are_answered_in_paris_time_with_their_offset(api):
    response = api(
        MemberFactory(),
        "post",
        "/events",
        payload(start="2099-07-01T09:00:00+02:00", end="2099-07-01T08:00:00Z"),
    )
    assert response.status_code == 201
    assert (response.json()["start"], response.json()["end"]) == (
        "2099-07-01T09:00:00+02:00",
        "2099-07-01T10:00:00+02:00",
    )


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"public": None}, "public", "true"),
        ({"start": "2099-07-01T09:00:00"}, "start", "fuseau horaire"),
        ({"title": None}, "title", "Donnez un titre"),
        ({"recurrence": "FREQ=WEEKLY;COUNT=3"}, "recurrence", "ne se modifie pas"),
    ],
)
def test_a_bad_change_is_a_400_naming_the_field(api, change, field, message):
    organiser = MemberFactory()
    event = EventFactory(created_by=organiser)
    response = api(organiser, "patch", f"/events/{event.pk}", change)
    assert response.status_code == 400
    assert message in response.json()["detail"][field][0]


def test_unknown_events_and_slots_are_a_404_with_a_detail(api):
    member = MemberFactory()
    for method, path in [
        ("get", "/events/999999"),
        ("patch", "/events/999999"),
        ("post", "/events/999999/rsvp"),
        ("delete", "/events/999999/rsvp"),
        ("get", "/events/999999/shifts"),
        ("post", "/shifts/999999/signup"),
        ("delete", "/shifts/999999/signup"),
    ]:
        response = api(member, method, path)
        assert response.status_code == 404, path
        assert response.json() == {"detail": "Introuvable."}


def test_the_openapi_schema_documents_every_events_route_and_its_refusals(client):
    schema = client.get("/api/v1/openapi.json").json()
    routes = {
        ("get", "/api/v1/events"): "200",
        ("post", "/api/v1/events"): "201",
        ("get", "/api/v1/events/{event_id}"): "200",
        ("patch", "/api/v1/events/{event_id}"): "200",
        ("post", "/api/v1/events/{event_id}/rsvp"): "200",
        ("delete", "/api/v1/events/{event_id}/rsvp"): "204",
        ("get", "/api/v1/events/{event_id}/shifts"): "200",
        ("post", "/api/v1/shifts/{shift_id}/signup"): "201",
        ("delete", "/api/v1/shifts/{shift_id}/signup"): "204",
    }
    for (method, path), success in routes.items():
        operation = schema["paths"][path][method]
        assert success in operation["responses"], (method, path)
        assert {"400", "404"} & set(operation["responses"]), (method, path)
    event_in = schema["components"]["schemas"]["EventIn"]
    assert set(event_in["required"]) == {"title", "kind", "start", "end"}
    assert "cafe" in event_in["properties"]["kind"]["enum"]
    for name in ("location", "online_url", "capacity", "public", "recurrence", "initiative"):
        assert name in event_in["properties"]
    assert schema["components"]["schemas"]["RsvpOut"]["required"] == ["status", "position"]
    filters = {p["name"] for p in schema["paths"]["/api/v1/events"]["get"]["parameters"]}
    assert {"from", "to", "kind", "q"} <= filters
