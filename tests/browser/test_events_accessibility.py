"""The agenda's pages, filled with data, pass the accessibility checks: as a visitor, as a member
and as the organiser who sees every management page (forms with errors included)."""

import datetime
import os

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from ruche.core.secrets import hash_secret
from ruche.events.models import Event, Speaker
from ruche.events.services.events import event_cancel, event_create, event_update
from ruche.events.services.registrations import rsvp_register
from ruche.events.services.shifts import shift_signup, shift_swap_offer
from tests.browser.a11y import accessibility_problems
from tests.events.factories import EventFactory, ShiftFactory, in_days, register
from tests.factories import MemberFactory
from tests.groups.factories import MembershipFactory, WorkingGroupFactory
from tests.helpers import build_community

pytestmark = pytest.mark.browser

SECRET = "lien-prive-de-l-intervenante-0123456789abcdef"


def _agenda(organiser):
    """Events of every kind and state: a series with a moved and a cancelled date, a full apéro
    with a waiting list, a working group's talk with speakers, a slot with a swap on offer, a
    past event."""
    start = in_days(2, hour=9)
    coffee = event_create(
        actor=organiser,
        title="Café du mardi",
        kind="cafe",
        start=start,
        end=start + datetime.timedelta(hours=1),
        location="Ségur",
        description="Un **café** et les nouvelles de la semaine.",
        recurrence="FREQ=WEEKLY;COUNT=6",
    )
    dates = list(Event.objects.filter(series=coffee.series).order_by("start"))
    event_update(
        actor=organiser,
        event=dates[2],
        changes={
            "start": dates[2].start + datetime.timedelta(days=1),
            "end": dates[2].end + datetime.timedelta(days=1),
        },
    )
    event_cancel(actor=organiser, event=dates[3], message="Jour férié.")
    shift = ShiftFactory(event=coffee, capacity=2, label="préparer le café")
    helper = MemberFactory(display_name="Hélène Bénévole")
    shift_signup(actor=helper, shift=shift)
    shift_swap_offer(actor=helper, shift=shift)
    apero = EventFactory(created_by=organiser, title="Apéro complet", capacity=2, is_public=True)
    for person in MemberFactory.create_batch(3):
        rsvp_register(actor=person, event=apero)
    club = MembershipFactory(member=organiser, group=WorkingGroupFactory(name="Club RGAA")).group
    talk = EventFactory(
        created_by=organiser,
        title="Causerie accessibilité",
        kind="talk",
        group=club,
        online_url="https://webinaire.numerique.gouv.fr/meeting/signin/causerie-produit-dire-non",
    )
    Speaker.objects.create(
        event=talk,
        name="Ada Lovelace",
        email="ada@example.org",
        talk_title="Les machines",
        bio="Pionnière de l’informatique.",
        status="confirmed",
        token_hash=hash_secret(SECRET),
        invited_by=organiser,
    )
    past = EventFactory(created_by=organiser, start=in_days(-3), end=in_days(-3, hour=20))
    register(past, MemberFactory())
    return {"coffee": coffee, "moved": dates[2], "apero": apero, "talk": talk, "past": past}


def _check(page, paths, problems, page_problems):
    for path in paths:
        response = page.goto(path)
        assert response.status in (200,), f"{path} answered {response.status}"
        problems += accessibility_problems(page)
        page_problems.check()
        if os.environ.get("RUCHE_SCREENSHOTS"):
            name = path.strip("/").replace("/", "_") or "home"
            page.screenshot(path=f"{os.environ['RUCHE_SCREENSHOTS']}/{name}.png", full_page=True)


def test_agenda_pages_pass_the_accessibility_rules(page, page_problems, client, sign_in):
    community = build_community()
    organiser = community.personas["member"]
    events = _agenda(organiser)
    problems = []
    visitor_paths = [
        "/",
        reverse("events:event-list"),
        reverse("events:month-current"),
        reverse("events:event-past"),
        reverse("events:subscribe"),
        events["apero"].get_absolute_url(),
        events["talk"].get_absolute_url(),
        reverse("events:speaker-answer", args=[SECRET]),
    ]
    _check(page, visitor_paths, problems, page_problems)
    sign_in(community.personas["newcomer"])
    member_paths = [
        "/",
        reverse("events:event-list") + "?kind=cafe",
        events["coffee"].get_absolute_url(),
        events["moved"].get_absolute_url(),
        reverse("events:my-agenda"),
        reverse("events:event-create"),
    ]
    _check(page, member_paths, problems, page_problems)
    sign_in(organiser)
    pk = events["coffee"].pk
    organiser_paths = [
        events["coffee"].get_absolute_url(),
        reverse("events:event-edit", args=[pk]),
        reverse("events:event-create"),  # with the choice of their group
        reverse("events:event-cancel", args=[pk]),
        reverse("events:event-registrations", args=[events["apero"].pk]),
        reverse("events:event-registrations", args=[events["past"].pk]),
        reverse("events:event-speakers", args=[events["talk"].pk]),
        reverse("events:event-shifts", args=[pk]),
    ]
    _check(page, organiser_paths, problems, page_problems)
    # Forms in error.
    page.goto(reverse("events:event-create"))
    page.get_by_role("button", name="Publier l’événement").click()
    expect(page.get_by_text("Le formulaire contient des erreurs")).to_have_count(1)
    problems += accessibility_problems(page)
    page.goto(reverse("events:event-shifts", args=[pk]))
    page.get_by_role("button", name="Ajouter le créneau").click()
    expect(page.get_by_text("Le formulaire contient des erreurs")).to_have_count(1)
    problems += accessibility_problems(page)
    assert not problems, "Accessibility problems:\n" + "\n".join(problems)
