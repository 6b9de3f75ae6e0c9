"""Who may open each page and call each API route of initiatives and needs. `owner` leads the
initiative and raised the need built here; `member` is someone else; the animation team
moderates and decides budgets; an admin is, for these pages, an ordinary member."""

from tests.permissions import Case

API = {"api": True, "anonymous": 401}


def _initiative(world):
    from tests.initiatives.factories import InitiativeFactory

    return world.once("initiative", lambda w: InitiativeFactory(lead=w.owner))


def _pk(world):
    return {"pk": _initiative(world).pk}


def _member_led(world):
    """An initiative led by `member`, to show what a lead may do."""
    from tests.initiatives.factories import InitiativeFactory

    return {"pk": world.once("led", lambda w: InitiativeFactory(lead=w.member)).pk}


def _role(world):
    from tests.initiatives.factories import RoleFactory

    role = world.once("role", lambda w: RoleFactory(initiative=_initiative(w)))
    return {"pk": role.initiative_id, "role_pk": role.pk}


def _co_lead(world):
    from ruche.initiatives.enums import LeadRole
    from ruche.initiatives.models import InitiativeLead
    from tests.factories import MemberFactory

    def build(w):
        return InitiativeLead.objects.create(
            initiative=_initiative(w), member=MemberFactory(), role=LeadRole.CO_LEAD
        )

    link = world.once("co_lead", build)
    return {"pk": link.initiative_id, "member_pk": link.member_id}


def _budget(world):
    from ruche.initiatives.models import BudgetRequest

    def build(w):
        return BudgetRequest.objects.create(
            initiative=_initiative(w), amount=200, purpose="Le lieu.", requested_by=w.owner
        )

    budget = world.once("budget", build)
    return {"pk": budget.initiative_id, "budget_pk": budget.pk}


def _need(world):
    from tests.initiatives.factories import NeedFactory

    return world.once("need", lambda w: NeedFactory(author=w.owner))


def _need_pk(world):
    return {"pk": _need(world).pk}


def _closed_need(world):
    from django.utils import timezone

    from tests.initiatives.factories import NeedFactory

    need = world.once(
        "closed", lambda w: NeedFactory(author=w.owner, closed_at=timezone.now(), state="closed")
    )
    return {"pk": need.pk}


def _comment(world, author="owner"):
    from tests.initiatives.factories import CommentFactory

    comment = world.once(
        f"comment-{author}",
        lambda w: CommentFactory(initiative=_initiative(w), author=getattr(w, author)),
    )
    return {"pk": comment.pk}


def _report(world):
    from ruche.initiatives.models import Report

    def build(w):
        return Report.objects.create(
            target_type="initiative", initiative=_initiative(w), reporter=w.member, reason="Pub."
        )

    return {"pk": world.once("report", build).pk}


def _proposal(world):
    return {
        "title": "Apéro de printemps",
        "kind": "event",
        "summary": "Se retrouver au soleil.",
        "scope": "community",
    }


def _api_pk(world):
    return {"initiative_id": _initiative(world).pk}


