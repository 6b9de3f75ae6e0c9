"""Rules that hold whatever the door: services refuse forbidden acts themselves, hidden content
stays out of every list, search, feed and API answer, every form needs its CSRF token, and
hostile text is inert on need pages too."""

import importlib
import json
import pkgutil
import re

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import get_resolver, reverse
from django.utils.html import escape

from ruche.accounts.services import api_token_create
from ruche.engagement.models import Contribution
from ruche.initiatives import services as service_package
from ruche.initiatives.enums import InitiativeStatus, LeadRole
from ruche.initiatives.models import BudgetRequest, InitiativeLead, Report
from ruche.initiatives.services.moderation import content_hide
from ruche.initiatives.services.needs import needs_refresh_state
from ruche.notifications.models import Notification
from tests.core.test_markdown import HOSTILE, _elements, _scheme_of
from tests.factories import MemberFactory
from tests.helpers import ANIMATION_TEAM
from tests.initiatives.factories import CommentFactory, InitiativeFactory, NeedFactory, RoleFactory
from tests.initiatives.permissions import CASES
from tests.test_permissions import _world

pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    """Every row of this app, of the ledger and of notifications, to prove nothing changed."""
    models = [*apps.get_app_config("initiatives").get_models(), Contribution, Notification]
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in models}


@pytest.fixture
def scene():
    """An initiative (with a co-lead, a role, a pending budget, a comment) and a need (with a
    comment and a report), none of them the outsider's."""
    initiative = InitiativeFactory()
    co_lead = MemberFactory()
    InitiativeLead.objects.create(initiative=initiative, member=co_lead, role=LeadRole.CO_LEAD)
    role = RoleFactory(initiative=initiative)
    budget = BudgetRequest.objects.create(
        initiative=initiative, amount=100, purpose="Le lieu.", requested_by=initiative.proposer
    )
    need = NeedFactory()
    comment = CommentFactory(initiative=initiative)
    need_comment = CommentFactory(initiative=None, need=need)
    report = Report.objects.create(
        target_type="need", need=need, reporter=MemberFactory(), reason="Pub."
    )
    hidden = InitiativeFactory(hidden=True)
    return {
        "initiative": initiative,
        "co_lead": co_lead,
        "role": role,
        "budget": budget,
        "need": need,
        "comment": comment,
        "need_comment": need_comment,
        "report": report,
        "hidden": hidden,
    }


FORBIDDEN = {
    "initiative_update": lambda s: {"initiative": s["initiative"], "fields": {"title": "Pris"}},
    "initiative_status_change": lambda s: {"initiative": s["initiative"], "status": "done"},
    "initiative_colead_add": lambda s: {
        "initiative": s["initiative"],
        "member": MemberFactory(),
    },
    "initiative_colead_remove": lambda s: {"initiative": s["initiative"], "member": s["co_lead"]},
    "role_add": lambda s: {"initiative": s["initiative"], "label": "Accueil", "count": 2},
    "role_remove": lambda s: {"role": s["role"]},
    "update_post": lambda s: {"initiative": s["initiative"], "body": "Ça avance."},
    "budget_request_create": lambda s: {
        "initiative": s["initiative"],
        "amount": "50",
        "purpose": "Du café.",
    },
    "budget_request_decide": lambda s: {"budget_request": s["budget"], "approve": True},
    "budget_request_withdraw": lambda s: {"budget_request": s["budget"]},
    "need_update": lambda s: {"need": s["need"], "fields": {"title": "Pris"}},
    "need_close": lambda s: {"need": s["need"], "reason": "Parce que."},
    "need_reopen": lambda s: {"need": s["need"]},
    "comment_edit": lambda s: {"comment": s["comment"], "body": "Piraté"},
    "comment_delete": lambda s: {"comment": s["need_comment"]},
    "content_hide": lambda s: {
        "target_type": "initiative",
        "target": s["initiative"],
        "note": "x",
    },
    "content_restore": lambda s: {"target_type": "initiative", "target": s["hidden"], "note": "x"},
    "report_dismiss": lambda s: {"report": s["report"]},
}


