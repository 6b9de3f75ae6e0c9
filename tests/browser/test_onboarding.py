"""The way in, in a real browser: a newcomer finds « Premiers pas » and suggestions with their
reasons, takes a rota slot and joins a club from there and both steps tick; a member thanks
another; a member hides their history; a member declares 3 h and downloads the month. And the
new pages, filled with data, pass the accessibility checks."""

import os
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from ruche.engagement.services import record, time_declare
from ruche.groups.enums import GroupKind
from ruche.members.enums import Domaine
from ruche.onboarding.models import ChatRoom
from tests.browser.a11y import accessibility_problems, assert_accessible
from tests.events.factories import EventFactory, ShiftFactory, in_days
from tests.factories import MemberFactory
from tests.groups.factories import MembershipFactory, WorkingGroupFactory
from tests.helpers import build_community

pytestmark = pytest.mark.browser


def _main(page):
    return page.get_by_role("main")


def _way_in(community):
    """A coffee slot nobody took, a design club, chat rooms, and an organiser to thank."""
    event = EventFactory(title="Café des nouvelles et nouveaux", start=in_days(3, hour=9))
    ShiftFactory(event=event, label="Préparer le café", capacity=1)
    club = WorkingGroupFactory(name="Club design", slug="club-design", kind=GroupKind.CLUB)
    MembershipFactory(group=club, member=MemberFactory(domaine=Domaine.DESIGN))
    ChatRoom.objects.create(
        name="Général",
        purpose="Toute la communauté",
        url="https://matrix.to/#/#general:agent.tchap.gouv.fr",
        is_general=True,
    )
    ChatRoom.objects.create(
        name="Entraide technique",
        purpose="Questions de code et d’hébergement",
        url="https://matrix.to/#/#tech:agent.tchap.gouv.fr",
    )
    organiser = community.personas["member"]
    apero = EventFactory(title="Apéro de rentrée", created_by=organiser, start=in_days(-10))
    record(member=organiser, kind="organised", subject_type="event", subject_id=apero.pk)
    return {"event": event, "club": club, "apero": apero}


def test_a_newcomer_finds_the_way_in_and_both_steps_tick(page, page_problems, sign_in):
    community = build_community()
    _way_in(community)
    newcomer = community.personas["newcomer"]

    sign_in(newcomer)
    page.goto("/")
    steps = page.locator("#premiers-pas").locator("..")
    assert "Prendre un créneau bénévole" in steps.inner_text()
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="S’engager"
    ).click()
    expect(page).to_have_url(re.compile(f"{reverse('onboarding:engage')}$"))
    main = _main(page)
    why_slot = "Pourquoi vous : personne n’a encore pris ce créneau"
    expect(main).to_contain_text(why_slot, use_inner_text=True)
    expect(main).to_contain_text("Pourquoi vous : un club de votre domaine", use_inner_text=True)
    assert_accessible(page)

    main.get_by_role("button", name="Je prends ce créneau : Préparer le café").click()
    body = page.locator("body")
    expect(body).to_contain_text("Merci ! Le créneau est à vous.", use_inner_text=True)
    _main(page).get_by_role("button", name="Je rejoins le groupe : Club design").click()
    expect(body).to_contain_text("Bienvenue dans le groupe !", use_inner_text=True)

    # Compared as words, whatever their case and the spaces between them.
    steps = page.locator(".fr-callout").filter(has_text="Premiers pas")
    for done in ("fait prendre un créneau bénévole", "fait suivre un club de votre domaine"):
        expect(steps).to_contain_text(done, ignore_case=True, use_inner_text=True)
    page_problems.check()


