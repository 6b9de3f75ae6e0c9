from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ruche.core.actions import attempt, refusing, submitted, tell
from ruche.core.pagination import paginate
from ruche.core.registry import build_sections, registry
from ruche.initiatives.enums import BudgetStatus, InitiativeStatus
from ruche.initiatives.forms import (
    BudgetDecisionForm,
    BudgetForm,
    CoLeadForm,
    CommentForm,
    InitiativeFilterForm,
    InitiativeForm,
    RoleForm,
    StatusForm,
    UpdateForm,
)
from ruche.initiatives.home import waiting_for_the_team
from ruche.initiatives.listing import (
    INITIATIVE_ORDERINGS,
    filtered_initiatives,
    initiative_or_404,
    initiative_sort,
    similar,
)
from ruche.initiatives.models import (
    BudgetRequest,
    CallForHelp,
    Comment,
    Initiative,
    InitiativeLead,
    Need,
    Participation,
    Support,
)
from ruche.initiatives.services import budget, conversation, lifecycle, participation
from ruche.initiatives.views.common import comment_post, require_manager
from ruche.members.models import Incubator, Member


@require_safe
def initiative_list(request):
    incubators = Incubator.objects.filter(initiatives__hidden=False).distinct()
    data = request.GET.copy()
    form = InitiativeFilterForm(data, incubators=incubators.values_list("slug", "title"))
    cleaned = form.cleaned_data if form.is_valid() else {}
    sort = initiative_sort(cleaned)
    if form.is_valid():
        form.data["sort"] = sort
    initiatives = filtered_initiatives(Initiative.objects.visible(), cleaned, request.user)
    page = paginate(request, initiatives.for_cards().order_by(*INITIATIVE_ORDERINGS[sort]))
    context = {
        "form": form,
        "page": page,
        "query": cleaned.get("q", ""),
        "pending_moderation": _moderation_count(request.user),
    }
    template = "initiatives/initiative_list.html"
    if request.htmx and request.htmx.target == "resultats":
        template += "#results"
    return render(request, template, context)


def _moderation_count(member) -> int | None:
    if not member.is_animation_team:
        return None
    return sum(waiting_for_the_team().values())


def _proposal_context(request, form: InitiativeForm, title: str) -> dict:
    form.suggestions = similar(title, member=request.user)
    return {"form": form}


@require_http_methods(["GET", "POST"])
def initiative_create(request):
    if request.method == "POST":
        form = InitiativeForm(request.POST)
        form.prepare_need_picker(request.POST.get("besoins_q", ""))
        if request.POST.get("action") == "chercher-besoins":
            # The needs search without JavaScript: the whole form comes back, nothing saved.
            return render(
                request,
                "initiatives/initiative_form.html",
                _proposal_context(request, form, request.POST.get("title", ""))
                | {"searching": True},
            )
        initiative = submitted(
            request,
            form,
            lambda _data: lifecycle.initiative_propose(actor=request.user, **form.proposal()),
        )
        if initiative is not None:
            messages.success(
                request,
                _("Votre initiative est proposée. Ouvrez des rôles pour trouver du monde."),
            )
            return redirect(initiative)
        return render(
            request,
            "initiatives/initiative_form.html",
            _proposal_context(request, form, request.POST.get("title", "")),
            status=400,
        )
    initial = {}
    need_id = request.GET.get("besoin", "")
    if need_id.isdigit() and Need.objects.visible().filter(pk=need_id).exists():
        initial["needs"] = [int(need_id)]
    if request.GET.get("titre"):
        initial["title"] = request.GET["titre"][:200]
    form = InitiativeForm(initial=initial)
    form.prepare_need_picker()
    return render(
        request,
        "initiatives/initiative_form.html",
        _proposal_context(request, form, initial.get("title", "")),
    )


