import datetime
import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ruche.accounts.services import api_token_create
from ruche.groups.enums import MembershipPolicy, MembershipRole
from ruche.groups.models import Answer, WorkingGroup
from tests.factories import MemberFactory
from tests.groups.factories import (
    DecisionFactory,
    MembershipFactory,
    ProposalFactory,
    WorkingGroupFactory,
)

pytestmark = pytest.mark.django_db


class Api:
    def __init__(self, member):
        _token, secret = api_token_create(actor=member, member=member, name="tests")
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")

    def get(self, path, **params):
        return self.client.get(f"/api/v1{path}", params)

    def send(self, method, path, data=None):
        return self.client.generic(
            method, f"/api/v1{path}", json.dumps(data or {}), content_type="application/json"
        )


def test_a_member_creates_a_group_and_reads_it_back():
    api = Api(MemberFactory())
    response = api.send(
        "POST",
        "/groups",
        {"name": "Club des coachs", "kind": "club", "mandate": "Partager nos pratiques."},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "club"
    assert body["my_role"] == "lead"
    assert body["member_count"] == 1
    assert api.get(f"/groups/{body['id']}").json()["name"] == "Club des coachs"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "", "mandate": "x"}, "name"),
        ({"name": "Un nom", "mandate": ""}, "mandate"),
        ({"name": "Un nom", "mandate": "x", "pad_url": "javascript:alert(1)"}, "pad_url"),
    ],
)
def test_bad_groups_are_refused_field_by_field(data, field):
    response = Api(MemberFactory()).send("POST", "/groups", data)
    assert response.status_code == 400
    assert field in response.json()["detail"]
    assert not WorkingGroup.objects.exists()


def test_an_unknown_kind_is_refused_as_the_schema_says():
    response = Api(MemberFactory()).send(
        "POST", "/groups", {"name": "x", "mandate": "y", "kind": "secte"}
    )
    assert response.status_code == 422


def test_only_leads_edit_a_group():
    lead = MemberFactory()
    group = WorkingGroupFactory(lead=lead)
    assert (
        Api(MemberFactory()).send("PATCH", f"/groups/{group.pk}", {"name": "x"}).status_code == 403
    )
    response = Api(lead).send("PATCH", f"/groups/{group.pk}", {"status": "paused"})
    assert response.status_code == 200
    assert response.json()["status"] == "paused"


def test_joining_says_member_requested_or_observer():
    open_group = WorkingGroupFactory()
    on_request = WorkingGroupFactory(membership=MembershipPolicy.ON_REQUEST, lead=MemberFactory())
    api = Api(MemberFactory())
    assert api.send("POST", f"/groups/{open_group.pk}/join").json() == {"status": "member"}
    answer = api.send("POST", f"/groups/{on_request.pk}/join", {"message": "Bonjour !"})
    assert answer.json() == {"status": "requested"}
    third = WorkingGroupFactory()
    assert api.send("POST", f"/groups/{third.pk}/join", {"observe": True}).json() == {
        "status": "observer"
    }
    assert api.send("POST", f"/groups/{open_group.pk}/leave").status_code == 204


def test_the_last_lead_leaving_is_refused_with_the_reason():
    lead = MemberFactory()
    group = WorkingGroupFactory(lead=lead)
    response = Api(lead).send("POST", f"/groups/{group.pk}/leave")
    assert response.status_code == 400
    assert "dernière personne" in json.dumps(response.json(), ensure_ascii=False)


def test_members_open_proposals_answer_and_leads_record_decisions():
    lead = MemberFactory()
    group = WorkingGroupFactory(lead=lead)
    member = MembershipFactory(group=group).member
    closes_on = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    created = Api(member).send(
        "POST", f"/groups/{group.pk}/proposals", {"question": "On adopte ?", "closes_on": closes_on}
    )
    assert created.status_code == 201, created.content
    proposal = created.json()
    assert proposal["options"][-1] == "objection bloquante"
    answered = Api(member).send(
        "POST",
        f"/proposals/{proposal['id']}/answer",
        {"option": "objection bloquante", "reason": "Trop tôt."},
    )
    assert answered.json()["counts"]["objection bloquante"] == 1
    assert answered.json()["answers"][0]["reason"] == "Trop tôt."
    assert Api(member).get(f"/groups/{group.pk}/proposals").json()[0]["id"] == proposal["id"]
    refused = Api(member).send("POST", f"/groups/{group.pk}/decisions", {"title": "x"})
    assert refused.status_code == 403
    recorded = Api(lead).send(
        "POST", f"/groups/{group.pk}/decisions", {"title": "On se réunit le mardi."}
    )
    assert recorded.status_code == 201
    log = Api(member).get(f"/groups/{group.pk}/decisions").json()
    assert log["count"] == 1
    assert log["items"][0]["title"] == "On se réunit le mardi."


def test_a_closing_date_in_the_past_is_refused():
    group = WorkingGroupFactory(lead=MemberFactory())
    member = MembershipFactory(group=group).member
    response = Api(member).send(
        "POST", f"/groups/{group.pk}/proposals", {"question": "?", "closes_on": "2020-01-01"}
    )
    assert response.status_code == 400
    assert "closes_on" in response.json()["detail"]


def test_answering_a_closed_proposal_is_refused():
    proposal = ProposalFactory(closes_on=timezone.localdate() - datetime.timedelta(days=1))
    member = MembershipFactory(group=proposal.group).member
    response = Api(member).send("POST", f"/proposals/{proposal.pk}/answer", {"option": "d’accord"})
    assert response.status_code == 400
    assert not Answer.objects.exists()


def test_the_list_filters_mine_and_kind():
    member = MemberFactory()
    mine = MembershipFactory(member=member, role=MembershipRole.MEMBER).group
    WorkingGroupFactory(kind="club")
    api = Api(member)
    assert [g["id"] for g in api.get("/groups", mine="true").json()["items"]] == [mine.pk]
    assert api.get("/groups", kind="club").json()["count"] == 1


def _count_queries(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = call()
    assert response.status_code == 200
    return len(queries)


def test_the_group_list_and_the_decision_log_cost_the_same_for_10_or_200_rows():
    member = MemberFactory()
    api = Api(member)
    group = WorkingGroupFactory(lead=member)
    api.get("/groups")  # the token's first use is written down once

    def fill(n):
        for _ in range(n):
            other = WorkingGroupFactory(lead=MemberFactory())
            MembershipFactory(group=other)
            DecisionFactory(group=group)

    fill(10)
    few = (
        _count_queries(lambda: api.get("/groups", limit=100)),
        _count_queries(lambda: api.get(f"/groups/{group.pk}/decisions", limit=100)),
    )
    fill(190)
    many = (
        _count_queries(lambda: api.get("/groups", limit=100)),
        _count_queries(lambda: api.get(f"/groups/{group.pk}/decisions", limit=100)),
    )
    assert few == many