def service(name: str):
    """The service of that name, in whichever module of ruche/initiatives/services it lives."""
    for module in pkgutil.iter_modules(service_package.__path__):
        found = getattr(
            importlib.import_module(f"{service_package.__name__}.{module.name}"), name, None
        )
        if found is not None:
            return found
    raise LookupError(name)


@pytest.mark.parametrize("name", sorted(FORBIDDEN))
def test_the_service_itself_refuses_an_outsider_and_changes_nothing(name, scene):
    outsider = MemberFactory()
    before = snapshot()
    with pytest.raises(PermissionDenied) as refused:
        service(name)(actor=outsider, **FORBIDDEN[name](scene))
    assert str(refused.value)  # a reason a person can read
    assert snapshot() == before


HIDDEN_TEXTS = (
    "Zorglub initiative masquée",
    "Zorglub besoin masqué",
    "Zorglub rôle",
    "Zorglub commentaire",
    "Zorglub aussi",
)


def shows_hidden(text: str) -> list[str]:
    return [hidden for hidden in HIDDEN_TEXTS if hidden in text]


class TestHiddenContent:
    """A member who is neither the author, a lead nor in the animation team never meets
    moderated content, wherever they look."""

    @pytest.fixture
    def hidden_world(self, animator):
        visible_need = NeedFactory(title="Besoin visible")
        visible = InitiativeFactory(
            title="Initiative visible", status=InitiativeStatus.IN_PROGRESS, needs=[visible_need]
        )
        hidden_need = NeedFactory(title="Zorglub besoin masqué")
        hidden = InitiativeFactory(
            title="Zorglub initiative masquée",
            summary="Zorglub",
            status=InitiativeStatus.DONE,
            needs=[visible_need],
        )
        RoleFactory(initiative=hidden, label="Zorglub rôle")
        visible.needs.add(hidden_need)
        needs_refresh_state([visible_need.pk, hidden_need.pk])
        comment = CommentFactory(initiative=visible, body="Zorglub commentaire")
        need_comment = CommentFactory(initiative=None, need=visible_need, body="Zorglub aussi")
        for kind, target in (
            ("initiative", hidden),
            ("need", hidden_need),
            ("comment", comment),
            ("comment", need_comment),
        ):
            content_hide(actor=animator, target_type=kind, target=target, note="Spam.")
        return {
            "visible": visible,
            "visible_need": visible_need,
            "hidden": hidden,
            "hidden_need": hidden_need,
            "comment": comment,
        }

    def test_no_page_shows_it(self, hidden_world, member_client):
        world = hidden_world
        pages = [
            "/",
            "/initiatives/",
            "/initiatives/?q=zorglub",
            "/initiatives/?looking_for_help=on",
            "/besoins/",
            "/besoins/?q=zorglub",
            "/initiatives/proposer/",
            "/initiatives/proposer/?titre=zorglub",
            "/initiatives/proposer/suggestions/?title=zorglub",
            "/initiatives/proposer/besoins/?besoins_q=zorglub",
            world["visible"].get_absolute_url(),
            world["visible_need"].get_absolute_url(),
        ]
        for url in pages:
            response = member_client.get(url)
            assert response.status_code == 200, url
            assert not shows_hidden(response.text), url
        feed = member_client.get("/initiatives/flux.atom")
        assert not shows_hidden(feed.text)
        for url in (
            world["hidden"].get_absolute_url(),
            world["hidden_need"].get_absolute_url(),
            f"/commentaires/{world['comment'].pk}/modifier/",
            f"/signaler/commentaire/{world['comment'].pk}/",
        ):
            assert member_client.get(url).status_code == 404, url

    def test_the_need_state_and_counts_ignore_a_hidden_initiative(self, hidden_world):
        need = hidden_world["visible_need"]
        need.refresh_from_db()
        assert need.state == "being_addressed"  # the hidden one was done

    def test_no_api_answer_shows_it(self, hidden_world, member):
        _token, secret = api_token_create(actor=member, member=member, name="tests")
        api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
        world = hidden_world
        for path in (
            "/api/v1/initiatives",
            "/api/v1/initiatives?q=zorglub",
            "/api/v1/needs",
            "/api/v1/needs?q=zorglub",
            f"/api/v1/initiatives/{world['visible'].pk}",
            f"/api/v1/initiatives/{world['visible'].pk}/comments",
        ):
            response = api.get(path)
            assert response.status_code == 200, path
            assert not shows_hidden(json.dumps(response.json(), ensure_ascii=False)), path
        visible = api.get(f"/api/v1/initiatives/{world['visible'].pk}").json()
        assert visible["needs"] == [world["visible_need"].pk]
        need = next(
            item
            for item in api.get("/api/v1/needs").json()["items"]
            if item["id"] == world["visible_need"].pk
        )
        assert need["initiatives"] == [world["visible"].pk]
        for path in (
            f"/api/v1/initiatives/{world['hidden'].pk}",
            f"/api/v1/initiatives/{world['hidden'].pk}/comments",
        ):
            assert api.get(path).status_code == 404, path
        for path in (
            f"/api/v1/initiatives/{world['hidden'].pk}/support",
            f"/api/v1/initiatives/{world['hidden'].pk}/join",
            f"/api/v1/needs/{world['hidden_need'].pk}/support",
        ):
            response = api.post(path, "{}", content_type="application/json")
            assert response.status_code == 404, path

    def test_the_animation_team_still_finds_it_in_the_queue(self, hidden_world, client, animator):
        client.force_login(animator)
        queue = client.get("/moderation/").text
        assert "Zorglub initiative masquée" in queue
        assert "Zorglub besoin masqué" in queue