@require_safe
def initiative_suggestions(request):
    """The "déjà proposé ?" block, for htmx while the title is typed."""
    title = request.GET.get("title", "")[:200]
    suggestions = similar(title, member=request.user)
    return render(request, "initiatives/_suggestions.html", {"suggestions": suggestions})


@require_safe
def need_picker(request):
    """The needs picker's list, for htmx while its search box is typed in."""
    form = InitiativeForm(request.GET)
    form.prepare_need_picker(request.GET.get("besoins_q", ""))
    return render(request, "initiatives/_need_picker_list.html", {"form": form})


# What the page shows of the members it names: their name (and page, from their pk); of the
# leads, how to reach them too.
LEAD_FIELDS = ("email", "contact_email", "chat_handle")
COMMENT_FIELDS = ("initiative", "need", "author", "body", "created_at", "edited_at", "hidden")


def _shown(relation: str, *fields: str) -> list[str]:
    return [f"{relation}__{name}" for name in ("display_name", *fields)]


def _detail_queryset():
    return Initiative.objects.select_related("proposer", "incubator", "startup").prefetch_related(
        Prefetch(
            "lead_links",
            queryset=InitiativeLead.objects.select_related("member").only(
                "initiative", "member", "role", "added_at", *_shown("member", *LEAD_FIELDS)
            ),
        )
    )


def _participation_context(request, initiative: Initiative) -> dict:
    participations = list(
        Participation.objects.filter(initiative=initiative)
        .select_related("member", "role")
        .only("initiative", "member", "role", "joined_at", "role__label", *_shown("member"))
    )
    roles: list[Any] = list(initiative.roles.all())  # each with `members`, for the template
    for role in roles:
        role.members = [p.member for p in participations if p.role_id == role.pk]
    mine = next((p for p in participations if p.member_id == request.user.pk), None)
    return {
        "roles": roles,
        "general_participants": [p.member for p in participations if p.role_id is None],
        "participant_count": len(participations),
        "my_participation": mine,
        "can_join": initiative.accepts_participants,
        "is_lead": initiative.is_led_by(request.user),
    }


def _support_context(request, initiative: Initiative) -> dict:
    return {
        "support_count": Support.objects.filter(initiative=initiative).count(),
        "i_support": Support.objects.filter(initiative=initiative, member=request.user).exists(),
        "is_lead": initiative.is_led_by(request.user),
    }


def _detail_context(request, initiative: Initiative, **extra) -> dict:
    member = request.user
    can_manage = initiative.can_be_managed_by(member)
    comments = (
        Comment.objects.filter(initiative=initiative)
        .select_related("author")
        .only(*COMMENT_FIELDS, *_shown("author"))
    )
    if not member.is_animation_team:
        comments = comments.visible()
    budgets = list(initiative.budget_requests.select_related("decided_by"))
    context = {
        "initiative": initiative,
        "leads": list(initiative.lead_links.all()),
        "can_manage": can_manage,
        "is_animation_team": member.is_animation_team,
        "needs": initiative.needs.visible().order_by("-created_at"),
        "timeline": initiative.status_changes.select_related("actor").only(
            "initiative", "actor", "at", "from_status", "to_status", "reason", *_shown("actor")
        ),
        "updates": initiative.updates.select_related("author").only(
            "initiative", "author", "body", "created_at", *_shown("author")
        ),
        "comments": comments,
        "budgets": budgets,
        "pending_budget": next((b for b in budgets if b.status == BudgetStatus.PENDING), None),
        "comment_form": CommentForm(),
        **_participation_context(request, initiative),
        **_support_context(request, initiative),
        "sections": build_sections(
            registry.page_sections("initiatives.initiative"), request, initiative
        ),
        "breadcrumb_data": {
            "links": [{"url": reverse("initiatives:initiative-list"), "title": _("Initiatives")}],
            "current": initiative.title,
        },
    }
    context.update(extra)
    return context


