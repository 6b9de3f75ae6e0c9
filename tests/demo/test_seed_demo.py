import datetime
import hashlib
import io
import random

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from ruche.core.registry import DemoSeeder, registry
from ruche.demo import members as demo_members
from ruche.demo import structures
from ruche.demo.context import DemoContext
from ruche.members.enums import Domaine
from ruche.members.models import Competence, Incubator, Member, Mission, Organisation, Startup
from ruche.members.personas import PERSONAS, PERSONAS_BY_KEY
from tests.demo.helpers import shrink

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_community(monkeypatch):
    """A community of 60 members per scale unit, and only the members seeder, so that tests
    stay fast and do not depend on other apps' seeders."""
    shrink(monkeypatch, members_per_scale=60, startups_per_scale=12)
    members_seeder = next(s for s in registry.demo if s.name == "members")
    monkeypatch.setattr(registry, "demo", [members_seeder])


def seed(*args) -> str:
    stdout = io.StringIO()
    call_command("seed_demo", *args, stdout=stdout)
    return stdout.getvalue()


def wipe() -> None:
    for model in [Member, Startup, Incubator, Organisation, Competence]:
        model.objects.all().delete()


def days_since(day: datetime.date) -> int:
    return (timezone.localdate() - day).days


def test_the_members_seeder_is_registered_first():
    assert registry.demo[0].name == "members"
    assert registry.demo[0].seed is demo_members.seed


def test_it_creates_the_four_personas_exactly(small_community):
    seed()

    for persona in PERSONAS:
        member = Member.objects.get(betagouv_id=persona.betagouv_id)
        assert member.display_name == persona.display_name
        assert member.email == f"{persona.betagouv_id}@beta.gouv.fr"

    newcomer = Member.objects.get(betagouv_id=PERSONAS_BY_KEY["newcomer"].betagouv_id)
    assert newcomer.domaine == Domaine.DESIGN
    assert 14 <= days_since(newcomer.first_mission_start()) <= 28
    assert newcomer.is_active_member()

    regular = Member.objects.get(betagouv_id=PERSONAS_BY_KEY["member"].betagouv_id)
    assert regular.domaine == Domaine.DEVELOPPEMENT
    assert 700 <= days_since(regular.first_mission_start()) <= 760
    assert regular.is_active_member()
    assert not regular.is_animation_team

    animator = Member.objects.get(betagouv_id=PERSONAS_BY_KEY["animation"].betagouv_id)
    assert animator.transverse_role == "Équipe d’animation"

    admin = Member.objects.get(betagouv_id=PERSONAS_BY_KEY["admin"].betagouv_id)
    assert admin.is_staff
    assert admin.is_superuser
    assert not Member.objects.filter(is_superuser=True).exclude(pk=admin.pk).exists()


def test_the_community_grows_with_the_scale(small_community):
    seed("--scale", "1")
    at_one = (Member.objects.count(), Startup.objects.count())
    wipe()

    seed("--scale", "3")

    assert at_one == (60, 12)
    assert (Member.objects.count(), Startup.objects.count()) == (180, 36)


def test_the_community_is_varied(small_community):
    seed("--scale", "5")

    today = timezone.localdate()
    assert set(Member.objects.values_list("domaine", flat=True)) >= {
        Domaine.DEVELOPPEMENT,
        Domaine.DESIGN,
        Domaine.PRODUIT,
        Domaine.INTRAPRENARIAT,
    }
    assert Member.objects.alumni().count() > 50
    assert Member.objects.active().count() > 100
    recent = Mission.objects.filter(start__gt=today - datetime.timedelta(days=90))
    assert recent.values("member").distinct().count() > 5
    assert 3 <= Member.objects.animation_team().count() <= 12
    assert Incubator.objects.count() == 23
    assert Startup.objects.filter(incubator__isnull=True).count() == 0
    assert Competence.objects.filter(members__isnull=False).exists()
    assert not Member.objects.filter(missions__isnull=True).exists()


def test_the_same_seed_gives_the_same_community(small_community):
    def community():
        members = Member.objects.order_by("betagouv_id").values_list(
            "betagouv_id", "display_name", "role", "domaine"
        )
        return list(members), sorted(Startup.objects.values_list("name", "pitch"))

    seed("--seed", "7")
    first = community()
    wipe()
    seed("--seed", "7")
    second = community()
    wipe()
    seed("--seed", "8")
    other = community()

    assert first == second
    assert first != other


def test_if_empty_does_nothing_when_members_exist(small_community, member):
    output = seed("--if-empty")

    assert "already has 1 members: nothing seeded" in output
    assert Member.objects.count() == 1


def test_if_empty_seeds_an_empty_database(small_community):
    seed("--if-empty")

    assert Member.objects.count() == 60


def test_it_refuses_to_seed_over_existing_members(small_community, member):
    with pytest.raises(CommandError, match="already has 1 members"):
        seed()


def test_a_failing_seeder_leaves_the_database_empty_for_the_next_run(small_community, monkeypatch):
    def broken(context):
        raise RuntimeError("seeder broke")

    monkeypatch.setattr(
        registry, "demo", [*registry.demo, DemoSeeder(name="broken", seed=broken, order=99)]
    )
    with pytest.raises(RuntimeError, match="seeder broke"):
        seed("--if-empty")
    assert not Member.objects.exists()
    assert not Startup.objects.exists()

    registry.demo.pop()
    assert "Demo community ready" in seed("--if-empty")


