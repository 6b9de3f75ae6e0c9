import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ruche.notifications.models import Notification
from tests.factories import MemberFactory


def _notification(member, subject="Inès a rejoint votre initiative", url="/membres/", **extra):
    return Notification.objects.create(
        member=member,
        kind="tests.hello",
        subject=subject,
        url=url,
        **extra,
    )


def test_the_list_shows_my_notifications_newest_first(member_client, member):
    _notification(member, subject="Première nouvelle")
    _notification(member, subject="Deuxième nouvelle")
    _notification(MemberFactory(), subject="Pas pour moi")
    _notification(member, subject="Seulement par e-mail", in_app=False)

    response = member_client.get("/notifications/")

    assert response.status_code == 200
    text = response.text
    assert text.index("Deuxième nouvelle") < text.index("Première nouvelle")
    assert "Pas pour moi" not in text
    assert "Seulement par e-mail" not in text
    assert text.count("Nouveau") >= 2
    assert response.context["unread_notifications"] == 2


def test_an_empty_list_says_what_will_appear(member_client):
    response = member_client.get("/notifications/")

    assert response.status_code == 200
    assert "Rien de nouveau pour l’instant" in response.text


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(member_client, member):
    notification = _notification(member, url="/membres/?q=ines")

    response = member_client.post(f"/notifications/{notification.pk}/")

    assert response.status_code == 302
    assert response["Location"] == "/membres/?q=ines"
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert member_client.get("/notifications/").context["unread_notifications"] == 0


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/",
        "//evil.example/",
        "http://evil.example/membres/",
        "/\\evil.example",
        "javascript:alert(1)",
        "",
    ],
)
def test_a_notification_never_sends_to_another_site(member_client, member, url):
    notification = _notification(member, url=url)

    response = member_client.post(f"/notifications/{notification.pk}/")

    assert response.status_code == 302
    assert response["Location"] == "/notifications/"


def test_opening_needs_a_post(member_client, member):
    notification = _notification(member)

    assert member_client.get(f"/notifications/{notification.pk}/").status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_nobody_opens_someone_elses_notification(member_client):
    theirs = _notification(MemberFactory())

    assert member_client.post(f"/notifications/{theirs.pk}/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_everything_read_touches_only_my_notifications(member_client, member):
    mine = [_notification(member) for _ in range(3)]
    theirs = _notification(MemberFactory())

    response = member_client.post("/notifications/tout-lu/")

    assert response["Location"] == "/notifications/"
    assert all(Notification.objects.get(pk=n.pk).read_at for n in mine)
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert member_client.get("/notifications/tout-lu/").status_code == 405


def test_the_list_is_paginated(member_client, member):
    for number in range(30):
        _notification(member, subject=f"Nouvelle numéro {number:02}")

    first = member_client.get("/notifications/")
    second = member_client.get("/notifications/", {"page": 2})

    assert "Nouvelle numéro 29" in first.text
    assert "Nouvelle numéro 00" not in first.text
    assert "Nouvelle numéro 00" in second.text


def test_the_list_takes_the_same_number_of_queries_for_10_or_200(member_client, member):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert member_client.get("/notifications/").status_code == 200
        return len(captured)

    for _ in range(10):
        _notification(member)
    with_10 = queries()
    for _ in range(190):
        _notification(member)

    assert queries() == with_10


def test_the_list_is_filtered_by_category_and_marked_read_within_it(member_client, member):
    _notification(member, subject="Un créneau", category="rota")
    _notification(member, subject="Une mention", category="mentions")

    page = member_client.get("/notifications/", {"categorie": "rota"})

    assert "Un créneau" in page.text
    assert "Une mention" not in page.text
    response = member_client.post("/notifications/tout-lu/", {"categorie": "rota"})
    assert response["Location"] == "/notifications/?categorie=rota"
    assert set(Notification.objects.unread().values_list("category", flat=True)) == {"mentions"}


def test_an_unknown_category_shows_everything(member_client, member):
    _notification(member, subject="Un créneau", category="rota")

    page = member_client.get("/notifications/", {"categorie": "nimporte"})

    assert page.status_code == 200
    assert "Un créneau" in page.text
