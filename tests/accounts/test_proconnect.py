"""ProConnect (OIDC). Settings read OIDC_* from the environment at import, so the "on"
configuration runs in a subprocess (tests/accounts/oidc_probe.py) with those variables set."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import NoReverseMatch, reverse

from tests.helpers import run_probe

ROOT = Path(__file__).resolve().parents[2]
PROVIDER = "https://proconnect.example/api/v2"
OIDC_ENV = {
    "OIDC_RP_CLIENT_ID": "ruche-client",
    "OIDC_RP_CLIENT_SECRET": "client-secret",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{PROVIDER}/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": f"{PROVIDER}/token",
    "OIDC_OP_USER_ENDPOINT": f"{PROVIDER}/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": f"{PROVIDER}/jwks",
}


def _env(tmp_path, **overrides):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'probe.sqlite3'}",
        "EMAIL_URL": "locmem://",
        **OIDC_ENV,
        **overrides,
    }
    return {name: value for name, value in env.items() if value is not None}


@pytest.fixture(scope="module")
def probe(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("oidc")
    return run_probe("tests/accounts/oidc_probe.py", _env(tmp_path))


def test_without_oidc_settings_the_button_and_the_views_are_absent(client, db):
    assert settings.OIDC_ENABLED is False
    assert "ruche.accounts.oidc.ProConnectBackend" not in settings.AUTHENTICATION_BACKENDS

    page = client.get("/connexion/")

    assert page.status_code == 200
    assert "ProConnect" not in page.text
    assert "/oidc/" not in page.text
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/").status_code == 404
    with pytest.raises(NoReverseMatch):
        reverse("accounts:oidc-authenticate")


def test_with_oidc_settings_the_sign_in_page_offers_proconnect(probe):
    page = probe["login_page"]

    assert page["status"] == 200
    assert "ProConnect" in page["html"]
    assert 'href="/oidc/authenticate/"' in page["html"]


def test_the_authentication_request_carries_state_and_nonce(probe):
    start = probe["authenticate"]
    params = start["params"]

    assert start["status"] == 302
    assert start["endpoint"] == f"{PROVIDER}/authorize"
    assert params["response_type"] == "code"
    assert params["client_id"] == "ruche-client"
    assert params["redirect_uri"] == "http://testserver/oidc/callback/"
    assert "openid" in params["scope"].split()
    assert "email" in params["scope"].split()
    assert len(params["state"]) >= 32
    assert len(params["nonce"]) >= 32
    assert params["state"] != params["nonce"]


def test_a_member_is_matched_on_email_whatever_its_case(probe):
    known = probe["known"]

    assert known["status"] == 302
    assert known["location"] == "/membres/"
    assert known["signed_in_as"] == probe["member_pk"]


@pytest.mark.parametrize("case", ["unknown", "inactive"])
def test_an_address_that_is_not_an_open_member_is_refused(probe, case):
    result = probe[case]

    assert result["location"] == "/connexion/?proconnect=echec"
    assert result["signed_in_as"] is None


def test_nobody_is_created_by_proconnect(probe):
    assert probe["members_created"] == 0


def test_a_token_for_another_sign_in_attempt_is_refused(probe):
    """The ID token must carry the nonce of this attempt."""
    assert probe["wrong_nonce"]["status"] == 400
    assert probe["wrong_nonce"]["signed_in_as"] is None


def test_a_forged_state_is_refused_before_asking_the_provider(probe):
    assert probe["wrong_state"]["status"] == 400
    assert probe["wrong_state"]["token_requests"] == 0
    assert probe["wrong_state"]["signed_in_as"] is None


def test_a_replayed_callback_does_not_sign_in(probe):
    assert probe["replayed"]["signed_in_as"] is None
    assert probe["replayed"]["location"] == "/connexion/?proconnect=echec"


def test_a_failed_proconnect_sign_in_is_explained(client, db):
    page = client.get("/connexion/", {"proconnect": "echec"})

    assert "ne correspond à aucun membre" in page.text


def test_the_configuration_passes_the_system_checks(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("missing", ["OIDC_OP_TOKEN_ENDPOINT", "OIDC_OP_JWKS_ENDPOINT"])
def test_an_incomplete_configuration_is_refused_at_start_up(tmp_path, missing):
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=_env(tmp_path, **{missing: None}),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr
