import datetime
import hashlib
import re
from unittest import mock

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ruche.accounts.models import MagicLink
from ruche.notifications.models import Notification
from tests.core.helpers import DATABASE_TASKS, rows_containing, run_worker_once, sign_in_link_in
from tests.factories import MemberFactory
from tests.helpers import run_at_once

LOGIN = "/connexion/"


@pytest.fixture
def ask_for_link(db, client, django_capture_on_commit_callbacks):
    """Posts the sign-in form; the e-mail leaves after the commit, as in production."""

    def ask(email, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(LOGIN, {"email": email, **extra})

    return ask


@pytest.fixture
def signed_link(member, ask_for_link):
    """(path, secret) of a fresh link for `member`."""
    ask_for_link(member.email)
    return sign_in_link_in(mail.outbox[-1])


def test_a_member_gets_a_sign_in_link_by_email(member, ask_for_link):
    response = ask_for_link(member.email)

    assert response.status_code == 302
    assert response["Location"] == "/connexion/envoye/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [member.email]
    path, _secret = sign_in_link_in(mail.outbox[0])
    assert "http://127.0.0.1:8000" + path in mail.outbox[0].body


def test_the_address_is_matched_whatever_its_case(member, ask_for_link):
    ask_for_link(member.email.upper())

    assert [message.to for message in mail.outbox] == [[member.email]]


def test_the_form_answers_the_same_for_a_member_and_an_unknown_address(
    client, member, ask_for_link
):
    known = ask_for_link(member.email)
    known_page = client.get(known["Location"])
    unknown = ask_for_link("personne.inconnue@beta.gouv.fr")
    unknown_page = client.get(unknown["Location"])

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert known_page.status_code == unknown_page.status_code == 200
    assert [t.name for t in known_page.templates] == [t.name for t in unknown_page.templates]
    assert _page_text(known_page, member.email) == _page_text(
        unknown_page, "personne.inconnue@beta.gouv.fr"
    )


def _page_text(response, email):
    """The page without what changes on every response (CSRF token, CSP nonce)."""
    text = re.sub(r'(csrfmiddlewaretoken" value|nonce)="[^"]*"', "", response.text)
    return text.replace(email, "ADDRESS")


def test_an_unknown_address_gets_no_email(ask_for_link):
    ask_for_link("personne.inconnue@beta.gouv.fr")

    assert mail.outbox == []
    assert not MagicLink.objects.exists()


def test_an_inactive_member_gets_no_email(ask_for_link):
    gone = MemberFactory(is_active=False)

    ask_for_link(gone.email)

    assert mail.outbox == []


def test_the_request_does_not_look_the_address_up(client, member, settings):
    """The lookup happens in the worker: the web request does the same work (the same
    queries) for a member's address and an unknown one, so its timing tells nothing."""
    settings.TASKS = DATABASE_TASKS

    def queries_for(email):
        with CaptureQueriesContext(connection) as captured:
            response = Client().post(LOGIN, {"email": email})
        assert response.status_code == 302
        return [query["sql"] for query in captured.captured_queries]

    known = queries_for(member.email)
    unknown = queries_for("personne.inconnue@beta.gouv.fr")

    assert len(known) == len(unknown)
    assert not [sql for sql in known if "members_member" in sql]
    assert not MagicLink.objects.exists()
    assert DBTaskResult.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_secret_is_stored_nowhere_not_even_in_the_queue(settings):
    settings.TASKS = DATABASE_TASKS
    member = MemberFactory()
    client = Client()

    client.post(LOGIN, {"email": member.email, "next": "/membres/"})
    (queued,) = DBTaskResult.objects.all()
    assert queued.args_kwargs == {"args": [member.email, "/membres/"], "kwargs": {}}
    assert mail.outbox == []

    run_worker_once()

    (message,) = mail.outbox
    path, secret = sign_in_link_in(message)
    link = MagicLink.objects.get()
    assert link.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert rows_containing(secret) == []
    # The e-mail is a notification like any other (retried until it leaves), kept out of the
    # member's list, without the link.
    notification = Notification.objects.get()
    assert (notification.in_app, notification.deliveries.get().status) == (False, "sent")
    # The link works: the secret was really in the e-mail, and only there.
    assert client.post(path).status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)


