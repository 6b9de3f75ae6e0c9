import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from ruche.notifications.models import NotificationPreferences
from ruche.notifications.services import preferences_for

pytestmark = pytest.mark.django_db
URL = "/notifications/preferences/"


def test_the_digest_is_on_until_the_member_switches_it_off(member_client, member):
    page = member_client.get(URL)

    assert page.status_code == 200
    assert page.context["form"]["digest"].value() is True
    assert 'name="digest"' in page.text
    assert not NotificationPreferences.objects.exists()  # reading the page writes nothing


def test_a_member_switches_the_digest_off_and_on_again(member_client, member):
    response = member_client.post(URL, {})

    assert response.status_code == 302
    assert response["Location"] == URL
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Vos préférences sont enregistrées."
    ]
    assert preferences_for(member).digest is False
    assert member_client.get(URL).context["form"]["digest"].value() is False

    member_client.post(URL, {"digest": "on"})
    assert preferences_for(member).digest is True
    assert NotificationPreferences.objects.count() == 1


def test_the_preference_needs_the_csrf_token(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)

    response = client.post(URL, {})

    assert response.status_code == 403
    assert preferences_for(member).digest is True


def test_a_visitor_is_sent_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse(settings.LOGIN_URL)}?next={URL}"


def test_my_account_says_whether_the_digest_comes_and_links_to_the_setting(member_client, member):
    page = member_client.get(reverse("accounts:account")).text
    assert "Vous recevez le récapitulatif de la semaine" in page
    assert f'href="{URL}"' in page

    member_client.post(URL, {})
    page = member_client.get(reverse("accounts:account")).text
    assert "Vous ne recevez pas le récapitulatif de la semaine." in page
