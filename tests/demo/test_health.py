"""seed_demo leaves a dashboard with a story to tell from the first page view: the snapshots of
the demo's two years are computed once every other seeder has written its part."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from ruche.core.registry import registry
from ruche.health.enums import PeriodKind
from ruche.health.models import Snapshot
from ruche.health.periods import Period
from ruche.members.models import Member
from tests.demo.helpers import shrink

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(monkeypatch):
    shrink(monkeypatch, members_per_scale=150, startups_per_scale=12)
    output = io.StringIO()
    call_command("seed_demo", stdout=output)
    return output.getvalue()


def test_the_health_seeder_runs_last():
    assert registry.demo[-1].name == "health"


def test_the_demo_dashboard_has_figures_for_every_month_of_two_years(seeded, client):
    last = Period.containing(PeriodKind.MONTH, timezone.localdate()).previous()
    months = Snapshot.objects.filter(period=PeriodKind.MONTH, segment="all")

    assert months.count() == 24
    figures = months.get(start=last.start).figures
    assert figures["participation"]["contributions"] > 0
    assert figures["participation"]["active_members"] > 0
    assert figures["identity"]["events_held"] > 0
    assert "health: 35 periods" in seeded
    client.force_login(Member.objects.order_by("pk").first())
    html = client.get("/sante/").content.decode()
    card = html[html.index('href="#participation"') :]
    assert card.split('class="health-headline">')[1].split("</p>")[0].endswith("%")
    assert 'class="health-chart"' in html
