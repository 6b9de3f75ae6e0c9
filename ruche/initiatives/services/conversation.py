"""What members say about an initiative or a need: support, progress updates, comments
and the mentions in them."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ruche.core.markdown import MENTION, plain_text
from ruche.core.text import refuse_control_characters
from ruche.engagement.enums import ContributionKind, SubjectType
from ruche.engagement.services import record
from ruche.initiatives.models import Comment, Initiative, Need, Support, Update
from ruche.initiatives.services.common import (
    TEXT_MAX_LENGTH,
    create_once,
    delete_or_refuse,
    ledger,
    require_lead,
    text,
)
from ruche.members.models import Member
from ruche.notifications.services import notify

COMMENT_MAX_LENGTH = 5_000


# A message the forms reuse, so that a page and the API say the same thing.
COMMENT_EMPTY = gettext_lazy("Le commentaire est vide : écrivez quelque chose.")


def initiative_support(*, actor: Member, initiative: Initiative) -> Support:
    if initiative.is_led_by(actor):
        raise ValidationError(
            _("Vous portez cette initiative : votre soutien lui est déjà acquis.")
        )
    if initiative.hidden:
        raise ValidationError(_("Cette initiative a été masquée par l’équipe d’animation."))
    with transaction.atomic():
        support = create_once(
            Support, _("Vous soutenez déjà cette initiative."),
            initiative=initiative, member=actor,
        )  # fmt: skip
        ledger(actor, ContributionKind.SUPPORTED, initiative)
    return support


def initiative_unsupport(*, actor: Member, initiative: Initiative) -> None:
    with transaction.atomic():
        delete_or_refuse(
            Support.objects.filter(initiative=initiative, member=actor),
            _("Vous ne souteniez pas cette initiative."),
        )
        ledger(actor, ContributionKind.SUPPORTED, initiative, undo=True)


def update_post(*, actor: Member, initiative: Initiative, body: str) -> Update:
    require_lead(
        actor, initiative, _("Seul·es les porteur·ses de l’initiative publient ses points d’étape.")
    )
    body = text(body)
    refuse_control_characters(paragraphs={"body": (_("Le point d’étape"), body)})
    if not body:
        raise ValidationError({"body": _("Écrivez où en est l’initiative.")})
    if len(body) > TEXT_MAX_LENGTH:
        raise ValidationError(
            {
                "body": _("Le point d’étape ne doit pas dépasser %(max)d caractères.")
                % {"max": TEXT_MAX_LENGTH}
            }
        )
    with transaction.atomic():
        update = Update.objects.create(initiative=initiative, author=actor, body=body)
        ledger(actor, ContributionKind.UPDATED, initiative)
    return update


def _comment_body_clean(body: str) -> str:
    body = text(body)
    refuse_control_characters(paragraphs={"body": (_("Le commentaire"), body)})
    if not body:
        raise ValidationError({"body": str(COMMENT_EMPTY)})
    if len(body) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {
                "body": _(
                    "Le commentaire ne doit pas dépasser %(max)d caractères (il en compte "
                    "%(count)d)."
                )
                % {"max": COMMENT_MAX_LENGTH, "count": len(body)}
            }
        )
    return body


def mentioned_ids(body: str) -> set[str]:
    return {match.lower() for match in MENTION.findall(body or "")}


def _notify_mentions(actor: Member, comment: Comment, ids: set[str]) -> None:
    if not ids:
        return
    subject = comment.subject
    mentioned = Member.objects.filter(betagouv_id__in=ids, is_active=True).exclude(pk=actor.pk)
    for member in mentioned:
        notify(
            member,
            "initiatives.mentioned",
            {
                "author": str(actor),
                "title": subject.title,
                "excerpt": plain_text(comment.body)[:300],
                "url": comment.get_absolute_url(),
            },
        )


def comment_add(
    *, actor: Member, body: str, initiative: Initiative | None = None, need: Need | None = None
) -> Comment:
    subject: Initiative | Need
    if initiative is not None and need is None:
        subject = initiative
    elif need is not None and initiative is None:
        subject = need
    else:
        raise ValueError("A comment is on an initiative or on a need.")
    body = _comment_body_clean(body)
    if subject.hidden:
        raise ValidationError(_("Ce contenu a été masqué par l’équipe d’animation."))
    with transaction.atomic():
        comment = Comment.objects.create(initiative=initiative, need=need, author=actor, body=body)
        ledger(actor, ContributionKind.COMMENTED, subject, details={"comment": comment.pk})
        # In the comment's transaction, as every notification: a crash after the commit must
        # not lose them (notify() itself sends the e-mails once the transaction has committed).
        _notify_mentions(actor, comment, mentioned_ids(body))
    return comment


def _require_comment_author(actor: Member, comment: Comment, message: str) -> None:
    if comment.author_id != actor.pk:
        raise PermissionDenied(message)


def comment_edit(*, actor: Member, comment: Comment, body: str) -> Comment:
    _require_comment_author(
        actor, comment, _("Vous ne pouvez modifier que vos propres commentaires.")
    )
    body = _comment_body_clean(body)
    newly_mentioned = mentioned_ids(body) - mentioned_ids(comment.body)
    with transaction.atomic():
        comment.body = body
        comment.edited_at = timezone.now()
        comment.save(update_fields=["body", "edited_at"])
        _notify_mentions(actor, comment, newly_mentioned)
    return comment


def comment_delete(*, actor: Member, comment: Comment) -> None:
    _require_comment_author(
        actor, comment, _("Vous ne pouvez supprimer que vos propres commentaires.")
    )
    with transaction.atomic():
        subject_type = SubjectType.INITIATIVE if comment.initiative_id else SubjectType.NEED
        subject_id = comment.initiative_id or comment.need_id
        if subject_id is None:  # the comment_is_on_one_thing constraint rules it out
            raise ValueError("A comment is on an initiative or on a need.")
        details = {"comment": comment.pk}
        comment.delete()
        record(
            member=actor,
            kind=ContributionKind.COMMENTED,
            subject_type=subject_type,
            subject_id=subject_id,
            undo=True,
            details=details,
        )
