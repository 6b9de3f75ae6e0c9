"""Pages of working groups and clubs. Each view shapes input with a form and calls a service,
which checks who may act (ruche/core/actions.py)."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ruche.core.actions import attempt, refusing, submitted, tell
from ruche.core.markdown import render_markdown
from ruche.core.pagination import paginate
from ruche.core.registry import build_sections, registry
from ruche.groups import services
from ruche.groups.enums import JoinRequestStatus, MembershipPolicy, MembershipRole
from ruche.groups.forms import (
    AnswerForm,
    AnswerRequestForm,
    CloseForm,
    DecisionForm,
    GroupFilterForm,
    GroupForm,
    JoinForm,
    LeadForm,
    OutcomeForm,
    ProposalForm,
    ReviewForm,
)
from ruche.groups.listing import filtered_groups, for_cards, group_or_404
from ruche.groups.models import Answer, JoinRequest, Proposal, WorkingGroup
from ruche.initiatives.models import Initiative
from ruche.members.models import Incubator, Member


def _crumbs(*links, current):
    return {
        "breadcrumb_data": {
            "links": [
                {"url": reverse("groups:group-list"), "title": _("Groupes")},
                *({"url": url, "title": title} for url, title in links),
            ],
            "current": current,
        }
    }


def _posted(request):
    """The submitted data, even empty (a form of optional fields), or None for a GET."""
    return request.POST if request.method == "POST" else None


def _page(request, template, context, form=None):
    status = 400 if form is not None and request.method == "POST" else 200
    return render(request, template, context, status=status)


@require_safe
@login_not_required
def group_list(request):
    member = request.user
    incubators = Incubator.objects.filter(working_groups__isnull=False).distinct()
    form = GroupFilterForm(
        request.GET,
        incubators=incubators.values_list("slug", "title"),
        signed_in=member.is_authenticated,
    )
    cleaned = form.cleaned_data if form.is_valid() else {}
    groups = filtered_groups(WorkingGroup.objects.all(), cleaned, member)
    page = paginate(request, for_cards(groups, member).order_by("status", "name", "pk"))
    context = {
        "form": form,
        "page": page,
        "query": cleaned.get("q", ""),
        "today": timezone.localdate(),
    }
    template = "groups/group_list.html"
    if request.htmx and request.htmx.target == "resultats":
        template += "#results"
    return render(request, template, context)


@require_safe
def group_review_list(request):
    """For the animation team: the groups past their review date."""
    if not request.user.is_animation_team:
        raise PermissionDenied
    groups = for_cards(WorkingGroup.objects.to_review(), request.user).order_by("review_on", "pk")
    return render(
        request,
        "groups/group_review_list.html",
        {"page": paginate(request, groups), "today": timezone.localdate()}
        | _crumbs(current=_("Groupes à revoir")),
    )


def _has_decision(proposal) -> bool:
    try:
        return proposal.decision is not None
    except Proposal.decision.RelatedObjectDoesNotExist:
        return False


def _detail_context(request, group: WorkingGroup) -> dict:
    member = request.user
    memberships = list(group.memberships.select_related("member").order_by("joined_at", "pk"))
    # Django's prefetch cache, filled by hand; django-stubs does not declare it.
    group._prefetched_objects_cache = {"memberships": memberships}  # type: ignore[attr-defined]
    role = group.role_of(member)
    can_manage = services.can_manage(member, group)
    today = timezone.localdate()
    proposals = list(
        group.proposals.select_related("author", "decision").order_by("-created_at", "-pk")
    )
    decisions = list(group.decisions.select_related("proposal", "recorded_by")[:50])
    return {
        "group": group,
        "mandate": render_markdown(group.mandate),
        "closing_note": render_markdown(group.closing_note),
        "leads": [m for m in memberships if m.role == MembershipRole.LEAD],
        "members": [m for m in memberships if m.role == MembershipRole.MEMBER],
        "observers": [m for m in memberships if m.role == MembershipRole.OBSERVER],
        "member_count": sum(1 for m in memberships if m.role != MembershipRole.OBSERVER),
        "observer_count": sum(1 for m in memberships if m.role == MembershipRole.OBSERVER),
        "role": role,
        "is_member": role in (MembershipRole.LEAD, MembershipRole.MEMBER),
        "is_lead": role == MembershipRole.LEAD,
        "can_manage": can_manage,
        "needs_review": group.needs_review(today),
        "pending_request": member.is_authenticated
        and JoinRequest.objects.filter(
            group=group, member=member, status=JoinRequestStatus.PENDING
        ).exists(),
        "join_requests": list(
            group.join_requests.filter(status=JoinRequestStatus.PENDING).select_related("member")
        )
        if can_manage
        else [],
        "open_proposals": [p for p in proposals if p.is_open(today)],
        "closed_proposals": [p for p in proposals if not p.is_open(today) and not _has_decision(p)],
        "decisions": decisions,
        "needs": list(group.needs.filter(hidden=False)),
        "initiatives": list(group.initiatives.filter(hidden=False)),
        "on_request": group.membership == MembershipPolicy.ON_REQUEST,
        "join_form": JoinForm(),
        "sections": build_sections(registry.page_sections("groups.group"), request, group),
        **_crumbs(current=group.name),
    }


@require_safe
@login_not_required
def group_detail(request, slug):
    group = group_or_404(slug, WorkingGroup.objects.select_related("incubator", "initiative"))
    return render(request, "groups/group_detail.html", _detail_context(request, group))


@require_http_methods(["GET", "POST"])
def group_create(request):
    form = GroupForm(_posted(request))
    group = submitted(request, form, lambda data: services.group_create(actor=request.user, **data))
    if group:
        tell(request, done=_("Le groupe est créé. Vous l’animez : invitez du monde !"))
        return redirect(group)
    return _page(
        request,
        "groups/group_form.html",
        {"form": form, "title": _("Créer un groupe")} | _crumbs(current=_("Créer un groupe")),
        form,
    )


@require_POST
@refusing
def group_from_initiative(request, pk):
    initiative = get_object_or_404(Initiative.objects.filter(hidden=False), pk=pk)
    error, done = attempt(
        lambda: services.group_create_from_initiative(actor=request.user, initiative=initiative),
        _("Le groupe est créé à partir de l’initiative."),
    )
    tell(request, error=error, done=done)
    if error:
        return redirect(initiative)
    return redirect(WorkingGroup.objects.get(initiative=initiative))


@require_http_methods(["GET", "POST"])
@refusing
def group_edit(request, slug):
    group = group_or_404(slug)
    services.require_manager(request.user, group)
    initial = {
        name: getattr(group, name)
        for name in ("name", "kind", "description", "mandate", "status", "membership",
                     "incubator", "pad_url", "documents_url", "chat_url", "review_on")
    }  # fmt: skip
    initial |= {"needs": list(group.needs.all()), "initiatives": list(group.initiatives.all())}
    form = GroupForm(_posted(request), initial=initial, creating=False)
    done = submitted(
        request,
        form,
        lambda data: services.group_update(actor=request.user, group=group, **data),
    )
    if done:
        tell(request, done=_("Le groupe est mis à jour."))
        return redirect(group)
    return _page(
        request,
        "groups/group_form.html",
        {"form": form, "group": group, "title": _("Modifier le groupe")}
        | _crumbs((group.get_absolute_url(), group.name), current=_("Modifier")),
        form,
    )


def _small_form(request, group, form, act, *, done, title, intro="", submit, crumb):
    if submitted(request, form, act):
        tell(request, done=done)
        return redirect(group)
    return _page(
        request,
        "groups/small_form.html",
        {"form": form, "group": group, "title": title, "intro": intro, "submit_label": submit}
        | _crumbs((group.get_absolute_url(), group.name), current=crumb),
        form,
    )


@require_http_methods(["GET", "POST"])
@refusing
def group_close(request, slug):
    group = group_or_404(slug)
    services.require_manager(request.user, group)
    return _small_form(
        request,
        group,
        CloseForm(_posted(request)),
        lambda data: services.group_close(actor=request.user, group=group, **data),
        done=_("Le groupe est clos. Merci pour le travail accompli !"),
        title=_("Clore le groupe"),
        intro=_(
            "Un groupe clos reste lisible, avec son journal de décisions, mais n’accueille "
            "plus personne."
        ),
        submit=_("Clore le groupe"),
        crumb=_("Clore"),
    )


@require_http_methods(["GET", "POST"])
@refusing
def group_review(request, slug):
    group = group_or_404(slug)
    services.require_manager(request.user, group)
    return _small_form(
        request,
        group,
        ReviewForm(_posted(request)),
        lambda data: services.group_review_confirm(actor=request.user, group=group, **data),
        done=_("C’est noté : le groupe est toujours utile."),
        title=_("Le groupe est-il toujours utile ?"),
        intro=_("Confirmez-le et choisissez la prochaine date de revue, ou closez le groupe."),
        submit=_("Confirmer, le groupe reste utile"),
        crumb=_("Revue"),
    )


@require_http_methods(["GET", "POST"])
@refusing
def group_join(request, slug):
    group = group_or_404(slug)
    form = JoinForm(_posted(request))
    outcome = submitted(
        request, form, lambda data: services.group_join(actor=request.user, group=group, **data)
    )
    if outcome:
        tell(
            request,
            done=_("Bienvenue dans le groupe !")
            if outcome == "member"
            else _("Votre demande est envoyée aux animateur·rices du groupe."),
        )
        return redirect(group)
    if form.errors and request.method == "POST" and group.membership == MembershipPolicy.OPEN:
        tell(request, error=" ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(group)
    return _page(
        request,
        "groups/small_form.html",
        {
            "form": form,
            "group": group,
            "title": _("Demander à rejoindre le groupe"),
            "intro": _("Les animateur·rices du groupe reçoivent votre message et vous répondent."),
            "submit_label": _("Envoyer ma demande"),
        }
        | _crumbs((group.get_absolute_url(), group.name), current=_("Rejoindre")),
        form,
    )


@require_POST
@refusing
def group_observe(request, slug):
    group = group_or_404(slug)
    error, done = attempt(
        lambda: services.group_observe(actor=request.user, group=group),
        _("Vous suivez désormais le groupe en observateur·rice."),
    )
    tell(request, error=error, done=done)
    return redirect(group)


@require_POST
@refusing
def group_leave(request, slug):
    group = group_or_404(slug)
    error, done = attempt(
        lambda: services.group_leave(actor=request.user, group=group),
        _("Vous avez quitté le groupe."),
    )
    tell(request, error=error, done=done)
    return redirect(group)


@require_POST
@refusing
def join_request_answer(request, slug, request_pk):
    group = group_or_404(slug)
    join_request = get_object_or_404(
        JoinRequest.objects.select_related("group", "member"), pk=request_pk, group=group
    )
    form = AnswerRequestForm(request.POST)
    accept = request.POST.get("action") == "accepter"
    message = form.data.get("message", "")
    error, done = attempt(
        lambda: services.join_request_answer(
            actor=request.user, join_request=join_request, accept=accept, message=message
        ),
        _("%(name)s fait maintenant partie du groupe.") % {"name": join_request.member.display_name}
        if accept
        else _("La demande est refusée ; %(name)s reçoit votre message.")
        % {"name": join_request.member.display_name},
    )
    tell(request, error=error, done=done)
    return redirect(f"{group.get_absolute_url()}#demandes")


@require_http_methods(["GET", "POST"])
@refusing
def lead_add(request, slug):
    group = group_or_404(slug)
    services.require_manager(request.user, group)
    candidates = Member.objects.filter(
        group_memberships__group=group,
        group_memberships__role__in=(MembershipRole.MEMBER, MembershipRole.OBSERVER),
    ).order_by("display_name", "pk")
    return _small_form(
        request,
        group,
        LeadForm(_posted(request), candidates=candidates),
        lambda data: services.group_add_lead(actor=request.user, group=group, **data),
        done=_("Le groupe a un·e animateur·rice de plus."),
        title=_("Ajouter un·e co-animateur·rice"),
        intro=_("Choisissez parmi les membres et observateur·rices du groupe."),
        submit=_("Ajouter"),
        crumb=_("Co-animation"),
    )


@require_http_methods(["GET", "POST"])
@refusing
def proposal_create(request, slug):
    group = group_or_404(slug)
    services.require_member(request.user, group)
    form = ProposalForm(_posted(request))
    proposal = submitted(
        request,
        form,
        lambda data: services.proposal_open(actor=request.user, group=group, **data),
    )
    if proposal:
        tell(request, done=_("La proposition est ouverte : les membres du groupe sont prévenu·es."))
        return redirect(proposal.get_absolute_url())
    return _page(
        request,
        "groups/small_form.html",
        {
            "form": form,
            "group": group,
            "title": _("Ouvrir une proposition"),
            "intro": _(
                "Posez une question au groupe : chaque membre répond une fois, avec son nom."
            ),
            "submit_label": _("Ouvrir la proposition"),
        }
        | _crumbs((group.get_absolute_url(), group.name), current=_("Proposition")),
        form,
    )


def _proposal(group, pk) -> Proposal:
    return get_object_or_404(
        Proposal.objects.select_related("group", "author").prefetch_related(
            Prefetch("answers", queryset=Answer.objects.select_related("member"))
        ),
        pk=pk,
        group=group,
    )


@require_http_methods(["GET", "POST"])
@refusing
def proposal_detail(request, slug, pk):
    group = group_or_404(slug)
    proposal = _proposal(group, pk)
    answers = list(proposal.answers.all())
    mine = next((a for a in answers if a.member_id == request.user.pk), None)
    initial = {"option": mine.option, "reason": mine.reason} if mine else {}
    form = AnswerForm(_posted(request), initial=initial, options=proposal.options)
    if submitted(
        request,
        form,
        lambda data: services.proposal_answer(actor=request.user, proposal=proposal, **data),
    ):
        tell(
            request,
            done=_("Votre réponse est enregistrée ; vous pouvez la changer jusqu’à la clôture."),
        )
        return redirect(proposal.get_absolute_url())
    counts = services.answer_counts(proposal, answers)
    return _page(
        request,
        "groups/proposal_detail.html",
        {
            "group": group,
            "proposal": proposal,
            "context_html": render_markdown(proposal.context),
            "answers": answers,
            "counts": counts.items(),
            "mine": mine,
            "form": form,
            "is_open": proposal.is_open(),
            "is_member": group.is_member(request.user),
            "is_lead": group.is_led_by(request.user),
            "decision": getattr(proposal, "decision", None),
        }
        | _crumbs((group.get_absolute_url(), group.name), current=proposal.question),
        form if form.errors else None,
    )


@require_http_methods(["GET", "POST"])
@refusing
def proposal_close(request, slug, pk):
    group = group_or_404(slug)
    proposal = _proposal(group, pk)
    services.require_lead(request.user, group)
    form = OutcomeForm(_posted(request))
    if submitted(
        request,
        form,
        lambda data: services.proposal_close(actor=request.user, proposal=proposal, **data),
    ):
        tell(request, done=_("La proposition est close ; la décision entre au journal."))
        return redirect(f"{group.get_absolute_url()}#decisions")
    counts = services.answer_counts(proposal)
    return _page(
        request,
        "groups/small_form.html",
        {
            "form": form,
            "group": group,
            "title": _("Clore la proposition et écrire la décision"),
            "intro": " · ".join(f"{option} : {count}" for option, count in counts.items()),
            "submit_label": _("Clore et inscrire au journal"),
        }
        | _crumbs(
            (group.get_absolute_url(), group.name),
            (proposal.get_absolute_url(), proposal.question),
            current=_("Clore"),
        ),
        form,
    )


@require_http_methods(["GET", "POST"])
@refusing
def decision_create(request, slug):
    group = group_or_404(slug)
    services.require_lead(request.user, group)
    return _small_form(
        request,
        group,
        DecisionForm(_posted(request)),
        lambda data: services.decision_record(actor=request.user, group=group, **data),
        done=_("La décision est inscrite au journal du groupe."),
        title=_("Inscrire une décision au journal"),
        intro=_("Une décision prise ailleurs, en réunion par exemple."),
        submit=_("Inscrire la décision"),
        crumb=_("Décision"),
    )
