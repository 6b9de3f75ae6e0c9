import datetime
import zoneinfo

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.urls import reverse

from ruche.notifications import digest
from ruche.notifications import registry as notification_registry
from ruche.notifications.enums import CHOOSABLE, DEFAULT_MODES, Category, Mode
from ruche.notifications.models import (
    CategoryPreference,
    Delivery,
    Notification,
    NotificationPreferences,
)
from ruche.notifications.registry import NotificationKind, register
from ruche.notifications.services import modes_for, notify, preferences_for, preferences_update
from tests.factories import MemberFactory
from tests.notifications.helpers import templates_in_memory

pytestmark = pytest.mark.django_db
URL = "/notifications/preferences/"
MONDAY_8 = datetime.datetime(2027, 1, 4, 8, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Paris"))


def _form(**changes) -> dict:
    data = {category.value: DEFAULT_MODES[category].value for category in CHOOSABLE}
    data["digest_frequency"] = "weekly"
    return {**data, **changes}


@pytest.fixture(autouse=True)
def _kind_per_category(settings):
    """One kind of the tests' own in each category a member chooses for."""
    templates_in_memory(settings, {"tests/news.txt": "Bonjour {{ member.get_short_name }}\n"})
    for category in CHOOSABLE:
        register(
            NotificationKind(
                name=f"tests.{category}",
                subject=f"Du nouveau : {category}",
                email_template="tests/news.txt",
                category=category,
            )
        )
    yield
    for category in CHOOSABLE:
        notification_registry._kinds.pop(f"tests.{category}")


def test_the_page_shows_the_defaults_and_writes_nothing(member_client, member):
    page = member_client.get(URL)

    assert page.status_code == 200
    form = page.context["form"]
    assert form["digest_frequency"].value() == "weekly"
    assert form["initiatives"].value() == Mode.EMAIL
    assert form["news"].value() == Mode.DIGEST
    assert "account" not in form.fields
    assert not NotificationPreferences.objects.exists()
    assert not CategoryPreference.objects.exists()


def test_a_member_saves_a_choice_per_category_and_a_digest_frequency(member_client, member):
    response = member_client.post(URL, _form(news="off", rota="in_app", digest_frequency="off"))

    assert response.status_code == 302
    assert response["Location"] == URL
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Vos préférences sont enregistrées."
    ]
    assert preferences_for(member).digest_frequency == "off"
    modes = modes_for(member)
    assert (modes["news"], modes["rota"], modes["events"]) == ("off", "in_app", "email")
    assert member_client.get(URL).context["form"]["news"].value() == "off"


def test_an_unknown_choice_is_refused_and_nothing_changes(member_client, member):
    response = member_client.post(URL, _form(news="loud"))

    assert response.status_code == 200
    assert "news" in response.context["form"].errors
    assert not CategoryPreference.objects.exists()


def test_the_preferences_need_the_csrf_token(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)

    response = client.post(URL, _form(news="off"))

    assert response.status_code == 403
    assert modes_for(member)["news"] == Mode.DIGEST


def test_a_visitor_is_sent_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse(settings.LOGIN_URL)}?next={URL}"


@pytest.mark.parametrize("category", CHOOSABLE)
def test_off_means_nothing_at_all(category, django_capture_on_commit_callbacks):
    member = MemberFactory()
    preferences_update(actor=member, modes={category: Mode.OFF})

    with django_capture_on_commit_callbacks(execute=True):
        assert notify(member, f"tests.{category}", {}) is None

    assert not Notification.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize("category", CHOOSABLE)
def test_right_away_means_one_email_and_the_bell(category, django_capture_on_commit_callbacks):
    member = MemberFactory()
    preferences_update(actor=member, modes={category: Mode.EMAIL})

    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(member, f"tests.{category}", {})

    assert notification.in_app
    assert not notification.for_digest
    assert [m.to for m in mail.outbox] == [[member.email]]


@pytest.mark.parametrize("category", CHOOSABLE)
def test_in_app_only_means_the_bell_and_no_email(category, django_capture_on_commit_callbacks):
    member = MemberFactory()
    preferences_update(actor=member, modes={category: Mode.IN_APP})

    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(member, f"tests.{category}", {})

    assert notification.in_app
    assert not notification.for_digest
    assert not Delivery.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize("category", CHOOSABLE)
def test_digest_means_in_the_digest_only(category, django_capture_on_commit_callbacks):
    member = MemberFactory(last_login=MONDAY_8 - datetime.timedelta(days=3))
    preferences_update(actor=member, modes={category: Mode.DIGEST})
    with django_capture_on_commit_callbacks(execute=True):
        notify(member, f"tests.{category}", {})
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        assert digest.digest_send(now=MONDAY_8) == 1

    (message,) = mail.outbox
    assert f"Du nouveau : {category}" in message.body
    assert Notification.objects.get(kind=f"tests.{category}").digested_at is not None


def test_what_a_member_read_in_ruche_is_not_in_the_digest(django_capture_on_commit_callbacks):
    member = MemberFactory(last_login=MONDAY_8 - datetime.timedelta(days=3))
    preferences_update(actor=member, modes={"news": Mode.DIGEST})
    seen = notify(member, "tests.news", {})
    Notification.objects.filter(pk=seen.pk).update(read_at=MONDAY_8)

    with django_capture_on_commit_callbacks(execute=True):
        digest.digest_send(now=MONDAY_8)

    assert all("Du nouveau : news" not in m.body for m in mail.outbox)


@pytest.mark.parametrize("kind", ["events.cancelled", "events.rsvp_promoted"])
def test_what_cannot_be_switched_off_arrives_all_the_same(kind, django_capture_on_commit_callbacks):
    member = MemberFactory()
    preferences_update(actor=member, modes=dict.fromkeys(CHOOSABLE, Mode.OFF))

    with django_capture_on_commit_callbacks(execute=True):
        notify(member, kind, {"title": "Apéro", "url": "/", "when": "demain", "message": ""})

    assert [m.to for m in mail.outbox] == [[member.email]]


def test_the_account_category_is_not_a_choice(member):
    with pytest.raises(ValueError, match="account"):
        preferences_update(actor=member, modes={Category.ACCOUNT: Mode.OFF})


def test_my_account_says_how_the_digest_comes_and_links_to_the_setting(member_client, member):
    page = member_client.get(reverse("accounts:account")).text
    assert "Vous recevez le récapitulatif chaque semaine" in page
    assert f'href="{URL}"' in page

    member_client.post(URL, _form(digest_frequency="off"))
    page = member_client.get(reverse("accounts:account")).text
    assert "Vous ne recevez pas le récapitulatif." in page
