"""Playwright on Debian's Chromium against a live server.

One browser for the whole run; each test gets a fresh context (cookies) and page. Every page
listens for Content-Security-Policy violations, JavaScript errors and errors reported in the
console: any of them fails the test, which is how the strict CSP is proven on every page a test
visits. Tests in this folder are marked `browser` (`-m "not browser"` leaves them out).

Signing in: `sign_in(member)` hands the browser a session made by Django's test client (fast);
`sign_in_by_email(page, member)` goes through the real magic link, as a person would.

Reading the page (`count()`, `inner_text()`, `is_visible()`, `page.url`…) sees it as it is at
that instant: after an action that navigates, submits a form or has htmx swap a block, tests wait
for what the answer shows (`expect(...)`, which retries, or `locator.wait_for()`) before reading
anything, or checking the database. `expect` waits as long as actions and page loads do: 30 s,
a deadline that a loaded machine may need (a first page there can take over 10 s), and that a
passing test never waits for.

Chromium is found through CHROMIUM_PATH or `chromium` on the PATH. Without it the browser tests
are skipped, except on CI (CI=true), where they fail: CI must install it.
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

# The contexts' default timeout (actions, page loads) and expect's (5 s by default).
TIMEOUT_MS = 30_000
expect.set_options(timeout=TIMEOUT_MS)

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Reported by the page itself, before any console message: the violated directive and what
# was blocked, readable in the failure.
_CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(
    "CSP violation: " + event.effectiveDirective + " blocked " + (event.blockedURI || "inline")
    + " at " + event.sourceFile + ":" + event.lineNumber
  );
});
"""


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


def _chromium_path() -> str | None:
    return (
        os.environ.get("CHROMIUM_PATH")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


@pytest.fixture(scope="session")
def _playwright():
    path = _chromium_path()
    if path is None:
        reason = (
            "Chromium not found (set CHROMIUM_PATH or install Debian's `chromium` package): "
            "browser tests need it."
        )
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop registered as running in this thread, which
    # Django would take for async code and refuse database access from.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    manager = sync_playwright()
    playwright = manager.start()
    try:
        yield playwright, path
    finally:
        manager.__exit__(None, None, None)
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser(_playwright):
    playwright, path = _playwright
    browser = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


class PageProblems:
    """What went wrong in the browser while a test ran: CSP violations, uncaught exceptions,
    console errors. A document answered with an error status also logs a console error; tests
    assert such statuses themselves, so those are left out."""

    def __init__(self):
        self.items = []
        self._document_urls = set()

    def on_response(self, response):
        if response.request.resource_type == "document":
            self._document_urls.add(response.url.split("#")[0])

    def on_console(self, message):
        if message.type != "error":
            return
        url = message.location.get("url", "")
        failed = message.text.startswith("Failed to load resource")
        if failed and url.split("#")[0] in self._document_urls:
            return
        self.items.append(f"console error: {message.text} ({url})")

    def on_page_error(self, error):
        self.items.append(f"JavaScript error: {error}")

    def check(self):
        """Fails the test if anything went wrong so far (and forgets it)."""
        items, self.items = self.items, []
        assert not items, "The browser reported problems:\n" + "\n".join(items)


@pytest.fixture
def page_problems():
    return PageProblems()


@pytest.fixture
def browser_context(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        locale="fr-FR",
        timezone_id="Europe/Paris",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def page(browser_context, page_problems):
    page = browser_context.new_page()
    page.add_init_script(_CSP_LISTENER)
    page.on("response", page_problems.on_response)
    page.on("console", page_problems.on_console)
    page.on("pageerror", page_problems.on_page_error)
    yield page
    page_problems.check()


@pytest.fixture
def new_page(browser, live_server, page_problems):
    """Opens pages in other, fresh browser contexts (another device, nobody signed in)."""
    contexts = []

    def open_page():
        context = browser.new_context(base_url=live_server.url, locale="fr-FR")
        contexts.append(context)
        other = context.new_page()
        other.add_init_script(_CSP_LISTENER)
        other.on("response", page_problems.on_response)
        other.on("console", page_problems.on_console)
        other.on("pageerror", page_problems.on_page_error)
        return other

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def sign_in(client, browser_context, live_server):
    """Signs the browser in as `member` without going through the e-mail: a session made by
    Django's test client, its cookie handed to the browser (the sign-in journey itself is
    tested in test_sign_in.py)."""

    def sign_in_as(member):
        browser_context.clear_cookies()
        client.force_login(member)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        browser_context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": cookie.value,
                    "url": live_server.url,
                    "httpOnly": True,
                    "sameSite": "Lax",
                }
            ]
        )
        return client

    return sign_in_as


@pytest.fixture
def sign_in_by_email(live_server):
    """Signs `page` in as `member` the way a person does: asks for a link, reads it in the
    e-mail sent, opens it and confirms."""
    from django.core import mail

    def sign_in(page, member):
        sent = len(mail.outbox)
        page.goto("/connexion/")
        page.get_by_label("Adresse e-mail").fill(member.email)
        page.get_by_role("button", name="Recevoir mon lien").click()
        page.wait_for_url("**/connexion/envoye/")
        assert len(mail.outbox) == sent + 1, "no sign-in e-mail was sent"
        path = re.search(r"/connexion/lien/[^/\s]+/", mail.outbox[-1].body).group(0)
        page.goto(path)
        page.get_by_role("main").get_by_role("button", name="Se connecter").click()
        # Until the browser has left the link's page, nobody is signed in yet.
        page.wait_for_url(lambda url: "/connexion/" not in url)
        return page

    return sign_in
