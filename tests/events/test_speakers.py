import datetime
import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ruche.core.secrets import hash_secret
from ruche.engagement.models import Contribution
from ruche.events.models import Speaker
from ruche.events.services.speakers import speaker_answer, speaker_invite, speaker_reinvite
from ruche.notifications.models import Delivery, Notification
from ruche.notifications.tasks import retry_undelivered
from tests.core.helpers import rows_containing
from tests.events.factories import EventFactory
from tests.events.ics_checks import check_calendar
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def invite(event, **overrides):
    fields = {"name": "Ada Lovelace", "email": "ada@example.org", "talk_title": "Les machines"}
    return speaker_invite(actor=event.created_by, event=event, **{**fields, **overrides})


def secret_from(message) -> str:
    line = next(line for line in message.body.splitlines() if "/intervention/" in line)
    return line.rstrip("/").rsplit("/", 1)[1]


def test_an_external_speaker_gets_an_invitation_with_a_calendar_file(
    django_capture_on_commit_callbacks,
):
    event = EventFactory(title="Causerie produit")
    with django_capture_on_commit_callbacks(execute=True):
        speaker = invite(event)
    [message] = mail.outbox
    assert message.to == ["ada@example.org"]
    assert "Causerie produit" in message.subject
    assert "Les machines" in message.body
    [(filename, content, mimetype)] = message.attachments
    assert (filename, mimetype) == ("evenement.ics", "text/calendar")
    [vevent] = check_calendar(content.encode()).walk("VEVENT")
    assert str(vevent["uid"]) == event.uid
    secret = secret_from(message)
    assert len(secret) >= 43  # 256 bits, url-safe base 64
    speaker.refresh_from_db()
    assert speaker.token_hash == hash_secret(secret)
    # Recorded and retried like any e-mail, but the private link is in the e-mail only.
    notification = Notification.objects.get()
    assert (notification.email, notification.in_app) == ("ada@example.org", False)
    assert rows_containing(secret) == []


def test_the_speaker_confirms_through_the_private_link_and_organisers_are_told(
    django_capture_on_commit_callbacks,
):
    event = EventFactory()
    with django_capture_on_commit_callbacks(execute=True):
        invite(event)
    secret = secret_from(mail.outbox[0])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        speaker = speaker_answer(secret=secret, accept=True, bio="Pionnière.")
    assert (speaker.status, speaker.bio) == ("confirmed", "Pionnière.")
    assert [m.to for m in mail.outbox] == [[event.created_by.email]]
    assert "Ada Lovelace" in mail.outbox[0].subject


def test_a_wrong_link_is_refused():
    with pytest.raises(PermissionDenied):
        speaker_answer(secret="nope", accept=True, bio="")


def test_a_member_speaker_counts_in_the_ledger_and_declining_undoes_it(
    django_capture_on_commit_callbacks,
):
    member = MemberFactory()
    event = EventFactory()
    with django_capture_on_commit_callbacks(execute=True):
        speaker = invite(event, email=member.email.upper(), name=member.display_name)
    assert speaker.member == member
    secret = secret_from(mail.outbox[0])
    speaker_answer(secret=secret, accept=True, bio="")
    speaker_answer(secret=secret, accept=True, bio="Bis")
    speaker_answer(secret=secret, accept=False, bio="")
    weights = list(
        Contribution.objects.filter(kind="spoke", member=member).values_list("weight", flat=True)
    )
    assert weights == [1, -1]


def test_the_same_person_is_not_invited_twice():
    event = EventFactory()
    invite(event)
    with pytest.raises(ValidationError) as excinfo:
        invite(event, email="ADA@example.org")
    assert "déjà invitée" in excinfo.value.message_dict["email"][0]
    assert Speaker.objects.count() == 1


def test_only_organisers_invite():
    event = EventFactory()
    with pytest.raises(PermissionDenied):
        speaker_invite(actor=MemberFactory(), event=event, name="X", email="x@example.org")


def test_an_invitation_is_sent_again_with_a_new_link_and_the_old_one_stops_working(
    django_capture_on_commit_callbacks,
):
    event = EventFactory(title="Causerie produit")
    with django_capture_on_commit_callbacks(execute=True):
        speaker = invite(event)
    old = secret_from(mail.outbox[0])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        speaker_reinvite(actor=event.created_by, speaker=speaker)
    [message] = mail.outbox
    assert message.to == ["ada@example.org"]
    assert "Causerie produit" in message.subject
    new = secret_from(message)
    assert new != old
    with pytest.raises(PermissionDenied):
        speaker_answer(secret=old, accept=True, bio="")
    assert speaker_answer(secret=new, accept=True, bio="").status == "confirmed"


def test_only_organisers_send_an_invitation_again():
    event = EventFactory()
    speaker = invite(event)
    with pytest.raises(PermissionDenied):
        speaker_reinvite(actor=MemberFactory(), speaker=speaker)


def test_a_mail_server_failure_never_fails_the_invitation_and_the_worker_retries(
    client, django_capture_on_commit_callbacks
):
    """The invitation used to leave from the request, after the speaker row was saved: a failing
    server answered 500 with the speaker « invited » and no e-mail sent."""
    event = EventFactory(title="Causerie produit")
    client.force_login(event.created_by)
    send = "django.core.mail.backends.locmem.EmailBackend.send_messages"

    with (
        mock.patch(send, side_effect=smtplib.SMTPServerDisconnected("connexion perdue")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(
            f"/evenements/{event.pk}/intervenants/",
            {"name": "Ada Lovelace", "email": "ada@example.org", "talk_title": "Les machines"},
        )

    assert response.status_code == 302
    speaker = Speaker.objects.get()
    notification = Notification.objects.get(email="ada@example.org")
    delivery = Delivery.objects.get(notification=notification)
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert mail.outbox == []

    Delivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() - datetime.timedelta(minutes=2)
    )
    retry_undelivered()

    (message,) = mail.outbox
    assert message.to == ["ada@example.org"]
    assert speaker.status == "invited"
    answered = client.get(f"/intervention/{secret_from(message)}/")
    assert answered.status_code == 200
    assert "Causerie produit" in answered.text
