from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ruche.core.actions import attempt, refusing, submitted, tell
from ruche.initiatives.enums import BudgetStatus, ReportTarget
from ruche.initiatives.forms import CommentForm, ModerationForm, ReportForm
from ruche.initiatives.journal import describe
from ruche.initiatives.listing import initiative_or_404, need_or_404
from ruche.initiatives.models import (
    BudgetRequest,
    Comment,
    Initiative,
    ModerationAction,
    Need,
    Report,
)
from ruche.initiatives.services import conversation, moderation

# French URL segment → what it names, and back.
TARGETS = {
    "initiative": ReportTarget.INITIATIVE,
    "besoin": ReportTarget.NEED,
    "commentaire": ReportTarget.COMMENT,
}
SEGMENTS = {kind: segment for segment, kind in TARGETS.items()}


def _comment_or_404(request, pk) -> Comment:
    comment = get_object_or_404(
        Comment.objects.select_related("initiative", "need", "author"), pk=pk
    )
    if comment.initiative_id:
        initiative_or_404(request.user, comment.initiative_id)
    elif comment.need_id:  # a comment is on an initiative or on a need
        need_or_404(request.user, comment.need_id)
    if comment.hidden and not (
        request.user.is_animation_team or comment.author_id == request.user.pk
    ):
        raise Http404
    return comment


def _target_or_404(request, target: str, pk: int):
    kind = TARGETS.get(target)
    if kind is None:
        raise Http404
    if kind == ReportTarget.INITIATIVE:
        return kind, initiative_or_404(request.user, pk)
    if kind == ReportTarget.NEED:
        return kind, need_or_404(request.user, pk)
    return kind, _comment_or_404(request, pk)


def _title(kind: str, target) -> str:
    return target.subject.title if kind == ReportTarget.COMMENT else target.title


@require_http_methods(["GET", "POST"])
@refusing
def comment_edit(request, pk):
    comment = _comment_or_404(request, pk)
    if comment.author_id != request.user.pk:
        raise PermissionDenied(_("Vous ne pouvez modifier que vos propres commentaires."))
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    if submitted(
        request,
        form,
        lambda data: conversation.comment_edit(
            actor=request.user, comment=comment, body=data["body"]
        ),
    ):
        messages.success(request, _("Commentaire modifié."))
        return redirect(comment.get_absolute_url())
    subject = comment.subject
    context = {
        "form": form,
        "comment": comment,
        "breadcrumb_data": {
            "links": [{"url": subject.get_absolute_url(), "title": subject.title}],
            "current": _("Modifier mon commentaire"),
        },
    }
    return render(
        request, "initiatives/comment_form.html", context, status=400 if form.errors else 200
    )


@require_POST
@refusing
def comment_delete(request, pk):
    comment = _comment_or_404(request, pk)
    subject_url = comment.subject.get_absolute_url()
    conversation.comment_delete(actor=request.user, comment=comment)
    messages.success(request, _("Commentaire supprimé."))
    return redirect(f"{subject_url}#commentaires")


@require_http_methods(["GET", "POST"])
@refusing
def report_create(request, target, pk):
    kind, obj = _target_or_404(request, target, pk)
    refusal = moderation.report_refusal(actor=request.user, target_type=kind, target=obj)
    if refusal:
        raise PermissionDenied(refusal)
    form = ReportForm(request.POST or None)
    if submitted(
        request,
        form,
        lambda data: moderation.report_create(
            actor=request.user, target_type=kind, target=obj, reason=data["reason"]
        ),
    ):
        messages.success(request, _("Merci : l’équipe d’animation va regarder votre signalement."))
        return redirect(obj.get_absolute_url())
    context = {
        "form": form,
        "kind": ReportTarget(kind),
        "target": obj,
        "title": _title(kind, obj),
        "breadcrumb_data": {"current": _("Signaler un contenu")},
    }
    return render(
        request, "initiatives/report_form.html", context, status=400 if form.errors else 200
    )


def _require_animation_team(request) -> None:
    if not request.user.is_animation_team:
        raise PermissionDenied(_("La modération est réservée à l’équipe d’animation."))


@require_safe
@refusing
def moderation_queue(request):
    _require_animation_team(request)
    reports = list(
        Report.objects.filter(resolved_at__isnull=True).select_related(
            "reporter",
            "initiative",
            "need",
            "comment__initiative",
            "comment__need",
            "comment__author",
        )
    )
    for report in reports:
        report.act_url = reverse(
            "initiatives:moderation-act", args=[SEGMENTS[report.target_type], report.target_pk]
        )
    budgets = BudgetRequest.objects.filter(status=BudgetStatus.PENDING).select_related(
        "initiative", "requested_by"
    )
    context = {
        "reports": reports,
        "budgets": budgets,
        "hidden_initiatives": Initiative.objects.filter(hidden=True).order_by("-updated_at")[:50],
        "hidden_needs": Need.objects.filter(hidden=True).order_by("-updated_at")[:50],
        "hidden_comments": Comment.objects.filter(hidden=True)
        .select_related("initiative", "need", "author")
        .order_by("-created_at")[:50],
        "log": describe(ModerationAction.objects.select_related("actor")[:50]),
    }
    return render(request, "initiatives/moderation_queue.html", context)


@require_http_methods(["GET", "POST"])
@refusing
def moderation_act(request, target, pk):
    _require_animation_team(request)
    kind, obj = _target_or_404(request, target, pk)
    form = ModerationForm(request.POST or None)
    hide = request.POST.get("action") != "restore"
    act = moderation.content_hide if hide else moderation.content_restore
    if submitted(
        request,
        form,
        lambda data: act(actor=request.user, target_type=kind, target=obj, note=data["note"]),
    ):
        messages.success(request, _("Contenu masqué.") if hide else _("Contenu rétabli."))
        return redirect("initiatives:moderation")
    context = {
        "form": form,
        "kind": ReportTarget(kind),
        "target": obj,
        "title": _title(kind, obj),
        "reports": Report.objects.filter(
            target_type=kind, resolved_at__isnull=True, **{kind: obj}
        ).select_related("reporter"),
        "log": describe(
            ModerationAction.objects.filter(target_type=kind, target_id=obj.pk).select_related(
                "actor"
            )
        ),
        "breadcrumb_data": {
            "links": [{"url": reverse("initiatives:moderation"), "title": _("Modération")}],
            "current": _("Modérer un contenu"),
        },
    }
    return render(
        request, "initiatives/moderation_act.html", context, status=400 if form.errors else 200
    )


@require_POST
@refusing
def report_dismiss(request, pk):
    report = get_object_or_404(Report, pk=pk)
    error, done = attempt(
        lambda: moderation.report_dismiss(
            actor=request.user, report=report, note=request.POST.get("note", "")
        ),
        _("Signalement classé sans suite."),
    )
    tell(request, error=error, done=done)
    return redirect("initiatives:moderation")
