import hashlib
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from ruche.accounts.models import ApiToken
from tests.core.helpers import rows_containing
from tests.factories import MemberFactory

TOKEN = re.compile(r"ruche_[A-Za-z0-9_-]{43}")


def api_get(path, secret=None, **headers):
    if secret is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    return Client().get(path, **headers)


@pytest.fixture
def created(member_client):
    """(response, secret) after creating a token on « Mon compte »."""
    response = member_client.post("/compte/", {"name": "Script d’export"})
    match = TOKEN.search(response.text)
    assert match, response.text
    return response, match.group(0)


def test_a_member_creates_a_token_and_sees_it_once(member_client, member, created):
    response, secret = created

    assert response.status_code == 200
    assert "il ne sera plus jamais affiché" in response.text
    token = ApiToken.objects.get(member=member)
    assert token.name == "Script d’export"
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert token.prefix == secret[:12]

    again = member_client.get("/compte/")

    assert secret not in again.text
    assert not TOKEN.search(again.text)
    assert f"{token.prefix}…" in again.text
    assert "Script d’export" in again.text


def test_only_the_hash_of_a_token_is_stored(created):
    _response, secret = created

    assert rows_containing(secret) == []
    assert rows_containing(secret[12:]) == []


def test_a_new_token_works_on_the_api(member, created):
    _response, secret = created

    response = api_get("/api/v1/me", secret)

    assert response.status_code == 200
    assert response.json()["email"] == member.email
    assert ApiToken.objects.get().last_used_at is not None


def test_a_token_needs_a_name(member_client, member):
    response = member_client.post("/compte/", {"name": "  "})

    assert response.status_code == 400
    assert "Donnez un nom au jeton" in response.text
    assert not ApiToken.objects.exists()


def test_a_revoked_token_stops_working(member_client, created):
    _response, secret = created
    token = ApiToken.objects.get()

    response = member_client.post(f"/compte/jetons/{token.pk}/revoquer/")

    assert response.status_code == 302
    assert api_get("/api/v1/me", secret).status_code == 401
    token.refresh_from_db()
    assert token.revoked_at is not None
    page = member_client.get("/compte/")
    assert token.prefix not in page.text
    assert "Vous n’avez aucun jeton actif" in page.text


def test_revoking_needs_a_post(member_client, created):
    _response, secret = created
    token = ApiToken.objects.get()

    assert member_client.get(f"/compte/jetons/{token.pk}/revoquer/").status_code == 405
    assert api_get("/api/v1/me", secret).status_code == 200


def test_a_member_cannot_revoke_someone_elses_token(created):
    _response, secret = created
    token = ApiToken.objects.get()
    other = Client()
    other.force_login(MemberFactory())

    assert other.post(f"/compte/jetons/{token.pk}/revoquer/").status_code == 404
    assert api_get("/api/v1/me", secret).status_code == 200


def test_the_token_of_a_closed_account_stops_working(member, created):
    _response, secret = created
    member.is_active = False
    member.save()

    assert api_get("/api/v1/me", secret).status_code == 401


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "Bearer",
        "Bearer ruche_pas-un-vrai-jeton",
        "Basic dXNlcjpwYXNz",
        "Token {secret}",
        "{secret}",
    ],
)
def test_a_request_without_a_valid_bearer_token_gets_401(created, header):
    _response, secret = created
    headers = {} if header is None else {"HTTP_AUTHORIZATION": header.format(secret=secret)}

    response = api_get("/api/v1/me", **headers)

    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert "Authorization: Bearer" in response.json()["detail"]
    assert response["WWW-Authenticate"] == "Bearer"


def test_the_command_prints_a_token_that_works(member, capsys):
    call_command("create_api_token", member.email.upper(), "--name", "Export nocturne")

    out = capsys.readouterr()
    secret = out.out.strip()
    assert TOKEN.fullmatch(secret)
    assert "Export nocturne" in out.err
    assert ApiToken.objects.get(member=member).name == "Export nocturne"
    assert api_get("/api/v1/me", secret).json()["id"] == member.pk
    assert rows_containing(secret) == []


def test_the_command_names_the_token_by_default(member, capsys):
    call_command("create_api_token", member.email)

    assert ApiToken.objects.get(member=member).name


def test_the_command_refuses_an_unknown_address_clearly(db):
    with pytest.raises(CommandError, match=r"No member has the e-mail address 'inconnu@x\.fr'"):
        call_command("create_api_token", "inconnu@x.fr")

    assert not ApiToken.objects.exists()


def test_the_command_refuses_a_closed_account(db):
    gone = MemberFactory(is_active=False)

    with pytest.raises(CommandError, match="closed"):
        call_command("create_api_token", gone.email)


def test_the_command_refuses_a_name_too_long(member):
    with pytest.raises(CommandError, match="100 caractères"):
        call_command("create_api_token", member.email, "--name", "x" * 101)
