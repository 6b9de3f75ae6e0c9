"""Group pages, filled with data, pass the accessibility checks: crawled as a lead (who sees
every management page) and as the animation team (the groups to review); a form in error
too."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ruche.groups import services
from ruche.groups.enums import MembershipPolicy
from tests.browser.a11y import accessibility_problems, assert_accessible
from tests.factories import MemberFactory
from tests.helpers import build_community, crawl

pytestmark = pytest.mark.browser

PAGES = {
    "groups:group-list",
    "groups:group-create",
    "groups:group-detail",
    "groups:proposal-detail",
}
LEAD_PAGES = {
    "groups:group-edit",
    "groups:group-close",
    "groups:group-review",
    "groups:lead-add",
    "groups:proposal-create",
    "groups:proposal-close",
    "groups:decision-create",
}
TEAM_PAGES = {"groups:group-review-list", "groups:group-join"}


def _activity(community):
    lead = community.personas["member"]
    others = [MemberFactory(display_name=name) for name in ("Camille Autre", "Dominique Autre")]
    group = services.group_create(
        actor=lead,
        name="Accueil des arrivant·es",
        description="Mieux accueillir.",
        mandate="## Pourquoi\n\n- un binôme\n- [le guide](https://beta.gouv.fr/)",
        membership=MembershipPolicy.ON_REQUEST,
        chat_url="https://matrix.to/#/#accueil:agent.tchap.gouv.fr",
    )
    group.review_on = timezone.localdate() - datetime.timedelta(days=3)
    group.save(update_fields=["review_on"])
    services.group_join(actor=others[0], group=group, message="Je peux aider.")
    services.group_observe(actor=others[1], group=group)
    proposal = services.proposal_open(
        actor=lead, group=group, question="On adopte le guide ?", closes_on=timezone.localdate()
    )
    services.proposal_answer(actor=lead, proposal=proposal, option="d’accord", reason="Oui.")
    services.decision_record(actor=lead, group=group, title="Un café d’accueil par mois.")
    return group


def _check(page, client, names, start):
    pages = [crawled for crawled in crawl(client, start) if crawled.is_html]
    found = {crawled.name for crawled in pages}
    missing = names - found
    assert not missing, f"not reached from {start}: {sorted(missing)}"
    problems = []
    for crawled in pages:
        if not crawled.name.startswith("groups:"):
            continue
        response = page.goto(crawled.url)
        assert response.status == 200, crawled.url
        problems += accessibility_problems(page)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("persona", ["member", "animation"])
def test_every_group_page_passes_the_accessibility_rules(persona, page, client, sign_in):
    community = build_community()
    group = _activity(community)
    sign_in(community.personas[persona])
    expected = PAGES | (LEAD_PAGES if persona == "member" else TEAM_PAGES)
    start = group.get_absolute_url() if persona == "member" else "/groupes/"
    _check(page, client, expected, start=start)


def test_a_group_form_in_error_stays_accessible(page, sign_in):
    community = build_community()
    sign_in(community.personas["member"])
    page.goto("/groupes/creer/")
    page.get_by_label("Lien du pad").fill("javascript:alert(1)")
    page.get_by_role("button", name="Enregistrer").click()
    errors = page.get_by_role("alert").filter(has_text="Le formulaire contient des erreurs")
    expect(errors).not_to_have_count(0)
    expect(page.get_by_text("commençant par https://")).to_have_count(2)
    assert_accessible(page)
