from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from ruche.core.text import refuse_control_characters
from ruche.members.models import Competence, Member


def _profile_labels() -> dict[str, Any]:
    return {
        "display_name": _("Le nom affiché"),
        "role": _("Le rôle"),
        "github": _("L’identifiant GitHub"),
        "link": _("Le lien"),
        "chat_handle": _("L’identifiant de messagerie"),
        "interests": _("Chaque centre d’intérêt"),
        "languages": _("Chaque langue"),
        "competences": _("Chaque compétence"),
    }


def member_profile_update(
    *, actor: Member, member: Member, fields: dict[str, Any], competences: list[str]
) -> Member:
    """Saves what a member says about themselves; only they (or an admin) may."""
    if actor.pk != member.pk and not actor.is_superuser:
        raise PermissionDenied(_("Vous ne pouvez modifier que votre propre profil."))
    labels = _profile_labels()
    lines = {}
    for name, value in {**fields, "competences": competences}.items():
        if name in labels:
            # A list (interests, languages, competences) is refused when one of its items is.
            joined = " ".join(value) if isinstance(value, list | tuple) else value
            lines[name] = (labels[name], joined)
    refuse_control_characters(
        lines=lines, paragraphs={"bio": (_("La présentation"), fields.get("bio"))}
    )
    with transaction.atomic():
        for name, value in fields.items():
            setattr(member, name, value)
        member.save()
        names = list(dict.fromkeys(name.strip()[:100] for name in competences if name.strip()))
        existing = {c.name.casefold(): c for c in Competence.objects.filter(name__in=names)}
        chosen = []
        for name in names:
            competence = existing.get(name.casefold())
            if competence is None:
                competence, _created = Competence.objects.get_or_create(name=name)
            chosen.append(competence)
        member.competences.set(chosen)
    return member
