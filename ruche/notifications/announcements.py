"""Chat announcements: what the community's rooms are told (a new initiative, a call for help,
a new public event, an event tomorrow with places left, a group's decision, the weekly
summary). The activity apps call `announce()` inside the transaction of the change: an
announcement of something rolled back never leaves. Each active channel that announces the
topic for the announcement's scope gets a delivery (see deliveries.py).

The channels are kept by the animation team; those named by the environment (MATRIX_*,
CHAT_WEBHOOK_URL) are made and kept up to date from it."""

import datetime
import re
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.translation import gettext as _

from ruche.core.markdown import render_markdown
from ruche.core.text import text_errors
from ruche.members.models import Incubator, Member
from ruche.notifications import tasks
from ruche.notifications.enums import DeliveryStatus, Scope, Topic, Transport
from ruche.notifications.models import Announcement, Channel, Delivery
from ruche.notifications.services import notify

FAILING_FOR = datetime.timedelta(days=1)
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>])")


def require_animation_team(actor) -> None:
    if not getattr(actor, "is_animation_team", False):
        raise PermissionDenied(_("Seule l’équipe d’animation gère les salons de discussion."))


def announce(
    *,
    topic: str,
    title: str,
    url: str,
    summary: str = "",
    incubator_id: int | None = None,
    group_id: int | None = None,
    key: str | None = None,
) -> Announcement | None:
    """Announces `title` (linking to `url`, a path on this site) to the channels that follow
    `topic`, within the caller's transaction. `incubator_id` / `group_id` say whose news it is
    (channels scoped to that incubator or group get it too). With a `key`, a second call for the
    same key does nothing and returns None."""
    link = f"{settings.BASE_URL}{url}"
    with translation.override(settings.LANGUAGE_CODE):
        label = str(Topic(topic).label)
    summary = " ".join(summary.split())
    markdown = f"**{label}** : [{_markdown_escape(title)}]({link})"
    text = f"{label} : {title} — {link}"
    html = format_html('<strong>{}</strong> : <a href="{}">{}</a>', label, link, title)
    if summary:
        markdown += f"\n{_markdown_escape(summary)}"
        text += f"\n{summary}"
        html += format_html("<br>{}", summary)
    return _create(
        topic=topic,
        key=key,
        text=text,
        markdown=markdown,
        html=str(html),
        incubator_id=incubator_id,
        group_id=group_id,
    )


def announce_markdown(*, topic: str, markdown: str, key: str | None = None):
    """An announcement written as markdown by Ruche itself (the weekly summary)."""
    return _create(
        topic=topic, key=key, text=markdown, markdown=markdown, html=str(render_markdown(markdown))
    )


def _markdown_escape(value: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(value.split()))


def _create(*, topic, key, incubator_id=None, group_id=None, **texts) -> Announcement | None:
    try:
        with transaction.atomic():
            announcement = Announcement.objects.create(
                topic=topic, key=key, incubator_id=incubator_id, group_id=group_id, **texts
            )
    except IntegrityError:
        if key and Announcement.objects.filter(key=key).exists():
            return None
        raise
    channels = [
        channel
        for channel in Channel.objects.filter(is_active=True)
        if topic in channel.topics and _in_scope(channel, announcement)
    ]
    tasks.create_many(
        [
            Delivery(announcement=announcement, channel=channel, transport=channel.transport)
            for channel in channels
        ]
    )
    return announcement


def _in_scope(channel: Channel, announcement: Announcement) -> bool:
    if channel.scope == Scope.COMMUNITY:
        return True
    if channel.scope == Scope.INCUBATOR:
        return channel.incubator_id == announcement.incubator_id
    return channel.group_id == announcement.group_id


def _where_errors(fields: dict, cleaned: dict, *, transport, secret: str, current) -> dict:
    """What is wrong with where the channel posts (a Matrix room, a webhook); the room's
    address goes into `cleaned`."""
    errors = {}
    if transport == Transport.MATRIX:
        homeserver = (fields.get("homeserver_url") or "").strip().rstrip("/")
        room = (fields.get("room_id") or "").strip()
        if not _is_web_address(homeserver):
            errors["homeserver_url"] = _(
                "Indiquez l’adresse du serveur Matrix, par exemple https://matrix.agent.tchap.gouv.fr."
            )
        if not re.fullmatch(r"![^:\s]+:\S+", room):
            errors["room_id"] = _(
                "Indiquez l’identifiant interne du salon, qui commence par « ! » et contient « : » "
                "(paramètres du salon, « Avancé »)."
            )
        if not secret and not (current and current.secret_encrypted):
            errors["secret"] = _("Indiquez le jeton d’accès du compte qui publie dans le salon.")
        cleaned.update(homeserver_url=homeserver, room_id=room)
    if transport == Transport.WEBHOOK:
        if secret and not _is_web_address(secret):
            errors["secret"] = _("L’adresse du webhook commence par https://.")
        elif not secret and not (current and current.secret_encrypted):
            errors["secret"] = _("Indiquez l’adresse du webhook entrant.")
    return errors