def test_registered_seeders_run_in_order_with_the_filled_context(small_community, monkeypatch):
    calls = []

    def later(context):
        calls.append(("later", context))

    def earlier(context):
        calls.append(("earlier", context))

    monkeypatch.setattr(
        registry,
        "demo",
        [
            *registry.demo,
            DemoSeeder(name="later", seed=later, order=20),
            DemoSeeder(name="earlier", seed=earlier, order=10),
        ],
    )
    registry.demo.sort(key=lambda s: s.order)

    output = seed("--seed", "3")

    assert [name for name, _context in calls] == ["earlier", "later"]
    context = calls[0][1]
    assert context.scale == 1
    assert sorted(context.member_ids) == sorted(Member.objects.values_list("pk", flat=True))
    assert set(context.personas) == {"newcomer", "member", "animation", "admin"}
    assert context.personas["newcomer"] in context.newcomer_ids
    assert context.personas["animation"] in context.animation_team_ids
    active = Member.objects.active().values_list("pk", flat=True)
    assert set(context.active_member_ids) == set(active)
    assert len(context.startup_ids) == Startup.objects.count()
    assert len(context.incubator_ids) == 23
    assert "later: seeded in" in output


def test_every_pitch_public_reads_with_aux_and_des():
    for publics, _actions in structures.THEMES.values():
        for public in publics:
            assert public.startswith("les ")


@pytest.mark.slow
def test_scale_one_is_a_community_of_about_3500_members(monkeypatch):
    members_seeder = next(s for s in registry.demo if s.name == "members")
    monkeypatch.setattr(registry, "demo", [members_seeder])

    seed()

    assert Member.objects.count() == 3500
    assert Startup.objects.count() == 660
    assert Member.objects.filter(domaine=Domaine.DEVELOPPEMENT).count() > 800


@pytest.mark.parametrize("seed_number", range(1, 6))
def test_personas_get_a_startup_even_when_the_first_incubator_has_none(
    small_community, monkeypatch, seed_number
):
    monkeypatch.setattr(structures, "STARTUPS_PER_SCALE", 2)

    seed("--seed", str(seed_number))

    newcomer = Member.objects.get(betagouv_id=PERSONAS_BY_KEY["newcomer"].betagouv_id)
    assert newcomer.missions.get().startups.count() == 1


def _demo_digest() -> str:
    """What a visitor of the demo sees, without database ids: the same for the same seed."""
    from ruche.engagement.models import Thanks, TimeDeclaration
    from ruche.events.models import Event, Rsvp, Shift
    from ruche.groups.models import Answer, Decision, WorkingGroup
    from ruche.initiatives.models import Initiative, Need
    from ruche.onboarding.models import ChatRoom

    seen = [
        sorted(Member.objects.values_list("betagouv_id", "display_name", "role")),
        sorted(WorkingGroup.objects.values_list("name", "kind", "review_on", "membership")),
        sorted(Decision.objects.values_list("group__name", "title", "decided_on")),
        sorted(Answer.objects.values_list("member__betagouv_id", "option", "answered_at")),
        sorted(Initiative.objects.values_list("title", "status", "created_at")),
        sorted(Need.objects.values_list("title", "state", "created_at", "anonymous")),
        sorted(Event.objects.values_list("title", "start", "end", "status", "location")),
        sorted(Shift.objects.values_list("event__start", "label", "capacity")),
        Rsvp.objects.count(),
        sorted(ChatRoom.objects.values_list("name", "url", "is_general")),
        sorted(Thanks.objects.values_list("giver__betagouv_id", "receiver__betagouv_id", "at")),
        sorted(TimeDeclaration.objects.values_list("member__betagouv_id", "day", "minutes")),
        sorted(Member.objects.filter(history_visibility="only_me").values_list("betagouv_id")),
    ]
    return hashlib.sha256(repr(seen).encode()).hexdigest()


@pytest.mark.slow
def test_the_same_seed_at_the_same_moment_gives_the_same_demo(monkeypatch):
    """Every seeder, twice: a seeder reading the clock or an unordered query would differ."""
    shrink(monkeypatch, members_per_scale=80, startups_per_scale=12)
    now = timezone.make_aware(datetime.datetime(2027, 3, 10, 11, 0))
    digests = []
    for seed_number in (5, 5):
        with transaction.atomic():
            context = DemoContext(
                rng=random.Random(seed_number), scale=1, now=now, log=lambda *args: None
            )
            for seeder in registry.demo:
                seeder.seed(context)
            digests.append(_demo_digest())
            transaction.set_rollback(True)

    assert digests[0] == digests[1]


def _activity_counts() -> dict[str, int]:
    from ruche.engagement.models import Contribution
    from ruche.events.models import Event, Rsvp, Shift, ShiftSignup
    from ruche.groups.models import Membership, WorkingGroup
    from ruche.initiatives.models import Comment, Initiative, Need, Participation

    models = [Member, Startup, Initiative, Need, Comment, Participation, Event, Rsvp, Shift,
              ShiftSignup, WorkingGroup, Membership, Contribution]  # fmt: skip
    return {model.__name__: model.objects.count() for model in models}


@pytest.mark.slow
def test_every_kind_of_activity_grows_with_the_scale(monkeypatch):
    """`seed_demo --scale 2` is twice `--scale 1`, kind by kind (within a quarter: the
    community is drawn at random), not only twice the members."""
    shrink(monkeypatch, members_per_scale=150, startups_per_scale=20)
    now = timezone.make_aware(datetime.datetime(2027, 3, 10, 11, 0))
    counts = []
    for scale in (1, 2):
        with transaction.atomic():
            context = DemoContext(rng=random.Random(3), scale=scale, now=now, log=lambda *a: None)
            for seeder in registry.demo:
                if seeder.name != "health":  # snapshots are per period, not per member
                    seeder.seed(context)
            counts.append(_activity_counts())
            transaction.set_rollback(True)

    one, two = counts
    ratios = {kind: round(two[kind] / one[kind], 2) for kind in one}
    assert all(1.75 <= ratio <= 2.25 for ratio in ratios.values()), ratios
