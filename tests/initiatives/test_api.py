import html
import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ruche.accounts.services import api_token_create
from ruche.engagement.models import Contribution
from ruche.initiatives.enums import InitiativeStatus, NeedState
from ruche.initiatives.models import CallForHelp, Comment, Initiative, Need, Participation
from ruche.initiatives.services.lifecycle import initiative_propose, initiative_status_change
from tests.factories import MemberFactory
from tests.initiatives.factories import InitiativeFactory, NeedFactory, RoleFactory

pytestmark = pytest.mark.django_db

PROPOSAL = {
    "title": "Apéro de rentrée",
    "kind": "event",
    "summary": "Un apéro pour se retrouver.",
}


class Api:
    def __init__(self, member):
        _token, secret = api_token_create(actor=member, member=member, name="tests")
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")

    def get(self, path, **params):
        return self.client.get(f"/api/v1{path}", params)

    def send(self, method, path, data=None):
        return self.client.generic(
            method, f"/api/v1{path}", json.dumps(data or {}), content_type="application/json"
        )

    def post(self, path, data=None):
        return self.send("POST", path, data)

    def patch(self, path, data=None):
        return self.send("PATCH", path, data)


@pytest.fixture
def api(member):
    return Api(member)


class TestInitiatives:
    def test_propose_then_read_back(self, api, member):
        need = NeedFactory()
        response = api.post("/initiatives", {**PROPOSAL, "needs": [need.pk]})
        assert response.status_code == 201
        body = response.json()
        assert body["title"] == "Apéro de rentrée"
        assert body["status"] == "idea"
        assert body["needs"] == [need.pk]
        assert body["leads"] == [
            {"id": member.pk, "display_name": member.display_name, "role": "proposer"}
        ]
        assert body["url"] == f"/initiatives/{body['id']}/"
        assert api.get(f"/initiatives/{body['id']}").json() == body
        assert sorted(Contribution.objects.values_list("kind", flat=True)) == ["led", "proposed"]

    @pytest.mark.parametrize(
        ("change", "field", "message"),
        [
            ({"title": ""}, "title", "Donnez un titre à l’initiative."),
            ({"title": "x" * 201}, "title", "200 caractères (il en compte 201)"),
            ({"needs": [999999]}, "needs", "Besoin introuvable"),
            ({"budget_amount": "-3", "budget_purpose": "x"}, "budget_amount", ""),
        ],
    )
    def test_bad_input_is_a_400_with_the_pages_message(self, api, change, field, message):
        response = api.post("/initiatives", {**PROPOSAL, **change})
        assert response.status_code == 400
        assert message in " ".join(response.json()["detail"][field])
        assert not Initiative.objects.exists()

    @pytest.mark.parametrize(
        "change",
        [
            {"title": "   "},
            {"summary": "x" * 501},
            {"scope": "startup", "startup": "inconnue"},
            {"scope": "incubator", "incubator": "nulle-part"},
            {"needs": [999999]},
            {"budget_amount": "2000000", "budget_purpose": "Tout"},
        ],
    )
    def test_the_api_and_the_page_refuse_bad_input_in_the_same_words(
        self, api, member, client, change
    ):
        refused = api.post("/initiatives", {**PROPOSAL, **change})
        assert refused.status_code == 400
        messages = [m for field in refused.json()["detail"].values() for m in field]
        client.force_login(member)
        page = client.post("/initiatives/proposer/", {**PROPOSAL, "scope": "community", **change})
        assert page.status_code == 400
        assert messages
        assert all(message in html.unescape(page.content.decode()) for message in messages)

    def test_the_list_filters_and_searches(self, api):
        InitiativeFactory(title="Apéro de rentrée", kind="event")
        InitiativeFactory(title="Guide d’hébergement", kind="tool", status="done")
        RoleFactory(initiative=InitiativeFactory(title="Groupe égalité", kind="working_group"))
        InitiativeFactory(title="Apéro masqué", hidden=True)

        def titles(**params):
            body = api.get("/initiatives", **params).json()
            return [item["title"] for item in body["items"]]

        assert len(titles()) == 3
        assert titles(kind="tool") == ["Guide d’hébergement"]
        assert titles(status="done") == ["Guide d’hébergement"]
        assert titles(looking_for_help="true") == ["Groupe égalité"]
        assert titles(q="APERO") == ["Apéro de rentrée"]
        page = api.get("/initiatives", limit=1, offset=1).json()
        assert page["count"] == 3
        assert len(page["items"]) == 1

    def test_an_unknown_kind_names_the_accepted_values_not_the_french_labels(self, api):
        for response in (
            api.get("/initiatives", kind="apero"),
            api.post("/initiatives", {**PROPOSAL, "kind": "outil"}),
        ):
            assert response.status_code == 422
            (error,) = response.json()["detail"]
            assert error["loc"][-1] == "kind"
            assert error["msg"] == (
                "Valeur inconnue : choisissez 'event', 'process', 'tool', 'working_group' ou "
                "'other'."
            )
        assert not Initiative.objects.exists()

    def test_the_list_runs_the_same_queries_for_few_or_many(self, api):
        def count_queries():
            with CaptureQueriesContext(connection) as queries:
                assert api.get("/initiatives", limit=200).status_code == 200
            return len(queries)

        for _n in range(3):
            RoleFactory(initiative=InitiativeFactory(needs=[NeedFactory()]))
        count_queries()  # the token's first use is recorded once
        few = count_queries()
        for _n in range(30):
            RoleFactory(initiative=InitiativeFactory(needs=[NeedFactory()]))
        assert count_queries() == few

    def test_a_non_lead_patch_of_the_status_is_a_403(self, api, member):
        initiative = InitiativeFactory()
        response = api.patch(f"/initiatives/{initiative.pk}", {"status": "in_progress"})
        assert response.status_code == 403
        assert "porteur·ses" in response.json()["detail"]
        response = api.patch(f"/initiatives/{initiative.pk}", {"title": "Piraté"})
        assert response.status_code == 403
        initiative.refresh_from_db()
        assert (initiative.status, initiative.title) != ("in_progress", "Piraté")

    def test_the_lead_patches_fields_and_status_together_or_not_at_all(self, member):
        initiative = InitiativeFactory(lead=member)
        api = Api(member)
        bad = api.patch(
            f"/initiatives/{initiative.pk}", {"title": "Nouveau titre", "status": "paused"}
        )
        assert bad.status_code == 400
        assert "pourquoi" in bad.json()["detail"]["status_reason"][0]
        initiative.refresh_from_db()
        assert initiative.title != "Nouveau titre"  # nothing half-saved
        good = api.patch(
            f"/initiatives/{initiative.pk}",
            {"title": "Nouveau titre", "status": "paused", "status_reason": "L’été."},
        )
        assert good.status_code == 200
        assert (good.json()["title"], good.json()["status"]) == ("Nouveau titre", "paused")

    def test_join_leave_and_the_errors_of_joining(self, api, member):
        role = RoleFactory(count=1)
        path = f"/initiatives/{role.initiative_id}"
        joined = api.post(f"{path}/join", {"role": role.pk})
        assert joined.status_code == 201
        assert joined.json()["role"] == role.pk
        twice = api.post(f"{path}/join", {"role": role.pk})
        assert twice.status_code == 400
        assert "déjà rejoint" in json.dumps(twice.json(), ensure_ascii=False)
        other = Api(MemberFactory())
        full = other.post(f"{path}/join", {"role": role.pk})
        assert full.status_code == 400
        assert full.json()["detail"]["role"] == [
            "Ce rôle est complet : toutes les places sont prises."
        ]
        assert api.post(f"{path}/leave").status_code == 204
        assert CallForHelp.objects.get().taken == 0
        assert other.post(f"{path}/join").status_code == 201  # generally, without a role
        assert Participation.objects.get().role is None

    def test_support_and_comments(self, api, member):
        initiative = InitiativeFactory()
        path = f"/initiatives/{initiative.pk}"
        assert api.post(f"{path}/support").json() == {"id": initiative.pk, "support_count": 1}
        assert api.post(f"{path}/support").status_code == 400
        empty = api.post(f"{path}/comments", {"body": "  "})
        assert empty.status_code == 400
        assert "vide" in empty.json()["detail"]["body"][0]
        created = api.post(f"{path}/comments", {"body": "Bonne idée"})
        assert created.status_code == 201
        assert created.json()["author"]["id"] == member.pk
        Comment.objects.create(initiative=initiative, author=member, body="Caché", hidden=True)
        listed = api.get(f"{path}/comments").json()
        assert [c["body"] for c in listed["items"]] == ["Bonne idée"]

    def test_a_lead_cannot_support_their_own_initiative(self, api, member):
        initiative = InitiativeFactory(lead=member)
        refused = api.post(f"/initiatives/{initiative.pk}/support")
        assert refused.status_code == 400
        assert "Vous portez cette initiative" in refused.json()["detail"]["__all__"][0]

    def test_hidden_initiatives_are_404_except_for_their_leads(self, api, member):
        hidden = InitiativeFactory(hidden=True)
        assert api.get(f"/initiatives/{hidden.pk}").status_code == 404
        assert api.post(f"/initiatives/{hidden.pk}/join").status_code == 404
        assert Api(hidden.proposer).get(f"/initiatives/{hidden.pk}").status_code == 200

    def test_without_a_token_it_is_a_401(self, client):
        assert client.get("/api/v1/initiatives").status_code == 401


