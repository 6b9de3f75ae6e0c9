"""Telling members things: the one way every feature sends a message.

`notify()` records the notification inside the caller's transaction and sends the e-mail only
once that transaction has committed, from the worker, retried until it leaves. Delivery claims
the row with a conditional update, so a task that runs twice (retry, second worker, a task taken
back from a worker that died) sends one e-mail. A message carrying a secret has its secret minted
at that moment, by its kind's `at_send`: it is never stored in clear.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from ruche.core.text import one_line
from ruche.members.models import Member
from ruche.notifications.models import (
    DigestDelivery,
    EmailStatus,
    Notification,
    NotificationPreferences,
)
from ruche.notifications.registry import NotificationKind, digest_sections, get_kind

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# The digest leaves on Monday from 8 a.m., Paris time; a worker stopped for longer than the
# window skips that week rather than sending Monday's news days late.
DIGEST_TIME = datetime.time(8)
DIGEST_WINDOW = datetime.timedelta(days=1)


def notify(member, kind: str, context: dict) -> Notification:
    """Tells `member` about something. `context` must be JSON-serialisable; a `url` key (a path
    on this site) becomes the link of the in-app notification and of the e-mail."""
    return _record(kind, context, in_app=get_kind(kind).in_app, address=member.email, member=member)


def _record(kind: str, context: dict, *, in_app: bool, address: str, **recipient) -> Notification:
    with translation.override(settings.LANGUAGE_CODE):
        subject = str(get_kind(kind).subject).format(**context)
    notification = Notification.objects.create(
        kind=kind,
        context=context,
        subject=subject[:300],
        url=context.get("url", ""),
        in_app=in_app,
        email_status=EmailStatus.PENDING if address else EmailStatus.NONE,
        **recipient,
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


def notify_address(email: str, name: str, kind: str, context: dict) -> Notification:
    """Tells someone who may not be a member, by e-mail only (the in-app part is for members):
    recorded in the caller's transaction and sent by the worker like any notification."""
    return _record(kind, context, in_app=False, address=email, email=email, name=name[:150])


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
        # A header holds one line: whatever a title stored before control characters were
        # refused carries, the message still leaves.
        subject=one_line(f"[Ruche] {subject}"),
        body=body,
        to=[member.email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    message.send()


def stale_claim() -> datetime.timedelta:
    """A claim this old was left by a worker that died while sending (the same silence after
    which the queue takes a dead worker's tasks back; an SMTP exchange times out long before)."""
    return datetime.timedelta(seconds=settings.WORKER_SILENCE_SECONDS)


def deliver(notification_id: int) -> bool:
    """Sends the e-mail of one notification; True if this call sent it. A claim left by a
    worker that died while sending is taken over, within the limit of attempts."""
    now = timezone.now()
    claimable = Q(email_status=EmailStatus.PENDING) | Q(
        email_status=EmailStatus.SENDING,
        email_claimed_at__lt=now - stale_claim(),
        email_attempts__lt=MAX_ATTEMPTS,
    )
    claimed = Notification.objects.filter(claimable, pk=notification_id).update(
        email_status=EmailStatus.SENDING,
        email_claimed_at=now,
        email_attempts=F("email_attempts") + 1,
    )
    if not claimed:
        return False
    notification = Notification.objects.select_related("member").get(pk=notification_id)
    spec = get_kind(notification.kind)
    recipient = notification.member or Addressee(notification.email, notification.name)
    try:
        extra = spec.at_send(notification) if spec.at_send else ({}, ())
        if extra is None:
            Notification.objects.filter(pk=notification_id).update(
                email_status=EmailStatus.NONE, email_error="Nothing to send anymore."
            )
            return False
        context, attachments = extra
        _send(
            recipient,
            spec,
            notification.subject,
            {**notification.context, **context},
            attachments,
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
        email_status=EmailStatus.SENDING, email_claimed_at__lt=now - stale_claim()
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


def preferences_for(member: Member) -> NotificationPreferences:
    """The member's preferences; the defaults (not saved) while they have changed nothing."""
    preferences = NotificationPreferences.objects.filter(member=member).first()
    return preferences or NotificationPreferences(member=member)


def preferences_update(*, actor: Member, digest: bool) -> NotificationPreferences:
    preferences, _created = NotificationPreferences.objects.update_or_create(
        member=actor, defaults={"digest": digest}
    )
    return preferences


def digest_week(now: datetime.datetime) -> datetime.date | None:
    """The Monday of the week whose digest is due at `now`; None outside the sending window."""
    paris = timezone.localtime(now, timezone.get_default_timezone())
    monday = paris.date() - datetime.timedelta(days=paris.weekday())
    opens = datetime.datetime.combine(monday, DIGEST_TIME, tzinfo=paris.tzinfo)
    return monday if opens <= paris < opens + DIGEST_WINDOW else None


def _digest_recipients(week: datetime.date):
    """Members, current and alumni, whose account is open, who have signed in at least once
    (an imported member who never came did not ask for e-mail), with an address, who did not
    switch the digest off and whose digest of `week` is not done yet."""
    switched_off = NotificationPreferences.objects.filter(member=OuterRef("pk"), digest=False)
    done = DigestDelivery.objects.filter(member=OuterRef("pk"), week=week)
    return (
        Member.objects.filter(is_active=True, last_login__isnull=False)
        .exclude(email="")
        .exclude(Exists(switched_off))
        .exclude(Exists(done))
        .order_by("pk")
    )


def _week_label(week: datetime.date) -> str:
    label = formats.date_format(week, "j F")
    if week.day == 1:
        label = label.replace("1", _("1er"), 1)
    return label


def _digest_of(member: Member, sections, now: datetime.datetime, prepared: dict) -> list[dict]:
    """What each section has to tell `member`, in the site's language (stored as JSON)."""
    built = []
    with translation.override(settings.LANGUAGE_CODE):
        for section in sections:
            context = section.build(member, now, prepared[section.name])
            if context is not None:
                built.append({"name": section.name, "template": section.template, **context})
    return built


def digest_send(*, now: datetime.datetime | None = None) -> int:
    """Periodic: the weekly digest, on Monday from 8 a.m. (Paris), once per member and week.
    Each registered section says its part; a member none of them has anything for gets no
    e-mail, but their week is recorded as done all the same, so later runs of the day neither
    rebuild it nor send news that came up since (that waits for next Monday). The week's row
    is created in the notification's transaction under a unique (member, week) constraint: a
    second run or a second worker that gets there too skips the member. Returns how many
    digests were sent."""
    now = now or timezone.now()
    week = digest_week(now)
    if week is None:
        return 0
    recipients = list(_digest_recipients(week))
    if not recipients:
        return 0
    sections = digest_sections()
    with translation.override(settings.LANGUAGE_CODE):
        prepared = {s.name: s.prepare(now) if s.prepare else None for s in sections}
        common = {"week": _week_label(week), "settings_url": reverse("notifications:preferences")}
    sent = 0
    for member in recipients:
        built = _digest_of(member, sections, now, prepared)
        try:
            with transaction.atomic():
                notification = (
                    notify(member, "notifications.digest", {**common, "sections": built})
                    if built
                    else None
                )
                DigestDelivery.objects.create(member=member, week=week, notification=notification)
        except IntegrityError:
            continue  # another run did this member's week meanwhile
        if notification is not None:
            sent += 1
    return sent
