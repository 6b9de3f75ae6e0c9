import datetime
import inspect
import json
import re
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, get_resolver
from django.utils import timezone

from ruche.accounts.services import api_token_create
from ruche.api.urls import api
from ruche.members.enums import Domaine
from ruche.members.models import Competence, Startup
from tests.factories import IncubatorFactory, MemberFactory, MissionFactory, StartupFactory

ENDPOINTS = [
    "/api/v1/me",
    "/api/v1/members",
    "/api/v1/members/{member_id}",
    "/api/v1/startups",
    "/api/v1/incubators",
]
MEMBER_FIELDS = {
    "id",
    "betagouv_id",
    "display_name",
    "domaine",
    "role",
    "bio",
    "github",
    "competences",
    "interests",
    "languages",
    "transverse_role",
    "is_alumnus",
    "missions",
}


@pytest.fixture
def api_client(member):
    _token, secret = api_token_create(actor=member, member=member, name="tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def _ids(response):
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def test_me_describes_the_member_behind_the_token(api_client, member):
    response = api_client.get("/api/v1/me")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == MEMBER_FIELDS | {"email", "is_animation_team", "is_staff"}
    assert body["id"] == member.pk
    assert body["email"] == member.email
    assert body["is_alumnus"] is False
    (mission,) = body["missions"]
    assert set(mission) == {"start", "end", "status", "employer", "startups"}
    assert mission["end"] is None
    assert mission["startups"] == [s.slug for s in member.missions.get().startups.all()]


@pytest.mark.parametrize("path", ENDPOINTS)
def test_every_endpoint_needs_a_token(client, member, path):
    response = client.get(path.format(member_id=member.pk))

    assert response.status_code == 401
    assert set(response.json()) == {"detail"}


@pytest.mark.parametrize("path", ENDPOINTS)
def test_a_signed_in_browser_session_is_not_enough(member_client, member, path):
    assert member_client.get(path.format(member_id=member.pk)).status_code == 401


def test_the_member_list_is_paginated_with_a_count(api_client, member):
    others = [MemberFactory(display_name=f"Zoé Membre {n:02}") for n in range(12)]

    first = api_client.get("/api/v1/members", {"limit": 5})
    second = api_client.get("/api/v1/members", {"limit": 5, "offset": 5})
    last = api_client.get("/api/v1/members", {"limit": 5, "offset": 10})

    assert set(first.json()) == {"items", "count"}
    assert first.json()["count"] == second.json()["count"] == 13
    everyone = _ids(first) + _ids(second) + _ids(last)
    assert sorted(everyone) == sorted([member.pk, *[o.pk for o in others]])
    assert len(_ids(last)) == 3
    assert set(first.json()["items"][0]) == MEMBER_FIELDS


def test_the_member_list_never_shows_email_addresses(api_client, member):
    response = api_client.get("/api/v1/members")

    assert member.email not in response.text
    assert member.email not in api_client.get(f"/api/v1/members/{member.pk}").text


def test_the_member_list_has_a_default_page_size(api_client, member):
    for n in range(55):
        MemberFactory(mission=False, display_name=f"Membre {n}")

    response = api_client.get("/api/v1/members")

    assert response.json()["count"] == 56
    assert len(response.json()["items"]) == 50


def test_members_are_found_by_name_ignoring_accents_and_case(api_client, db):
    helene = MemberFactory(display_name="Hélène Dupré")
    MemberFactory(display_name="Marc Martin")

    assert _ids(api_client.get("/api/v1/members", {"q": "helene dupre"})) == [helene.pk]
    assert _ids(api_client.get("/api/v1/members", {"q": "HÉLÈNE"})) == [helene.pk]


def test_members_are_filtered_by_domaine_startup_incubator_competence_and_status(
    api_client, member
):
    incubator = IncubatorFactory(slug="incubateur-social")
    startup = StartupFactory(slug="aides-jeunes", name="Aides Jeunes", incubator=incubator)
    designer = MemberFactory(domaine=Domaine.DESIGN, mission__startups=[startup])
    designer.competences.add(Competence.objects.create(name="Accessibilité"))
    alumna = MemberFactory(mission=False)
    MissionFactory(
        member=alumna,
        start=datetime.date(2020, 1, 1),
        end=datetime.date(2021, 1, 1),
        startups=[startup],
    )

    def found(**filters):
        return sorted(_ids(api_client.get("/api/v1/members", filters)))

    assert found(domaine="design") == [designer.pk]
    assert found(startup="aides-jeunes") == sorted([designer.pk, alumna.pk])
    assert found(startup="aides jeunes") == sorted([designer.pk, alumna.pk])
    assert found(incubator="incubateur-social") == sorted([designer.pk, alumna.pk])
    assert found(competence="accessibilité") == [designer.pk]
    assert found(status="alumni") == [alumna.pk]
    assert alumna.pk not in found(status="active")
    assert found(startup="aides-jeunes", status="active") == [designer.pk]
    assert api_client.get(f"/api/v1/members/{alumna.pk}").json()["is_alumnus"] is True


def test_closed_accounts_are_not_listed(api_client, member):
    gone = MemberFactory(is_active=False)

    assert gone.pk not in _ids(api_client.get("/api/v1/members"))
    response = api_client.get(f"/api/v1/members/{gone.pk}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Introuvable."}


def test_one_member_by_id(api_client, db):
    other = MemberFactory(display_name="Inès Leroy", bio="Je code.", github="ines")

    body = api_client.get(f"/api/v1/members/{other.pk}").json()

    assert set(body) == MEMBER_FIELDS
    assert (body["id"], body["display_name"], body["github"]) == (other.pk, "Inès Leroy", "ines")


def test_an_unknown_member_is_a_404_with_detail(api_client, db):
    response = api_client.get("/api/v1/members/999999")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "Introuvable."}