POST_CASES = [case for case in CASES if case.method == "post" and not case.api]


@pytest.mark.parametrize("case", POST_CASES, ids=[case.url_name for case in POST_CASES])
def test_every_form_needs_its_csrf_token(case):
    world = _world()
    world.animator.transverse_role = ANIMATION_TEAM
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.animator)
    url = reverse(case.url_name, kwargs=case.kwargs(world) if case.kwargs else None)
    before = snapshot()
    response = client.post(url, case.data(world) if case.data else {})
    assert response.status_code == 403
    assert "CSRF" in response.text or "csrf" in response.text.lower()
    assert snapshot() == before


def test_every_post_route_of_the_app_is_checked_for_csrf():
    resolver = next(
        p for p in get_resolver().url_patterns if getattr(p, "namespace", None) == "initiatives"
    )
    names = {f"initiatives:{pattern.name}" for pattern in resolver.url_patterns}
    read_only = {
        "initiatives:initiative-list",
        "initiatives:initiative-suggestions",
        "initiatives:need-suggestions",
        "initiatives:need-picker",
        "initiatives:initiative-feed",
        "initiatives:initiative-detail",
        "initiatives:need-list",
        "initiatives:need-detail",
        "initiatives:moderation",
    }
    assert names - read_only <= {case.url_name for case in POST_CASES}


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_text_is_inert_on_need_pages(member_client, source):
    need = NeedFactory(title=source[:200], description=source)
    CommentFactory(initiative=None, need=need, body=source)
    page = member_client.get(need.get_absolute_url())
    assert page.status_code == 200
    blocks = re.findall(r'<div class="ruche-markdown[^"]*">(.*?)</div>', page.text, re.S)
    assert len(blocks) == 2
    for html in blocks:
        for _tag, attrs in _elements(html):
            for name, value in attrs.items():
                assert not name.startswith("on"), html
                assert name not in {"style", "src", "srcdoc"}, html
                if name == "href":
                    assert _scheme_of(value or "") in {None, "http", "https", "mailto"}, html
    main = page.text.split("</header>", 1)[1].rsplit("<footer", 1)[0]
    assert not re.search(r"<\s*(script|iframe|svg|img|object|embed)\b", main, re.I)
    listed = member_client.get("/besoins/")
    assert "<script>alert" not in listed.text
    assert escape(need.title) in listed.text  # shown as typed, escaped


def test_hostile_text_is_returned_as_typed_by_the_api_not_rendered(member):
    _token, secret = api_token_create(actor=member, member=member, name="tests")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    initiative = InitiativeFactory()
    body = json.dumps({"body": "<script>alert(1)</script>"})
    created = api.post(
        f"/api/v1/initiatives/{initiative.pk}/comments", body, content_type="application/json"
    )
    assert created["Content-Type"] == "application/json; charset=utf-8"
    assert created.json()["body"] == "<script>alert(1)</script>"
