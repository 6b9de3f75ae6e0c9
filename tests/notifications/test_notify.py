import datetime
import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ruche.core.registry import registry
from ruche.notifications import deliveries, services, tasks
from ruche.notifications import registry as notification_registry
from ruche.notifications.deliveries import MAX_ATTEMPTS
from ruche.notifications.enums import Category
from ruche.notifications.enums import DeliveryStatus as Status
from ruche.notifications.models import Delivery, Notification
from ruche.notifications.registry import NotificationKind, register
from ruche.notifications.services import notify
from ruche.notifications.tasks import deliver_message
from tests.core.helpers import DATABASE_TASKS, rows_containing, run_worker_once
from tests.factories import MemberFactory
from tests.notifications.helpers import templates_in_memory

TEST_KINDS = [
    NotificationKind(
        name="tests.hello",
        subject="{who} vous a rejoint sur « {title} »",
        email_template="tests/hello.txt",
        category=Category.INITIATIVES,
    ),
    NotificationKind(
        name="tests.secret",
        subject="Votre lien secret",
        email_template="tests/hello.txt",
        category=Category.ACCOUNT,
        in_app=False,
        at_send=lambda notification: (
            {"url": f"/connexion/lien/{next(MINTED)}/"},
            (("note.txt", "pièce jointe", "text/plain"),),
        ),
    ),
]
MINTED = iter(f"s3cr3t-{n}" for n in range(1000))
CONTEXT = {"who": "Inès", "title": "Café du jeudi", "url": "/initiatives/1/"}
SEND = "django.core.mail.backends.locmem.EmailBackend.send_messages"


@pytest.fixture(autouse=True)
def _test_kinds():
    """Kinds for these tests only: other tests may walk every declared kind."""
    for kind in TEST_KINDS:
        register(kind)
    yield
    for kind in TEST_KINDS:
        notification_registry._kinds.pop(kind.name)


@pytest.fixture(autouse=True)
def _email_template(settings):
    """The e-mail body of the test kinds, without adding a template to the project."""
    templates_in_memory(
        settings,
        {
            "tests/hello.txt": (
                "Bonjour {{ member.get_short_name }},\n"
                "{{ who }} vous a rejoint : {{ base_url }}{{ url }}\n"
            )
        },
    )


def _email(notification) -> Delivery:
    return Delivery.objects.get(notification=notification)


def _age(notification, minutes=2):
    """The e-mail's next attempt was due `minutes` ago (its own task did not run)."""
    Delivery.objects.filter(notification=notification).update(
        next_attempt_at=timezone.now() - datetime.timedelta(minutes=minutes)
    )


def _claim(notification, *, attempts=1, minutes_ago=0.0, seconds_ago=0.0):
    Delivery.objects.filter(notification=notification).update(
        status=Status.SENDING,
        attempts=attempts,
        claimed_at=timezone.now() - datetime.timedelta(minutes=minutes_ago, seconds=seconds_ago),
    )


def _retry_job():
    return next(job for job in registry.periodic if job.name == "notifications.retry")