@require_safe
@refusing
def initiative_detail(request, pk):
    initiative = initiative_or_404(request.user, pk, _detail_queryset())
    return render(
        request, "initiatives/initiative_detail.html", _detail_context(request, initiative)
    )


def _after_action(request, initiative, partial: str, context_builder, *, error=None, done=None):
    """htmx swaps the block it posted from (with the outcome inside it); without JavaScript the
    browser goes back to the page, where the outcome is a message."""
    tell(request, error=error, done=done)
    if request.htmx:
        context = {"initiative": initiative, **context_builder(request, initiative)}
        return render(request, f"initiatives/initiative_detail.html#{partial}", context)
    return redirect(f"{initiative.get_absolute_url()}#{partial}")


@require_POST
@refusing
def initiative_join(request, pk):
    initiative = initiative_or_404(request.user, pk)
    role = None
    role_id = request.POST.get("role", "")
    if role_id:
        role = get_object_or_404(CallForHelp, pk=role_id if role_id.isdigit() else 0)
    done = (
        _("Vous avez rejoint l’initiative pour le rôle « %(role)s ».") % {"role": role.label}
        if role
        else _("Vous avez rejoint l’initiative.")
    )
    error, done = attempt(
        lambda: participation.initiative_join(actor=request.user, initiative=initiative, role=role),
        done,
    )
    return _after_action(
        request, initiative, "participation", _participation_context, error=error, done=done
    )


@require_POST
@refusing
def initiative_leave(request, pk):
    initiative = initiative_or_404(request.user, pk)
    error, done = attempt(
        lambda: participation.initiative_leave(actor=request.user, initiative=initiative),
        _("Vous avez quitté l’initiative. Merci pour votre aide !"),
    )
    return _after_action(
        request, initiative, "participation", _participation_context, error=error, done=done
    )


@require_POST
@refusing
def initiative_support(request, pk):
    initiative = initiative_or_404(request.user, pk)
    error, done = attempt(
        lambda: conversation.initiative_support(actor=request.user, initiative=initiative),
        _("Merci pour votre soutien."),
    )
    return _after_action(request, initiative, "support", _support_context, error=error, done=done)


@require_POST
@refusing
def initiative_unsupport(request, pk):
    initiative = initiative_or_404(request.user, pk)
    error, done = attempt(
        lambda: conversation.initiative_unsupport(actor=request.user, initiative=initiative),
        _("Vous ne soutenez plus cette initiative."),
    )
    return _after_action(request, initiative, "support", _support_context, error=error, done=done)


@require_http_methods(["GET", "POST"])
@refusing
def initiative_edit(request, pk):
    initiative = initiative_or_404(request.user, pk)
    require_manager(request, initiative)
    initial = {
        "title": initiative.title,
        "kind": initiative.kind,
        "summary": initiative.summary,
        "description": initiative.description,
        "scope": initiative.scope,
        "incubator": initiative.incubator,
        "startup": initiative.startup,
        "needs": list(initiative.needs.values_list("pk", flat=True)),
    }
    if request.method == "POST":
        form = InitiativeForm(request.POST, with_budget=False, with_suggestions=False)
        form.prepare_need_picker(request.POST.get("besoins_q", ""))
        searching = request.POST.get("action") == "chercher-besoins"
        updated = not searching and submitted(
            request,
            form,
            lambda data: lifecycle.initiative_update(
                actor=request.user,
                initiative=initiative,
                fields=form.description_fields(),
                needs=data["needs"],
            ),
        )
        if updated:
            messages.success(request, _("L’initiative est mise à jour."))
            return redirect(initiative)
        status = 200 if searching else 400
    else:
        form = InitiativeForm(initial=initial, with_budget=False, with_suggestions=False)
        form.prepare_need_picker()
        status = 200
    context = {"form": form, "initiative": initiative, "editing": True}
    return render(request, "initiatives/initiative_form.html", context, status=status)


