"""Invited speakers, who may come from outside the community and answer through a private
link."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import EmailValidator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ruche.core.secrets import hash_secret, new_secret
from ruche.core.text import refuse_control_characters, text_errors
from ruche.engagement.enums import ContributionKind, SubjectType
from ruche.engagement.services import record
from ruche.events import ics
from ruche.events.enums import SpeakerStatus
from ruche.events.models import (
    Event,
    Speaker,
)
from ruche.events.services.common import event_context, require_manager
from ruche.members.models import Member
from ruche.notifications.models import Notification
from ruche.notifications.registry import Minted
from ruche.notifications.services import notify, notify_address


def speaker_invite(
    *,
    actor: Member,
    event: Event,
    name: str,
    email: str,
    bio: str = "",
    talk_title: str = "",
) -> Speaker:
    """Invites someone to speak: they get an e-mail with the event, a calendar file and a
    private link to answer (no account needed)."""
    require_manager(actor, event)
    errors = {}
    name = (name or "").strip()
    email = (email or "").strip().lower()
    if not name:
        errors["name"] = _("Indiquez le nom de la personne invitée.")
    elif len(name) > 150:
        errors["name"] = _("Le nom ne doit pas dépasser 150 caractères.")
    try:
        EmailValidator()(email)
    except ValidationError:
        errors["email"] = _("Saisissez une adresse e-mail complète, par exemple nom@exemple.fr.")
    if len(talk_title or "") > 200:
        errors["talk_title"] = _("Le titre ne doit pas dépasser 200 caractères.")
    errors.update(
        text_errors(
            lines={
                "name": (_("Le nom"), name),
                "talk_title": (_("Le titre de l’intervention"), talk_title),
            },
            paragraphs={"bio": (_("La présentation"), bio)},
        )
    )
    if errors:
        raise ValidationError(errors)
    if event.is_cancelled or event.is_over():
        raise ValidationError(_("On n’invite plus d’intervenant·e à un événement annulé ou passé."))
    if Speaker.objects.filter(event=event, email=email).exists():
        raise ValidationError({"email": _("Cette personne est déjà invitée à cet événement.")})
    with transaction.atomic():
        speaker = Speaker.objects.create(
            event=event,
            name=name,
            email=email,
            bio=(bio or "").strip(),
            talk_title=(talk_title or "").strip(),
            member=Member.objects.filter(email=email, is_active=True).first(),
            # Until the invitation is written (speaker_invitation_mint), no link works.
            token_hash=hash_secret(new_secret()),
            invited_by=actor,
        )
        _send_invitation(speaker, inviter=actor)
    return speaker


def speaker_reinvite(*, actor: Member, speaker: Speaker) -> Speaker:
    """Sends the invitation again (lost e-mail, new date) with a new private link: only the
    link's hash is kept, so the old one cannot be sent again and stops working."""
    event = speaker.event
    require_manager(actor, event)
    if event.is_cancelled or event.is_over():
        raise ValidationError(_("Cet événement est annulé ou passé : plus d’invitation à envoyer."))
    with transaction.atomic():
        speaker = Speaker.objects.select_for_update(of=("self",)).get(pk=speaker.pk)
        # The old link stops working now; the new one is minted when the e-mail is written.
        speaker.token_hash = hash_secret(new_secret())
        speaker.invited_at = timezone.now()
        speaker.save(update_fields=["token_hash", "invited_at"])
        _send_invitation(speaker, inviter=actor)
    return speaker


def _send_invitation(speaker: Speaker, *, inviter: Member) -> None:
    """Recorded in the caller's transaction, e-mailed by the worker after it commits: a failing
    mail server is retried and never undoes (nor half-does) the invitation."""
    event = speaker.event
    notify_address(
        speaker.email,
        speaker.name,
        "events.speaker_invitation",
        event_context(
            event,
            speaker=speaker.pk,
            event_url=event.get_absolute_url(),
            inviter=inviter.display_name,
            talk_title=speaker.talk_title,
        ),
    )


def speaker_invitation_mint(notification: Notification) -> Minted | None:
    """At the moment the invitation is written, in the worker: a new private link (its hash
    replaces the speaker's, so an older link stops working) and the event's calendar file as
    it is now. None when the speaker was removed meanwhile."""
    speaker = (
        Speaker.objects.select_related("event").filter(pk=notification.context["speaker"]).first()
    )
    if speaker is None:
        return None
    secret = new_secret()
    Speaker.objects.filter(pk=speaker.pk).update(token_hash=hash_secret(secret))
    attachment = ics.calendar([ics.event_component(speaker.event)]).decode()
    return (
        {"url": reverse("events:speaker-answer", args=[secret])},
        (("evenement.ics", attachment, "text/calendar"),),
    )


def speaker_find(*, secret: str) -> Speaker | None:
    return (
        Speaker.objects.select_related("event").filter(token_hash=hash_secret(secret or "")).first()
    )


def speaker_answer(
    *, secret: str, accept: bool, bio: str, talk_title: str | None = None
) -> Speaker:
    """The invited person confirms or declines, and may rewrite the bio shown on the event."""
    speaker = speaker_find(secret=secret)
    if speaker is None:
        raise PermissionDenied(_("Ce lien d’invitation n’est pas valable."))
    event = speaker.event
    if event.is_cancelled:
        raise ValidationError(_("Cet événement est annulé : plus besoin de répondre."))
    if event.is_over():
        raise ValidationError(_("Cet événement est passé."))
    if len(bio or "") > 5000:
        raise ValidationError({"bio": _("La présentation ne doit pas dépasser 5 000 caractères.")})
    refuse_control_characters(
        lines={"talk_title": (_("Le titre de l’intervention"), talk_title)},
        paragraphs={"bio": (_("La présentation"), bio)},
    )
    now = timezone.now()
    with transaction.atomic():
        speaker = (
            Speaker.objects.select_for_update(of=("self",))
            .select_related("member")
            .get(pk=speaker.pk)
        )
        previous = speaker.status
        speaker.status = SpeakerStatus.CONFIRMED if accept else SpeakerStatus.DECLINED
        speaker.bio = (bio or "").strip()
        if talk_title is not None:
            speaker.talk_title = talk_title.strip()[:200]
        speaker.responded_at = now
        speaker.save()
        spoke_changed = accept or previous == SpeakerStatus.CONFIRMED
        if speaker.member is not None and previous != speaker.status and spoke_changed:
            record(
                member=speaker.member,
                kind=ContributionKind.SPOKE,
                subject_type=SubjectType.EVENT,
                subject_id=event.pk,
                undo=not accept,
            )
        if previous != speaker.status:
            for organiser in event.organisers.all():
                notify(
                    organiser,
                    "events.speaker_answered",
                    event_context(event, name=speaker.name, accepted=accept),
                )
    return speaker


def speaker_remove(*, actor: Member, speaker: Speaker) -> None:
    require_manager(actor, speaker.event)
    with transaction.atomic():
        if speaker.status == SpeakerStatus.CONFIRMED and speaker.member is not None:
            record(
                member=speaker.member,
                kind=ContributionKind.SPOKE,
                subject_type=SubjectType.EVENT,
                subject_id=speaker.event_id,
                undo=True,
            )
        speaker.delete()
