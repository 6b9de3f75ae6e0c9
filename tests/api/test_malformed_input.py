"""What a fuzzer sent the API and the pages, and what they answer now: a clear 4xx in the API's
JSON shape, never a server error, and under /api/ every error is JSON."""

import json
from unittest import mock

import pytest
from django.test import Client

from ruche.accounts.services import api_token_create
from ruche.initiatives.models import Comment, Need
from tests.events.factories import in_days
from tests.initiatives.factories import InitiativeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_client(member):
    _token, secret = api_token_create(actor=member, member=member, name="tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}", raise_request_exception=False)


def _post(client, path, body):
    return client.post(f"/api/v1{path}", body, content_type="application/json")


def _error_types(response) -> list[tuple]:
    assert response["Content-Type"].startswith("application/json"), response.content
    return [(error["type"], tuple(error["loc"])) for error in response.json()["detail"]]


@pytest.mark.parametrize("path", ["/members", "/initiatives", "/needs", "/events", "/startups"])
def test_an_offset_beyond_what_the_database_takes_is_a_422(api_client, path):
    response = api_client.get(f"/api/v1{path}", {"offset": 2**64})

    assert response.status_code == 422
    assert _error_types(response) == [("less_than_equal", ("query", "offset"))]
    assert "inférieure ou égale" in response.json()["detail"][0]["msg"]


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/members", "q"),
        ("/members", "competence"),
        ("/members", "startup"),
        ("/startups", "q"),
        ("/initiatives", "q"),
        ("/needs", "q"),
        ("/events", "q"),
    ],
)
def test_a_nul_character_in_a_query_parameter_is_a_422(api_client, path, parameter):
    response = api_client.get(f"/api/v1{path}", {parameter: "café\x00"})

    assert response.status_code == 422
    assert _error_types(response) == [("string_nul", ("query", parameter))]
    assert "caractère nul" in response.json()["detail"][0]["msg"]


def test_a_nul_character_in_a_body_is_refused_and_nothing_is_saved(api_client):
    initiative = InitiativeFactory()

    response = _post(api_client, f"/initiatives/{initiative.pk}/comments", {"body": "a\x00b"})

    assert response.status_code == 422
    assert _error_types(response) == [("string_nul", ("body", "body"))]
    assert not Comment.objects.exists()


def test_a_timezone_offset_no_place_uses_is_a_clear_422(api_client):
    start = in_days(10).replace(tzinfo=None).isoformat()
    response = _post(
        api_client,
        "/events",
        {
            "title": "Apéro",
            "kind": "apero",
            "start": f"{start}-21:49",
            "end": f"{start}+01:00",
            "location": "Paris",
        },
    )

    assert response.status_code == 422
    assert _error_types(response) == [("timezone_offset", ("body", "payload", "start"))]
    assert "-21:49" in response.json()["detail"][0]["msg"]
    assert "-12:00 et +14:00" in response.json()["detail"][0]["msg"]


def test_a_timezone_offset_no_place_uses_is_refused_in_a_filter_too(api_client):
    response = api_client.get("/api/v1/events", {"from": "2027-01-05T09:00:00+21:49"})

    assert response.status_code == 422
    assert _error_types(response) == [("timezone_offset", ("query", "from"))]


@pytest.mark.parametrize("body", ['"un besoin"', "42", "[]", "null", "true"])
def test_a_body_that_is_not_a_json_object_creates_nothing(api_client, body):
    response = _post(api_client, "/needs", body)

    assert response.status_code == 422
    assert _error_types(response) == [("body_type", ("body",))]
    assert "objet JSON" in response.json()["detail"][0]["msg"]
    assert not Need.objects.exists()


def test_an_unexpected_failure_answers_json_in_the_api_shape(api_client, caplog):
    with mock.patch("ruche.members.api._members", side_effect=RuntimeError("a bug")):
        response = api_client.get("/api/v1/me")

    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert set(response.json()) == {"detail"}
    assert "a bug" not in response.text
    assert "RuntimeError: a bug" in caplog.text


def test_a_failure_outside_the_api_handlers_answers_json_too(rf):
    from ruche.api.views import server_error

    response = server_error(rf.get("/api/v1/me"))

    assert response.status_code == 500
    assert set(json.loads(response.content)) == {"detail"}


@pytest.mark.parametrize(
    "path",
    ["/startups/", "/membres/", "/initiatives/", "/besoins/", "/evenements/", "/incubateurs/"],
)
def test_a_nul_character_in_a_page_search_is_a_400_page_that_says_what_to_do(member_client, path):
    response = member_client.get(path, {"q": "café\x00"})

    assert response.status_code == 400
    assert '<html lang="fr"' in response.text
    assert "<h1>Requête invalide</h1>" in response.text
    assert "Page d’accueil" in response.text


def test_a_page_search_without_nul_still_works(member_client):
    assert member_client.get("/startups/", {"q": "café"}).status_code == 200