def test_startups_and_incubators(api_client, db):
    incubator = IncubatorFactory(slug="beta", title="Incubateur beta", website="https://b.fr")
    StartupFactory(slug="ruche", name="Ruche", incubator=incubator, phase="construction")
    Startup.objects.create(slug="orpheline", name="Orpheline")

    startups = api_client.get("/api/v1/startups").json()
    incubators = api_client.get("/api/v1/incubators").json()

    assert startups["count"] == Startup.objects.count() == 3  # with the member's own
    by_id = {item["id"]: item for item in startups["items"]}
    assert by_id["ruche"] == {
        "id": "ruche",
        "name": "Ruche",
        "pitch": "Simplifier une démarche administrative.",
        "link": "",
        "repository": "",
        "phase": "construction",
        "incubator": "beta",
    }
    assert by_id["orpheline"]["incubator"] is None
    assert incubators["count"] == 2
    assert {"id": "beta", "title": "Incubateur beta", "website": "https://b.fr", "contact": "",
            "address": ""} in incubators["items"]  # fmt: skip
    assert _ids(api_client.get("/api/v1/startups", {"incubator": "beta"})) == ["ruche"]
    assert _ids(api_client.get("/api/v1/startups", {"q": "orph"})) == ["orpheline"]


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/api/v1/members", {"limit": 0}, "limit"),
        ("/api/v1/members", {"limit": 201}, "limit"),
        ("/api/v1/members", {"limit": "beaucoup"}, "limit"),
        ("/api/v1/members", {"offset": -1}, "offset"),
        ("/api/v1/members", {"status": "retraite"}, "status"),
        ("/api/v1/members", {"domaine": "cuisine"}, "domaine"),
        ("/api/v1/startups", {"limit": 1000}, "limit"),
        ("/api/v1/members/abc", {}, "member_id"),
    ],
)
def test_bad_parameters_are_a_422_naming_the_parameter(api_client, path, params, field):
    response = api_client.get(path, params)

    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"][-1] == field
    assert error["msg"]


@pytest.mark.parametrize(
    ("path", "params", "message"),
    [
        ("/api/v1/members", {"limit": "beaucoup"}, "Un nombre entier est attendu."),
        ("/api/v1/members", {"limit": 0}, "La valeur doit être supérieure ou égale à 1."),
        ("/api/v1/members", {"limit": 201}, "La valeur doit être inférieure ou égale à 200."),
        (
            "/api/v1/members",
            {"status": "retraite"},
            "Valeur inconnue : choisissez 'active' ou 'alumni'.",
        ),
        (
            "/api/v1/events",
            {"kind": "fete"},
            "Valeur inconnue : choisissez 'apero', 'cafe', 'talk', 'workshop', 'demo', 'forum', "
            "'group_meeting' ou 'other'.",
        ),
        (
            "/api/v1/events",
            {"from": "demain"},
            "Une date ou une date et heure ISO 8601 est attendue, par exemple 2026-12-03.",
        ),
    ],
)
def test_schema_errors_are_explained_in_french(api_client, path, params, message):
    (error,) = api_client.get(path, params).json()["detail"]

    assert error["msg"] == message


