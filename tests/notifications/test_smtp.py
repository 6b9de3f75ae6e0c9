"""E-mails as a real mail server receives them (aiosmtpd on 127.0.0.1): HTML with its text
version, and the one-click unsubscribe (RFC 8058) that works without a session, for that
category only, and refuses a forged link."""

import datetime
import email
import email.policy
import re
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller
from django.test import Client
from django.utils import timezone

from config.env import mailer_from_url
from ruche.accounts.links import sign_in_link_send
from ruche.notifications.deliveries import deliver
from ruche.notifications.enums import DEFAULT_MODES, DeliveryStatus, Mode
from ruche.notifications.models import Delivery
from ruche.notifications.services import modes_for, notify, preferences_for
from tests.factories import MemberFactory
from tests.servers import free_port

pytestmark = pytest.mark.django_db(transaction=True)


class Inbox:
    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 OK"


@pytest.fixture
def inbox(settings):
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.MAILERS = {"default": mailer_from_url(f"smtp://127.0.0.1:{controller.port}")}
    yield handler
    controller.stop()


def _joined(member):
    notify(
        member,
        "initiatives.participant_joined",
        {"member_name": "Inès", "title": "Café <du> jeudi", "role": "", "url": "/initiatives/3/"},
    )


def _unsubscribe_path(message) -> str:
    (url,) = re.fullmatch(r"<([^>]+)>", message["List-Unsubscribe"]).groups()
    return urlsplit(url).path


def test_a_mail_server_receives_html_and_text_with_the_unsubscribe_headers(inbox, settings):
    member = MemberFactory(display_name="Ada Martin")

    _joined(member)

    (message,) = inbox.messages
    assert message["To"] == member.email
    assert message["Subject"] == "[Ruche] Inès rejoint « Café <du> jeudi »"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert text.startswith("Bonjour Ada,")
    assert f"{settings.BASE_URL}/initiatives/3/" in text
    assert '<html lang="fr"' in html
    assert "<h1" in html
    assert "Café &lt;du&gt; jeudi" in html
    assert f'<a href="{settings.BASE_URL}/initiatives/3/"' in html
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["List-Unsubscribe"].startswith(
        f"<{settings.BASE_URL}/notifications/desabonnement/"
    )
    assert message["Auto-Submitted"] == "auto-generated"


def test_one_click_unsubscribes_from_that_category_only_without_a_session(inbox):
    member, other = MemberFactory(), MemberFactory()
    _joined(member)
    _joined(other)
    path = _unsubscribe_path(inbox.messages[0])

    # What a mail client sends: no cookie, no CSRF token.
    response = Client(enforce_csrf_checks=True).post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    modes = modes_for(member)
    assert modes["initiatives"] == Mode.OFF
    assert {c: m for c, m in modes.items() if c != "initiatives"} == {
        c: m for c, m in DEFAULT_MODES.items() if c != "initiatives"
    }
    assert modes_for(other)["initiatives"] == Mode.EMAIL
    _joined(member)
    assert len(inbox.messages) == 2  # nothing more for that member


def test_opening_the_link_only_asks(inbox):
    member = MemberFactory()
    _joined(member)

    page = Client().get(_unsubscribe_path(inbox.messages[0]))

    assert page.status_code == 200
    assert "Confirmer" in page.text
    assert modes_for(member)["initiatives"] == Mode.EMAIL


@pytest.mark.parametrize(
    "forge",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: "eyJoZWxsbyI6MX0:1:forged",
        lambda token: "",
    ],
)
def test_a_forged_link_is_refused(inbox, forge):
    member = MemberFactory()
    _joined(member)
    token = _unsubscribe_path(inbox.messages[0]).rstrip("/").rsplit("/", 1)[1]

    response = Client().post(f"/notifications/desabonnement/{forge(token) or 'x'}/")

    assert response.status_code == 400
    assert "n’est pas valide" in response.text
    assert modes_for(member)["initiatives"] == Mode.EMAIL


def test_the_digest_unsubscribe_switches_the_digest_off(inbox):
    from ruche.notifications.emails import unsubscribe_token

    member = MemberFactory()
    response = Client().post(
        f"/notifications/desabonnement/{unsubscribe_token(member.pk, 'digest')}/"
    )

    assert response.status_code == 200
    assert preferences_for(member).digest_frequency == "off"


def test_a_sign_in_email_has_no_unsubscribe(inbox):
    member = MemberFactory()

    sign_in_link_send(email=member.email)

    (message,) = inbox.messages
    assert message["List-Unsubscribe"] is None
    assert message.get_body(("html",)) is not None


def test_an_email_sent_again_after_a_lost_worker_is_the_same_message(inbox, settings):
    member = MemberFactory()
    _joined(member)
    delivery = Delivery.objects.get(notification__member=member, transport="email")
    # The worker died after handing it over and before recording it: the claim goes stale
    # and another worker sends it again.
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENDING,
        claimed_at=timezone.now() - datetime.timedelta(seconds=settings.WORKER_SILENCE_SECONDS + 1),
    )

    assert deliver(delivery.pk)

    first, again = inbox.messages
    host = urlsplit(settings.BASE_URL).hostname
    assert first["Message-ID"] == again["Message-ID"] == f"<{delivery.key}@{host}>"
