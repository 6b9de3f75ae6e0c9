"""Fixtures shared by the events tests."""

import json

import pytest

from ruche.accounts.services import api_token_create


@pytest.fixture
def api(client):
    """Calls the API as a given member."""

    def call(member, method, path, data=None):
        _token, secret = api_token_create(actor=member, member=member, name="tests")
        headers = {"Authorization": f"Bearer {secret}"}
        url = f"/api/v1{path}"
        if method == "get":
            return client.get(url, data or {}, headers=headers)
        body = json.dumps(data or {})
        return client.generic(
            method.upper(), url, body, content_type="application/json", headers=headers
        )

    return call
