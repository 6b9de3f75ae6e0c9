"""Telling members things: the one way every feature sends a message.

`notify()` records the notification inside the caller's transaction and, if the member wants
it by e-mail now, a delivery that the worker sends once that transaction has committed (see
tasks.py). What the member chose for the kind's category decides: e-mail right away, the
digest, in Ruche only, or nothing; a few kinds (`always`) reach them whatever they chose.
"""

from collections.abc import Collection, Iterable
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import Combinable
from django.utils import timezone, translation

from ruche.members.models import Member
from ruche.notifications import tasks
from ruche.notifications.emails import DIGEST
from ruche.notifications.enums import (
    CHOOSABLE,
    DEFAULT_MODES,
    Category,
    DigestFrequency,
    Mode,
    Transport,
)
from ruche.notifications.models import (
    CategoryPreference,
    Delivery,
    Notification,
    NotificationPreferences,
)
from ruche.notifications.registry import NotificationKind, get_kind


def notify(member: Member, kind: str, context: dict[str, Any]) -> Notification | None:
    """Tells `member` about something, as they chose for the kind's category; None when they
    switched it off. `context` must be JSON-serialisable; a `url` key (a path on this site)
    becomes the link of the in-app notification and of the e-mail."""
    spec = get_kind(kind)
    mode = Mode.EMAIL if _unavoidable(spec) else mode_for(member, spec.category)
    if mode == Mode.OFF or (mode != Mode.EMAIL and not spec.in_app):
        return None
    return _record(
        spec,
        context,
        in_app=spec.in_app,
        for_digest=mode == Mode.DIGEST,
        send_email=mode == Mode.EMAIL and bool(member.email),
        member=member,
    )


def notify_many(members: QuerySet[Member], kind: str, context: dict[str, Any]) -> int:
    """Tells each of `members` (a queryset) the same thing, as each chose for the kind's
    category, in a few queries however many they are. For community news: those who chose the
    digest hear of it there (the apps' digest sections), so they get no row here."""
    spec = get_kind(kind)
    chosen = list(choosing(members, spec.category, [Mode.EMAIL, Mode.IN_APP]))
    if not chosen:
        return 0
    emailed = set(
        choosing(
            Member.objects.filter(pk__in=[m.pk for m in chosen]), spec.category, [Mode.EMAIL]
        ).values_list("pk", flat=True)
    )
    subject, url = _subject(spec, context), context.get("url", "")
    notifications = Notification.objects.bulk_create(
        Notification(
            member=member,
            kind=spec.name,
            category=spec.category,
            context=context,
            subject=subject,
            url=url,
            in_app=spec.in_app,
        )
        for member in chosen
    )
    tasks.create_many(
        [
            Delivery(notification=notification, transport=Transport.EMAIL)
            for notification in notifications
            if notification.member_id in emailed
            and notification.member is not None
            and notification.member.email
        ]
    )
    return len(notifications)


def _unavoidable(spec: NotificationKind) -> bool:
    return spec.always or spec.category == Category.ACCOUNT


def _subject(spec: NotificationKind, context: dict[str, Any]) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(spec.subject).format(**context)[:300]


def _record(
    spec: NotificationKind,
    context: dict[str, Any],
    *,
    in_app: bool,
    send_email: bool,
    for_digest: bool = False,
    **recipient: Any,
) -> Notification:
    notification = Notification.objects.create(
        kind=spec.name,
        category=spec.category,
        context=context,
        subject=_subject(spec, context),
        url=context.get("url", ""),
        in_app=in_app,
        for_digest=for_digest,
        **recipient,
    )
    if send_email:
        tasks.create(notification=notification, transport=Transport.EMAIL)
    return notification


def notify_address(email: str, name: str, kind: str, context: dict[str, Any]) -> Notification:
    """Tells someone who may not be a member, by e-mail only (the in-app part is for members):
    recorded in the caller's transaction and sent by the worker like any notification."""
    spec = get_kind(kind)
    return _record(
        spec, context, in_app=False, send_email=bool(email), email=email, name=name[:150]
    )


def notifications_mark_read(
    *, member: Member, notification_ids: Iterable[int] | None = None, category: str = ""
) -> int:
    qs = Notification.objects.filter(member=member, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    if category:
        qs = qs.filter(category=category)
    return qs.update(read_at=timezone.now())


def mode_for(member: Member, category: str) -> str:
    if not getattr(member, "pk", None):
        return DEFAULT_MODES[category]
    chosen = (
        CategoryPreference.objects.filter(member=member, category=category)
        .values_list("mode", flat=True)
        .first()
    )
    return chosen or DEFAULT_MODES[category]


def modes_for(member: Member) -> dict[str, str]:
    """The member's choice for every category, defaults included."""
    chosen = dict(CategoryPreference.objects.filter(member=member).values_list("category", "mode"))
    return {category: chosen.get(category, DEFAULT_MODES[category]) for category in Category}


def choosing(members: QuerySet[Member], category: str, modes: Collection[str]) -> QuerySet[Member]:
    """The members of the queryset whose choice for `category` is one of `modes`."""
    choice = CategoryPreference.objects.filter(member=OuterRef("pk"), category=category)
    wanted: Q | Combinable = Exists(choice.filter(mode__in=modes))
    if DEFAULT_MODES[category] in modes:
        wanted = wanted | ~Exists(choice)
    return members.filter(Q(wanted))


def preferences_for(member: Member) -> NotificationPreferences:
    """The member's preferences; the defaults (not saved) while they have changed nothing."""
    preferences = NotificationPreferences.objects.filter(member=member).first()
    return preferences or NotificationPreferences(member=member)


def preferences_update(
    *, actor: Member, digest_frequency: str | None = None, modes: dict[str, str] | None = None
) -> NotificationPreferences:
    """Saves the member's own choices: the digest's frequency and a mode per category (the
    account category is not a choice)."""
    if digest_frequency is not None:
        DigestFrequency(digest_frequency)
        _preferences, _created = NotificationPreferences.objects.update_or_create(
            member=actor, defaults={"digest_frequency": digest_frequency}
        )
    for category, mode in (modes or {}).items():
        if category not in CHOOSABLE:
            raise ValueError(f"{str(category)!r} is not a category a member chooses for.")
        CategoryPreference.objects.update_or_create(
            member=actor, category=category, defaults={"mode": Mode(mode)}
        )
    return preferences_for(actor)


def unsubscribe(*, member_id: int, topic: str) -> bool:
    """The one-click unsubscribe of an e-mail: switches off its category (or the digest) for
    that member only; no session needed, the signed link is the proof. True if it changed
    something."""
    member = Member.objects.filter(pk=member_id, is_active=True).first()
    if member is None:
        return False
    if topic == DIGEST:
        preferences_update(actor=member, digest_frequency=DigestFrequency.OFF)
    else:
        preferences_update(actor=member, modes={topic: Mode.OFF})
    return True
