"""Pages load only the DSFR scripts Ruche uses (ruche/core/dsfr_js.py): what those scripts do
still works — the header's menu and search on a phone, the display settings (colour scheme),
the filters' collapse — and no page reports a JavaScript error (the conftest fails on any)."""

import pytest
from playwright.sync_api import expect

from tests.factories import MemberFactory

pytestmark = pytest.mark.browser


def test_the_header_menu_opens_and_closes_on_a_phone(page):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto("/")
    menu = page.locator("#modal-menu")
    expect(menu).to_be_hidden()
    page.get_by_role("banner").get_by_role("button", name="Menu").click()
    expect(menu).to_be_visible()
    # The header's script copies the tools' links into the menu.
    expect(menu.get_by_role("link", name="Se connecter")).to_be_visible()
    menu.get_by_role("button", name="Fermer").click()
    expect(menu).to_be_hidden()


def test_the_display_settings_switch_the_colour_scheme(page):
    page.goto("/")
    page.get_by_role("button", name="Paramètres d’affichage").click()
    modal = page.locator("#fr-theme-modal")
    expect(modal).to_be_visible()
    modal.get_by_text("Thème sombre").click()
    expect(page.locator("html")).to_have_attribute("data-fr-theme", "dark")


def test_the_filters_collapse_opens_on_a_phone(page, sign_in):
    sign_in(MemberFactory())
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto("/initiatives/")
    filters = page.locator("#filtres")
    expect(filters).to_be_hidden()
    page.get_by_role("button", name="Filtrer et trier").click()
    expect(filters).to_be_visible()
