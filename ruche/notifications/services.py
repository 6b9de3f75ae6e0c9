"""Telling members things: the one way every feature sends a message.

`notify()` records the notification inside the caller's transaction and sends the e-mail only
once that transaction has committed, from the worker. Delivery claims the row with a conditional
update, so a task that runs twice (retry, second worker) sends one e-mail.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from ruche.notifications.models import EmailStatus, Notification
from ruche.notifications.registry import NotificationKind, get_kind

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
STALE_CLAIM = datetime.timedelta(minutes=10)


def notify(member, kind: str, context: dict) -> Notification | None:
    """Tells `member` about something. `context` must be JSON-serialisable; a `url` key (a path
    on this site) becomes the link of the in-app notification and of the e-mail."""
    spec = get_kind(kind)
    with translation.override(settings.LANGUAGE_CODE):
        subject = str(spec.subject).format(**context)
    if spec.sensitive:
        transaction.on_commit(lambda: _send(member, spec, subject, context))
        return None
    notification = Notification.objects.create(
        member=member,
        kind=kind,
        context=context,
        subject=subject[:300],
        url=context.get("url", ""),
        in_app=spec.in_app,
        email_status=EmailStatus.PENDING if member.email else EmailStatus.NONE,
    )
    if notification.email_status == EmailStatus.PENDING:
        transaction.on_commit(lambda: _enqueue(notification.pk))
    return notification


@dataclass(frozen=True)
class Addressee:
    """Someone reached by e-mail only, who may not be a member (an invited speaker)."""

    email: str
    display_name: str = ""

    def get_short_name(self) -> str:
        return self.display_name.split(" ")[0] if self.display_name else self.email


def notify_address(
    email: str, name: str, kind: str, context: dict, *, attachments: tuple = ()
) -> None:
    """Tells someone who may not be a member, by e-mail only: the in-app part is for members.
    Nothing is stored (such messages carry private links); the e-mail leaves from this process
    once the caller's transaction has committed. `attachments`: (filename, content, mimetype)."""
    spec = get_kind(kind)
    with translation.override(settings.LANGUAGE_CODE):
        subject = str(spec.subject).format(**context)
    recipient = Addressee(email=email, display_name=name)
    transaction.on_commit(lambda: _send(recipient, spec, subject, context, attachments))


def _enqueue(notification_id: int) -> None:
    from ruche.notifications.tasks import deliver_notification

    deliver_notification.enqueue(notification_id)


def _send(
    member, spec: NotificationKind, subject: str, context: dict, attachments: tuple = ()
) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(
            spec.email_template, {**context, "member": member, "base_url": settings.BASE_URL}
        )
    message = EmailMessage(
        subject=f"[Ruche] {subject}",
        body=body,
        to=[member.email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    message.send()


def deliver(notification_id: int) -> bool:
    """Sends the e-mail of one notification; True if this call sent it."""
    now = timezone.now()
    claimed = Notification.objects.filter(
        pk=notification_id, email_status=EmailStatus.PENDING
    ).update(
        email_status=EmailStatus.SENDING,
        email_claimed_at=now,
        email_attempts=F("email_attempts") + 1,
    )
    if not claimed:
        return False
    notification = Notification.objects.select_related("member").get(pk=notification_id)
    try:
        _send(
            notification.member,
            get_kind(notification.kind),
            notification.subject,
            notification.context,
        )
    except Exception as error:
        status = (
            EmailStatus.FAILED
            if notification.email_attempts >= MAX_ATTEMPTS
            else EmailStatus.PENDING
        )
        Notification.objects.filter(pk=notification_id).update(
            email_status=status, email_error=f"{error.__class__.__name__}: {error}"[:2000]
        )
        logger.warning("E-mail for notification %s failed: %s", notification_id, error)
        return False
    Notification.objects.filter(pk=notification_id).update(
        email_status=EmailStatus.SENT, emailed_at=timezone.now(), email_error=""
    )
    return True


def retry_undelivered() -> int:
    """Periodic: puts back claims left by a crashed worker and re-enqueues what is pending."""
    now = timezone.now()
    stale = Notification.objects.filter(
        email_status=EmailStatus.SENDING, email_claimed_at__lt=now - STALE_CLAIM
    )
    # The crash may have come after the message left: past the last attempt, give up rather
    # than risk sending it again and again.
    stale.filter(email_attempts__gte=MAX_ATTEMPTS).update(
        email_status=EmailStatus.FAILED, email_error="Worker stopped while sending."
    )
    stale.update(email_status=EmailStatus.PENDING)
    pending = list(
        Notification.objects.filter(
            email_status=EmailStatus.PENDING, created_at__lt=now - datetime.timedelta(minutes=1)
        ).values_list("pk", flat=True)[:500]
    )
    for notification_id in pending:
        _enqueue(notification_id)
    return len(pending)


def mark_read(*, member, notification_ids=None) -> int:
    qs = Notification.objects.filter(member=member, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    return qs.update(read_at=timezone.now())