def test_the_token_carries_at_least_128_bits(signed_link):
    _path, secret = signed_link

    # URL-safe base64: 6 bits a character.
    assert len(secret) * 6 >= 128
    assert len(set(secret)) > 10


def test_opening_the_link_shows_a_button_and_does_not_sign_in(client, member, signed_link):
    path, _secret = signed_link

    response = client.get(path)

    assert response.status_code == 200
    assert 'method="post"' in response.text
    assert "Se connecter" in response.text
    assert "_auth_user_id" not in client.session
    assert MagicLink.objects.get().used_at is None
    # A mail scanner may open it again: it still works afterwards.
    assert client.get(path).status_code == 200


def test_posting_the_link_signs_in_and_rotates_the_session(client, member, signed_link):
    path, _secret = signed_link
    before = client.session.session_key
    assert before

    response = client.post(path)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(member.pk)
    assert client.session.session_key != before
    assert client.get("/compte/").status_code == 200


def test_a_link_works_only_once(client, signed_link):
    path, _secret = signed_link
    client.post(path)
    other = Client()

    response = other.post(path)

    assert response.status_code == 410
    assert "Ce lien ne fonctionne plus" in response.text
    assert "_auth_user_id" not in other.session
    assert other.get(path).status_code == 410


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_uses_let_exactly_one_through():
    from ruche.accounts.links import sign_in_link_send

    member = MemberFactory()
    sign_in_link_send(email=member.email)
    _path, secret = sign_in_link_in(mail.outbox[0])
    results = run_at_once([lambda: Client().post(f"/connexion/lien/{secret}/").status_code] * 4)

    assert sorted(results) == [302, 410, 410, 410]


def test_a_link_expires_after_15_minutes(client, signed_link):
    path, _secret = signed_link
    later = timezone.now() + datetime.timedelta(minutes=15, seconds=1)

    with mock.patch("django.utils.timezone.now", return_value=later):
        shown = client.get(path)
        used = client.post(path)

    assert shown.status_code == used.status_code == 410
    assert "_auth_user_id" not in client.session


def test_a_link_still_works_just_before_it_expires(client, signed_link):
    path, _secret = signed_link
    later = timezone.now() + datetime.timedelta(minutes=14, seconds=50)

    with mock.patch("django.utils.timezone.now", return_value=later):
        response = client.post(path)

    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_a_member_closed_since_the_link_was_sent_cannot_use_it(client, member, signed_link):
    path, _secret = signed_link
    member.is_active = False
    member.save()

    assert client.get(path).status_code == 410
    assert client.post(path).status_code == 410
    assert "_auth_user_id" not in client.session


def test_a_made_up_link_is_refused(client, db):
    assert client.get("/connexion/lien/pas-un-vrai-jeton/").status_code == 410
    assert client.post("/connexion/lien/pas-un-vrai-jeton/").status_code == 410


def test_the_page_asked_for_before_signing_in_is_kept(client, member, ask_for_link):
    login_page = client.get("/membres/")
    assert login_page["Location"] == "/connexion/?next=/membres/"
    page = client.get(login_page["Location"])
    sign_in_form = re.search(r'action="/connexion/".*?</form>', page.text, re.S).group(0)
    assert 'name="next" value="/membres/"' in sign_in_form

    ask_for_link(member.email, next="/membres/")
    path, _secret = sign_in_link_in(mail.outbox[-1])

    assert client.post(path)["Location"] == "/membres/"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "http://evil.example/connexion/",
        "/\\evil.example/",
        "javascript:alert(1)",
        "https://testserver.evil.example/",
    ],
)
def test_a_next_url_on_another_site_is_dropped(client, member, ask_for_link, target):
    page = client.get(LOGIN, {"next": target})
    sign_in_form = re.search(r'action="/connexion/".*?</form>', page.text, re.S).group(0)
    assert 'name="next"' not in sign_in_form

    ask_for_link(member.email, next=target)
    path, _secret = sign_in_link_in(mail.outbox[-1])

    assert MagicLink.objects.get().next_url == ""
    assert client.post(path)["Location"] == "/"


