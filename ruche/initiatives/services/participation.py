"""Who takes part: co-leads, roles (calls for help) and joining or leaving."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ruche.core.text import text_errors
from ruche.engagement.enums import ContributionKind
from ruche.initiatives.enums import OPEN_STATUSES, LeadRole
from ruche.initiatives.models import CallForHelp, Initiative, InitiativeLead, Participation
from ruche.initiatives.services.common import create_once, ledger, require_manager, text
from ruche.members.models import Member
from ruche.notifications.announcements import announce
from ruche.notifications.enums import Topic
from ruche.notifications.services import notify, notify_many

ROLE_LABEL_MAX_LENGTH = 120
ROLE_MAX_COUNT = 500


def initiative_colead_add(
    *, actor: Member, initiative: Initiative, member: Member
) -> InitiativeLead:
    require_manager(
        actor,
        initiative,
        _(
            "Seul·es les porteur·ses de l’initiative et l’équipe d’animation peuvent ajouter un·e "
            "co-porteur·se."
        ),
    )
    if not member.is_active:
        raise ValidationError({"member": _("Ce compte est fermé : choisissez un·e autre membre.")})
    with transaction.atomic():
        link = create_once(
            InitiativeLead,
            {"member": _("%(name)s porte déjà cette initiative.") % {"name": member}},
            initiative=initiative, member=member, extra={"role": LeadRole.CO_LEAD},
        )  # fmt: skip
        ledger(member, ContributionKind.CO_LED, initiative, details={"added_by": actor.pk})
        if member.pk != actor.pk:
            notify(
                member,
                "initiatives.co_lead_added",
                {
                    "actor": str(actor),
                    "title": initiative.title,
                    "url": initiative.get_absolute_url(),
                },
            )
    return link


def initiative_colead_remove(*, actor: Member, initiative: Initiative, member: Member) -> None:
    """A co-lead steps down, or another lead (or the animation team) removes them. The proposer
    stays."""
    if actor.pk != member.pk:
        require_manager(
            actor,
            initiative,
            _(
                "Seul·es les porteur·ses de l’initiative et l’équipe d’animation peuvent retirer "
                "un·e co-porteur·se."
            ),
        )
    with transaction.atomic():
        link = InitiativeLead.objects.filter(initiative=initiative, member=member).first()
        if link is None:
            raise ValidationError(_("%(name)s ne porte pas cette initiative.") % {"name": member})
        if link.role == LeadRole.PROPOSER:
            raise ValidationError(
                _(
                    "La personne qui a proposé l’initiative en reste porteuse : elle ne peut pas "
                    "être retirée."
                )
            )
        link.delete()
        ledger(
            member, ContributionKind.CO_LED, initiative, undo=True,
            details={"removed_by": actor.pk},
        )  # fmt: skip


def role_add(
    *, actor: Member, initiative: Initiative, label: str, count: int | str | None, skill: str = ""
) -> CallForHelp:
    require_manager(
        actor,
        initiative,
        _(
            "Seul·es les porteur·ses de l’initiative et l’équipe d’animation peuvent ouvrir un "
            "rôle."
        ),
    )
    errors = {}
    label = text(label)
    skill = text(skill)
    if not label:
        errors["label"] = _("Nommez le rôle, par exemple « accueil des participant·es ».")
    elif len(label) > ROLE_LABEL_MAX_LENGTH:
        errors["label"] = _("Le rôle ne doit pas dépasser %(max)d caractères.") % {
            "max": ROLE_LABEL_MAX_LENGTH
        }
    try:
        count = int(count) if count is not None else 0  # as int(None) would be refused
    except (TypeError, ValueError):
        count = 0
    if count < 1 or count > ROLE_MAX_COUNT:
        errors["count"] = _("Indiquez un nombre de personnes entre 1 et %(max)d.") % {
            "max": ROLE_MAX_COUNT
        }
    if len(skill) > ROLE_LABEL_MAX_LENGTH:
        errors["skill"] = _("La compétence ne doit pas dépasser %(max)d caractères.") % {
            "max": ROLE_LABEL_MAX_LENGTH
        }
    errors.update(
        text_errors(lines={"label": (_("Le rôle"), label), "skill": (_("La compétence"), skill)})
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        role = CallForHelp.objects.create(
            initiative=initiative, label=label, count=count, skill=skill
        )
        if not initiative.hidden:
            _call_for_help(role)
    return role


def _call_for_help(role: CallForHelp) -> None:
    """The chat rooms that announce calls for help, and the members who have the competence
    asked and want such calls as they come."""
    initiative = role.initiative
    url = f"{initiative.get_absolute_url()}#participation"
    summary = ngettext(
        "%(count)d personne pour « %(label)s »",
        "%(count)d personnes pour « %(label)s »",
        role.count,
    ) % {"count": role.count, "label": role.label}
    announce(
        topic=Topic.CALL_FOR_HELP,
        title=initiative.title,
        url=url,
        summary=summary,
        incubator_id=initiative.incubator_id,
    )
    if role.skill:
        notify_many(
            Member.objects.filter(is_active=True, competences__name__iexact=role.skill).exclude(
                initiatives_led=initiative
            ),
            "initiatives.call_for_help",
            {"title": initiative.title, "label": role.label, "skill": role.skill, "url": url},
        )


def role_remove(*, actor: Member, role: CallForHelp) -> None:
    """Those who had taken the role stay in the initiative, without a role."""
    require_manager(
        actor,
        role.initiative,
        _(
            "Seul·es les porteur·ses de l’initiative et l’équipe d’animation peuvent retirer un "
            "rôle."
        ),
    )
    with transaction.atomic():
        Participation.objects.filter(role=role).update(role=None)
        role.delete()


def initiative_join(
    *, actor: Member, initiative: Initiative, role: CallForHelp | None = None
) -> Participation:
    """The member joins the initiative, in a role or generally. A role's places are taken by a
    conditional update, so the last place goes to exactly one of two simultaneous requests;
    the unique constraint does the same for a double submission."""
    already = _("Vous avez déjà rejoint cette initiative.")
    if initiative.hidden:
        raise ValidationError(_("Cette initiative a été masquée par l’équipe d’animation."))
    if initiative.status not in OPEN_STATUSES:
        raise ValidationError(
            _("Cette initiative est « %(status)s » : elle n’accueille plus de participant·es.")
            % {"status": initiative.get_status_display().lower()}
        )
    if role is not None and role.initiative_id != initiative.pk:
        raise ValidationError({"role": _("Ce rôle n’appartient pas à cette initiative.")})
    if role is None and initiative.is_led_by(actor):
        # A lead already belongs to the initiative; they may still take one of its roles.
        raise ValidationError(_("Vous portez cette initiative : vous en faites déjà partie."))
    if Participation.objects.filter(initiative=initiative, member=actor).exists():
        raise ValidationError(already)  # before taking a place, which a refusal would undo
    with transaction.atomic():
        if role is not None:
            taken = CallForHelp.objects.filter(pk=role.pk, taken__lt=F("count")).update(
                taken=F("taken") + 1
            )
            if not taken:
                raise ValidationError(
                    {"role": _("Ce rôle est complet : toutes les places sont prises.")}
                )
        participation = create_once(
            Participation, already, initiative=initiative, member=actor, extra={"role": role}
        )
        ledger(
            actor, ContributionKind.JOINED, initiative,
            details={"role": role.label} if role else {},
        )  # fmt: skip
        for lead in initiative.leads.exclude(pk=actor.pk):
            notify(
                lead,
                "initiatives.participant_joined",
                {
                    "member_name": str(actor),
                    "role": role.label if role else "",
                    "title": initiative.title,
                    "url": initiative.get_absolute_url(),
                },
            )
    if role is not None:
        role.refresh_from_db(fields=["taken"])
    return participation


def initiative_leave(*, actor: Member, initiative: Initiative) -> None:
    with transaction.atomic():
        participation = (
            Participation.objects.select_related("role")
            .filter(initiative=initiative, member=actor)
            .first()
        )
        if participation is None:
            raise ValidationError(_("Vous ne participez pas à cette initiative."))
        deleted, _details = Participation.objects.filter(pk=participation.pk).delete()
        if not deleted:
            raise ValidationError(_("Vous ne participez pas à cette initiative."))
        if participation.role_id:
            CallForHelp.objects.filter(pk=participation.role_id, taken__gt=0).update(
                taken=F("taken") - 1
            )
        ledger(
            actor, ContributionKind.JOINED, initiative, undo=True,
            details={"role": participation.role.label} if participation.role is not None else {},
        )  # fmt: skip
