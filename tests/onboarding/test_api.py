import datetime

import pytest
from django.utils import timezone

from ruche.engagement.models import Thanks, TimeDeclaration
from ruche.engagement.services import record
from ruche.members.models import Competence
from tests.events.factories import ShiftFactory
from tests.factories import MemberFactory
from tests.initiatives.factories import RoleFactory

pytestmark = pytest.mark.django_db


def test_my_suggestions_come_with_kind_reason_url_and_action(api):
    member = MemberFactory()
    member.competences.add(Competence.objects.create(name="Python"))
    role = RoleFactory(skill="Python")
    shift = ShiftFactory()

    body = api(member, "get", "/me/suggestions").json()

    assert body["count"] == 3
    first, second, third = body["items"]
    assert first == {
        "key": f"role-{role.pk}",
        "kind": "role",
        "title": role.label,
        "reason": "vous avez la compétence Python",
        "url": f"/initiatives/{role.initiative_id}/#participation",
        "action": "join_role",
        "action_label": "Je prends ce rôle",
    }
    assert (second["kind"], second["action"]) == ("shift", "take_slot")
    assert second["key"] == f"shift-{shift.pk}"
    assert (third["kind"], third["action"], third["reason"]) == (
        "event",
        "register",
        "il reste de la place",
    )


def test_a_declined_suggestion_is_gone_from_the_list(api):
    member = MemberFactory()
    shift = ShiftFactory()

    response = api(member, "post", f"/me/suggestions/shift-{shift.pk}/decline")

    assert response.status_code == 204
    items = api(member, "get", "/me/suggestions").json()["items"]
    assert [item["key"] for item in items] == [f"event-{shift.event_id}"]


def test_declining_something_that_is_no_suggestion_is_a_clear_400(api):
    response = api(MemberFactory(), "post", "/me/suggestions/nimportequoi/decline")

    assert response.status_code == 400
    assert response.json() == {"detail": {"__all__": ["Cette suggestion n’existe pas."]}}


def test_a_member_declares_lists_and_deletes_time(api):
    member = MemberFactory()
    today = timezone.localdate()

    created = api(
        member, "post", "/me/time", {"day": today.isoformat(), "minutes": 180, "what": "Forum"}
    )
    assert created.status_code == 201
    listed = api(member, "get", "/me/time", {"month": f"{today:%Y-%m}"}).json()
    assert listed["count"] == 1
    assert listed["items"][0]["minutes"] == 180

    other = api(MemberFactory(), "delete", f"/me/time/{created.json()['id']}")
    assert other.status_code == 404
    assert api(member, "delete", f"/me/time/{created.json()['id']}").status_code == 204
    assert not TimeDeclaration.objects.exists()


@pytest.mark.parametrize(
    ("minutes", "days_ahead", "field", "message"),
    [
        (0, 0, "minutes", "Indiquez une durée de plus de zéro minute."),
        (-60, 0, "minutes", "Indiquez une durée de plus de zéro minute."),
        (25 * 60, 0, "minutes", "Une journée compte 24 heures"),
        (60, 1, "day", "Ce jour n’est pas encore arrivé"),
    ],
)
def test_bad_time_gets_a_clear_message(api, minutes, days_ahead, field, message):
    day = timezone.localdate() + datetime.timedelta(days=days_ahead)

    response = api(
        MemberFactory(),
        "post",
        "/me/time",
        {"day": day.isoformat(), "minutes": minutes, "what": "x"},
    )

    assert response.status_code == 400
    assert response.json()["detail"][field][0].startswith(message)


def test_a_member_says_thanks_once_through_the_api(api):
    organiser, giver = MemberFactory(), MemberFactory()
    record(member=organiser, kind="organised", subject_type="event", subject_id=9)
    data = {"member": organiser.pk, "subject_type": "event", "subject_id": 9, "message": "Bravo"}

    first = api(giver, "post", "/thanks", data)
    again = api(giver, "post", "/thanks", data)
    myself = api(organiser, "post", "/thanks", data)

    assert first.status_code == 201
    assert first.json()["member"] == organiser.pk
    assert again.status_code == 400
    assert "déjà remercié" in again.json()["detail"]["__all__"][0]
    assert myself.status_code == 400
    assert "soi-même" in myself.json()["detail"]["__all__"][0]
    assert Thanks.objects.count() == 1
