"""One log line per request, searchable: its id (sent back as X-Request-ID), method, route
(never the raw address, which may hold a token), status, duration and the member's id; as JSON
when LOG_FORMAT=json, the default in production."""

import json
import logging
import re

import pytest
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings
from django.urls import path

from ruche.accounts.services import api_token_create
from ruche.core.logs import JsonFormatter, RequestContextFilter


@pytest.fixture
def request_lines(caplog):
    caplog.set_level(logging.INFO, logger="ruche.request")

    def lines():
        return [record for record in caplog.records if record.name == "ruche.request"]

    return lines


def test_each_request_is_one_line_with_its_route_status_duration_and_member(
    member_client, member, request_lines
):
    response = member_client.get(f"/membres/{member.pk}/")

    assert response.status_code == 200
    [line] = request_lines()
    assert line.method == "GET"
    assert line.path == "/membres/<int:pk>/"
    assert line.status == 200
    assert line.duration_ms > 0
    assert line.member_id == member.pk
    assert line.request_id == response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", line.request_id)
    assert line.getMessage().startswith("GET /membres/<int:pk>/ 200 ")


def test_a_visitor_has_no_member_id(client, db, request_lines):
    client.get("/")

    [line] = request_lines()
    assert line.member_id is None
    assert line.path == "/"


def test_an_api_call_names_the_member_of_its_token(member, request_lines):
    _token, secret = api_token_create(actor=member, member=member, name="script")

    Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get("/api/v1/initiatives")

    [line] = request_lines()
    assert line.path == "/api/v1/initiatives"
    assert line.member_id == member.pk


def test_a_sign_in_link_is_logged_by_its_route_not_its_token(client, db, request_lines):
    client.get("/connexion/lien/un-secret-tres-secret/")
    client.post("/connexion/", {"email": "ada.lovelace@beta.gouv.fr"})

    logged = " ".join(f"{line.getMessage()} {line.path}" for line in request_lines())
    assert "/connexion/lien/<str:secret>/" in logged
    assert "un-secret-tres-secret" not in logged
    assert "ada.lovelace" not in logged


def test_an_address_no_route_matches_is_not_written_out(client, db, request_lines):
    client.get("/calendrier-perdu/un-secret/")

    [line] = request_lines()
    assert line.status == 404
    assert line.path == "<unmatched>"


@pytest.mark.parametrize("offered", ["req-2026.12.03_abcdef", "0f" * 16])
def test_a_safe_request_id_from_the_proxy_is_kept(client, db, request_lines, offered):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=offered)

    assert response["X-Request-ID"] == offered
    assert request_lines()[0].request_id == offered


@pytest.mark.parametrize(
    "offered", ["abc", "x" * 65, "id with spaces", "id\r\nSet-Cookie: a=b", "<script>", "ïd-123456"]
)
def test_an_unsafe_or_odd_request_id_is_replaced(client, db, request_lines, offered):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=offered)

    assert response["X-Request-ID"] != offered
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


@login_not_required
def _boom(request, secret):
    raise RuntimeError("the view failed")


urlpatterns = [path("jeton/<str:secret>/boom/", _boom)]


@override_settings(ROOT_URLCONF=__name__)
def test_a_server_error_record_names_the_route_not_the_address(db, caplog, request_lines):
    response = Client(raise_request_exception=False).get("/jeton/s3cr3t-value/boom/")

    assert response.status_code == 500
    records = [r for r in caplog.records if r.name in {"django.request", "ruche.request"}]
    assert {r.name for r in records} == {"django.request", "ruche.request"}
    for record in records:
        RequestContextFilter().filter(record)
        text = JsonFormatter().format(record)
        assert "s3cr3t-value" not in text
        assert "/jeton/<str:secret>/boom/" in text
    error = next(r for r in records if r.name == "django.request")
    assert "RuntimeError: the view failed" in JsonFormatter().format(error)


def test_a_missing_page_or_a_503_is_not_reported_as_an_error(member_client, caplog, request_lines):
    assert member_client.get("/readyz").status_code == 503
    assert member_client.get("/membres/999999/").status_code == 404

    assert [r for r in caplog.records if r.name == "django.request"] == []
    assert [line.status for line in request_lines()] == [503, 404]


def test_the_json_line_carries_every_field(member_client, member, caplog):
    caplog.set_level(logging.INFO, logger="ruche.request")
    member_client.get("/membres/", HTTP_X_REQUEST_ID="from-the-proxy-1")
    [record] = [r for r in caplog.records if r.name == "ruche.request"]

    RequestContextFilter().filter(record)
    line = JsonFormatter().format(record)

    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "INFO"
    assert entry["logger"] == "ruche.request"
    assert entry["request_id"] == "from-the-proxy-1"
    assert entry["method"] == "GET"
    assert entry["path"] == "/membres/"
    assert entry["status"] == 200
    assert entry["member_id"] == member.pk
    assert isinstance(entry["duration_ms"], float)
    assert member.email not in line


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"DEBUG": "1"}, "plain"),
        ({"DEBUG": "0", "SECRET_KEY": "x" * 50}, "json"),
        ({"DEBUG": "0", "SECRET_KEY": "x" * 50, "LOG_FORMAT": "plain"}, "plain"),
        ({"DEBUG": "1", "LOG_FORMAT": "JSON"}, "json"),
    ],
)
def test_logs_are_json_by_default_in_production(load_settings, env, expected):
    loaded = load_settings(**env)

    assert loaded["LOGGING"]["handlers"]["console"]["formatter"] == expected


def test_an_unknown_log_format_is_refused(load_settings):
    with pytest.raises(ImproperlyConfigured, match="LOG_FORMAT='xml': expected json or plain"):
        load_settings(DEBUG="1", LOG_FORMAT="xml")
