"""The accessibility crawl: signed out and as each demo persona, every kind of page reachable
from the header, the footer and the pages they lead to (tests/helpers.py `crawl`) passes axe-core
with the WCAG 2.1 A/AA rules and has the structure every page needs. A page added by a later
issue is covered as soon as something links to it."""

import time

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import accessibility_problems, assert_accessible
from tests.helpers import FORM_PAGES, PERSONA_KEYS, build_community, crawl

pytestmark = pytest.mark.browser


def _crawl_in_browser(page, page_problems, client, also=()):
    pages = [crawled for crawled in crawl(client, also=also) if crawled.is_html]
    problems = []
    for crawled in pages:
        response = page.goto(crawled.url)
        assert response.status == 200, f"{crawled.url} answered {response.status} in the browser"
        problems += accessibility_problems(page)
        page_problems.check()
    return pages, problems


@pytest.mark.parametrize("persona", [None, *PERSONA_KEYS])
def test_every_page_passes_the_accessibility_rules(persona, page, page_problems, client, sign_in):
    community = build_community()
    if persona is not None:
        sign_in(community.personas[persona])
    started = time.monotonic()
    also = FORM_PAGES if persona is not None else ()
    pages, problems = _crawl_in_browser(page, page_problems, client, also)
    names = {crawled.name for crawled in pages}
    assert "core:accessibility" in names
    if persona is not None:
        assert {
            "core:search",
            "members:member-list",
            "members:member-detail",
            "members:startup-list",
            "members:startup-detail",
            "members:incubator-list",
            "members:incubator-detail",
            "members:profile-edit",
            "notifications:list",
            "notifications:preferences",
            "notifications:digest",
            "accounts:account",
            "accounts:my-data",
        } <= names
    if persona == "animation":
        assert "initiatives:moderation" in names  # from the menu and the home page
    assert not problems, (
        f"As {persona or 'a visitor'}, {len(pages)} pages crawled in "
        f"{time.monotonic() - started:.1f} s; accessibility problems:\n" + "\n".join(problems)
    )


def test_pages_in_error_stay_accessible(page, client, sign_in):
    """Error summaries, fields in error and error pages are where markup most often goes
    wrong."""
    community = build_community()
    sign_in(community.personas["member"])
    page.goto("/compte/profil/")
    page.get_by_label("Nom affiché").fill("")
    page.get_by_role("button", name="Enregistrer").click()
    errors = page.get_by_role("alert").filter(has_text="Le formulaire contient des erreurs")
    expect(errors).not_to_have_count(0)
    assert_accessible(page)
    page.goto("/compte/")
    page.get_by_role("button", name="Créer le jeton").click()
    expect(page.get_by_text("Donnez un nom au jeton")).not_to_have_count(0)
    assert_accessible(page)
    page.goto("/compte/donnees/")
    page.get_by_label("Pour confirmer, tapez votre adresse e-mail").fill("pas-moi@example.org")
    page.get_by_role("button", name="Supprimer définitivement mon compte").click()
    expect(page.get_by_text("Tapez exactement votre adresse e-mail")).not_to_have_count(0)
    assert_accessible(page)
    assert page.goto("/membres/999999/").status == 404
    assert_accessible(page)


def test_the_checks_catch_a_faulty_page(page):
    """The crawl is only worth something if its checks can fail."""
    page.goto("/")
    page.evaluate(
        """() => {
          const main = document.getElementById("content");
          main.insertAdjacentHTML(
            "beforeend", '<h1>Deux</h1><h4>Trop bas</h4><input type="text" id="nolabel">'
          );
          document.documentElement.setAttribute("lang", "en");
        }"""
    )
    problems = "\n".join(accessibility_problems(page))
    assert "2 <h1>" in problems
    assert 'lang="en"' in problems
    assert "label" in problems
    assert "heading-order" in problems