def _manage_page(request, initiative, form, template, status=200, **extra):
    context = {
        "form": form,
        "initiative": initiative,
        "breadcrumb_data": {
            "links": [
                {"url": reverse("initiatives:initiative-list"), "title": _("Initiatives")},
                {"url": initiative.get_absolute_url(), "title": initiative.title},
            ],
            "current": extra.pop("current", ""),
        },
        **extra,
    }
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
@refusing
def initiative_status(request, pk):
    initiative = initiative_or_404(request.user, pk)
    if request.method == "POST":
        form = StatusForm(request.POST)
        changed = submitted(
            request,
            form,
            lambda data: lifecycle.initiative_status_change(
                actor=request.user,
                initiative=initiative,
                status=data["status"],
                reason=data["reason"],
            ),
        )
        if changed is not None:
            messages.success(
                request,
                _("Statut changé : « %(status)s ».") % {"status": changed.get_status_display()},
            )
            return redirect(changed)
        status = 400
    else:
        require_manager(request, initiative)
        form = StatusForm(initial={"status": _next_status(initiative.status)})
        status = 200
    return _manage_page(
        request, initiative, form, "initiatives/initiative_status.html", status,
        current=_("Changer le statut"),
    )  # fmt: skip


def _next_status(status: str) -> str:
    order: list[str] = [
        InitiativeStatus.IDEA,
        InitiativeStatus.LOOKING_FOR_HELP,
        InitiativeStatus.IN_PROGRESS,
        InitiativeStatus.DONE,
    ]
    if status in order[:-1]:
        return order[order.index(status) + 1]
    return status


@require_http_methods(["GET", "POST"])
@refusing
def role_create(request, pk):
    initiative = initiative_or_404(request.user, pk)
    require_manager(request, initiative)
    form = RoleForm(request.POST or None)
    if submitted(
        request,
        form,
        lambda data: participation.role_add(actor=request.user, initiative=initiative, **data),
    ):
        messages.success(
            request, _("Rôle ouvert : « %(label)s ».") % {"label": form.cleaned_data["label"]}
        )
        if request.POST.get("action") == "encore":
            return redirect("initiatives:role-create", pk=initiative.pk)
        return redirect(f"{initiative.get_absolute_url()}#participation")
    roles = initiative.roles.all()
    return _manage_page(
        request, initiative, form, "initiatives/role_form.html",
        400 if form.errors else 200, roles=roles, current=_("Rôles recherchés"),
    )  # fmt: skip


@require_POST
@refusing
def role_delete(request, pk, role_pk):
    initiative = initiative_or_404(request.user, pk)
    role = get_object_or_404(CallForHelp, pk=role_pk, initiative=initiative)
    participation.role_remove(actor=request.user, role=role)
    messages.success(request, _("Rôle retiré : « %(label)s ».") % {"label": role.label})
    return redirect("initiatives:role-create", pk=initiative.pk)


@require_http_methods(["GET", "POST"])
@refusing
def colead_create(request, pk):
    initiative = initiative_or_404(request.user, pk)
    require_manager(request, initiative)
    form = CoLeadForm(request.POST or None)
    if submitted(
        request,
        form,
        lambda data: participation.initiative_colead_add(
            actor=request.user, initiative=initiative, member=data["member"]
        ),
    ):
        messages.success(
            request,
            _("%(name)s co-porte désormais l’initiative.") % {"name": form.cleaned_data["member"]},
        )
        return redirect("initiatives:colead-create", pk=initiative.pk)
    leads = initiative.lead_links.select_related("member")
    return _manage_page(
        request, initiative, form, "initiatives/colead_form.html",
        400 if form.errors else 200, leads=leads, current=_("Porteur·ses"),
    )  # fmt: skip


