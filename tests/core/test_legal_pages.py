"""The pages every State service owes its users, linked from the footer of every page."""

import os

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


def test_the_legal_notice_names_the_publisher_the_director_and_the_host(client):
    page = client.get("/mentions-legales/").text

    assert "<h1>Mentions légales</h1>" in page
    assert (
        "Ruche est édité par Direction interministérielle du numérique (DINUM), 20 avenue de "
        "Ségur, 75007 Paris"
    ) in page
    assert "Stéphanie Schaer, directrice interministérielle du numérique" in page
    assert "Ruche est hébergé par Scalingo SAS, 15 avenue du Rhin, 67100 Strasbourg." in page
    assert "La personne qui dirige" not in page
    assert "registre des traitements" not in page
    assert 'href="/accessibilite/"' in page


def test_an_operator_sets_the_legal_notice_from_the_environment(client, settings):
    settings.LEGAL_PUBLISHER = "Incubateur des territoires"
    settings.LEGAL_PUBLISHER_ADDRESS = "1 place du Marché, 69001 Lyon"
    settings.LEGAL_DIRECTOR = "Camille Martin, directrice"
    settings.LEGAL_HOST_NAME = "OVH"
    settings.LEGAL_HOST_ADDRESS = "2 rue Kellermann, 59100 Roubaix"

    page = client.get("/mentions-legales/").text

    assert "édité par Incubateur des territoires, 1 place du Marché, 69001 Lyon" in page
    assert "Camille Martin, directrice" in page
    assert "hébergé par OVH, 2 rue Kellermann, 59100 Roubaix." in page
    assert "Scalingo" not in page


def test_the_legal_notice_variables_are_read_from_the_environment():
    from tests.helpers import run_probe

    env = {
        **os.environ,
        "DEBUG": "1",
        "LEGAL_HOST_NAME": "Hébergeur de test",
        "LEGAL_DIRECTOR": "Dominique Test",
        "PROBE_SETTINGS": "LEGAL_HOST_NAME,LEGAL_DIRECTOR,LEGAL_PUBLISHER",
    }
    found = run_probe("tests/core/settings_probe.py", env)
    assert found["LEGAL_HOST_NAME"] == "Hébergeur de test"
    assert found["LEGAL_DIRECTOR"] == "Dominique Test"
    assert found["LEGAL_PUBLISHER"] == "Direction interministérielle du numérique (DINUM)"


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
