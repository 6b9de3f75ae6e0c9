import io

import pytest
from django.core.management import call_command
from django.db.models import Sum

from ruche.core.registry import registry
from ruche.engagement.models import Contribution, Thanks, TimeDeclaration
from ruche.members.models import Member
from ruche.members.personas import PERSONAS_BY_KEY
from ruche.onboarding.models import ChatRoom
from tests.demo.helpers import shrink

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(monkeypatch):
    shrink(monkeypatch, members_per_scale=80, startups_per_scale=12)
    names = ("members", "initiatives", "groups", "events", "onboarding")
    monkeypatch.setattr(registry, "demo", [s for s in registry.demo if s.name in names])
    output = io.StringIO()
    call_command("seed_demo", stdout=output)
    return output.getvalue()


def test_the_demo_lists_chat_rooms_the_general_one_first(seeded):
    rooms = list(ChatRoom.objects.all())
    assert rooms[0].name == "Général"
    assert all(room.url.startswith("https://matrix.to/") for room in rooms)


def test_demo_thanks_are_for_what_the_ledger_says_each_did(seeded):
    thanks = list(Thanks.objects.all())
    assert len(thanks) > 10
    for item in thanks:
        assert item.giver_id != item.receiver_id
        assert Contribution.objects.filter(
            member=item.receiver_id, subject_type=item.subject_type, subject_id=item.subject_id
        ).exists()
    assert Contribution.objects.filter(kind="thanked").count() == len(thanks)


def test_demo_time_declarations_and_hidden_histories(seeded):
    per_day = TimeDeclaration.objects.values("member", "day").annotate(total=Sum("minutes"))
    assert per_day
    assert max(row["total"] for row in per_day) <= 24 * 60
    persona = Member.objects.get(betagouv_id=PERSONAS_BY_KEY["member"].betagouv_id)
    assert persona.time_declarations.exists()
    hiding = Member.objects.filter(history_visibility="only_me")
    assert hiding.exists()
    assert not hiding.filter(betagouv_id__in=[p.betagouv_id for p in PERSONAS_BY_KEY.values()])
    assert "profiles hiding their history" in seeded
