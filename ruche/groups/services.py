"""Working groups and clubs: creating and running them, membership, review, proposals and the
decision log. The only writers of the groups' models; each checks who may act."""

import datetime
from collections import Counter
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, QuerySet, Sum
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ruche.core.markdown import plain_text
from ruche.core.text import Label, text_errors
from ruche.engagement.enums import ContributionKind, SubjectType
from ruche.engagement.models import Contribution
from ruche.engagement.services import record
from ruche.groups.enums import (
    CONSENT_OPTIONS,
    GroupKind,
    GroupStatus,
    JoinOutcome,
    JoinRequestStatus,
    MembershipPolicy,
    MembershipRole,
)
from ruche.groups.models import (
    NAME_MAX_LENGTH,
    REVIEW_AFTER,
    REVIEW_NOTICE,
    Answer,
    Decision,
    JoinRequest,
    Membership,
    Proposal,
    WorkingGroup,
    name_key_of,
)
from ruche.initiatives.enums import InitiativeKind
from ruche.initiatives.models import Initiative, Need
from ruche.members.models import Incubator, Member
from ruche.notifications.announcements import announce
from ruche.notifications.enums import Topic
from ruche.notifications.services import notify, notify_many

TEXT_MAX_LENGTH = 20_000
QUESTION_MAX_LENGTH = 300
OPTION_MAX_LENGTH = 100
MAX_OPTIONS = 10
LINK_FIELDS = {
    "pad_url": gettext_lazy("Le lien du pad"),
    "documents_url": gettext_lazy("Le lien des documents"),
    "chat_url": gettext_lazy("Le lien du salon de discussion"),
}
TAKING_PART = (ContributionKind.JOINED, ContributionKind.LED, ContributionKind.CO_LED)
GROUP_FIELDS = (
    "name", "kind", "description", "mandate", "membership", "pad_url", "documents_url",
    "chat_url", "review_on", "incubator", "status",
)  # fmt: skip


# Who may act.


def can_manage(member: Member | AnonymousUser | None, group: WorkingGroup) -> bool:
    """Leads, and the animation team, edit a group and answer its membership requests."""
    return bool(getattr(member, "is_animation_team", False)) or group.is_led_by(member)


def require_manager(actor: Member | AnonymousUser, group: WorkingGroup) -> None:
    """Refuses whoever may not edit the group (its pages ask before showing a form)."""
    if not can_manage(actor, group):
        raise PermissionDenied(_("Seul·es les animateur·rices du groupe peuvent faire cela."))


def require_lead(actor: Member | AnonymousUser, group: WorkingGroup) -> None:
    """Refuses whoever does not lead the group (closing proposals, the decision log)."""
    if not group.is_led_by(actor):
        raise PermissionDenied(_("Seul·es les animateur·rices du groupe peuvent faire cela."))


def require_member(actor: Member | AnonymousUser, group: WorkingGroup) -> None:
    """Refuses whoever is not a lead or member (observers follow, they do not propose)."""
    if not group.is_member(actor):
        raise PermissionDenied(_("Seul·es les membres du groupe peuvent ouvrir une proposition."))


def _require_open(group: WorkingGroup) -> None:
    if group.is_closed:
        raise ValidationError(_("Ce groupe est clos : il n’accueille plus de nouvelles activités."))


def _ledger(
    member: Member, kind: str, group: WorkingGroup, *, undo: bool = False, **details: Any
) -> None:
    record(
        member=member,
        kind=kind,
        subject_type=SubjectType.GROUP,
        subject_id=group.pk,
        undo=undo,
        details=details or None,
    )


def _locked(group: WorkingGroup) -> WorkingGroup:
    """The group row, locked until the end of the transaction (PostgreSQL; SQLite's IMMEDIATE
    transactions already serialise writers)."""
    return WorkingGroup.objects.select_for_update().get(pk=group.pk)


# Checking what describes a group.


def _text(value: object) -> str:
    return str(value if value is not None else "").strip()


