"""Moderation: reports from members, hiding and restoring content, dismissing reports."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ruche.core.text import refuse_control_characters
from ruche.initiatives.enums import ModerationActionKind, ReportTarget
from ruche.initiatives.models import Comment, Initiative, ModerationAction, Need, Report
from ruche.initiatives.services.common import require_animation_team, text
from ruche.initiatives.services.needs import linked_need_ids, needs_refresh_state
from ruche.members.models import Member
from ruche.notifications.services import notify

# What members report and the animation team hides; its `target_type` (a ReportTarget) says which.
type Moderated = Initiative | Need | Comment


def _target_author(target: Moderated) -> Member | None:
    if isinstance(target, Initiative):
        return target.proposer
    return target.author


def report_refusal(*, actor: Member, target_type: str, target: Moderated) -> str | None:
    """Why `actor` may not report this content (None when they may): what a member leads or
    wrote is theirs to change, not to report."""
    if isinstance(target, Initiative):
        if target.is_led_by(actor):
            return _(
                "Vous portez cette initiative : vous pouvez la modifier ou changer son statut "
                "plutôt que de la signaler."
            )
        return None
    if target.author_id == actor.pk:
        if target_type == ReportTarget.NEED:
            return _(
                "Vous avez exprimé ce besoin : vous pouvez le modifier ou le clore plutôt que de "
                "le signaler."
            )
        return _(
            "C’est votre commentaire : vous pouvez le modifier ou le supprimer plutôt que de le "
            "signaler."
        )
    return None


def report_create(*, actor: Member, target_type: str, target: Moderated, reason: str) -> Report:
    """Any member asks the animation team to look at an initiative, a need or a comment
    that is not theirs."""
    if target_type not in ReportTarget.values:
        raise ValidationError(
            _("On ne peut signaler qu’une initiative, un besoin ou un commentaire.")
        )
    refusal = report_refusal(actor=actor, target_type=target_type, target=target)
    if refusal:
        raise PermissionDenied(refusal)
    reason = text(reason)
    refuse_control_characters(paragraphs={"reason": (_("La raison"), reason)})
    if not reason:
        raise ValidationError(
            {"reason": _("Dites ce qui pose problème, pour aider l’équipe d’animation.")}
        )
    if len(reason) > 2000:
        raise ValidationError({"reason": _("La raison ne doit pas dépasser 2 000 caractères.")})
    with transaction.atomic():
        if Report.objects.filter(
            reporter=actor,
            target_type=target_type,
            resolved_at__isnull=True,
            **{target_type: target},
        ).exists():
            raise ValidationError(
                {
                    "reason": _(
                        "Vous avez déjà signalé ce contenu : l’équipe d’animation va le regarder."
                    )
                }
            )
        return Report.objects.create(
            target_type=target_type, reporter=actor, reason=reason, **{target_type: target}
        )


def _moderate(
    *, actor: Member, target_type: str, target: Moderated, hide: bool, note: str
) -> Moderated:
    require_animation_team(
        actor, _("Seule l’équipe d’animation peut masquer ou rétablir un contenu.")
    )
    note = text(note)
    refuse_control_characters(paragraphs={"note": (_("La note"), note)})
    if not note:
        raise ValidationError({"note": _("Ajoutez une note qui explique cette décision.")})
    if target_type not in ReportTarget.values:
        raise ValidationError(
            _("On ne peut modérer qu’une initiative, un besoin ou un commentaire.")
        )
    with transaction.atomic():
        now = timezone.now()
        changed = type(target).objects.filter(pk=target.pk, hidden=not hide).update(hidden=hide)
        if not changed:
            raise ValidationError(
                _("Ce contenu est déjà masqué.") if hide else _("Ce contenu est déjà visible.")
            )
        target.hidden = hide
        ModerationAction.objects.create(
            action=ModerationActionKind(f"{target_type}.{'hidden' if hide else 'restored'}"),
            actor=actor,
            target_type=target_type,
            target_id=target.pk,
            note=note[:2000],
            at=now,
        )
        Report.objects.filter(
            target_type=target_type, resolved_at__isnull=True, **{target_type: target}
        ).update(resolved_at=now, resolved_by=actor)
        if isinstance(target, Initiative):
            needs_refresh_state(linked_need_ids(target))
        author = _target_author(target)
        if hide and author is not None:
            title = target.subject.title if isinstance(target, Comment) else target.title
            notify(
                author,
                "initiatives.content_hidden",
                {
                    "what": str(ReportTarget(target_type).label),
                    "title": title,
                    "note": note,
                    "url": target.get_absolute_url(),
                },
            )
    return target


def content_hide(*, actor: Member, target_type: str, target: Moderated, note: str) -> Moderated:
    return _moderate(actor=actor, target_type=target_type, target=target, hide=True, note=note)


def content_restore(*, actor: Member, target_type: str, target: Moderated, note: str) -> Moderated:
    return _moderate(actor=actor, target_type=target_type, target=target, hide=False, note=note)


def report_dismiss(*, actor: Member, report: Report, note: str = "") -> Report:
    """The content stays as it is; the report leaves the queue."""
    require_animation_team(actor, _("Seule l’équipe d’animation peut classer un signalement."))
    with transaction.atomic():
        now = timezone.now()
        dismissed = Report.objects.filter(pk=report.pk, resolved_at__isnull=True).update(
            resolved_at=now, resolved_by=actor
        )
        if not dismissed:
            raise ValidationError(_("Ce signalement a déjà été traité."))
        ModerationAction.objects.create(
            action=ModerationActionKind.REPORT_DISMISSED,
            actor=actor,
            target_type="report",
            target_id=report.pk,
            note=text(note)[:2000],
            at=now,
        )
    report.refresh_from_db()
    return report
