"""The accessibility crawl again, in English: a visitor or a member who chose English in the
footer gets pages announced as English (lang="en", so screen readers pronounce them right) that
pass the same rules as the French ones."""

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import accessibility_problems
from tests.helpers import build_community, crawl

pytestmark = pytest.mark.browser


def choose_english(page):
    page.goto("/")
    page.get_by_role("contentinfo").get_by_role("button", name="English").click()
    # The French page is loaded already: wait for the English one that replaces it.
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.wait_for_load_state()


@pytest.mark.parametrize("persona", [None, "member", "animation"])
def test_english_pages_pass_the_accessibility_rules(persona, page, page_problems, client, sign_in):
    community = build_community()
    if persona is not None:
        sign_in(community.personas[persona])
    choose_english(page)
    pages = [crawled for crawled in crawl(client) if crawled.is_html]
    problems = []
    for crawled in pages:
        response = page.goto(crawled.url)
        assert response.status == 200, f"{crawled.url} answered {response.status} in the browser"
        problems += accessibility_problems(page, lang="en")
        page_problems.check()
    assert len(pages) > 5
    assert not problems, (
        f"In English, as {persona or 'a visitor'}, {len(pages)} pages crawled; accessibility "
        "problems:\n" + "\n".join(problems)
    )