def link_clean(value: object, label: Label) -> str:
    """A link members follow: https only (a matrix.to link for a Tchap room is https too);
    `javascript:`, `data:` or a bare word are refused."""
    link = _text(value)
    if not link:
        return ""
    parts = urlsplit(link)
    if parts.scheme.lower() != "https" or not parts.netloc or any(c.isspace() for c in link):
        raise ValidationError(
            _(
                "%(field)s doit être une adresse web commençant par https:// (pour un salon "
                "Tchap, un lien https://matrix.to/… convient)."
            )
            % {"field": label}
        )
    if len(link) > 500:
        raise ValidationError(
            _("%(field)s est trop long (500 caractères au plus).") % {"field": label}
        )
    return link


def group_fields_clean(
    fields: dict[str, Any], *, group: WorkingGroup | None = None
) -> dict[str, Any]:
    """Checks what describes a group; raises ValidationError with one French message per field.
    Only the fields given are checked (an edit may send a few)."""
    errors: dict[str, str] = {}
    cleaned = dict(fields)
    if "name" in fields:
        cleaned["name"] = _name_clean(fields["name"], group, errors)
    if "kind" in fields and fields["kind"] not in GroupKind.values:
        errors["kind"] = _("Type inconnu : choisissez groupe de travail ou club.")
    if "membership" in fields and fields["membership"] not in MembershipPolicy.values:
        errors["membership"] = _("Adhésion inconnue : choisissez ouverte ou sur demande.")
    if "status" in fields and fields["status"] not in (GroupStatus.ACTIVE, GroupStatus.PAUSED):
        errors["status"] = _(
            "Choisissez actif ou en pause ; pour clore le groupe, utilisez « Clore le groupe »."
        )
    for name, label, required in (
        ("mandate", _("Le mandat"), True),
        ("description", _("Le résumé"), False),
    ):
        if name not in fields:
            continue
        value = fields[name] or ""
        errors.update(text_errors(paragraphs={name: (label, value)}))
        if required and not value.strip():
            errors[name] = _(
                "Écrivez le mandat du groupe : à quoi il sert et ce qu’il va produire."
            )
        elif len(value) > TEXT_MAX_LENGTH:
            errors[name] = _("%(field)s ne doit pas dépasser %(max)d caractères.") % {
                "field": label,
                "max": TEXT_MAX_LENGTH,
            }
        cleaned[name] = value.strip()
    for name, link_label in LINK_FIELDS.items():
        if name in fields:
            try:
                cleaned[name] = link_clean(fields[name], link_label)
            except ValidationError as error:
                errors[name] = error.messages[0]
    if "review_on" in fields:
        review_on = fields["review_on"]
        if review_on is None:
            cleaned["review_on"] = timezone.localdate() + REVIEW_AFTER
        elif review_on <= timezone.localdate():
            errors["review_on"] = _("La date de revue doit être dans le futur.")
    if errors:
        raise ValidationError(errors)
    return cleaned


def _name_clean(value: object, group: WorkingGroup | None, errors: dict[str, str]) -> str:
    """The group's name, trimmed; what is wrong with it goes into `errors`."""
    name = _text(value)
    errors.update(text_errors(lines={"name": (_("Le nom"), name)}))
    if "name" in errors:
        pass  # a control character: nothing to look up (PostgreSQL refuses NUL)
    elif not name:
        errors["name"] = _("Donnez un nom au groupe.")
    elif len(name) > NAME_MAX_LENGTH:
        errors["name"] = _("Le nom ne doit pas dépasser %(max)d caractères.") % {
            "max": NAME_MAX_LENGTH
        }
    elif _name_taken(name, group):
        errors["name"] = _(
            "Un groupe s’appelle déjà « %(name)s » : rejoignez-le, ou choisissez un autre nom."
        ) % {"name": name}
    return name


def _name_taken(name: str, group: WorkingGroup | None) -> bool:
    others = WorkingGroup.objects.filter(name_key=name_key_of(name))
    if group is not None:
        others = others.exclude(pk=group.pk)
    return others.exists()


