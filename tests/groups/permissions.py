"""Who may open each page and call each API route of groups. `owner` leads the group built
here; `member` is someone else; the animation team edits any group and sees the groups to
review; an admin is, for these pages, an ordinary member. Cases ending in `_led` use a group
that `member` leads (or belongs to), to show what a lead (or member) may do."""

from tests.permissions import Case

API = {"api": True, "anonymous": 401}


def _group(world):
    from tests.groups.factories import WorkingGroupFactory

    return world.once("group", lambda w: WorkingGroupFactory(lead=w.owner))


def _led(world):
    from tests.groups.factories import WorkingGroupFactory

    return world.once("led", lambda w: WorkingGroupFactory(lead=w.member))


def _slug(world):
    return {"slug": _group(world).slug}


def _led_slug(world):
    return {"slug": _led(world).slug}


def _proposal(world, group=_group):
    from tests.groups.factories import ProposalFactory

    proposal = world.once(f"proposal-{group.__name__}", lambda w: ProposalFactory(group=group(w)))
    return {"slug": proposal.group.slug, "pk": proposal.pk}


def _led_proposal(world):
    return _proposal(world, _led)


def _join_request(world):
    from ruche.groups.models import JoinRequest
    from tests.factories import MemberFactory

    def build(w):
        return JoinRequest.objects.create(
            group=_group(w), member=MemberFactory(), message="Bonjour"
        )

    request = world.once("join_request", build)
    return {"slug": request.group.slug, "request_pk": request.pk}


def _initiative(world, lead="owner"):
    from ruche.initiatives.enums import InitiativeKind
    from tests.initiatives.factories import InitiativeFactory

    initiative = world.once(
        f"initiative-{lead}",
        lambda w: InitiativeFactory(lead=getattr(w, lead), kind=InitiativeKind.WORKING_GROUP),
    )
    return {"pk": initiative.pk}


def _new_group(world):
    return {"name": "Club des designers", "kind": "club", "mandate": "Partager nos pratiques.",
            "membership": "open"}  # fmt: skip


def _edit(world):
    return {"name": "Nouveau nom", "kind": "group", "mandate": "Un mandat.", "status": "active",
            "membership": "open"}  # fmt: skip


def _api_pk(world):
    return {"group_id": _group(world).pk}


def _api_proposal(world):
    return {"proposal_id": _proposal(world)["pk"]}


REFUSED = {"anonymous": 302, "member": 403, "animator": 403, "admin": 403}
MANAGERS = {"anonymous": 302, "member": 403, "admin": 403}

