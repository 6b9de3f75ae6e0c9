"""The strict Content-Security-Policy and the security headers, checked on the HTTP answers of
every page a visitor or a persona can reach (tests/helpers.py `crawl`), and on the pages only
reached by submitting a form. The browser tests prove the same policy holds when pages run."""

import datetime
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.utils import timezone

from ruche.accounts.models import MagicLink
from ruche.core.secrets import hash_secret, new_secret
from tests.factories import MemberFactory
from tests.helpers import PERSONA_KEYS, build_community, crawl

NOT_EXECUTED = {"application/json", "application/ld+json", "importmap"}


class _Markup(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts = []  # (attributes, has inline code)
        self.handlers = []
        self.styles = []
        self.javascript_urls = []
        self._open_script = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append(f"<{tag} {name}=…>")
            if name == "style":
                self.styles.append(f'<{tag} style="{value}">')
            if name in ("href", "src", "action", "formaction") and (
                value or ""
            ).strip().lower().startswith("javascript:"):
                self.javascript_urls.append(f"<{tag} {name}={value}>")
        if tag == "script":
            self._open_script = [attributes, ""]
            self.scripts.append(self._open_script)

    def handle_data(self, data):
        if self._open_script is not None:
            self._open_script[1] += data

    def handle_endtag(self, tag):
        if tag == "script":
            self._open_script = None


def policy_of(response) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy", "")
    directives = {}
    for directive in filter(None, (part.strip() for part in header.split(";"))):
        name, *values = directive.split()
        directives[name] = values
    return directives


def csp_problems(url: str, response) -> list[str]:
    problems = []
    policy = policy_of(response)
    script_src = policy.get("script-src", [])
    nonces = [value[len("'nonce-") : -1] for value in script_src if value.startswith("'nonce-")]
    if not script_src:
        problems.append(f"{url}: no script-src in the Content-Security-Policy")
    if not nonces:
        problems.append(f"{url}: script-src has no nonce: {script_src}")
    for unsafe in ("'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:"):
        if unsafe in script_src:
            problems.append(f"{url}: script-src allows {unsafe}")
    if policy.get("frame-ancestors") != ["'none'"]:
        problems.append(f"{url}: frame-ancestors is {policy.get('frame-ancestors')}")
    if policy.get("object-src") != ["'none'"]:
        problems.append(f"{url}: object-src is {policy.get('object-src')}")
    markup = _Markup()
    markup.feed(response.content.decode())
    for attributes, code in markup.scripts:
        if attributes.get("type") in NOT_EXECUTED:
            continue
        source = attributes.get("src")
        if source is None and attributes.get("nonce") not in nonces:
            problems.append(f"{url}: inline <script> without the page's nonce: {code[:60]!r}")
        if source and source.startswith(("http:", "https:", "//")):
            problems.append(f"{url}: script from another site: {source}")
    problems += [f"{url}: event handler attribute {found}" for found in markup.handlers]
    problems += [f"{url}: style attribute {found}" for found in markup.styles]
    problems += [f"{url}: javascript: URL {found}" for found in markup.javascript_urls]
    return problems


def header_problems(url: str, response) -> list[str]:
    expected = {
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "X-Frame-Options": "DENY",
    }
    return [
        f"{url}: {name} is {response.get(name)!r}, expected {value!r}"
        for name, value in expected.items()
        if response.get(name) != value
    ]


def page_problems(pages) -> list[str]:
    problems = []
    for url, response in pages:
        problems += header_problems(url, response)
        if response.get("Content-Type", "").startswith("text/html"):
            problems += csp_problems(url, response)
    return problems


@pytest.mark.parametrize("persona", [None, *PERSONA_KEYS])
def test_every_page_has_a_strict_policy_and_the_security_headers(client, db, persona):
    community = build_community()
    if persona:
        client.force_login(community.personas[persona])
    crawled = crawl(client)
    assert len(crawled) >= 5
    problems = page_problems((page.url, page.response) for page in crawled)
    assert not problems, "\n".join(problems)


def test_pages_reached_through_forms_have_the_policy_too(client, db):
    member = MemberFactory()
    secret = new_secret()
    MagicLink.objects.create(
        member=member,
        token_hash=hash_secret(secret),
        expires_at=timezone.now() + datetime.timedelta(minutes=15),
    )
    answers = [
        ("sign-in form in error", client.post("/connexion/", {"email": "pas une adresse"})),
        ("link sent", client.post("/connexion/", {"email": member.email}, follow=True)),
        ("magic link", client.get(f"/connexion/lien/{secret}/")),
        ("used link", client.get("/connexion/lien/inconnu/")),
    ]
    client.force_login(member)
    answers += [
        ("profile in error", client.post("/compte/profil/", {"display_name": ""})),
        ("new API token", client.post("/compte/", {"name": "Export"})),
        ("token form in error", client.post("/compte/", {"name": ""})),
        ("unknown page", client.get("/membres/999999/")),
    ]
    statuses = [response.status_code for _name, response in answers]
    assert statuses == [400, 200, 200, 410, 400, 200, 400, 404]
    assert not page_problems(answers)


def test_the_api_docs_page_runs_no_inline_script(client, db):
    response = client.get("/api/v1/docs")
    script_src = policy_of(response)["script-src"]
    assert "'unsafe-inline'" not in script_src
    assert "'unsafe-eval'" not in script_src
    markup = _Markup()
    markup.feed(response.text)
    inline = [
        code
        for attributes, code in markup.scripts
        if "src" not in attributes and attributes.get("type") not in NOT_EXECUTED
    ]
    assert inline == []
    assert markup.handlers == []
    assert header_problems("/api/v1/docs", response) == []


def test_every_cookie_the_site_sets_is_out_of_reach_of_scripts(client, db):
    member = MemberFactory()
    secret = new_secret()
    MagicLink.objects.create(
        member=member,
        token_hash=hash_secret(secret),
        expires_at=timezone.now() + datetime.timedelta(minutes=15),
    )
    cookies = {}
    for response in (
        client.get("/connexion/"),  # CSRF token
        client.post("/connexion/", {"email": member.email}),  # session
        client.post(f"/connexion/lien/{secret}/"),  # new session, message
        client.post("/langue/", {"language": "en", "next": "/"}),  # language
    ):
        cookies.update(response.cookies)
    assert {
        settings.CSRF_COOKIE_NAME,
        settings.SESSION_COOKIE_NAME,
        settings.LANGUAGE_COOKIE_NAME,
        "messages",
    } <= set(cookies)
    readable = [name for name, morsel in cookies.items() if not morsel["httponly"]]
    assert readable == []
    lax = {name: morsel["samesite"] for name, morsel in cookies.items()}
    assert all(value.lower() in ("lax", "strict") for value in lax.values()), lax


def test_the_policy_check_catches_what_it_should():
    class Answer(dict):
        content = (
            b'<script>alert(1)</script><script nonce="abc" src="/static/x.js"></script>'
            b'<a href="javascript:void(0)" onclick="x()">x</a><p style="color:red">p</p>'
        )

    answer = Answer({"Content-Security-Policy": "script-src 'self' 'nonce-abc' 'unsafe-inline'"})
    found = "\n".join(csp_problems("/x", answer))
    assert "script-src allows 'unsafe-inline'" in found
    assert "inline <script> without the page's nonce: 'alert(1)'" in found
    assert "event handler attribute <a onclick=…>" in found
    assert "style attribute" in found
    assert "javascript: URL" in found
    assert "frame-ancestors" in found
    assert "x.js" not in found


def test_design_system_scripts_carry_the_page_nonce(client, db):
    import re

    response = client.get("/")
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    dsfr_scripts = re.findall(r"<script[^>]*dsfr[^>]*>", response.text)
    assert dsfr_scripts
    assert all(f'nonce="{nonce}"' in tag for tag in dsfr_scripts)
