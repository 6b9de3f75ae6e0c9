"""Run by tests/accounts/test_proconnect.py in a subprocess whose environment turns ProConnect
on (settings read OIDC_* at import). Plays a whole sign-in against a fake provider that signs
its tokens like ProConnect (RS256, user info as a signed JWT) and prints what it saw as JSON.

Usage: python tests/accounts/oidc_probe.py  (DATABASE_URL points at a throw-away SQLite file)
"""

import json
import os
import sys
import time
from pathlib import Path
from unittest import mock
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

import jwt  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import rsa  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from ruche.members.models import Member  # noqa: E402

setup_test_environment()
call_command("migrate", verbosity=0)

KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
JWK = {**json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(KEY.public_key())), "kid": "k1"}
JWK["alg"] = "RS256"


def signed(claims: dict) -> str:
    now = int(time.time())
    claims = {
        "iss": "https://proconnect.example",
        "aud": settings.OIDC_RP_CLIENT_ID,
        "iat": now,
        "exp": now + 60,
        **claims,
    }
    return jwt.encode(claims, KEY, algorithm="RS256", headers={"kid": "k1"})


class FakeResponse:
    def __init__(self, *, json_body=None, text="", content_type="application/json"):
        self._json = json_body
        self.text = text
        self.status_code = 200
        self.headers = {"content-type": content_type}
        self.url = ""

    def json(self):
        return self._json

    def raise_for_status(self):
        pass


class FakeProvider:
    """What ProConnect answers: the token endpoint, its keys, the user info (a signed JWT)."""

    def __init__(self, *, email, nonce):
        self.email = email
        self.nonce = nonce
        self.token_requests = []

    def post(self, url, data=None, **kwargs):
        assert url == settings.OIDC_OP_TOKEN_ENDPOINT, url
        self.token_requests.append(data)
        id_token = signed({"sub": "agent-1", "nonce": self.nonce})
        return FakeResponse(json_body={"id_token": id_token, "access_token": "access"})

    def get(self, url, headers=None, **kwargs):
        if url == settings.OIDC_OP_JWKS_ENDPOINT:
            return FakeResponse(json_body={"keys": [JWK]})
        assert url == settings.OIDC_OP_USER_ENDPOINT, url
        assert headers == {"Authorization": "Bearer access"}
        userinfo = signed({"sub": "agent-1", "email": self.email, "given_name": "Camille"})
        return FakeResponse(text=userinfo, content_type="application/jwt")


def sign_in(*, email, nonce=None, state=None, replay=False):
    client = Client()
    start = client.get("/oidc/authenticate/", {"next": "/membres/"})
    params = {k: v[0] for k, v in parse_qs(urlsplit(start["Location"]).query).items()}
    provider = FakeProvider(email=email, nonce=nonce or params["nonce"])
    callback = {"code": "code-1", "state": state or params["state"]}
    with mock.patch("mozilla_django_oidc.auth.requests", provider):
        response = client.get("/oidc/callback/", callback)
        if replay:
            # Someone else presents the same code and state (a leaked callback URL).
            client = Client()
            response = client.get("/oidc/callback/", callback)
    return {
        "status": response.status_code,
        "location": response.get("Location", ""),
        "signed_in_as": client.session.get("_auth_user_id"),
        "token_requests": len(provider.token_requests),
    }


def main():
    results = {}
    login_page = Client().get("/connexion/")
    results["login_page"] = {"status": login_page.status_code, "html": login_page.text}

    start = Client().get("/oidc/authenticate/", {"next": "/membres/"})
    location = urlsplit(start["Location"])
    results["authenticate"] = {
        "status": start.status_code,
        "endpoint": f"{location.scheme}://{location.netloc}{location.path}",
        "params": {k: v[0] for k, v in parse_qs(location.query).items()},
    }

    member = Member.objects.create_user("camille.martin@beta.gouv.fr", "Camille Martin")
    gone = Member.objects.create_user("ancien.membre@beta.gouv.fr", "Ancien", is_active=False)
    before = Member.objects.count()
    results["member_pk"] = str(member.pk)
    results["known"] = sign_in(email="Camille.MARTIN@beta.gouv.fr")
    results["unknown"] = sign_in(email="quelqu.un@exemple.fr")
    results["inactive"] = sign_in(email=gone.email)
    results["wrong_nonce"] = sign_in(email=member.email, nonce="not-the-one-we-sent")
    results["wrong_state"] = sign_in(email=member.email, state="forged-state")
    results["replayed"] = sign_in(email=member.email, replay=True)
    results["members_created"] = Member.objects.count() - before
    print(json.dumps(results))


if __name__ == "__main__":
    main()