CASES = [
    Case("groups:group-list", anonymous=200, member=200, admin=200),
    Case(
        "groups:group-list",
        query="q=accueil&kind=group&status=active&to_review=on&mine=on&page=2",
        anonymous=200,
        member=200,
        admin=200,
    ),
    Case("groups:group-create", anonymous=302, member=200, admin=200),
    Case(
        "groups:group-create", method="post", data=_new_group, anonymous=302, member=302, admin=302
    ),
    Case("groups:group-review-list", anonymous=302, member=403, animator=200, admin=403),
    Case("groups:group-from-initiative", method="post", kwargs=_initiative, **REFUSED),
    Case(
        "groups:group-from-initiative",
        method="post",
        kwargs=lambda w: _initiative(w, "member"),
        anonymous=302,
        member=302,
        animator=403,
        admin=403,
    ),
    Case("groups:group-detail", kwargs=_slug, anonymous=200, member=200, admin=200),
    Case("groups:group-edit", kwargs=_slug, animator=200, **MANAGERS),
    Case("groups:group-edit", kwargs=_led_slug, anonymous=302, member=200, animator=200, admin=403),
    Case("groups:group-edit", method="post", kwargs=_slug, data=_edit, animator=302, **MANAGERS),
    Case("groups:group-close", kwargs=_slug, animator=200, **MANAGERS),
    Case(
        "groups:group-close",
        method="post",
        kwargs=_led_slug,
        data=lambda w: {"note": "Mission accomplie."},
        anonymous=302,
        member=302,
        animator=302,
        admin=403,
    ),
    Case("groups:group-review", kwargs=_slug, animator=200, **MANAGERS),
    Case(
        "groups:group-review",
        method="post",
        kwargs=_led_slug,
        anonymous=302,
        member=302,
        animator=302,
        admin=403,
    ),
    Case("groups:group-join", kwargs=_slug, anonymous=302, member=200, admin=200),
    Case("groups:group-join", method="post", kwargs=_slug, anonymous=302, member=302, admin=302),
    Case("groups:group-observe", method="post", kwargs=_slug, anonymous=302, member=302, admin=302),
    Case("groups:group-leave", method="post", kwargs=_slug, anonymous=302, member=302, admin=302),
    Case(
        "groups:join-request-answer",
        method="post",
        kwargs=_join_request,
        data=lambda w: {"action": "accepter"},
        animator=302,
        **MANAGERS,
    ),
    Case("groups:lead-add", kwargs=_slug, animator=200, **MANAGERS),
    Case("groups:proposal-create", kwargs=_slug, **REFUSED),
    Case(
        "groups:proposal-create",
        kwargs=_led_slug,
        anonymous=302,
        member=200,
        animator=403,
        admin=403,
    ),
    Case(
        "groups:proposal-create",
        method="post",
        kwargs=_led_slug,
        data=lambda w: {"question": "On y va ?", "closes_on": "2099-01-01"},
        anonymous=302,
        member=302,
        animator=403,
        admin=403,
    ),
    Case("groups:proposal-detail", kwargs=_proposal, anonymous=302, member=200, admin=200),
    Case(
        "groups:proposal-detail",
        method="post",
        kwargs=_proposal,
        data=lambda w: {"option": "d’accord"},
        **REFUSED,
    ),
    Case(
        "groups:proposal-detail",
        method="post",
        kwargs=_led_proposal,
        data=lambda w: {"option": "d’accord"},
        anonymous=302,
        member=302,
        animator=403,
        admin=403,
    ),
    Case("groups:proposal-close", kwargs=_proposal, **REFUSED),
    Case(
        "groups:proposal-close",
        method="post",
        kwargs=_led_proposal,
        data=lambda w: {"outcome": "Adoptée."},
        anonymous=302,
        member=302,
        animator=403,
        admin=403,
    ),
    Case("groups:decision-create", kwargs=_slug, **REFUSED),
    Case(
        "groups:decision-create",
        kwargs=_led_slug,
        anonymous=302,
        member=200,
        animator=403,
        admin=403,
    ),
    Case("groups:decision-feed", kwargs=_slug, anonymous=200, member=200, admin=200),
    # API.
    Case("api:group_list", member=200, admin=200, **API),
    Case("api:group_list", method="post", data=_new_group, member=201, admin=201, **API),
    Case("api:group_detail", kwargs=_api_pk, member=200, admin=200, **API),
    Case(
        "api:group_detail",
        method="patch",
        kwargs=_api_pk,
        data=lambda w: {"mandate": "Un autre mandat."},
        member=403,
        animator=200,
        admin=403,
        **API,
    ),
    Case("api:group_join", method="post", kwargs=_api_pk, member=200, admin=200, **API),
    Case("api:group_leave", method="post", kwargs=_api_pk, member=400, admin=400, **API),
    Case("api:group_decisions", kwargs=_api_pk, member=200, admin=200, **API),
    Case(
        "api:group_decisions",
        method="post",
        kwargs=_api_pk,
        data=lambda w: {"title": "On se voit le mardi."},
        member=403,
        admin=403,
        **API,
    ),
    Case("api:group_proposals", kwargs=_api_pk, member=200, admin=200, **API),
    Case(
        "api:group_proposals",
        method="post",
        kwargs=_api_pk,
        data=lambda w: {"question": "On y va ?", "closes_on": "2099-01-01"},
        member=403,
        admin=403,
        **API,
    ),
    Case(
        "api:proposal_answer",
        method="post",
        kwargs=_api_proposal,
        data=lambda w: {"option": "d’accord"},
        member=403,
        admin=403,
        **API,
    ),
]