@require_POST
@refusing
def colead_delete(request, pk, member_pk):
    initiative = initiative_or_404(request.user, pk)
    member = get_object_or_404(Member, pk=member_pk)
    error, done = attempt(
        lambda: participation.initiative_colead_remove(
            actor=request.user, initiative=initiative, member=member
        ),
        _("%(name)s ne co-porte plus l’initiative.") % {"name": member},
    )
    tell(request, error=error, done=done)
    if initiative.can_be_managed_by(request.user):
        return redirect("initiatives:colead-create", pk=initiative.pk)
    return redirect(initiative)


@require_http_methods(["GET", "POST"])
@refusing
def update_create(request, pk):
    initiative = initiative_or_404(request.user, pk)
    if not initiative.is_led_by(request.user):
        raise PermissionDenied(
            _("Seul·es les porteur·ses de l’initiative publient ses points d’étape.")
        )
    form = UpdateForm(request.POST or None)
    if submitted(
        request,
        form,
        lambda data: conversation.update_post(
            actor=request.user, initiative=initiative, body=data["body"]
        ),
    ):
        messages.success(request, _("Point d’étape publié."))
        return redirect(f"{initiative.get_absolute_url()}#points-d-etape")
    return _manage_page(
        request, initiative, form, "initiatives/update_form.html",
        400 if form.errors else 200, current=_("Nouveau point d’étape"),
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@refusing
def budget_create(request, pk):
    initiative = initiative_or_404(request.user, pk)
    if not initiative.is_led_by(request.user):
        raise PermissionDenied(
            _("Seul·es les porteur·ses de l’initiative peuvent demander un budget.")
        )
    form = BudgetForm(request.POST or None)
    if submitted(
        request,
        form,
        lambda data: budget.budget_request_create(
            actor=request.user,
            initiative=initiative,
            amount=data["budget_amount"],
            purpose=data["budget_purpose"],
        ),
    ):
        messages.success(request, _("Demande de budget envoyée à l’équipe d’animation."))
        return redirect(f"{initiative.get_absolute_url()}#budget")
    return _manage_page(
        request, initiative, form, "initiatives/budget_form.html",
        400 if form.errors else 200, current=_("Demander un budget"),
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@refusing
def budget_decide(request, pk, budget_pk):
    initiative = initiative_or_404(request.user, pk)
    budget_request = get_object_or_404(BudgetRequest, pk=budget_pk, initiative=initiative)
    if not request.user.is_animation_team:
        raise PermissionDenied(_("Seule l’équipe d’animation peut accorder ou refuser un budget."))
    form = BudgetDecisionForm(request.POST or None)
    if submitted(
        request,
        form,
        lambda data: budget.budget_request_decide(
            actor=request.user,
            budget_request=budget_request,
            approve=data["decision"] == "approve",
            message=data["message"],
        ),
    ):
        messages.success(
            request,
            _("Budget accordé ; l’équipe de l’initiative est prévenue.")
            if form.cleaned_data["decision"] == "approve"
            else _("Budget refusé ; l’équipe de l’initiative est prévenue."),
        )
        return redirect(f"{initiative.get_absolute_url()}#budget")
    return _manage_page(
        request, initiative, form, "initiatives/budget_decide.html",
        400 if form.errors else 200, budget=budget_request, current=_("Décider du budget"),
    )  # fmt: skip


@require_POST
@refusing
def budget_withdraw(request, pk, budget_pk):
    initiative = initiative_or_404(request.user, pk)
    budget_request = get_object_or_404(BudgetRequest, pk=budget_pk, initiative=initiative)
    error, done = attempt(
        lambda: budget.budget_request_withdraw(actor=request.user, budget_request=budget_request),
        _("Demande de budget retirée."),
    )
    tell(request, error=error, done=done)
    return redirect(f"{initiative.get_absolute_url()}#budget")


@require_POST
@refusing
def initiative_comment(request, pk):
    initiative = initiative_or_404(request.user, pk, _detail_queryset())

    def page(comment_form):
        context = _detail_context(request, initiative, comment_form=comment_form)
        return render(request, "initiatives/initiative_detail.html", context, status=400)

    return comment_post(request, page, initiative=initiative)