class TestNeeds:
    def test_raise_list_and_support_a_need(self, api, member):
        created = api.post("/needs", {"title": "Trop de réunions", "domaine": "design"})
        assert created.status_code == 201
        need_id = created.json()["id"]
        assert created.json()["state"] == "open"
        other = Api(MemberFactory())
        assert other.post(f"/needs/{need_id}/support").json()["support_count"] == 1
        assert other.post(f"/needs/{need_id}/support").status_code == 400
        assert api.post(f"/needs/{need_id}/support").status_code == 400  # its author
        listed = api.get("/needs", q="reunions").json()
        assert [item["id"] for item in listed["items"]] == [need_id]

    def test_an_anonymous_need_never_names_who_raised_it(self, api, member):
        named = api.post("/needs", {"title": "Trop de réunions"}).json()
        assert named["anonymous"] is False
        assert named["author"] == {"id": member.pk, "display_name": member.display_name}
        hidden = api.post("/needs", {"title": "Des remarques sexistes", "anonymous": True})
        assert hidden.status_code == 201
        assert (hidden.json()["anonymous"], hidden.json()["author"]) == (True, None)
        assert Need.objects.get(pk=hidden.json()["id"]).author == member  # kept, not shown
        listed = Api(MemberFactory()).get("/needs").json()["items"]
        by_id = {item["id"]: item for item in listed}
        assert by_id[hidden.json()["id"]]["author"] is None
        assert member.display_name not in json.dumps(by_id[hidden.json()["id"]])
        assert by_id[named["id"]]["author"]["display_name"] == member.display_name

    def test_bad_needs_are_refused(self, api):
        assert (
            "Donnez un titre au besoin"
            in api.post("/needs", {"title": ""}).json()["detail"]["title"][0]
        )
        assert api.post("/needs", {"title": "Ok", "domaine": "cuisine"}).status_code == 422
        assert not Need.objects.exists()
        refused = api.get("/needs", state="fini")
        assert refused.status_code == 422
        assert (
            "'open', 'being_addressed', 'addressed' ou 'closed'"
            in refused.json()["detail"][0]["msg"]
        )

    def test_a_need_shows_the_initiatives_answering_it(self, api, member):
        need = NeedFactory()
        initiative = initiative_propose(actor=member, needs=[need], **PROPOSAL)
        initiative_status_change(actor=member, initiative=initiative, status=InitiativeStatus.DONE)
        item = api.get("/needs").json()["items"][0]
        assert (item["initiatives"], item["state"]) == ([initiative.pk], NeedState.ADDRESSED)


