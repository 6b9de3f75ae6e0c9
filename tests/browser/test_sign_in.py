"""Signing in by magic link, as a new member would: from the home page, through the e-mail, to
the site signed in. Each page on the way passes the accessibility checks."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible
from tests.factories import MemberFactory

pytestmark = pytest.mark.browser

LINK = re.compile(r"https?://\S+?(/connexion/lien/[^/\s]+/)")


def _ask_for_a_link(page, address):
    page.goto("/")
    page.get_by_role("banner").get_by_role("link", name="Se connecter").click()
    page.wait_for_url("**/connexion/")
    assert_accessible(page)
    page.get_by_label("Adresse e-mail").fill(address)
    page.get_by_role("button", name="Recevoir mon lien").click()
    page.wait_for_url("**/connexion/envoye/")


def _header_says_signed_in(page) -> bool:
    return page.get_by_role("banner").get_by_role("link", name="Mon compte").count() == 1


def test_a_member_signs_in_with_the_link_sent_by_e_mail(page, new_page, live_server):
    MemberFactory(email="claire.dupont@beta.gouv.fr", display_name="Claire Dupont")

    _ask_for_a_link(page, "Claire.Dupont@beta.gouv.fr")
    assert page.get_by_role("heading", level=1).inner_text() == "Vérifiez vos e-mails"
    assert_accessible(page)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["claire.dupont@beta.gouv.fr"]
    path = LINK.search(message.body).group(1)

    # Opening the link (as a mail scanner would) does not sign in: it asks for a click.
    response = page.goto(path)
    assert response.status == 200
    assert page.get_by_role("heading", level=1).inner_text() == "Bonjour Claire Dupont"
    assert not _header_says_signed_in(page)
    assert_accessible(page)

    page.get_by_role("main").get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server.url}/")
    assert _header_says_signed_in(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Bonjour Claire"
    assert page.get_by_text("Vous êtes connecté·e").count() == 1
    assert_accessible(page)

    # The link served once: opened again, on this device or another, it is refused.
    for other in (page, new_page()):
        response = other.goto(path)
        assert response.status == 410
        assert other.get_by_role("heading", level=1).inner_text() == "Ce lien ne fonctionne plus"
        assert other.get_by_role("button", name="Se connecter").count() == 0
    assert not _header_says_signed_in(other)
    assert_accessible(other)
    assert urlsplit(other.url).path == path


def test_an_unknown_address_gets_the_same_answer_and_no_e_mail(page):
    MemberFactory(email="claire.dupont@beta.gouv.fr")
    _ask_for_a_link(page, "personne@example.org")
    assert page.get_by_role("heading", level=1).inner_text() == "Vérifiez vos e-mails"
    assert page.get_by_text("personne@example.org").count() == 1
    assert mail.outbox == []


def test_a_mistyped_address_is_explained_next_to_the_field(page):
    page.goto("/connexion/")
    page.get_by_label("Adresse e-mail").fill("claire.dupont")
    page.get_by_role("button", name="Recevoir mon lien").click()
    field = page.get_by_label("Adresse e-mail")
    expect(field).to_have_attribute("aria-invalid", "true")
    summary = page.get_by_role("alert").filter(has_text="Saisissez une adresse e-mail complète")
    expect(summary).to_have_count(1)
    assert_accessible(page)
    assert mail.outbox == []


def test_the_sign_in_helper_really_signs_in(page, sign_in_by_email):
    member = MemberFactory(display_name="Nadia Kaci")
    sign_in_by_email(page, member)
    assert _header_says_signed_in(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Bonjour Nadia"
