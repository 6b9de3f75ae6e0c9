"""The API against its own OpenAPI schema, with schemathesis: every operation, with a member's
token and without, a bounded number of generated requests each (valid and invalid ones). No
answer may be a server error or differ from what the schema documents."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from config.wsgi import application
from ruche.accounts.services import api_token_create
from tests.events.factories import EventFactory, ShiftFactory
from tests.initiatives.factories import CommentFactory, InitiativeFactory, NeedFactory, RoleFactory

# Enough to exercise each operation's parameters and bodies, few enough that the whole run adds
# about a minute per database.
EXAMPLES_PER_OPERATION = 12

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def _connection_kept():
    """The app is called as WSGI: after each request Django closes the database connection,
    which is the test's transaction. Django's test client keeps it the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(member, settings, _connection_kept):
    """A member's token, some data for ids to find, and no rate limit in the way."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": (10**9, 60)}
    initiative = InitiativeFactory(lead=member)
    RoleFactory(initiative=initiative)
    CommentFactory(initiative=initiative)
    NeedFactory()
    ShiftFactory(event=EventFactory(created_by=member))
    return api_token_create(actor=member, member=member, name="schemathesis")[1]


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("with_token", [True, False], ids=["token", "anonymous"])
@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_its_schema_says(case, with_token, token):
    # The WSGI transport asks for gzip but does not decompress: plain bodies, as the schema says.
    headers = {"Accept-Encoding": "identity"}
    if with_token:
        headers["Authorization"] = f"Bearer {token}"
    case.call_and_validate(
        headers=headers, checks=[not_a_server_error, response_schema_conformance]
    )
