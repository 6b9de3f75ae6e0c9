"""Working groups as members live them, in a real browser: an initiative becomes a group, a
member asks to join and is accepted, a consent round is answered and closed into the decision
log and its feed, and a group past its review date is confirmed by its lead."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ruche.initiatives.enums import InitiativeKind
from tests.browser.a11y import assert_accessible
from tests.factories import MemberFactory
from tests.groups.factories import MembershipFactory, WorkingGroupFactory
from tests.initiatives.factories import InitiativeFactory

pytestmark = pytest.mark.browser


def _main(page):
    return page.get_by_role("main")


def test_an_initiative_becomes_a_group_that_takes_members_and_decides(page, sign_in, live_server):
    lead = MemberFactory(display_name="Léa Porteuse")
    asking = MemberFactory(display_name="Hugo Demandeur")
    voters = [MemberFactory(display_name=name) for name in ("Inès Un", "Jules Deux", "Karim Trois")]
    initiative = InitiativeFactory(
        lead=lead,
        kind=InitiativeKind.WORKING_GROUP,
        title="Égalité femmes-hommes",
        summary="Rendre la communauté plus mixte.",
        description="Une charte de réunion et du mentorat.",
    )

    # The lead turns the initiative into a group, then makes its membership on request.
    sign_in(lead)
    page.goto(initiative.get_absolute_url())
    _main(page).get_by_role("button", name="Créer le groupe").click()
    # The initiative's page has the same title: the group's page is known by its address.
    expect(page).to_have_url(re.compile(r"/groupes/[^/]+/$"))
    expect(page.get_by_text("Le groupe est créé à partir de l’initiative.")).to_have_count(1)
    expect(_main(page).get_by_text("Une charte de réunion et du mentorat.")).not_to_have_count(0)
    group_url = page.url
    assert_accessible(page)
    _main(page).get_by_role("link", name="Modifier").click()
    page.get_by_role("radio", name="sur demande").check(force=True)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Le groupe est mis à jour.")).to_have_count(1)
    page.get_by_role("heading", level=1, name="Égalité femmes-hommes").wait_for()
    page.goto(initiative.get_absolute_url())
    expect(_main(page).get_by_role("link", name="Égalité femmes-hommes")).not_to_have_count(0)

    # Another member asks to join, with a message; the lead accepts.
    sign_in(asking)
    page.goto(group_url)
    _main(page).get_by_role("link", name="Demander à rejoindre").click()
    page.get_by_label("Votre message aux animateur·rices").fill("Je veux aider sur le mentorat.")
    page.get_by_role("button", name="Envoyer ma demande").click()
    expect(page.get_by_text("Votre demande est envoyée")).not_to_have_count(0)
    sign_in(lead)
    page.goto(group_url)
    assert _main(page).get_by_text("Je veux aider sur le mentorat.").count()
    _main(page).get_by_role("button", name="Accepter").click()
    expect(page.get_by_text("Hugo Demandeur fait maintenant partie du groupe")).not_to_have_count(0)

    # A member opens a consent round; three members answer, one objects with a reason.
    group = initiative.working_group
    for voter in voters:
        MembershipFactory(group=group, member=voter)
    sign_in(asking)
    page.goto(group_url)
    _main(page).get_by_role("link", name="Ouvrir une proposition").click()
    page.get_by_label("Question").fill("Adopte-t-on la charte de réunion ?")
    page.get_by_label("Réponses jusqu’au").fill(
        (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    )
    page.get_by_role("button", name="Ouvrir la proposition").click()
    page.get_by_role("heading", level=1, name="Adopte-t-on la charte de réunion ?").wait_for()
    proposal_url = page.url
    assert_accessible(page)
    for voter, option, reason in (
        (voters[0], "d’accord", ""),
        (voters[1], "d’accord", ""),
        (voters[2], "objection bloquante", "Les réunions hybrides sont oubliées."),
    ):
        sign_in(voter)
        page.goto(proposal_url)
        page.get_by_role("radio", name=option, exact=True).check(force=True)
        if reason:
            page.get_by_label("Pourquoi (facultatif)").fill(reason)
        page.get_by_role("button", name="Enregistrer ma réponse").click()
        expect(page.get_by_text("Votre réponse est enregistrée")).not_to_have_count(0)
    expect(_main(page).get_by_text("Les réunions hybrides sont oubliées.")).not_to_have_count(0)
    expect(_main(page).get_by_text("objection bloquante : 1")).not_to_have_count(0)

    # The lead closes it with an outcome: the decision enters the log and its feed.
    sign_in(lead)
    page.goto(proposal_url)
    _main(page).get_by_role("link", name="Clore et écrire la décision").click()
    page.get_by_label("Ce qui est décidé").fill("Charte adoptée, complétée pour l’hybride")
    page.get_by_role("button", name="Clore et inscrire au journal").click()
    log = page.locator("#decisions ~ ol")
    expect(log.get_by_text("Charte adoptée, complétée pour l’hybride")).not_to_have_count(0)
    expect(log.get_by_text("objection bloquante : 1")).not_to_have_count(0)
    feed = page.request.get(
        f"{live_server.url}{group_url.removeprefix(live_server.url)}decisions.atom"
    )
    assert "Charte adoptée, complétée pour l’hybride" in feed.text()


def test_a_group_past_its_review_shows_it_until_its_lead_confirms(page, sign_in):
    lead = MemberFactory()
    group = WorkingGroupFactory(
        lead=lead, name="Club accessibilité", review_on=timezone.localdate() - datetime.timedelta(5)
    )
    sign_in(MemberFactory())
    page.goto("/groupes/")
    card = _main(page).get_by_role("listitem").filter(has_text="Club accessibilité")
    assert card.get_by_text("à revoir").count()
    sign_in(lead)
    page.goto(group.get_absolute_url())
    _main(page).get_by_role("link", name="Confirmer que le groupe reste utile").click()
    page.get_by_role("button", name="Confirmer, le groupe reste utile").click()
    expect(page.get_by_text("le groupe est toujours utile")).not_to_have_count(0)
    expect(_main(page).get_by_text("Ce groupe est à revoir")).to_have_count(0)
    page.goto("/groupes/")
    card = _main(page).get_by_role("listitem").filter(has_text="Club accessibilité")
    assert not card.get_by_text("à revoir").count()