class TestLedgerThroughTheApi:
    def test_every_act_and_its_undoing_writes_the_ledger_with_the_member_context(self, member):
        other = MemberFactory()
        api, other_api = Api(member), Api(other)
        need_id = api.post("/needs", {"title": "Trop de réunions"}).json()["id"]
        other_api.post(f"/needs/{need_id}/support")
        initiative_id = api.post("/initiatives", {**PROPOSAL, "needs": [need_id]}).json()["id"]
        role = RoleFactory(initiative_id=initiative_id, count=2)
        path = f"/initiatives/{initiative_id}"
        assert other_api.post(f"{path}/join", {"role": role.pk}).status_code == 201
        assert other_api.post(f"{path}/leave").status_code == 204
        assert other_api.post(f"{path}/support").status_code == 201
        assert other_api.post(f"{path}/comments", {"body": "Partant·e !"}).status_code == 201
        api.patch(path, {"status": "looking_for_help"})

        def acts(who):
            rows = Contribution.objects.filter(member=who).order_by("at", "pk")
            return [(row.kind, row.subject_type, row.weight) for row in rows]

        assert acts(member) == [
            ("raised_need", "need", 1),
            ("proposed", "initiative", 1),
            ("led", "initiative", 1),
            ("status_changed", "initiative", 1),
        ]
        assert acts(other) == [
            ("need_supported", "need", 1),
            ("joined", "initiative", 1),
            ("joined", "initiative", -1),
            ("supported", "initiative", 1),
            ("commented", "initiative", 1),
        ]
        for row in Contribution.objects.all():
            assert row.domaine == row.member.domaine
            assert row.startup is not None  # the factories give everyone a running mission


