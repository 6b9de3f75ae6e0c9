"""What a member does from « S'engager »: take a suggestion in one click (through the service of
the app that owns it), say « pas pour moi », put the « Premiers pas » block away."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from ruche.core.text import refuse_control_characters
from ruche.events.enums import RsvpStatus
from ruche.events.models import Event, Shift
from ruche.events.services import registrations, shifts
from ruche.groups.enums import JoinOutcome
from ruche.groups.models import WorkingGroup
from ruche.groups.services import group_join
from ruche.initiatives.models import CallForHelp, Initiative
from ruche.initiatives.services import participation
from ruche.members.models import Member
from ruche.onboarding.enums import SuggestionKind
from ruche.onboarding.models import ChatRoom, Decline, FirstStepsDismissal
from ruche.onboarding.suggestions import parse_key


def _parsed(key: str) -> tuple[SuggestionKind, int]:
    parsed = parse_key(key)
    if parsed is None:
        raise ValidationError(_("Cette suggestion n’existe pas."))
    return parsed


def suggestion_decline(*, actor: Member, key: str) -> Decline:
    """« Pas pour moi »: the suggestion is not shown to the member again."""
    _parsed(key)
    try:
        with transaction.atomic():
            decline, _created = Decline.objects.get_or_create(member=actor, key=key)
    except IntegrityError:
        decline = Decline.objects.get(member=actor, key=key)
    return decline


def suggestion_take(*, actor: Member, key: str) -> tuple[str, str]:
    """Does what the suggestion's button says, through the owning app's service (which checks
    everything it checks anywhere else); returns where to see the result and what to tell the
    member. A need is not taken here: its action leads to the proposal form."""
    kind, pk = _parsed(key)
    if kind == SuggestionKind.ROLE:
        role = get_object_or_404(CallForHelp.objects.select_related("initiative"), pk=pk)
        participation.initiative_join(actor=actor, initiative=role.initiative, role=role)
        return role.initiative.get_absolute_url(), _("Vous avez pris ce rôle. Merci !")
    if kind == SuggestionKind.INITIATIVE:
        initiative = get_object_or_404(Initiative.objects.visible(), pk=pk)
        participation.initiative_join(actor=actor, initiative=initiative)
        return initiative.get_absolute_url(), _("Vous avez rejoint l’initiative. Merci !")
    if kind == SuggestionKind.SHIFT:
        shift = get_object_or_404(Shift.objects.select_related("event"), pk=pk)
        shifts.shift_signup(actor=actor, shift=shift)
        return shift.event.get_absolute_url() + "#creneaux", _("Merci ! Le créneau est à vous.")
    if kind == SuggestionKind.EVENT:
        event = get_object_or_404(Event, pk=pk)
        rsvp = registrations.rsvp_register(actor=actor, event=event)
        if rsvp.status == RsvpStatus.WAITLISTED:
            return event.get_absolute_url(), _(
                "L’événement vient d’être complet : vous êtes sur la liste d’attente."
            )
        return event.get_absolute_url(), _("C’est noté : vous êtes inscrit·e.")
    if kind == SuggestionKind.NEED:
        return reverse("initiatives:initiative-create") + f"?besoin={pk}", ""
    group = get_object_or_404(WorkingGroup, pk=pk)
    if group_join(actor=actor, group=group) == JoinOutcome.REQUESTED:
        return group.get_absolute_url(), _(
            "Votre demande est envoyée aux animateur·rices du groupe."
        )
    return group.get_absolute_url(), _("Bienvenue dans le groupe !")


def first_steps_dismiss(*, actor: Member) -> FirstStepsDismissal:
    dismissal, _created = FirstStepsDismissal.objects.get_or_create(member=actor)
    return dismissal


def _check_animation_team(actor: Member) -> None:
    if not (actor.is_animation_team or actor.is_superuser):
        raise PermissionDenied(_("Seule l’équipe d’animation tient la liste des salons."))


def chat_room_add(*, actor: Member, fields: dict[str, Any]) -> ChatRoom:
    """The animation team lists a chat room of the community."""
    _check_animation_team(actor)
    refuse_control_characters(
        lines={
            "name": (_("Le nom"), fields.get("name")),
            "purpose": (_("À quoi il sert"), fields.get("purpose")),
        }
    )
    room = ChatRoom(**fields)
    room.full_clean()
    room.save()
    return room


def chat_room_delete(*, actor: Member, room: ChatRoom) -> None:
    _check_animation_team(actor)
    room.delete()
