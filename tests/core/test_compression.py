"""Pages go out compressed to clients that accept it, unless a proxy in front does it; each
page says what it is in a meta description (search engines, link previews)."""

import gzip
import os

import pytest

from tests.helpers import run_probe

pytestmark = pytest.mark.django_db


def test_a_page_is_compressed_for_a_client_that_accepts_gzip(client):
    response = client.get("/connexion/", headers={"Accept-Encoding": "gzip"})

    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert b"<!DOCTYPE html>" in gzip.decompress(response.content)


def test_a_page_is_sent_plain_to_a_client_that_does_not_accept_gzip(client):
    response = client.get("/connexion/")

    assert not response.has_header("Content-Encoding")
    assert b"<!DOCTYPE html>" in response.content


def test_an_operator_whose_proxy_compresses_switches_it_off():
    env = {**os.environ, "DEBUG": "1", "PROBE_SETTINGS": "COMPRESS_RESPONSES,MIDDLEWARE"}
    assert (
        "django.middleware.gzip.GZipMiddleware"
        in run_probe("tests/core/settings_probe.py", env)["MIDDLEWARE"]
    )

    found = run_probe("tests/core/settings_probe.py", {**env, "COMPRESS_RESPONSES": "0"})
    assert found["COMPRESS_RESPONSES"] is False
    assert "django.middleware.gzip.GZipMiddleware" not in found["MIDDLEWARE"]


@pytest.mark.parametrize("path", ["/", "/connexion/", "/mentions-legales/"])
def test_every_page_has_a_meta_description(client, path):
    page = client.get(path).text

    assert '<meta name="description"' in page
    assert "communauté beta.gouv.fr" in page.split('<meta name="description"', 1)[1][:300]
