"""A shared cache (a proxy, a CDN) never keeps what depends on the member: signed-in pages and
API answers to a token are `private, no-store`; public feeds keep their caching."""

import pytest
from django.test import Client

from ruche.accounts.services import api_token_create
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db


def _directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


@pytest.mark.parametrize("path", ["/", "/initiatives/", "/membres/", "/compte/", "/evenements/"])
def test_signed_in_pages_are_private_and_not_stored(member_client, path):
    response = member_client.get(path)

    assert response.status_code == 200
    assert {"private", "no-store"} <= _directives(response)


@pytest.mark.parametrize("path", ["/api/v1/me", "/api/v1/members", "/api/v1/nothing-here"])
def test_api_answers_to_a_token_are_private_and_not_stored(member, path):
    _token, secret = api_token_create(actor=member, member=member, name="tests")
    response = Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get(path)

    assert {"private", "no-store"} <= _directives(response)


def test_a_view_that_sets_its_own_policy_keeps_it(member_client):
    response = member_client.get("/evenements/mon-agenda/")

    assert {"no-cache", "must-revalidate", "max-age=0"} <= _directives(response)


def test_public_feeds_keep_their_caching_even_for_a_signed_in_member(member_client):
    EventFactory(is_public=True)

    for path in ("/evenements.ics", "/evenements/flux.atom", "/initiatives/flux.atom"):
        response = member_client.get(path)
        assert response.status_code == 200
        assert "private" not in _directives(response), path


def test_a_visitor_page_is_left_to_the_default(client):
    assert "private" not in _directives(client.get("/"))