def channel_clean(fields: dict, *, current: Channel | None = None) -> dict:
    """Checks a channel's fields as the animation team typed them; raises ValidationError with
    a message per field."""
    errors = {}
    name = " ".join(str(fields.get("name") or "").split()) if fields.get("name") else ""
    if not name:
        errors["name"] = _("Donnez un nom au salon, par exemple « Tchap — communauté ».")
    errors.update(text_errors(lines={"name": (_("Le nom"), fields.get("name") or "")}))
    transport = current.transport if current else fields.get("transport")
    if transport not in (Transport.MATRIX, Transport.WEBHOOK):
        errors["transport"] = _("Choisissez un salon Matrix ou un webhook entrant.")
    secret = (fields.get("secret") or "").strip()
    environment = bool(current and current.from_environment)
    cleaned: dict[str, Any] = {"name": name}
    if not environment:
        errors.update(
            _where_errors(fields, cleaned, transport=transport, secret=secret, current=current)
        )
    if secret and not environment:
        errors.update(text_errors(lines={"secret": (_("Le secret"), secret)}))
        cleaned["secret"] = secret
    topics = list(dict.fromkeys(fields.get("topics") or []))
    if not topics:
        errors["topics"] = _("Choisissez au moins une chose à annoncer.")
    elif any(topic not in Topic.values for topic in topics):
        errors["topics"] = _("Choisissez parmi les annonces proposées.")
    scope = fields.get("scope") or Scope.COMMUNITY
    incubator, group_id = fields.get("incubator"), fields.get("group_id")
    if scope == Scope.INCUBATOR and not isinstance(incubator, Incubator):
        errors["incubator"] = _("Choisissez l’incubateur dont le salon reçoit les nouvelles.")
    if scope == Scope.GROUP and not group_id:
        errors["group_id"] = _("Choisissez le groupe dont le salon reçoit les nouvelles.")
    if scope not in Scope.values:
        errors["scope"] = _("Choisissez pour qui sont les annonces du salon.")
    if Topic.WEEKLY_SUMMARY in topics and scope != Scope.COMMUNITY:
        errors["topics"] = _(
            "Le récapitulatif de la semaine parle de toute la communauté : il ne va qu’aux "
            "salons de toute la communauté."
        )
    if errors:
        raise ValidationError(errors)
    cleaned.update(
        transport=transport,
        topics=topics,
        scope=scope,
        incubator=incubator if scope == Scope.INCUBATOR else None,
        group_id=int(group_id) if scope == Scope.GROUP and group_id else None,
    )
    return cleaned


def _is_web_address(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in {"http", "https"} and bool(parts.netloc) and " " not in value


def channel_save(*, actor: Member, fields: dict, channel: Channel | None = None) -> Channel:
    """Adds a channel, or changes one (a secret left empty is kept)."""
    require_animation_team(actor)
    cleaned = channel_clean(fields, current=channel)
    secret = cleaned.pop("secret", "")
    channel = channel or Channel()
    for name, value in cleaned.items():
        setattr(channel, name, value)
    if secret:
        channel.set_secret(secret)
    channel.save()
    return channel


def delivery_retry(*, actor: Member, delivery: Delivery) -> Delivery:
    """The animation team sends a failed announcement again, now."""
    require_animation_team(actor)
    Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.FAILED).update(
        status=DeliveryStatus.PENDING, next_attempt_at=timezone.now(), attempts=0
    )
    tasks.schedule([delivery.pk])
    delivery.refresh_from_db()
    return delivery


def channel_set_active(*, actor: Member, channel: Channel, active: bool) -> Channel:
    require_animation_team(actor)
    Channel.objects.filter(pk=channel.pk).update(is_active=active)
    channel.refresh_from_db()
    return channel


def environment_channels_sync() -> None:
    """Periodic, and after each migration: the channels named by the environment exist while
    it names them, with its address and secret (read from it when sending, never stored);
    what the animation team chose for them (topics, scope, on or off) is kept."""
    wanted = {
        Transport.MATRIX: (
            settings.MATRIX_HOMESERVER_URL
            and settings.MATRIX_ROOM_ID
            and settings.MATRIX_ACCESS_TOKEN,
            _("Salon Tchap de la communauté"),
        ),
        Transport.WEBHOOK: (settings.CHAT_WEBHOOK_URL, _("Webhook de la communauté")),
    }
    for transport, (configured, name) in wanted.items():
        existing = Channel.objects.filter(from_environment=True, transport=transport)
        if not configured:
            existing.update(is_active=False)
            continue
        if existing.exists():
            continue
        try:
            with transaction.atomic():
                Channel.objects.create(
                    name=str(name),
                    transport=transport,
                    from_environment=True,
                    room_id=settings.MATRIX_ROOM_ID if transport == Transport.MATRIX else "",
                    homeserver_url=settings.MATRIX_HOMESERVER_URL
                    if transport == Transport.MATRIX
                    else "",
                    topics=list(Topic.values),
                )
        except IntegrityError:
            pass  # another worker made it first


def failing_channels_warn(*, now: datetime.datetime | None = None) -> int:
    """Periodic: tells the animation team, once per streak, about each active channel whose
    deliveries have all failed for a day."""
    now = now or timezone.now()
    warned = 0
    for channel in Channel.objects.filter(
        is_active=True, failing_since__lt=now - FAILING_FOR, failure_warned_at__isnull=True
    ):
        claimed = Channel.objects.filter(pk=channel.pk, failure_warned_at__isnull=True).update(
            failure_warned_at=now
        )
        if not claimed:
            continue
        last_error = (
            channel.deliveries.exclude(error="").values_list("error", flat=True).first() or ""
        )
        with transaction.atomic():
            for member in Member.objects.animation_team().filter(is_active=True):
                notify(
                    member,
                    "notifications.channel_failing",
                    {
                        "name": channel.name,
                        "error": last_error[:300],
                        "url": channel.get_absolute_url(),
                    },
                )
        warned += 1
    return warned