class TestContract:
    ROUTES = {
        ("get", "/api/v1/initiatives"),
        ("post", "/api/v1/initiatives"),
        ("get", "/api/v1/initiatives/{initiative_id}"),
        ("patch", "/api/v1/initiatives/{initiative_id}"),
        ("post", "/api/v1/initiatives/{initiative_id}/join"),
        ("post", "/api/v1/initiatives/{initiative_id}/leave"),
        ("post", "/api/v1/initiatives/{initiative_id}/support"),
        ("get", "/api/v1/initiatives/{initiative_id}/comments"),
        ("post", "/api/v1/initiatives/{initiative_id}/comments"),
        ("get", "/api/v1/needs"),
        ("post", "/api/v1/needs"),
        ("post", "/api/v1/needs/{need_id}/support"),
    }

    def test_every_route_of_the_issue_is_in_the_openapi_schema_with_its_shapes(self, api):
        schema = api.client.get("/api/v1/openapi.json").json()
        operations = {
            (method, path): operation
            for path, methods in schema["paths"].items()
            for method, operation in methods.items()
        }
        assert set(operations) >= self.ROUTES
        for route in self.ROUTES:
            operation = operations[route]
            responses = operation["responses"]
            success = next(code for code in responses if code.startswith("2"))
            if success != "204":
                assert "schema" in responses[success]["content"]["application/json"], route
            if route[0] in {"post", "patch"} and not route[1].endswith(("leave", "support")):
                assert "requestBody" in operation, route
            refusals = {code for code in responses if code.startswith("4")}
            assert refusals, route
            for code in refusals:
                ref = responses[code]["content"]["application/json"]["schema"]["$ref"]
                assert ref.endswith("/ErrorOut"), route
        params = {p["name"] for p in operations[("get", "/api/v1/initiatives")]["parameters"]}
        assert {"kind", "status", "q", "looking_for_help", "limit", "offset"} <= params

    def test_refusals_answer_with_detail_and_the_right_status(self, api, member):
        led = InitiativeFactory(lead=member)
        other = InitiativeFactory()
        assert api.get("/initiatives/999999").json() == {"detail": "Introuvable."}
        assert api.post("/needs/999999/support").status_code == 404
        forbidden = api.patch(f"/initiatives/{other.pk}", {"status": "done"})
        assert forbidden.status_code == 403
        assert isinstance(forbidden.json()["detail"], str)
        own = api.post(f"/initiatives/{led.pk}/join")
        assert own.status_code == 400
        assert "Vous portez cette initiative" in own.json()["detail"]["__all__"][0]
        unknown = api.post("/needs", {"title": "Ok", "incubator": "nulle-part"})
        assert unknown.status_code == 400
        assert unknown.json()["detail"]["incubator"] == [
            "Incubateur inconnu : choisissez-en un dans la liste (son identifiant)."
        ]
