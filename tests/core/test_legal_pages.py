"""The pages every State service owes its users, linked from the footer of every page."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/connexion/", "/mentions-legales/"])
def test_the_footer_links_the_three_pages_everywhere(client, path):
    page = client.get(path).text
    footer = page.split('id="footer"', 1)[1]

    assert 'href="/accessibilite/">Accessibilité : partiellement conforme<' in footer
    assert 'href="/mentions-legales/">Mentions légales<' in footer
    assert 'href="/donnees-personnelles/">Données personnelles<' in footer
    # The design system's mandatory links of a State site's footer.
    for site in ("info.gouv.fr", "service-public.fr", "legifrance.gouv.fr", "data.gouv.fr"):
        assert f'href="https://www.{site}"' in footer


def test_the_accessibility_statement_has_what_the_rgaa_asks(client):
    page = client.get("/accessibilite/").text

    for required in [
        "<h1>Déclaration d’accessibilité</h1>",
        "État de conformité",
        "partiellement conforme</strong> au référentiel général d’amélioration",
        "Contenus non accessibles",
        "Établissement de cette déclaration",
        "Retour d’information et contact",
        'href="mailto:ruche@beta.gouv.fr"',
        "Voies de recours",
        "Défenseur des droits",
    ]:
        assert required in page


def test_the_legal_notice_names_the_publisher_and_the_host(client):
    page = client.get("/mentions-legales/").text

    assert "<h1>Mentions légales</h1>" in page
    assert "Direction interministérielle du numérique (DINUM)" in page
    assert "Hébergement" in page
    assert 'href="/accessibilite/"' in page


def test_the_privacy_page_says_what_is_kept_why_and_for_how_long(client):
    page = client.get("/donnees-personnelles/").text

    for required in ["Ce que Ruche sait de vous", "Base légale", "Cookies", "Durée de conservation",
                     "Vos droits", "CNIL"]:  # fmt: skip
        assert required in page


def test_the_favicon_is_found_where_browsers_look_for_it(client, db):
    from django.contrib.staticfiles import finders

    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].startswith("/static/")
    assert finders.find(response["Location"].removeprefix("/static/"))