def test_a_foreign_next_url_stored_in_a_link_is_still_refused_when_used(client, signed_link):
    path, _secret = signed_link
    MagicLink.objects.update(next_url="https://evil.example/")

    assert client.post(path)["Location"] == "/"


def test_a_signed_in_member_opening_the_sign_in_page_goes_home(member_client):
    assert member_client.get(LOGIN)["Location"] == "/"


def test_an_invalid_address_is_explained(client, db):
    response = client.post(LOGIN, {"email": "pas une adresse"})

    assert response.status_code == 400
    assert "Saisissez une adresse e-mail complète" in response.text
    assert mail.outbox == []


TOO_MANY = "Trop de demandes de lien en peu de temps"


@pytest.mark.parametrize("known", [True, False], ids=["member", "unknown address"])
def test_too_many_requests_for_one_address_are_refused_clearly(client, member, ask_for_link, known):
    email = member.email if known else "personne.inconnue@beta.gouv.fr"
    for _ in range(5):
        assert ask_for_link(email).status_code == 302
    sent = len(mail.outbox)

    response = ask_for_link(email)

    assert response.status_code == 429
    assert TOO_MANY in response.text
    assert "15 minutes" in response.text
    assert len(mail.outbox) == sent
    # Another address is not affected.
    assert ask_for_link("quelquun.dautre@beta.gouv.fr").status_code == 302


def test_the_address_limit_ignores_case(member, ask_for_link):
    for variant in [member.email, member.email.upper(), member.email.title()] * 2:
        response = ask_for_link(variant)

    assert response.status_code == 429


def test_too_many_requests_from_one_ip_are_refused_clearly(client, settings, ask_for_link):
    limit, _window = settings.RATE_LIMITS["login-ip"]
    assert limit >= 30  # a room of people on one Wi-Fi must be able to sign in
    for number in range(limit):
        assert ask_for_link(f"inconnu{number}@beta.gouv.fr").status_code == 302

    response = ask_for_link("encore.un@beta.gouv.fr")

    assert response.status_code == 429
    assert TOO_MANY in response.text
    other_ip = Client(REMOTE_ADDR="203.0.113.9").post(LOGIN, {"email": "encore.un@beta.gouv.fr"})
    assert other_ip.status_code == 302


def test_the_limits_reset_with_the_next_window(client, member, ask_for_link):
    for _ in range(6):
        ask_for_link(member.email)
    later = timezone.now().timestamp() + 15 * 60 + 1

    with mock.patch("ruche.core.ratelimit.time.time", return_value=later):
        assert ask_for_link(member.email).status_code == 302


def test_logout_needs_a_post(member_client, member):
    assert member_client.get("/deconnexion/").status_code == 405
    assert member_client.session["_auth_user_id"] == str(member.pk)

    response = member_client.post("/deconnexion/")

    assert response.status_code == 302
    assert "_auth_user_id" not in member_client.session


def test_logout_is_protected_against_cross_site_requests(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)

    assert client.post("/deconnexion/").status_code == 403
    assert client.session["_auth_user_id"] == str(member.pk)


def test_old_links_are_purged(member, ask_for_link):
    from ruche.accounts.services import magic_links_purge

    ask_for_link(member.email)
    MagicLink.objects.update(expires_at=timezone.now() - datetime.timedelta(days=8))
    ask_for_link(member.email)

    assert magic_links_purge() == 1
    assert MagicLink.objects.count() == 1
