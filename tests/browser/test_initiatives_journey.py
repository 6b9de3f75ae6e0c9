"""Initiatives and needs as members live them, in a real browser: a newcomer raises a need,
another member proposes an initiative answering it and opens two roles, a third joins a role and
supports it, the lead takes it to "réalisée" and the need shows as addressed; a budget request
waits for the animation team."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from ruche.engagement.models import Contribution
from ruche.initiatives.enums import InitiativeStatus, NeedState
from ruche.initiatives.models import BudgetRequest, Initiative, Need
from tests.browser.a11y import assert_accessible
from tests.factories import MemberFactory
from tests.helpers import ANIMATION_TEAM
from tests.initiatives.factories import InitiativeFactory, NeedFactory, RoleFactory

pytestmark = pytest.mark.browser


def _main(page):
    return page.get_by_role("main")


def _nav(page, name):
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name=name).click()


def _change_status(page, label, reason=""):
    _main(page).get_by_role("link", name="Changer le statut").click()
    page.get_by_label("Nouveau statut").select_option(label=label)
    if reason:
        page.get_by_label("Pourquoi ce changement ?").fill(reason)
    page.get_by_role("button", name="Changer le statut").click()


def test_a_need_is_answered_by_an_initiative_that_members_join(page, sign_in):
    newcomer = MemberFactory(display_name="Nina Nouvelle")
    lead = MemberFactory(display_name="Léo Porteur")
    helper = MemberFactory(display_name="Hugo Volontaire")
    InitiativeFactory(title="Accueil des nouveaux en 2024", status=InitiativeStatus.DONE)

    # A newcomer raises a need.
    sign_in(newcomer)
    page.goto("/")
    _nav(page, "Besoins")
    _main(page).get_by_role("link", name="Exprimer un besoin").first.click()
    page.get_by_role("button", name="Publier le besoin").click()
    errors = page.get_by_role("alert").filter(has_text="Le formulaire contient des erreurs")
    expect(errors).not_to_have_count(0)
    expect(_main(page).get_by_text("Donnez un titre au besoin")).to_have_count(2)  # summary, field
    assert_accessible(page)
    page.get_by_label("Le problème, en une phrase").fill(
        "Les nouveaux arrivants sont perdus la première semaine"
    )
    page.get_by_label("Description").fill("Trop d’outils, de canaux et de **sigles**.")
    page.get_by_role("button", name="Publier le besoin").click()
    page.wait_for_url(re.compile(r"/besoins/\d+/$"))
    need_url = page.url
    assert page.get_by_text("Vous avez exprimé ce besoin.").count() == 1
    assert _main(page).locator("strong", has_text="sigles").count() == 1
    assert_accessible(page)

    # Another member proposes an initiative answering it: the need is already ticked, and while
    # the title is typed, what looks alike is shown.
    sign_in(lead)
    page.goto(need_url)
    _main(page).get_by_role("link", name="Proposer une initiative pour ce besoin").click()
    need_box = page.get_by_label(re.compile("Les nouveaux arrivants sont perdus"))
    expect(need_box).to_be_checked()
    page.get_by_label("Titre").fill("Parcours d’accueil des nouveaux")
    suggestions = page.locator("#deja-propose")
    suggestions.get_by_text("Déjà proposé ?").wait_for()
    alike = suggestions.get_by_role("link", name=re.compile("Accueil des nouveaux en 2024"))
    expect(alike).not_to_have_count(0)
    page.get_by_label("Type", exact=True).select_option(label="Processus")
    page.get_by_label("Résumé").fill("Un parrain ou une marraine pour chaque arrivée.")
    assert_accessible(page)
    page.get_by_role("button", name="Proposer l’initiative").click()
    page.wait_for_url(re.compile(r"/initiatives/\d+/$"))
    initiative_url = page.url
    initiative = Initiative.objects.get(title="Parcours d’accueil des nouveaux")
    assert page.get_by_text("Votre initiative est proposée.", exact=False).count() == 1

    # It opens two roles.
    _main(page).get_by_role("link", name="Rôles recherchés").click()
    page.get_by_label("Rôle recherché").fill("Parrains et marraines")
    page.get_by_label("Nombre de personnes").fill("2")
    page.get_by_role("button", name="Ajouter et en créer un autre").click()
    expect(page.get_by_text("Rôle ouvert : « Parrains et marraines ».")).to_have_count(1)
    page.get_by_label("Rôle recherché").fill("Rédaction de la checklist")
    page.get_by_label("Nombre de personnes").fill("1")
    page.get_by_label("Compétence souhaitée").fill("rédaction")
    page.get_by_role("button", name="Ajouter le rôle", exact=True).click()
    page.wait_for_url(f"{initiative_url}#participation")
    participation = page.locator("#participation")
    assert participation.get_by_text("2 places restantes sur 2").count() == 1
    assert participation.get_by_text("1 place restante sur 1").count() == 1
    assert_accessible(page)

    # A third member joins a role and supports the initiative, without leaving the page.
    sign_in(helper)
    page.goto(initiative_url)
    participation.get_by_role("button", name=re.compile("Je rejoins comme « Parrains")).click()
    participation.get_by_text("Vous participez à cette initiative, comme « Parrains").wait_for()
    expect(participation.get_by_text("1 place restante sur 2")).to_have_count(1)
    expect(page).to_have_url(initiative_url)  # swapped in place
    support = page.locator("#support")
    support.get_by_role("button", name="Je soutiens").click()
    support.get_by_text("1 membre soutient cette initiative").wait_for()
    assert_accessible(page)
    page.reload()
    assert participation.get_by_text("Vous participez à cette initiative").count() == 1
    assert support.get_by_text("Vous la soutenez.").count() == 1

    # The lead moves it along; the need follows.
    sign_in(lead)
    page.goto(initiative_url)
    _change_status(page, "En cours")
    expect(page.get_by_text("Statut changé : « En cours ».")).to_have_count(1)
    assert Need.objects.get().state == NeedState.BEING_ADDRESSED
    _change_status(page, "Réalisée")
    expect(page.get_by_text("Statut changé : « Réalisée ».")).to_have_count(1)
    history = _main(page).get_by_role("list").filter(has_text="« En cours » → « Réalisée »")
    expect(history).to_have_count(1)
    page.goto(need_url)
    assert _main(page).get_by_text("Traité", exact=True).count() == 1
    assert _main(page).get_by_role("link", name="Parcours d’accueil des nouveaux").count() == 1
    assert_accessible(page)

    kinds = sorted(Contribution.objects.values_list("member__display_name", "kind"))
    assert kinds == sorted(
        [
            ("Nina Nouvelle", "raised_need"),
            ("Léo Porteur", "proposed"),
            ("Léo Porteur", "led"),
            ("Hugo Volontaire", "joined"),
            ("Hugo Volontaire", "supported"),
            ("Léo Porteur", "status_changed"),
            ("Léo Porteur", "status_changed"),
        ]
    )
    assert initiative.pk


def test_a_budget_request_waits_for_the_animation_team(page, sign_in):
    lead = MemberFactory(display_name="Paula Porteuse")
    animator = MemberFactory(display_name="Anna Animatrice", transverse_role=ANIMATION_TEAM)

    sign_in(lead)
    page.goto("/initiatives/")
    _main(page).get_by_role("link", name="Proposer une initiative").first.click()
    page.get_by_label("Titre").fill("Apéro de printemps")
    page.get_by_label("Type", exact=True).select_option(label="Événement")
    page.get_by_label("Résumé").fill("Se retrouver au soleil.")
    page.get_by_label("Budget demandé (en euros)").fill("300")
    page.get_by_role("button", name="Proposer l’initiative").click()
    expect(_main(page).get_by_text("Dites à quoi servira ce budget.")).to_have_count(2)
    assert not Initiative.objects.exists()
    assert_accessible(page)
    page.get_by_label("À quoi servira ce budget ?").fill("La location du lieu et les boissons.")
    page.get_by_role("button", name="Proposer l’initiative").click()
    page.wait_for_url(re.compile(r"/initiatives/\d+/$"))
    initiative_url = page.url
    assert _main(page).get_by_text("En attente de décision", exact=False).count() == 1

    # Not "en cours" before the animation team says yes.
    _change_status(page, "En cours")
    waiting = page.get_by_text("attend l’accord de l’équipe d’animation", exact=False)
    expect(waiting).to_have_count(2)
    assert_accessible(page)
    assert Initiative.objects.get().status == InitiativeStatus.IDEA

    # The animation team approves; the proposer hears of it.
    mail.outbox.clear()
    sign_in(animator)
    page.goto(initiative_url)
    _main(page).get_by_role("link", name="Accorder ou refuser").click()
    page.get_by_label("Décision").select_option(label="Accorder le budget")
    page.get_by_label("Message à l’équipe de l’initiative").fill("Bonne idée, allez-y !")
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.get_by_text("Budget accordé", exact=False)).to_have_count(1)
    assert BudgetRequest.objects.get().status == "approved"
    assert [message.to for message in mail.outbox] == [[lead.email]]
    assert "Bonne idée, allez-y !" in mail.outbox[0].body

    sign_in(lead)
    page.goto(initiative_url)
    _change_status(page, "En cours")
    expect(page.get_by_text("Statut changé : « En cours ».")).to_have_count(1)


def test_the_needs_picker_searches_as_one_types(page, sign_in):
    NeedFactory(title="Trop de réunions de synchronisation")
    NeedFactory(title="Pas de salle pour les ateliers")
    sign_in(MemberFactory())
    page.goto("/initiatives/proposer/")
    page.get_by_label(re.compile("Trop de réunions")).check(force=True)
    page.get_by_label("Chercher un besoin").fill("salle")
    listing = page.locator("#besoins-liste")
    listing.get_by_text("Pas de salle pour les ateliers").wait_for()
    page.wait_for_function(
        "() => !document.querySelector('#besoins-liste').classList.contains('htmx-request')"
    )
    assert page.get_by_label(re.compile("Trop de réunions")).is_checked()
    assert_accessible(page)


def test_hostile_text_runs_nothing_in_the_browser(page, page_problems, sign_in):
    from tests.core.test_markdown import HOSTILE

    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    initiative = InitiativeFactory(
        title="<script>alert(1)</script>", description="\n\n".join(HOSTILE)
    )
    sign_in(MemberFactory())
    page.goto(initiative.get_absolute_url())
    _main(page).get_by_label("Votre commentaire").fill("\n\n".join(HOSTILE[:20]))
    _main(page).get_by_role("button", name="Publier le commentaire").click()
    page.wait_for_url(re.compile(r"#commentaire-\d+$"))
    page.mouse.move(200, 400)
    assert not dialogs
    assert page.get_by_role("heading", name="<script>alert(1)</script>").count() == 1
    page_problems.check()  # no CSP violation either: nothing even tried to run


def test_keyboard_users_land_on_the_outcome_after_an_in_place_action(page, sign_in):
    initiative = InitiativeFactory(title="Club de lecture")
    RoleFactory(initiative=initiative, label="Choix des livres", count=2)
    need = NeedFactory(title="On ne lit plus")
    sign_in(MemberFactory())
    page.goto(initiative.get_absolute_url())
    join = page.get_by_role("button", name=re.compile("Je rejoins comme « Choix des livres"))
    join.focus()
    page.keyboard.press("Enter")
    outcome = page.locator("#participation [data-feedback]")
    outcome.wait_for()
    assert outcome.evaluate("element => element === document.activeElement")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Quitter l’initiative"
    page.get_by_role("button", name="Je soutiens").focus()
    page.keyboard.press("Enter")
    page.locator("#support [data-feedback]").wait_for()
    assert page.evaluate("document.activeElement.closest('#support') !== null")
    page.goto(need.get_absolute_url())
    page.get_by_role("button", name="Moi aussi").focus()
    page.keyboard.press("Enter")
    page.locator("#support [data-feedback]").wait_for()
    assert page.evaluate("document.activeElement.hasAttribute('data-feedback')")


def test_raising_a_need_offers_me_too_on_the_ones_already_raised(page, sign_in):
    shared = NeedFactory(title="Trop de réunions de synchronisation")
    NeedFactory(title="Pas de salle pour les ateliers")
    me = MemberFactory(display_name="Camille Nouvelle")
    sign_in(me)
    page.goto("/besoins/nouveau/")
    page.get_by_label("Le problème, en une phrase").fill("Trop de réunions")
    suggestions = page.locator("#deja-propose")
    suggestions.get_by_text("Déjà exprimé ?").wait_for()
    assert suggestions.get_by_text("Pas de salle").count() == 0
    assert_accessible(page)
    suggestions.get_by_role(
        "button", name="Moi aussi : Trop de réunions de synchronisation"
    ).click()
    outcome = suggestions.locator("[data-feedback]")
    outcome.wait_for()
    assert outcome.inner_text() == "C’est noté : vous rencontrez aussi ce problème."
    assert outcome.evaluate("element => element === document.activeElement")
    expect(suggestions.get_by_text("vous avez dit « moi aussi »")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"/besoins/nouveau/$"))  # nothing left the page
    assert shared.supports.filter(member=me).exists()
    assert page.get_by_label("Le problème, en une phrase").input_value() == "Trop de réunions"
    assert_accessible(page)


def test_an_in_place_outcome_does_not_come_back_on_the_next_pages(page, sign_in):
    initiative = InitiativeFactory(title="Club de lecture")
    sign_in(MemberFactory())
    page.goto(initiative.get_absolute_url())
    page.get_by_role("button", name="Je soutiens").click()
    outcome = page.locator("#support [data-feedback]")
    outcome.wait_for()
    assert outcome.inner_text() == "Merci pour votre soutien."
    _nav(page, "Initiatives")
    page.wait_for_url("**/initiatives/")
    assert page.get_by_text("Merci pour votre soutien.").count() == 0
    page.get_by_role("link", name="Club de lecture").click()
    page.wait_for_url(f"**{initiative.get_absolute_url()}")
    page.get_by_text("Vous la soutenez.").wait_for()
    assert page.get_by_text("Vous la soutenez.").count() == 1
    assert page.get_by_text("Merci pour votre soutien.").count() == 0


def test_only_the_scope_in_use_asks_for_its_incubator_or_startup(page, sign_in):
    sign_in(MemberFactory())
    page.goto("/initiatives/proposer/")
    incubator, startup = page.locator("#id_incubator"), page.locator("#id_startup")
    expect(incubator).to_be_hidden()
    expect(startup).to_be_hidden()
    page.get_by_label("Pour qui ?").select_option(label="Une startup")
    expect(startup).to_be_visible()
    expect(incubator).to_be_hidden()
    page.get_by_label("Pour qui ?").select_option(label="Un incubateur")
    expect(incubator).to_be_visible()
    expect(startup).to_be_hidden()
