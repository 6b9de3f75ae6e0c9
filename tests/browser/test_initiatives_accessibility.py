"""Initiative and need pages, filled with data, pass the accessibility checks: crawled as a
member, as a lead (who sees every management page) and as the animation team (moderation,
budget decisions); forms in error too."""

import pytest
from playwright.sync_api import expect

from ruche.initiatives.enums import InitiativeStatus, ReportTarget
from ruche.initiatives.services.conversation import comment_add, initiative_support, update_post
from ruche.initiatives.services.lifecycle import initiative_propose, initiative_status_change
from ruche.initiatives.services.moderation import content_hide, report_create
from ruche.initiatives.services.participation import initiative_join
from tests.browser.a11y import accessibility_problems, assert_accessible
from tests.factories import MemberFactory
from tests.helpers import FORM_PAGES, build_community, crawl
from tests.initiatives.factories import CommentFactory, InitiativeFactory, NeedFactory, RoleFactory

pytestmark = pytest.mark.browser

PAGES = {
    "initiatives:initiative-list",
    "initiatives:initiative-create",
    "initiatives:initiative-detail",
    "initiatives:need-list",
    "initiatives:need-create",
    "initiatives:need-detail",
    "initiatives:report-create",
}
LEAD_PAGES = {
    "initiatives:initiative-edit",
    "initiatives:initiative-status",
    "initiatives:role-create",
    "initiatives:colead-create",
    "initiatives:update-create",
    "initiatives:comment-edit",
    "initiatives:need-edit",
    "initiatives:need-close",
}
TEAM_PAGES = {"initiatives:moderation", "initiatives:moderation-act", "initiatives:budget-decide"}


def _activity(community):
    lead = community.personas["member"]
    animator = community.personas["animation"]
    other = MemberFactory(display_name="Camille Autre")
    need = NeedFactory(author=lead, title="Les nouveaux sont perdus", description="**Vraiment**.")
    initiative = initiative_propose(
        actor=lead,
        title="Parcours d’accueil",
        kind="process",
        summary="Un parrain ou une marraine pour chaque arrivée.",
        description="## Pourquoi\n\n- accueillir\n- [en savoir plus](https://beta.gouv.fr/)",
        needs=[need],
        budget_amount="150",
        budget_purpose="Des croissants.",
    )
    full = RoleFactory(initiative=initiative, label="Rédaction", count=1)
    RoleFactory(initiative=initiative, label="Parrains", count=3, skill="patience")
    initiative_join(actor=other, initiative=initiative, role=full)
    initiative_support(actor=other, initiative=initiative)
    update_post(actor=lead, initiative=initiative, body="Premier binôme formé.")
    initiative_status_change(
        actor=lead, initiative=initiative, status=InitiativeStatus.LOOKING_FOR_HELP
    )
    CommentFactory(initiative=initiative, author=lead, body="Qui est partant·e ?")
    comment = CommentFactory(initiative=initiative, author=other, body="Moi !")
    comment_add(actor=other, need=need, body="Moi aussi.")
    report_create(actor=lead, target_type=ReportTarget.COMMENT, target=comment, reason="Test.")
    hidden = InitiativeFactory(title="Publicité", lead=other)
    content_hide(actor=animator, target_type=ReportTarget.INITIATIVE, target=hidden, note="Pub.")
    InitiativeFactory(title="Ancien apéro", status=InitiativeStatus.DONE, lead=other)
    return initiative, need


def _form_errors(page):
    return page.get_by_role("alert").filter(has_text="Le formulaire contient des erreurs")


def _check(page, client, names, start="/"):
    pages = [crawled for crawled in crawl(client, start, also=FORM_PAGES) if crawled.is_html]
    found = {crawled.name for crawled in pages}
    missing = names - found
    assert not missing, f"not reached from {start}: {sorted(missing)}"
    problems = []
    for crawled in pages:
        if not crawled.name.startswith("initiatives:") and crawled.name not in (
            "core:home",
            "core:search",
        ):
            continue  # the other apps' pages are the general crawl's business
        response = page.goto(crawled.url)
        assert response.status == 200, crawled.url
        problems += accessibility_problems(page)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("persona", ["member", "animation"])
def test_every_initiative_page_passes_the_accessibility_rules(persona, page, client, sign_in):
    community = build_community()
    initiative, _need = _activity(community)
    sign_in(community.personas[persona])
    expected = PAGES | (LEAD_PAGES if persona == "member" else TEAM_PAGES)
    # From the lead's initiative: the crawl keeps the first page of each kind it meets.
    _check(page, client, expected, start=initiative.get_absolute_url())


def test_forms_in_error_stay_accessible(page, client, sign_in):
    community = build_community()
    initiative, need = _activity(community)
    sign_in(community.personas["member"])
    page.goto("/initiatives/proposer/")
    page.get_by_label("Titre").fill("x" * 5)
    page.get_by_role("button", name="Proposer l’initiative").click()
    expect(_form_errors(page)).not_to_have_count(0)
    assert_accessible(page)
    page.goto(f"{initiative.get_absolute_url()}statut/")
    page.get_by_label("Nouveau statut").select_option(label="En pause")
    page.get_by_role("button", name="Changer le statut").click()
    expect(page.get_by_text("Dites en quelques mots pourquoi")).to_have_count(2)
    assert_accessible(page)
    page.goto(initiative.get_absolute_url())
    page.get_by_role("button", name="Publier le commentaire").click()
    expect(page.get_by_text("Le commentaire est vide")).to_have_count(2)
    assert_accessible(page)
    page.goto(f"{initiative.get_absolute_url()}roles/")
    page.get_by_role("button", name="Ajouter le rôle", exact=True).click()
    expect(_form_errors(page)).not_to_have_count(0)
    assert_accessible(page)
    page.goto(f"{initiative.get_absolute_url()}budget/")  # a second request waits for the first
    page.get_by_label("Montant demandé (en euros)").fill("50")
    page.get_by_label("À quoi servira ce budget ?").fill("Du café.")
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(page.get_by_text("attend déjà la décision", exact=False)).to_have_count(2)
    assert_accessible(page)
    page.goto(f"{need.get_absolute_url()}clore/")
    page.get_by_role("button", name="Clore le besoin").click()
    expect(_form_errors(page)).not_to_have_count(0)
    assert_accessible(page)