# Addresses of pages under /groupes/ that a group's own address may not take.
RESERVED_SLUGS = {"creer", "a-revoir", "depuis-initiative"}


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70].strip("-") or "groupe"
    slug, n = base, 1
    while slug in RESERVED_SLUGS or WorkingGroup.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _name_taken_error(name: str) -> ValidationError:
    return ValidationError(
        {
            "name": _(
                "Un groupe s’appelle déjà « %(name)s » : rejoignez-le, ou choisissez un autre nom."
            )
            % {"name": name}
        }
    )


# Creating and editing.


def group_create(
    *,
    actor: Member,
    name: str,
    mandate: str,
    kind: str = GroupKind.GROUP,
    description: str = "",
    membership: str = MembershipPolicy.OPEN,
    pad_url: str = "",
    documents_url: str = "",
    chat_url: str = "",
    review_on: datetime.date | None = None,
    incubator: Incubator | None = None,
    needs: Iterable[Need] = (),
    initiatives: Iterable[Initiative] = (),
    leads: Iterable[Member] = (),
    origin: Initiative | None = None,
) -> WorkingGroup:
    """A member creates a group and leads it (with `leads`, when it comes from an initiative)."""
    cleaned = group_fields_clean(
        {
            "name": name, "kind": kind, "description": description, "mandate": mandate,
            "membership": membership, "pad_url": pad_url, "documents_url": documents_url,
            "chat_url": chat_url, "review_on": review_on,
        }
    )  # fmt: skip
    now = timezone.now()
    try:
        with transaction.atomic():
            group = WorkingGroup.objects.create(
                slug=_unique_slug(cleaned["name"]),
                incubator=incubator,
                initiative=origin,
                created_by=actor,
                created_at=now,
                **cleaned,
            )
            if needs:
                group.needs.set(needs)
            linked = [*initiatives, *([origin] if origin else [])]
            if linked:
                group.initiatives.set(linked)
            for lead in [actor, *[m for m in leads if m.pk != actor.pk]]:
                Membership.objects.create(
                    group=group, member=lead, role=MembershipRole.LEAD, joined_at=now
                )
                _ledger(lead, ContributionKind.LED, group)
    except IntegrityError:
        raise _name_taken_error(cleaned["name"]) from None
    return group


def group_create_from_initiative(*, actor: Member, initiative: Initiative) -> WorkingGroup:
    """« Créer le groupe » on an initiative of kind « groupe de travail »: the group takes its
    title and description, its leads lead the group, and each links to the other."""
    if not initiative.is_led_by(actor):
        raise PermissionDenied(
            _("Seul·es les porteur·ses de l’initiative peuvent en faire un groupe.")
        )
    if initiative.kind != InitiativeKind.WORKING_GROUP:
        raise ValidationError(
            _("Seule une initiative de type « groupe de travail » peut devenir un groupe.")
        )
    if WorkingGroup.objects.filter(initiative=initiative).exists():
        raise ValidationError(_("Cette initiative a déjà son groupe."))
    leads = [link.member for link in initiative.lead_links.select_related("member")]
    try:
        return group_create(
            actor=actor,
            name=initiative.title,
            description=initiative.summary,
            mandate=initiative.description or initiative.summary,
            incubator=initiative.incubator,
            needs=list(initiative.needs.filter(hidden=False)),
            leads=leads,
            origin=initiative,
        )
    except ValidationError as error:
        raise ValidationError(" ".join(error.messages)) from None