def test_schema_errors_follow_the_clients_language(api_client):
    response = api_client.get("/api/v1/members", {"limit": "beaucoup"}, HTTP_ACCEPT_LANGUAGE="en")

    (error,) = response.json()["detail"]
    assert error["type"] == "int_parsing"
    assert error["msg"] == "A whole number is expected."


def test_a_method_the_endpoint_does_not_have_is_a_405_in_json(api_client):
    response = api_client.post("/api/v1/me", {}, content_type="application/json")

    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert "GET" in response.json()["detail"]


def test_a_body_that_is_not_json_is_a_400_that_says_so(api_client):
    response = api_client.post(
        "/api/v1/initiatives", "{title: 'Apéro'", content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json() == {"detail": "Le corps de la requête n’est pas du JSON valide."}


@pytest.mark.parametrize(
    ("error", "status", "detail"),
    [
        (PermissionDenied("Réservé à l’équipe d’animation."), 403, "Réservé à l’équipe"),
        (PermissionDenied(), 403, "Action non autorisée."),
        (Http404(), 404, "Introuvable."),
        (ValidationError({"name": ["Trop long."]}), 400, {"name": ["Trop long."]}),
        (ValidationError("Impossible."), 400, {"__all__": ["Impossible."]}),
    ],
)
def test_errors_raised_by_services_become_json_with_the_right_status(error, status, detail):
    """Endpoints call services, which raise Django's exceptions: each becomes {"detail"}."""
    response = api.on_exception(RequestFactory().get("/api/v1/me"), error)

    assert response.status_code == status
    body = json.loads(response.content)
    assert set(body) == {"detail"}
    if isinstance(detail, str):
        assert body["detail"].startswith(detail)
    else:
        assert body["detail"] == detail


def test_the_openapi_document_lists_every_endpoint(client, db):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Ruche API"
    assert set(schema["paths"]) >= set(ENDPOINTS)
    documented = {
        (method, path) for path, operations in schema["paths"].items() for method in operations
    }
    assert documented == _served_routes()
    for path, operations in schema["paths"].items():
        for operation in operations.values():
            assert operation["summary"], path
            if path in ENDPOINTS:
                assert operation["security"] == [{"ApiTokenAuth": []}], path
    assert schema["components"]["securitySchemes"]["ApiTokenAuth"]["scheme"] == "bearer"


def test_the_openapi_document_gives_every_answer_its_shape(client, db):
    schema = client.get("/api/v1/openapi.json").json()

    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            route = (method, path)
            responses = operation["responses"]
            (success,) = [code for code in responses if code.startswith("2")]
            if success != "204":
                assert "schema" in responses[success]["content"]["application/json"], route
            refusals = {code for code in responses if code.startswith("4")}
            # Every route needs a token and is rate limited; ids in the path may be unknown.
            assert {"401", "429"} <= refusals, route
            if "{" in path:
                assert {"404", "422"} <= refusals, route
            if method != "get":
                assert "400" in refusals, route
            for code in refusals:
                ref = responses[code]["content"]["application/json"]["schema"]["$ref"]
                assert ref.endswith("/ErrorOut"), route


def _api_routes():
    """The API's own URL patterns (endpoints), without the documentation."""
    resolver = next(
        p for p in get_resolver().url_patterns if getattr(p, "namespace", None) == "api"
    )
    return [
        p
        for p in resolver.url_patterns
        if isinstance(p, URLPattern) and p.name not in {"openapi-json", "openapi-view", "api-root"}
    ]


def _served_routes() -> set[tuple[str, str]]:
    """(method, path) for every operation the API's URL patterns answer."""
    routes = set()
    for pattern in _api_routes():
        path = "/api/v1/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(pattern.pattern))
        path_view = inspect.getclosurevars(pattern.callback).nonlocals["self"]
        for operation in path_view.operations:
            routes |= {(method.lower(), path) for method in operation.methods}
    return routes


def test_the_api_documentation_page_renders_under_the_csp(client, db):
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    assert "/static/ninja/swagger-ui-bundle.js" in response.text
    assert "/api/v1/openapi.json" in response.text
    policy = response["Content-Security-Policy"]
    script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
    assert "unsafe-inline" not in script_src
    assert "unsafe-eval" not in script_src
    assert "<script>" not in response.text.replace(" ", "")
    bundle = client.get("/static/ninja/swagger-ui-bundle.js")
    assert bundle.status_code == 200
    bundle.close()


def test_too_many_requests_get_a_429_with_retry_after(api_client, member, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": (3, 60)}
    for _ in range(3):
        assert api_client.get("/api/v1/me").status_code == 200

    response = api_client.get("/api/v1/me")

    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response.json()["detail"].startswith("Trop de requêtes en peu de temps")
    assert response["Retry-After"] in response.json()["detail"]


def test_the_rate_limit_is_per_member_not_per_token(api_client, member, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": (2, 60)}
    _token, second_secret = api_token_create(actor=member, member=member, name="deuxième")
    second_client = Client(HTTP_AUTHORIZATION=f"Bearer {second_secret}")
    other = MemberFactory()
    _token, other_secret = api_token_create(actor=other, member=other, name="autre")

    api_client.get("/api/v1/me")
    second_client.get("/api/v1/me")

    assert second_client.get("/api/v1/me").status_code == 429
    assert api_client.get("/api/v1/me").status_code == 429
    other_client = Client(HTTP_AUTHORIZATION=f"Bearer {other_secret}")
    assert other_client.get("/api/v1/me").status_code == 200


def test_the_rate_limit_lifts_with_the_next_window(api_client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": (1, 60)}
    api_client.get("/api/v1/me")
    retry_after = int(api_client.get("/api/v1/me")["Retry-After"])
    later = timezone.now().timestamp() + retry_after

    with mock.patch("ruche.core.ratelimit.time.time", return_value=later):
        assert api_client.get("/api/v1/me").status_code == 200


def _fill_members(count):
    accessibility, python = (
        Competence.objects.get_or_create(name=name)[0] for name in ("Accessibilité", "Python")
    )
    for _ in range(count):
        someone = MemberFactory()
        someone.competences.add(accessibility, python)
        MissionFactory(member=someone, startups=[StartupFactory(), StartupFactory()])


def _queries(client, path):
    client.get(path)  # the first call records when the token was last used
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("path", "fill"),
    [
        ("/api/v1/members?limit=200", _fill_members),
        ("/api/v1/startups?limit=200", lambda n: StartupFactory.create_batch(n)),
        ("/api/v1/incubators?limit=200", lambda n: IncubatorFactory.create_batch(n)),
    ],
)
def test_lists_take_the_same_number_of_queries_for_10_or_200_rows(api_client, path, fill):
    fill(10)
    with_10 = _queries(api_client, path)
    fill(190)
    with_200 = _queries(api_client, path)

    assert with_10 == with_200
    assert api_client.get(path).json()["count"] >= 200


def test_the_openapi_schema_declares_every_choice_as_an_enum_of_its_values(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    components = schema["components"]["schemas"]

    def enum(component, field):
        prop = components[component]["properties"][field]
        options = prop.get("anyOf", [prop])
        return next(option["enum"] for option in options if "enum" in option)

    assert enum("InitiativeOut", "kind") == ["event", "process", "tool", "working_group", "other"]
    assert enum("InitiativeIn", "scope") == ["community", "incubator", "startup"]
    assert "looking_for_help" in enum("InitiativePatch", "status")
    assert enum("LeadOut", "role") == ["proposer", "co_lead"]
    assert enum("NeedOut", "state") == ["open", "being_addressed", "addressed", "closed"]
    assert enum("EventIn", "kind")[:2] == ["apero", "cafe"]
    assert enum("EventOut", "status") == ["scheduled", "cancelled"]
    assert enum("RsvpOut", "status") == ["confirmed", "waitlisted", "cancelled"]
    assert enum("MemberOut", "domaine")[:2] == ["", "produit"]
    assert enum("MissionOut", "status") == ["", "admin", "independent", "service"]
    filters = {
        parameter["name"]: parameter["schema"]
        for parameter in schema["paths"]["/api/v1/initiatives"]["get"]["parameters"]
    }
    assert "tool" in str(filters["kind"])