CASES = [
    # Lists, forms and public feed.
    Case("initiatives:initiative-list", anonymous=302, member=200, admin=200),
    Case(
        "initiatives:initiative-list",
        query="q=apero&kind=event&status=idea&looking_for_help=on&mine=on&sort=supported",
        anonymous=302,
        member=200,
        admin=200,
    ),
    Case("initiatives:initiative-create", anonymous=302, member=200, admin=200),
    Case(
        "initiatives:initiative-create",
        method="post",
        data=_proposal,
        anonymous=302,
        member=302,
        admin=302,
    ),
    Case(
        "initiatives:initiative-suggestions",
        query="title=apero",
        anonymous=302,
        member=200,
        admin=200,
    ),
    Case(
        "initiatives:need-picker", query="besoins_q=accueil", anonymous=302, member=200, admin=200
    ),
    Case("initiatives:initiative-feed", anonymous=200, member=200, admin=200),
    # An initiative's page and what anyone signed in may do there.
    Case("initiatives:initiative-detail", kwargs=_pk, anonymous=302, member=200, admin=200),
    Case(
        "initiatives:initiative-join",
        method="post",
        kwargs=_pk,
        anonymous=302,
        member=302,
        admin=302,
    ),
    Case(
        "initiatives:initiative-leave",
        method="post",
        kwargs=_pk,
        anonymous=302,
        member=302,
        admin=302,
    ),
    Case(
        "initiatives:initiative-support",
        method="post",
        kwargs=_pk,
        anonymous=302,
        member=302,
        admin=302,
    ),
    Case(
        "initiatives:initiative-unsupport",
        method="post",
        kwargs=_pk,
        anonymous=302,
        member=302,
        admin=302,
    ),
    Case(
        "initiatives:initiative-comment",
        method="post",
        kwargs=_pk,
        data=lambda w: {"body": "Bonne idée !"},
        anonymous=302,
        member=302,
        admin=302,
    ),
    # What only leads and the animation team may do.
    Case(
        "initiatives:initiative-edit",
        kwargs=_pk,
        anonymous=302,
        member=403,
        animator=200,
        admin=403,
    ),
    Case("initiatives:initiative-edit", kwargs=_member_led, anonymous=302, member=200, admin=403),
    Case(
        "initiatives:initiative-edit",
        method="post",
        kwargs=_pk,
        data=_proposal,
        anonymous=302,
        member=403,
        animator=302,
        admin=403,
    ),
    Case(
        "initiatives:initiative-status",
        kwargs=_pk,
        anonymous=302,
        member=403,
        animator=200,
        admin=403,
    ),
    Case(
        "initiatives:initiative-status",
        method="post",
        kwargs=_pk,
        data=lambda w: {"status": "looking_for_help"},
        anonymous=302,
        member=403,
        animator=302,
        admin=403,
    ),
    Case(
        "initiatives:initiative-status",
        method="post",
        kwargs=_member_led,
        data=lambda w: {"status": "looking_for_help"},
        anonymous=302,
        member=302,
        admin=403,
    ),
    Case(
        "initiatives:role-create",
        kwargs=_pk,
        anonymous=302,
        member=403,
        animator=200,
        admin=403,
    ),
    Case(
        "initiatives:role-create",
        method="post",
        kwargs=_member_led,
        data=lambda w: {"label": "Accueil", "count": 2},
        anonymous=302,
        member=302,
        animator=302,
        admin=403,
    ),
    Case(
        "initiatives:role-delete",
        method="post",
        kwargs=_role,
        anonymous=302,
        member=403,
        animator=302,
        admin=403,
    ),
    Case(
        "initiatives:colead-create",
        kwargs=_pk,
        anonymous=302,
        member=403,
        animator=200,
        admin=403,
    ),
    Case(
        "initiatives:colead-create",
        method="post",
        kwargs=_pk,
        data=lambda w: {"member": w.admin.email},
        anonymous=302,
        member=403,
        animator=302,
        admin=403,
    ),
    Case(
        "initiatives:colead-delete",
        method="post",
        kwargs=_co_lead,
        anonymous=302,
        member=403,
        animator=302,
        admin=403,
    ),
    Case(
        "initiatives:update-create",
        kwargs=_pk,
        anonymous=302,
        member=403,
        animator=403,
        admin=403,
    ),
    Case(
        "initiatives:update-create",
        kwargs=_member_led,
        anonymous=302,
        member=200,
        animator=403,
        admin=403,
    ),
    Case(
        "initiatives:update-create",
        method="post",
        kwargs=_member_led,
        data=lambda w: {"body": "Ça avance."},
        anonymous=302,
        member=302,
        animator=403,
        admin=403,
    ),
    Case(
        "initiatives:budget-create",
        kwargs=_pk,
        anonymous=302,
        member=403,
        animator=403,
        admin=403,
    ),
    Case(
        "initiatives:budget-create",
        kwargs=_member_led,
        anonymous=302,
        member=200,
        animator=403,
        admin=403,
    ),
    Case(
        "initiatives:budget-create",
        method="post",
        kwargs=_pk,
        data=lambda w: {"budget_amount": "80", "budget_purpose": "Du café."},
        anonymous=302,
        member=403,
        animator=403,
        admin=403,
    ),
    Case(
        "initiatives:budget-decide",
        kwargs=_budget,
        anonymous=302,
        member=403,
        animator=200,
        admin=403,
    ),
    Case(
        "initiatives:budget-decide",
        method="post",
        kwargs=_budget,
        data=lambda w: {"decision": "approve", "message": ""},
        anonymous=302,
        member=403,
        animator=302,
        admin=403,
    ),
    Case(
        "initiatives:budget-withdraw",
        method="post",
        kwargs=_budget,
        anonymous=302,
        member=403,
        animator=403,
        admin=403,
    ),
    # Comments: their author edits and deletes them.
    Case(
        "initiatives:comment-edit",
        kwargs=_comment,
        anonymous=302,
        member=403,
        admin=403,
    ),
    Case(
        "initiatives:comment-edit",
        kwargs=lambda w: _comment(w, "member"),
        anonymous=302,
        member=200,
        animator=403,
        admin=403,
    ),
    Case(
        "initiatives:comment-edit",
        method="post",
        kwargs=lambda w: _comment(w, "member"),
        data=lambda w: {"body": "Corrigé."},
        anonymous=302,
        member=302,
        animator=403,
        admin=403,
    ),
    Case(
        "initiatives:comment-delete",
        method="post",
        kwargs=_comment,
        anonymous=302,
        member=403,
        admin=403,
    ),
    Case(
        "initiatives:comment-delete",
        method="post",
        kwargs=lambda w: _comment(w, "member"),
        anonymous=302,
        member=302,
        animator=403,
        admin=403,
    ),
    # Needs.
    Case("initiatives:need-list", anonymous=302, member=200, admin=200),
    Case(
        "initiatives:need-list",
        query="q=accueil&state=open&sort=recent",
        anonymous=302,
        member=200,
        admin=200,
    ),
    Case("initiatives:need-create", anonymous=302, member=200, admin=200),
    Case(
        "initiatives:need-create",
        method="post",
        data=lambda w: {"title": "Trop de réunions"},
        anonymous=302,
        member=302,
        admin=302,
    ),
    Case(
        "initiatives:need-suggestions",
        query="title=reunions",
        anonymous=302,
        member=200,
        admin=200,
    ),
    Case("initiatives:need-detail", kwargs=_need_pk, anonymous=302, member=200, admin=200),
    Case(
        "initiatives:need-support",
        method="post",
        kwargs=_need_pk,
        anonymous=302,
        member=302,
        admin=302,
    ),
    Case(
        "initiatives:need-unsupport",
        method="post",
        kwargs=_need_pk,
        anonymous=302,
        member=302,
        admin=302,
    ),
    Case(
        "initiatives:need-comment",
        method="post",
        kwargs=_need_pk,
        data=lambda w: {"body": "Moi aussi !"},
        anonymous=302,
        member=302,
        admin=302,
    ),
    Case(
        "initiatives:need-edit",
        kwargs=_need_pk,
        anonymous=302,
        member=403,
        animator=200,
        admin=403,
    ),
    Case(
        "initiatives:need-edit",
        method="post",
        kwargs=_need_pk,
        data=lambda w: {"title": "Trop de réunions, vraiment"},
        anonymous=302,
        member=403,
        animator=302,
        admin=403,
    ),
    Case(
        "initiatives:need-close",
        kwargs=_need_pk,
        anonymous=302,
        member=403,
        animator=200,
        admin=403,
    ),
    Case(
        "initiatives:need-close",
        method="post",
        kwargs=_need_pk,
        data=lambda w: {"reason": "Réglé ailleurs."},
        anonymous=302,
        member=403,
        animator=302,
        admin=403,
    ),
    Case(
        "initiatives:need-reopen",
        method="post",
        kwargs=_closed_need,
        anonymous=302,
        member=403,
        animator=302,
        admin=403,
    ),
    # Reports and moderation.
    Case(
        "initiatives:report-create",
        kwargs=lambda w: {"target": "initiative", **_pk(w)},
        anonymous=302,
        member=200,
        admin=200,
    ),
    Case(
        "initiatives:report-create",
        method="post",
        kwargs=lambda w: {"target": "besoin", **_need_pk(w)},
        data=lambda w: {"reason": "Hors sujet."},
        anonymous=302,
        member=302,
        admin=302,
    ),
    Case(
        "initiatives:report-create",
        kwargs=lambda w: {"target": "commentaire", **_comment(w)},
        anonymous=302,
        member=200,
        admin=200,
    ),
    Case("initiatives:moderation", anonymous=302, member=403, animator=200, admin=403),
    Case(
        "initiatives:moderation-act",
        kwargs=lambda w: {"target": "initiative", **_pk(w)},
        anonymous=302,
        member=403,
        animator=200,
        admin=403,
    ),
    Case(
        "initiatives:moderation-act",
        method="post",
        kwargs=lambda w: {"target": "besoin", **_need_pk(w)},
        data=lambda w: {"note": "Doublon.", "action": "hide"},
        anonymous=302,
        member=403,
        animator=302,
        admin=403,
    ),
    Case(
        "initiatives:report-dismiss",
        method="post",
        kwargs=_report,
        anonymous=302,
        member=403,
        animator=302,
        admin=403,
    ),
    # API.
    Case("api:initiative_list", member=200, admin=200, **API),
    Case("api:initiative_list", method="post", data=_proposal, member=201, admin=201, **API),
    Case("api:initiative_detail", kwargs=_api_pk, member=200, admin=200, **API),
    Case(
        "api:initiative_detail",
        method="patch",
        kwargs=_api_pk,
        data=lambda w: {"status": "looking_for_help"},
        member=403,
        animator=200,
        admin=403,
        **API,
    ),
    Case(
        "api:initiative_join",
        method="post",
        kwargs=_api_pk,
        member=201,
        admin=201,
        **API,
    ),
    Case(
        "api:initiative_leave",
        method="post",
        kwargs=_api_pk,
        member=400,
        admin=400,
        **API,
    ),
    Case(
        "api:initiative_support",
        method="post",
        kwargs=_api_pk,
        member=201,
        admin=201,
        **API,
    ),
    Case("api:initiative_comments", kwargs=_api_pk, member=200, admin=200, **API),
    Case(
        "api:initiative_comments",
        method="post",
        kwargs=_api_pk,
        data=lambda w: {"body": "Bonne idée !"},
        member=201,
        admin=201,
        **API,
    ),
    Case("api:need_list", member=200, admin=200, **API),
    Case(
        "api:need_list",
        method="post",
        data=lambda w: {"title": "Trop de réunions"},
        member=201,
        admin=201,
        **API,
    ),
    Case(
        "api:need_support",
        method="post",
        kwargs=lambda w: {"need_id": _need(w).pk},
        member=201,
        admin=201,
        **API,
    ),
]