def group_update(*, actor: Member, group: WorkingGroup, **fields: Any) -> WorkingGroup:
    """Leads (and the animation team) change what describes the group; `needs` and
    `initiatives`, when given, replace the links."""
    require_manager(actor, group)
    needs = fields.pop("needs", None)
    initiatives = fields.pop("initiatives", None)
    unknown = set(fields) - set(GROUP_FIELDS)
    if unknown:
        raise ValueError(f"Unknown group fields: {sorted(unknown)}")
    if "review_on" in fields and fields["review_on"] == group.review_on:
        del fields["review_on"]
    cleaned = group_fields_clean(fields, group=group)
    if group.is_closed and cleaned.get("status"):
        raise ValidationError(
            {"status": _("Ce groupe est clos : il ne peut plus changer de statut.")}
        )
    try:
        with transaction.atomic():
            for name, value in cleaned.items():
                setattr(group, name, value)
            group.save()
            if needs is not None:
                group.needs.set(needs)
            if initiatives is not None:
                group.initiatives.set(initiatives)
    except IntegrityError:
        raise _name_taken_error(cleaned.get("name", group.name)) from None
    return group


def group_close(*, actor: Member, group: WorkingGroup, note: str) -> WorkingGroup:
    """A lead closes the group with a word on why (and what it leaves behind)."""
    require_manager(actor, group)
    note = (note or "").strip()
    errors = text_errors(paragraphs={"note": (_("La note de clôture"), note)})
    if not note:
        errors["note"] = _("Dites en quelques mots pourquoi le groupe se clôt.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        group = _locked(group)
        if group.is_closed:
            raise ValidationError(_("Ce groupe est déjà clos."))
        now = timezone.now()
        group.status, group.closing_note, group.archived_at = GroupStatus.CLOSED, note, now
        group.save(update_fields=["status", "closing_note", "archived_at"])
    return group


def group_review_confirm(
    *, actor: Member, group: WorkingGroup, review_on: datetime.date | None = None
) -> WorkingGroup:
    """A lead says the group is still useful: it is to be reviewed again later (in 12 months
    unless a date is given)."""
    require_manager(actor, group)
    _require_open(group)
    cleaned = group_fields_clean({"review_on": review_on})
    group.review_on = cleaned["review_on"]
    group.save(update_fields=["review_on"])
    return group


# Membership.


def _membership(group: WorkingGroup, member: Member) -> Membership | None:
    return Membership.objects.filter(group=group, member=member).first()


def _become(group: WorkingGroup, member: Member, role: str) -> tuple[Membership, bool]:
    """Makes `member` a member (or observer) of the group, once: a second request sent at the
    same instant finds the row the first wrote. Also says whether this call changed anything
    (the caller writes the ledger row only then)."""
    membership = _membership(group, member)
    if membership is None:
        try:
            with transaction.atomic():
                return Membership.objects.create(group=group, member=member, role=role), True
        except IntegrityError:
            membership = Membership.objects.get(group=group, member=member)
    if membership.role == MembershipRole.OBSERVER and role != MembershipRole.OBSERVER:
        upgraded = Membership.objects.filter(pk=membership.pk, role=MembershipRole.OBSERVER).update(
            role=role, joined_at=timezone.now()
        )
        membership.refresh_from_db()
        return membership, bool(upgraded)
    return membership, False


def group_join(*, actor: Member, group: WorkingGroup, message: str = "") -> str:
    """Joins an open group, or asks to join one on request (leads answer). Returns a
    JoinOutcome: member or requested."""
    _require_open(group)
    message = (message or "").strip()
    errors = text_errors(paragraphs={"message": (_("Le message"), message)})
    if errors:
        raise ValidationError(errors)
    if len(message) > 2000:
        raise ValidationError({"message": _("Le message ne doit pas dépasser 2000 caractères.")})
    if group.is_member(actor):
        raise ValidationError(_("Vous faites déjà partie de ce groupe."))
    with transaction.atomic():
        if group.membership == MembershipPolicy.OPEN:
            _membership_row, joined = _become(group, actor, MembershipRole.MEMBER)
            if not joined:
                raise ValidationError(_("Vous faites déjà partie de ce groupe."))
            _ledger(actor, ContributionKind.JOINED, group)
            return JoinOutcome.MEMBER
        if JoinRequest.objects.filter(
            group=group, member=actor, status=JoinRequestStatus.PENDING
        ).exists():
            raise ValidationError(
                _("Votre demande est déjà envoyée : les animateur·rices vont y répondre.")
            )
        try:
            with transaction.atomic():
                request = JoinRequest.objects.create(group=group, member=actor, message=message)
        except IntegrityError:
            raise ValidationError(
                _("Votre demande est déjà envoyée : les animateur·rices vont y répondre.")
            ) from None
        for lead in _leads(group):
            notify(
                lead,
                "groups.join_requested",
                {
                    "group": group.name,
                    "member_name": actor.display_name,
                    "message": request.message,
                    "url": f"{group.get_absolute_url()}#demandes",
                },
            )
    return JoinOutcome.REQUESTED


def group_observe(*, actor: Member, group: WorkingGroup) -> Membership:
    """Follows the group's news and meetings without committing: no ledger row."""
    _require_open(group)
    membership, created = _become(group, actor, MembershipRole.OBSERVER)
    if not created:
        raise ValidationError(_("Vous suivez déjà ce groupe."))
    return membership


def _leads(group: WorkingGroup) -> QuerySet[Member]:
    leads: QuerySet[Member] = Member.objects.filter(
        group_memberships__group=group, group_memberships__role=MembershipRole.LEAD
    )
    return leads


def join_request_answer(
    *, actor: Member, join_request: JoinRequest, accept: bool, message: str = ""
) -> JoinRequest:
    """A lead accepts or refuses a request to join, with a message the member receives."""
    group = join_request.group
    require_manager(actor, group)
    message = (message or "").strip()
    errors = text_errors(paragraphs={"message": (_("Le message"), message)})
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    status = JoinRequestStatus.ACCEPTED if accept else JoinRequestStatus.REFUSED
    with transaction.atomic():
        answered = JoinRequest.objects.filter(
            pk=join_request.pk, status=JoinRequestStatus.PENDING
        ).update(status=status, answer=message, answered_by=actor, answered_at=now)
        if not answered:
            raise ValidationError(_("Cette demande a déjà reçu une réponse."))
        if accept:
            if group.is_closed:
                raise ValidationError(_("Ce groupe est clos : il n’accueille plus personne."))
            _membership_row, joined = _become(group, join_request.member, MembershipRole.MEMBER)
            if joined:
                _ledger(join_request.member, ContributionKind.JOINED, group)
        notify(
            join_request.member,
            "groups.join_accepted" if accept else "groups.join_refused",
            {
                "group": group.name,
                "actor": actor.display_name,
                "message": message,
                "url": group.get_absolute_url(),
            },
        )
    join_request.refresh_from_db()
    return join_request


def group_leave(*, actor: Member, group: WorkingGroup) -> None:
    """Leaves the group (members, observers, leads). The last lead names another first, or
    closes the group."""
    with transaction.atomic():
        group = _locked(group)
        membership = _membership(group, actor)
        if membership is None:
            raise ValidationError(_("Vous ne faites pas partie de ce groupe."))
        if (
            membership.role == MembershipRole.LEAD
            and not group.is_closed
            and not Membership.objects.filter(group=group, role=MembershipRole.LEAD)
            .exclude(pk=membership.pk)
            .exists()
        ):
            raise ValidationError(
                _(
                    "Vous êtes la dernière personne à animer ce groupe : nommez d’abord un·e "
                    "autre animateur·rice, ou closez le groupe."
                )
            )
        membership.delete()
        _ledger_undo_taking_part(actor, group)


def _ledger_undo_taking_part(member: Member, group: WorkingGroup) -> None:
    """Whoever leaves no longer takes part: each act of taking part still standing in the
    ledger (joined, led, co-led) gets its reversal, so the health figures stop counting them."""
    standing = (
        Contribution.objects.filter(
            member=member,
            subject_type=SubjectType.GROUP,
            subject_id=group.pk,
            kind__in=TAKING_PART,
        )
        .values("kind")
        .annotate(net=Sum("weight"))
    )
    for row in standing:
        for _undone in range(row["net"]):
            _ledger(member, row["kind"], group, undo=True)


def group_add_lead(*, actor: Member, group: WorkingGroup, member: Member) -> Membership:
    """A lead names a co-lead (a member of the group or not)."""
    require_manager(actor, group)
    _require_open(group)
    with transaction.atomic():
        membership = _membership(group, member)
        if membership is not None and membership.role == MembershipRole.LEAD:
            raise ValidationError(
                _("%(name)s anime déjà ce groupe.") % {"name": member.display_name}
            )
        membership, _created = _become(group, member, MembershipRole.LEAD)
        if membership.role != MembershipRole.LEAD:
            membership.role = MembershipRole.LEAD
            membership.save(update_fields=["role"])
        _ledger(member, ContributionKind.CO_LED, group)
        notify(
            member,
            "groups.co_lead_added",
            {"group": group.name, "actor": actor.display_name, "url": group.get_absolute_url()},
        )
    return membership


# Proposals and decisions.


def _members_of(group: WorkingGroup) -> QuerySet[Member]:
    """Who answers the group's proposals: leads and members, not observers."""
    members: QuerySet[Member] = Member.objects.filter(
        is_active=True,
        group_memberships__group=group,
        group_memberships__role__in=(MembershipRole.LEAD, MembershipRole.MEMBER),
    )
    return members


def _followers_of(group: WorkingGroup) -> QuerySet[Member]:
    """Everyone who hears of the group's news: observers too."""
    followers: QuerySet[Member] = Member.objects.filter(
        is_active=True, group_memberships__group=group
    )
    return followers


def _options_clean(options: Iterable[object] | None) -> list[str]:
    if not options:
        return list(CONSENT_OPTIONS)
    cleaned: list[str] = []
    for given in options:
        option = _text(given)
        if not option:
            continue
        if text_errors(lines={"option": ("", option)}) or len(option) > OPTION_MAX_LENGTH:
            raise ValidationError(
                {
                    "options": _("Chaque option tient sur une ligne de %(max)d caractères au plus.")
                    % {"max": OPTION_MAX_LENGTH}
                }
            )
        if option.casefold() in {o.casefold() for o in cleaned}:
            raise ValidationError({"options": _("Deux options portent le même nom.")})
        cleaned.append(option)
    if len(cleaned) < 2:
        raise ValidationError({"options": _("Proposez au moins deux options.")})
    if len(cleaned) > MAX_OPTIONS:
        raise ValidationError(
            {"options": _("Dix options au plus : regroupez celles qui se ressemblent.")}
        )
    return cleaned


def proposal_open(
    *,
    actor: Member,
    group: WorkingGroup,
    question: str,
    closes_on: datetime.date | None,
    context: str = "",
    options: Iterable[object] | None = None,
) -> Proposal:
    """A lead or member puts a question to the group (by default, a consent round); the
    group's members are told."""
    require_member(actor, group)
    _require_open(group)
    question, context = _text(question), (context or "").strip()
    errors: dict[str, str | list[str]] = {**_proposal_errors(question, context, closes_on)}
    try:
        cleaned_options = _options_clean(options)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors or closes_on is None:  # no closing date is one of the errors
        raise ValidationError(errors)
    with transaction.atomic():
        proposal = Proposal.objects.create(
            group=group,
            author=actor,
            question=question,
            context=context,
            options=cleaned_options,
            closes_on=closes_on,
        )
        # Who reads group news in the digest finds it there (digest.py), not twice.
        notify_many(
            _members_of(group).exclude(pk=actor.pk),
            "groups.new_proposal",
            {
                "group": group.name,
                "question": question,
                "author": actor.display_name,
                "closes_on": closes_on.isoformat(),
                "url": proposal.get_absolute_url(),
            },
        )
    return proposal


def _proposal_errors(
    question: str, context: str, closes_on: datetime.date | None
) -> dict[str, str]:
    """What is wrong with a proposal's question, context and closing date, per field."""
    errors = text_errors(
        lines={"question": (_("La question"), question)},
        paragraphs={"context": (_("Le contexte"), context)},
    )
    if not question and "question" not in errors:
        errors["question"] = _("Écrivez la question posée au groupe.")
    elif len(question) > QUESTION_MAX_LENGTH:
        errors["question"] = _("La question ne doit pas dépasser %(max)d caractères.") % {
            "max": QUESTION_MAX_LENGTH
        }
    if len(context) > TEXT_MAX_LENGTH:
        errors["context"] = _("Le contexte ne doit pas dépasser %(max)d caractères.") % {
            "max": TEXT_MAX_LENGTH
        }
    if closes_on is None:
        errors["closes_on"] = _("Choisissez la date de clôture des réponses.")
    elif closes_on < timezone.localdate():
        errors["closes_on"] = _(
            "La date de clôture est passée : choisissez aujourd’hui ou un jour à venir."
        )
    return errors


def proposal_answer(*, actor: Member, proposal: Proposal, option: str, reason: str = "") -> Answer:
    """A member of the group answers, once: a second answer (another tab, a later change of
    mind) replaces the first until the proposal closes."""
    group = proposal.group
    if not group.is_member(actor):
        raise PermissionDenied(_("Seul·es les membres du groupe répondent à ses propositions."))
    reason = (reason or "").strip()
    errors = text_errors(paragraphs={"reason": (_("La raison"), reason)})
    if option not in proposal.options:
        errors["option"] = _("Choisissez l’une des options proposées : %(options)s.") % {
            "options": ", ".join(proposal.options)
        }
    if len(reason) > TEXT_MAX_LENGTH:
        errors["reason"] = _("La raison ne doit pas dépasser %(max)d caractères.") % {
            "max": TEXT_MAX_LENGTH
        }
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if not proposal.is_open():
            raise ValidationError(
                _("Cette proposition est close : elle ne reçoit plus de réponse.")
            )
        answer = Answer.objects.filter(proposal=proposal, member=actor).first()
        if answer is None:
            try:
                with transaction.atomic():
                    answer = Answer.objects.create(
                        proposal=proposal, member=actor, option=option, reason=reason,
                        answered_at=now,
                    )  # fmt: skip
            except IntegrityError:
                # The same member answered at the same instant (two tabs): keep one answer.
                answer = Answer.objects.get(proposal=proposal, member=actor)
            else:
                _ledger(
                    actor, ContributionKind.DECIDED, group, act="answered", proposal=proposal.pk
                )
                return answer
        answer.option, answer.reason, answer.changed_at = option, reason, now
        answer.save(update_fields=["option", "reason", "changed_at"])
    return answer


def answer_counts(proposal: Proposal, answers: Iterable[Answer] | None = None) -> dict[str, int]:
    """{option: how many chose it}, every option included, in the proposal's order."""
    counted = Counter(
        a.option for a in (answers if answers is not None else proposal.answers.all())
    )
    return {option: counted.get(option, 0) for option in proposal.options}


def _decision_told(decision: Decision, actor: Member) -> None:
    group = decision.group
    url = decision.get_absolute_url()
    announce(
        topic=Topic.GROUP_DECISION,
        title=f"{group.name} : {decision.title}",
        url=url,
        summary=plain_text(decision.rationale)[:300],
        group_id=group.pk,
        key=f"group-decision-{decision.pk}",
    )
    notify_many(
        _followers_of(group).exclude(pk=actor.pk),
        "groups.decision_recorded",
        {"group": group.name, "title": decision.title, "url": url},
    )


def _decision_clean(title: str, rationale: str) -> tuple[str, str]:
    title, rationale = _text(title), (rationale or "").strip()
    errors = text_errors(
        lines={"title": (_("La décision"), title)},
        paragraphs={"rationale": (_("Le pourquoi"), rationale)},
    )
    if not title and "title" not in errors:
        errors["title"] = _("Écrivez ce qui a été décidé.")
    elif len(title) > QUESTION_MAX_LENGTH:
        errors["title"] = _("La décision tient en %(max)d caractères au plus.") % {
            "max": QUESTION_MAX_LENGTH
        }
    if errors:
        raise ValidationError(errors)
    return title, rationale


def proposal_close(
    *, actor: Member, proposal: Proposal, outcome: str, rationale: str = ""
) -> Decision:
    """A lead closes the proposal and writes its outcome: it becomes a dated entry of the
    decision log, with the answers' counts."""
    group = proposal.group
    require_lead(actor, group)
    outcome, rationale = _decision_clean(outcome, rationale)
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.closed_at is not None:
            raise ValidationError(_("Cette proposition est déjà close."))
        now = timezone.now()
        proposal.closed_at, proposal.closed_by = now, actor
        proposal.save(update_fields=["closed_at", "closed_by"])
        decision = Decision.objects.create(
            group=group,
            title=outcome,
            rationale=rationale,
            decided_on=timezone.localdate(now),
            proposal=proposal,
            counts=answer_counts(proposal),
            recorded_by=actor,
        )
        _ledger(actor, ContributionKind.DECIDED, group, act="decision", decision=decision.pk)
        _decision_told(decision, actor)
    return decision


def decision_record(
    *,
    actor: Member,
    group: WorkingGroup,
    title: str,
    rationale: str = "",
    decided_on: datetime.date | None = None,
) -> Decision:
    """A lead writes in the log a decision taken elsewhere (in a meeting)."""
    require_lead(actor, group)
    title, rationale = _decision_clean(title, rationale)
    today = timezone.localdate()
    decided_on = decided_on or today
    if decided_on > today:
        raise ValidationError(
            {
                "decided_on": _(
                    "Une décision à venir n’est pas encore prise : choisissez une date passée "
                    "ou aujourd’hui."
                )
            }
        )
    with transaction.atomic():
        decision = Decision.objects.create(
            group=group, title=title, rationale=rationale, decided_on=decided_on,
            recorded_by=actor,
        )  # fmt: skip
        _ledger(actor, ContributionKind.DECIDED, group, act="decision", decision=decision.pk)
        _decision_told(decision, actor)
    return decision


# Periodic jobs (each safe to run twice).


def reviews_remind(*, now: datetime.datetime | None = None) -> int:
    """Tells the leads of each open group whose review date is within 30 days, once per date."""
    today = timezone.localdate(now or timezone.now())
    told = 0
    due = WorkingGroup.objects.exclude(status=GroupStatus.CLOSED).filter(
        review_on__lte=today + REVIEW_NOTICE
    )
    for group in due.exclude(review_told_for=F("review_on")):
        with transaction.atomic():
            claimed = (
                WorkingGroup.objects.filter(pk=group.pk)
                .exclude(review_told_for=group.review_on)
                .update(review_told_for=group.review_on)
            )
            if not claimed:
                continue
            for lead in _leads(group):
                notify(
                    lead,
                    "groups.review_near",
                    {
                        "group": group.name,
                        "review_on": group.review_on.isoformat(),
                        "url": group.get_absolute_url(),
                    },
                )
            told += 1
    return told


def proposals_remind(*, now: datetime.datetime | None = None) -> int:
    """The day before a proposal closes, each member who has not answered is reminded, once."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + datetime.timedelta(days=1)
    reminded = 0
    closing = Proposal.objects.filter(
        closed_at__isnull=True, closes_on=tomorrow, reminded_at__isnull=True
    ).select_related("group")
    for proposal in closing:
        with transaction.atomic():
            if not Proposal.objects.filter(pk=proposal.pk, reminded_at__isnull=True).update(
                reminded_at=now
            ):
                continue
            answered = Answer.objects.filter(proposal=proposal, member=OuterRef("pk"))
            for member in _members_of(proposal.group).filter(~Exists(answered)):
                notify(
                    member,
                    "groups.proposal_closing",
                    {
                        "group": proposal.group.name,
                        "question": proposal.question,
                        "url": proposal.get_absolute_url(),
                    },
                )
                reminded += 1
    return reminded
