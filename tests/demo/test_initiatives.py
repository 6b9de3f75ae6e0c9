import datetime
import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.db.models import Count, F
from django.utils import timezone

from ruche.core.registry import registry
from ruche.engagement.models import Contribution
from ruche.engagement.services import member_context
from ruche.initiatives.enums import InitiativeStatus
from ruche.initiatives.models import (
    CallForHelp,
    Comment,
    Initiative,
    InitiativeLead,
    Need,
    NeedSupport,
    Participation,
    StatusChange,
    Support,
    Update,
)
from ruche.initiatives.search import search
from ruche.members.models import Competence, Incubator, Member, Organisation, Startup
from ruche.members.personas import PERSONAS_BY_KEY
from tests.demo.helpers import shrink

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """seed_demo once for the module with a small community: members, then initiatives."""
    patch = pytest.MonkeyPatch()
    shrink(patch, members_per_scale=120, startups_per_scale=12)
    patch.setattr(
        registry, "demo", [s for s in registry.demo if s.name in {"members", "initiatives"}]
    )
    with django_db_blocker.unblock():
        out = io.StringIO()
        call_command("seed_demo", stdout=out)
        yield out.getvalue()
        # Outside any test's transaction: remove it all for the tests that follow.
        for model in (Initiative, Need, Member, Startup, Incubator, Organisation, Competence):
            model.objects.all().delete()
    patch.undo()


def test_it_says_what_it_made(seeded):
    count, needs = Initiative.objects.count(), Need.objects.count()
    assert count >= 50
    assert f"initiatives: {count} initiatives, {needs} besoins" in seeded


def test_initiatives_are_in_every_status_over_two_years(seeded):
    statuses = set(Initiative.objects.values_list("status", flat=True))
    assert statuses == set(InitiativeStatus.values)
    oldest = Initiative.objects.order_by("created_at").first().created_at
    assert timezone.now() - oldest < datetime.timedelta(days=731)
    assert timezone.now() - oldest > datetime.timedelta(days=365)
    assert Need.objects.values("state").distinct().count() >= 3


def test_timelines_lead_to_the_current_status(seeded):
    for initiative in Initiative.objects.all():
        steps = list(initiative.status_changes.order_by("at", "pk"))
        assert steps[0].to_status == InitiativeStatus.IDEA
        assert steps[-1].to_status == initiative.status
        assert [s.at for s in steps] == sorted(s.at for s in steps)
        assert initiative.lead_links.filter(member=initiative.proposer, role="proposer").exists()


def test_roles_count_exactly_the_people_in_them(seeded):
    taken = dict(
        Participation.objects.filter(role__isnull=False)
        .values("role")
        .annotate(n=Count("pk"))
        .values_list("role", "n")
    )
    for role in CallForHelp.objects.all():
        assert role.taken == taken.get(role.pk, 0) <= role.count
    assert Participation.objects.exists()
    assert Support.objects.exists()
    assert Comment.objects.exists()
    assert Update.objects.exists()


def test_the_ledger_holds_every_act_with_the_context_of_the_moment(seeded):
    kinds = Counter(Contribution.objects.values_list("kind", flat=True))
    assert kinds["proposed"] == kinds["led"] == Initiative.objects.count()
    assert kinds["co_led"] == InitiativeLead.objects.filter(role="co_lead").count()
    assert kinds["joined"] == Participation.objects.count()
    assert kinds["supported"] == Support.objects.count()
    assert kinds["commented"] == Comment.objects.count()
    assert kinds["updated"] == Update.objects.count()
    assert kinds["raised_need"] == Need.objects.count()
    assert kinds["need_supported"] == NeedSupport.objects.count()
    assert kinds["status_changed"] == StatusChange.objects.exclude(from_status="").count()
    for row in Contribution.objects.select_related("member").order_by("?")[:40]:
        expected = member_context(row.member, row.at)
        actual = {name: getattr(row, name) for name in expected}
        assert actual == expected, row


def test_the_regular_persona_leads_an_initiative_looking_for_help(seeded):
    persona = Member.objects.get(betagouv_id=PERSONAS_BY_KEY["member"].betagouv_id)
    led = Initiative.objects.led_by(persona)
    assert led.filter(status=InitiativeStatus.LOOKING_FOR_HELP).exists()


def test_the_demo_is_searchable(seeded):
    assert search(Initiative.objects.all(), "apéro rentrée").exists()
    assert search(Need.objects.all(), "réunions").exists()


def test_needs_are_discussed_and_people_act_in_office_hours(seeded):
    discussed = Need.objects.filter(comments__isnull=False).distinct().count()
    assert discussed >= Need.objects.count() // 3
    assert not Comment.objects.filter(need__isnull=False, body__startswith="Bravo").exists()
    hours = Counter(timezone.localtime(c.created_at).hour for c in Comment.objects.all())
    in_office = sum(count for hour, count in hours.items() if 9 <= hour <= 18)
    assert in_office >= 0.9 * sum(hours.values()), hours


def test_no_lead_supports_their_own_initiative(seeded):
    own = Support.objects.filter(
        initiative__lead_links__member=F("member"),
    )
    assert Support.objects.exists()
    assert not own.exists()


def test_ca_bouge_has_new_and_living_initiatives_and_needs_to_show(seeded, rf):
    from ruche.initiatives.enums import OPEN_STATUSES, NeedState
    from ruche.initiatives.home import moving

    request = rf.get("/")
    request.user = Member.objects.get(betagouv_id=PERSONAS_BY_KEY["member"].betagouv_id)
    shown = moving(request)
    month_ago = timezone.now() - datetime.timedelta(days=30)
    assert len(shown["initiatives"]) >= 3
    assert len(shown["needs"]) >= 3
    for initiative in shown["initiatives"]:
        assert initiative.created_at >= month_ago
        assert initiative.status in OPEN_STATUSES
    for need in shown["needs"]:
        assert need.created_at >= month_ago
        assert need.state in (NeedState.OPEN, NeedState.BEING_ADDRESSED)


def test_an_initiative_answers_needs_raised_before_it(seeded):
    for initiative in Initiative.objects.prefetch_related("needs"):
        for need in initiative.needs.all():
            assert need.created_at < initiative.created_at


def test_seasonal_initiatives_are_proposed_before_their_season(seeded):
    from ruche.demo.initiatives import SEASONS

    for title, months in SEASONS.items():
        copies = Initiative.objects.filter(title__startswith=title)
        assert copies.exists()
        for initiative in copies:
            assert timezone.localtime(initiative.created_at).month in months, initiative
