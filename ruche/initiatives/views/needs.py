from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ruche.core.actions import attempt, refusing, submitted, tell
from ruche.core.pagination import paginate
from ruche.initiatives.forms import (
    CommentForm,
    NeedCloseForm,
    NeedFilterForm,
    NeedForm,
)
from ruche.initiatives.listing import (
    NEED_ORDERINGS,
    filtered_needs,
    need_or_404,
    need_sort,
    similar,
)
from ruche.initiatives.models import Comment, Need, NeedSupport
from ruche.initiatives.services import needs
from ruche.initiatives.views.common import comment_post
from ruche.members.models import Incubator


@require_safe
def need_list(request):
    incubators = Incubator.objects.filter(needs__hidden=False).distinct()
    form = NeedFilterForm(request.GET.copy(), incubators=incubators.values_list("slug", "title"))
    cleaned = form.cleaned_data if form.is_valid() else {}
    sort = need_sort(cleaned)
    if form.is_valid():
        form.data["sort"] = sort
    found = filtered_needs(Need.objects.visible(), cleaned).with_counts()
    page = paginate(request, found.select_related("incubator").order_by(*NEED_ORDERINGS[sort]))
    template = "initiatives/need_list.html"
    if request.htmx and request.htmx.target == "resultats":
        template += "#results"
    return render(request, template, {"form": form, "page": page, "query": cleaned.get("q", "")})


@require_http_methods(["GET", "POST"])
def need_create(request):
    form = NeedForm(request.POST or None, with_suggestions=True)
    need = submitted(request, form, lambda data: needs.need_raise(actor=request.user, **data))
    if need is not None:
        messages.success(
            request,
            _("Besoin enregistré. D’autres membres pourront dire « moi aussi » ou y répondre."),
        )
        return redirect(need)
    form.suggestions = similar(request.POST.get("title", ""), member=request.user, for_a_need=True)
    return render(
        request, "initiatives/need_form.html", {"form": form}, status=400 if form.errors else 200
    )


@require_safe
def need_suggestions(request):
    """The needs that look like the one being raised, for htmx while its title is typed."""
    title = request.GET.get("title", "")[:200]
    suggestions = similar(title, member=request.user, for_a_need=True)
    return render(request, "initiatives/_suggestions.html", {"suggestions": suggestions})


def _support_context(request, need: Need) -> dict:
    return {
        "support_count": NeedSupport.objects.filter(need=need).count(),
        "i_support": NeedSupport.objects.filter(need=need, member=request.user).exists(),
        "is_author": need.author_id == request.user.pk,
    }


def _detail_context(request, need: Need, **extra) -> dict:
    comments = Comment.objects.filter(need=need).select_related("author")
    if not request.user.is_animation_team:
        comments = comments.visible()
    initiatives = need.initiatives.visible().order_by("-created_at")
    return {
        "need": need,
        "initiatives": initiatives,
        "comments": comments,
        "comment_form": CommentForm(),
        "can_manage": need.can_be_managed_by(request.user),
        "is_animation_team": request.user.is_animation_team,
        "breadcrumb_data": {
            "links": [{"url": reverse("initiatives:need-list"), "title": _("Besoins")}],
            "current": need.title,
        },
        **_support_context(request, need),
        **extra,
    }


@require_safe
def need_detail(request, pk):
    need = need_or_404(request.user, pk, Need.objects.select_related("author", "incubator"))
    return render(request, "initiatives/need_detail.html", _detail_context(request, need))


def _after_support(request, need: Need, *, error=None, done=None):
    tell(request, error=error, done=done)
    if request.htmx and request.htmx.target == f"suggestion-besoin-{need.pk}":
        # « Moi aussi » on a need suggested while raising another one.
        suggested: Any = need  # with `i_support`, for the template
        suggested.i_support = NeedSupport.objects.filter(need=need, member=request.user).exists()
        context = {"need": suggested, "me_too": True, "swapped": True}
        return render(request, "initiatives/_suggestions.html#need", context)
    if request.htmx:
        context = {"need": need, **_support_context(request, need)}
        return render(request, "initiatives/need_detail.html#support", context)
    return redirect(f"{need.get_absolute_url()}#support")


@require_POST
def need_support(request, pk):
    need = need_or_404(request.user, pk)
    error, done = attempt(
        lambda: needs.need_support(actor=request.user, need=need),
        _("C’est noté : vous rencontrez aussi ce problème."),
    )
    return _after_support(request, need, error=error, done=done)


@require_POST
def need_unsupport(request, pk):
    need = need_or_404(request.user, pk)
    error, done = attempt(
        lambda: needs.need_unsupport(actor=request.user, need=need),
        _("C’est noté : vous ne rencontrez plus ce problème."),
    )
    return _after_support(request, need, error=error, done=done)


def _require_need_manager(request, need: Need) -> None:
    if not need.can_be_managed_by(request.user):
        raise PermissionDenied(
            _(
                "Seule la personne qui a exprimé ce besoin, ou l’équipe d’animation, a accès à "
                "cette page."
            )
        )


def _need_page(request, need, form, template, status, current):
    context = {
        "form": form,
        "need": need,
        "breadcrumb_data": {
            "links": [
                {"url": reverse("initiatives:need-list"), "title": _("Besoins")},
                {"url": need.get_absolute_url(), "title": need.title},
            ],
            "current": current,
        },
    }
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
@refusing
def need_edit(request, pk):
    need = need_or_404(request.user, pk)
    _require_need_manager(request, need)
    initial = {
        "title": need.title,
        "description": need.description,
        "incubator": need.incubator,
        "domaine": need.domaine,
        "anonymous": need.anonymous,
    }
    form = NeedForm(request.POST or None, initial=initial)
    if need.author_id != request.user.pk:
        del form.fields["anonymous"]  # the choice of whoever raised it
    if submitted(
        request,
        form,
        lambda data: needs.need_update(actor=request.user, need=need, fields=data),
    ):
        messages.success(request, _("Le besoin est mis à jour."))
        return redirect(need)
    return _need_page(
        request, need, form, "initiatives/need_form.html", 400 if form.errors else 200,
        _("Modifier"),
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@refusing
def need_close(request, pk):
    need = need_or_404(request.user, pk)
    _require_need_manager(request, need)
    form = NeedCloseForm(request.POST or None)
    if submitted(
        request,
        form,
        lambda data: needs.need_close(actor=request.user, need=need, reason=data["reason"]),
    ):
        messages.success(request, _("Le besoin est clos."))
        return redirect(need)
    return _need_page(
        request, need, form, "initiatives/need_close.html", 400 if form.errors else 200,
        _("Clore le besoin"),
    )  # fmt: skip


@require_POST
@refusing
def need_reopen(request, pk):
    need = need_or_404(request.user, pk)
    needs.need_reopen(actor=request.user, need=need)
    messages.success(request, _("Le besoin est rouvert."))
    return redirect(need)


@require_POST
@refusing
def need_comment(request, pk):
    need = need_or_404(request.user, pk, Need.objects.select_related("author", "incubator"))

    def page(comment_form):
        context = _detail_context(request, need, comment_form=comment_form)
        return render(request, "initiatives/need_detail.html", context, status=400)

    return comment_post(request, page, need=need)