def test_thanks_and_a_hidden_history(page, page_problems, sign_in):
    community = build_community()
    _way_in(community)
    organiser, newcomer = community.personas["member"], community.personas["newcomer"]

    # A member thanks another for the apéro they organised.
    sign_in(newcomer)
    page.goto(organiser.get_absolute_url())
    page.get_by_label("Pour quoi ?").select_option(label="Apéro de rentrée")
    page.get_by_label("Votre message").fill("Une soirée parfaite pour arriver.")
    page.get_by_role("button", name="Dire merci").click()
    expect(page.get_by_text(re.compile("Merci transmis à "))).to_have_count(1)
    thanks = page.locator("#mercis + ul")
    expect(thanks).to_contain_text("Apéro de rentrée", use_inner_text=True)
    expect(thanks).to_contain_text("Une soirée parfaite pour arriver.", use_inner_text=True)
    assert_accessible(page)

    # The organiser hides their history; the newcomer no longer sees it.
    sign_in(organiser)
    page.goto(reverse("members:profile-edit"))
    page.get_by_label("Qui voit mon historique d’engagement").select_option(label="Moi seul·e")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Votre profil est enregistré.")).to_have_count(1)
    expect(_main(page)).to_contain_text("Apéro de rentrée", use_inner_text=True)
    sign_in(newcomer)
    page.goto(organiser.get_absolute_url())
    main = _main(page).inner_text()
    assert "garde pour lui ou elle les mercis reçus" in main
    assert "Apéro de rentrée" not in main
    page_problems.check()


def test_a_member_declares_three_hours_and_downloads_the_month(page, page_problems, sign_in):
    member = MemberFactory(display_name="Lou Déclare")
    sign_in(member)
    page.goto(reverse("accounts:account"))
    _main(page).get_by_role("link", name="Mon temps communauté").click()
    page.get_by_label("Jour").fill(timezone.localdate().isoformat())
    page.get_by_label("Heures").fill("3")
    page.get_by_label("Ce que vous avez fait").fill("Atelier accessibilité")
    page.get_by_role("button", name="Déclarer").click()
    total = page.locator("#total")
    expect(total).to_contain_text("Total du mois : 3 h sur 15 h 24", use_inner_text=True)
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le mois (CSV)").click()
    path = download.value.path()
    with open(path, encoding="utf-8") as exported:
        text = exported.read()
    assert "Atelier accessibilité" in text
    assert ",180,3.00," in text
    page_problems.check()


def test_the_way_in_pages_pass_the_accessibility_rules(page, page_problems, sign_in):
    community = build_community()
    _way_in(community)
    newcomer, animator = community.personas["newcomer"], community.personas["animation"]
    today = timezone.localdate()
    for person in MemberFactory.create_batch(5):
        time_declare(actor=person, day=today, minutes=90, what="Forum")
    time_declare(actor=animator, day=today, minutes=60, what="Préparer le forum")
    problems = []
    paths_by_member = [
        (
            newcomer,
            [
                "/",
                reverse("onboarding:engage"),
                reverse("onboarding:chat-rooms"),
                community.personas["member"].get_absolute_url(),
                reverse("onboarding:time"),
            ],
        ),
        (
            animator,
            [
                reverse("onboarding:chat-rooms"),
                reverse("onboarding:time"),
                reverse("onboarding:time-statement"),
            ],
        ),
    ]
    for member, paths in paths_by_member:
        sign_in(member)
        for path in paths:
            response = page.goto(path)
            assert response.status == 200, path
            problems += accessibility_problems(page)
            page_problems.check()
            if os.environ.get("RUCHE_SCREENSHOTS"):
                name = path.strip("/").replace("/", "_") or "home"
                page.screenshot(path=f"{os.environ['RUCHE_SCREENSHOTS']}/{name}.png")
    # Forms in error.
    page.goto(reverse("onboarding:time"))
    page.get_by_label("Heures").fill("0")
    page.get_by_role("button", name="Déclarer").click()
    expect(_main(page)).to_contain_text("plus de zéro minute", use_inner_text=True)
    problems += accessibility_problems(page)
    page.goto(reverse("onboarding:chat-rooms"))
    page.get_by_role("button", name="Ajouter").click()
    errors = page.get_by_role("alert").filter(has_text="Le formulaire contient des erreurs")
    expect(errors).not_to_have_count(0)
    problems += accessibility_problems(page)
    assert not problems, "Accessibility problems:\n" + "\n".join(problems)