def test_notify_records_the_notification_and_emails_it(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(member, "tests.hello", CONTEXT)

    notification.refresh_from_db()
    assert notification.subject == "Inès vous a rejoint sur « Café du jeudi »"
    assert notification.url == "/initiatives/1/"
    assert notification.category == Category.INITIATIVES
    delivery = _email(notification)
    assert delivery.status == Status.SENT
    assert delivery.sent_at is not None
    (message,) = mail.outbox
    assert message.to == [member.email]
    assert message.subject == "[Ruche] Inès vous a rejoint sur « Café du jeudi »"
    assert "http://127.0.0.1:8000/initiatives/1/" in message.body
    assert message.body.startswith(f"Bonjour {member.get_short_name()},")
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"


def test_a_title_stored_with_a_line_break_still_makes_a_one_line_subject(
    member, django_capture_on_commit_callbacks
):
    """Titles saved before control characters were refused must not stop every e-mail."""
    context = {**CONTEXT, "title": "Café\r\nBcc: victime@example.org\x1b"}
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(member, "tests.hello", context)

    assert _email(notification).status == Status.SENT
    (message,) = mail.outbox
    assert message.subject == "[Ruche] Inès vous a rejoint sur « Café Bcc: victime@example.org »"
    assert message.recipients() == [member.email]


@pytest.mark.django_db(transaction=True)
def test_the_email_leaves_only_after_the_callers_transaction_commits():
    member = MemberFactory()

    with transaction.atomic():
        notification = notify(member, "tests.hello", CONTEXT)
        assert Notification.objects.filter(pk=notification.pk).exists()
        assert mail.outbox == []

    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_nothing_is_recorded_or_sent_when_the_transaction_rolls_back():
    member = MemberFactory()

    def fail_after_notifying():
        with transaction.atomic():
            notify(member, "tests.hello", CONTEXT)
            raise RuntimeError("the caller failed after notifying")

    with pytest.raises(RuntimeError):
        fail_after_notifying()

    assert not Notification.objects.exists()
    assert not Delivery.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_what_was_queued_after_commit(settings):
    settings.TASKS = DATABASE_TASKS
    member = MemberFactory()

    with transaction.atomic():
        notify(member, "tests.hello", CONTEXT)
        assert not DBTaskResult.objects.exists()
    assert DBTaskResult.objects.count() == 1
    assert mail.outbox == []

    run_worker_once()

    assert len(mail.outbox) == 1
    assert Delivery.objects.get().status == Status.SENT


def test_delivering_twice_sends_one_email(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(member, "tests.hello", CONTEXT)

    delivery = _email(notification)
    deliver_message.enqueue(delivery.pk)
    assert deliveries.deliver(delivery.pk) is False

    assert len(mail.outbox) == 1
    delivery.refresh_from_db()
    assert delivery.attempts == 1


def test_a_delivery_claimed_by_another_worker_is_left_alone(member):
    notification = notify(member, "tests.hello", CONTEXT)
    _claim(notification)

    assert deliveries.deliver(_email(notification).pk) is False
    assert tasks.retry_undelivered() == 0
    assert mail.outbox == []


def test_a_failed_send_is_retried_after_its_delay(member):
    with mock.patch(SEND, side_effect=smtplib.SMTPServerDisconnected("connexion perdue")):
        notification = notify(member, "tests.hello", CONTEXT)
        deliveries.deliver(_email(notification).pk)
    delivery = _email(notification)
    assert delivery.status == Status.PENDING
    assert delivery.attempts == 1
    assert "SMTPServerDisconnected: connexion perdue" in delivery.error
    # The first retry is due five seconds later, not before.
    assert deliveries.deliver(delivery.pk) is False
    assert mail.outbox == []

    _age(notification)
    _retry_job().run()

    delivery.refresh_from_db()
    assert delivery.status == Status.SENT
    assert delivery.attempts == 2
    assert delivery.error == ""
    assert len(mail.outbox) == 1


def test_the_retry_leaves_fresh_notifications_to_their_own_task(member):
    notification = notify(member, "tests.hello", CONTEXT)

    assert tasks.retry_undelivered() == 0
    assert _email(notification).status == Status.PENDING


def test_a_send_that_keeps_failing_gives_up_after_max_attempts(member):
    notification = notify(member, "tests.hello", CONTEXT)
    with mock.patch(SEND, side_effect=smtplib.SMTPException("refusé")) as send:
        deliveries.deliver(_email(notification).pk)
        for _ in range(MAX_ATTEMPTS + 3):
            _age(notification)
            _retry_job().run()

    delivery = _email(notification)
    assert delivery.status == Status.FAILED
    assert delivery.attempts == MAX_ATTEMPTS
    assert send.call_count == MAX_ATTEMPTS
    assert mail.outbox == []


def test_a_claim_left_by_a_crashed_worker_is_taken_up_again(member):
    notification = notify(member, "tests.hello", CONTEXT)
    _claim(notification, minutes_ago=11)
    _age(notification, minutes=12)

    _retry_job().run()

    assert _email(notification).status == Status.SENT
    assert len(mail.outbox) == 1


def test_a_crashed_claim_on_the_last_attempt_is_given_up(member):
    notification = notify(member, "tests.hello", CONTEXT)
    _claim(notification, attempts=MAX_ATTEMPTS, minutes_ago=11)
    _age(notification, minutes=12)

    _retry_job().run()

    assert _email(notification).status == Status.FAILED
    assert mail.outbox == []


def test_a_secret_is_minted_when_the_email_is_written_and_never_stored(member):
    with mock.patch(SEND, side_effect=smtplib.SMTPServerDisconnected("connexion perdue")):
        notification = notify(member, "tests.secret", CONTEXT)
    notification.refresh_from_db()
    assert _email(notification).status == Status.PENDING
    assert "s3cr3t" not in str(notification.context)

    _age(notification)
    _retry_job().run()

    (message,) = mail.outbox
    # The failed attempt's link never left; the retry carries a fresh one.
    assert "/connexion/lien/s3cr3t-" in message.body
    assert message.attachments[0][0] == "note.txt"
    assert not rows_containing(message.body.split("/connexion/lien/")[1].split("/")[0])


def test_the_sign_in_link_is_minted_at_sending_and_kept_out_of_the_list():
    from ruche.accounts.links import sign_in_link_mint
    from ruche.notifications.registry import get_kind

    kind = get_kind("accounts.sign_in_link")

    assert kind.at_send is sign_in_link_mint
    assert kind.in_app is False


def test_a_message_to_an_address_is_recorded_and_sent_by_the_queue(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notification = services.notify_address(
            "ada@example.org", "Ada Lovelace", "tests.hello", CONTEXT
        )

    notification.refresh_from_db()
    assert (notification.member, notification.in_app) == (None, False)
    assert _email(notification).status == Status.SENT
    (message,) = mail.outbox
    assert message.to == ["ada@example.org"]
    assert message.body.startswith("Bonjour Ada,")
    # Someone who is not a member has no preferences to unsubscribe from.
    assert "List-Unsubscribe" not in message.extra_headers


def test_a_claim_left_by_a_worker_that_died_is_taken_over(member, settings):
    notification = notify(member, "tests.hello", CONTEXT)
    _claim(notification, seconds_ago=settings.WORKER_SILENCE_SECONDS + 1)

    assert deliveries.deliver(_email(notification).pk) is True
    assert deliveries.deliver(_email(notification).pk) is False
    assert len(mail.outbox) == 1


def test_a_member_without_an_address_gets_the_notification_in_app_only(db):
    member = MemberFactory()
    member.email = ""  # not saved: an address-less member, as an import may one day bring
    notification = notify(member, "tests.hello", CONTEXT)

    assert notification.in_app
    assert not Delivery.objects.exists()
    assert mail.outbox == []


def test_an_undeclared_kind_is_refused(member):
    with pytest.raises(LookupError, match=r"notifications\.py"):
        notify(member, "tests.nope", CONTEXT)

    assert not Notification.objects.exists()


def test_every_declared_kind_has_a_known_category():
    unknown = [kind.name for kind in notification_registry.kinds() if kind.category not in Category]
    assert notification_registry.kinds()
    assert not unknown


def test_what_cannot_be_switched_off_says_so():
    from ruche.notifications.registry import get_kind

    unavoidable = {"accounts.sign_in_link", "events.cancelled", "events.rsvp_promoted"}
    for name in unavoidable:
        kind = get_kind(name)
        assert kind.always or kind.category == Category.ACCOUNT, name
    assert not get_kind("events.reminder").always
