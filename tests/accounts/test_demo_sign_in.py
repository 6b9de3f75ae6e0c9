"""DEMO_MODE (on for `make run`): one-click sign-in as the demo personas."""

import pytest

from ruche.members.personas import PERSONAS, PERSONAS_BY_KEY
from tests.factories import MemberFactory

LOGIN = "/connexion/"
DEMO_LOGIN = "/connexion/demo/"


@pytest.fixture
def personas(db):
    return {
        p.key: MemberFactory(betagouv_id=p.betagouv_id, display_name=p.display_name)
        for p in PERSONAS
    }


@pytest.fixture
def demo_mode(settings):
    settings.DEBUG = True
    settings.DEMO_MODE = True


def test_the_sign_in_page_offers_the_four_personas(client, personas, demo_mode):
    page = client.get(LOGIN).text

    assert "Mode démonstration" in page
    for key in ("newcomer", "member", "animation", "admin"):
        persona = PERSONAS_BY_KEY[key]
        assert f'value="{key}"' in page
        assert f"{persona.display_name} — {persona.label}" in page


@pytest.mark.parametrize("key", ["newcomer", "member", "animation", "admin"])
def test_one_click_signs_in_as_the_persona(client, personas, demo_mode, key):
    response = client.post(DEMO_LOGIN, {"persona": key}, follow=True)

    assert response.wsgi_request.user == personas[key]
    assert f"Vous êtes connecté·e en tant que {personas[key].display_name}" in response.text


def test_personas_missing_from_the_database_are_not_offered(client, db, demo_mode):
    page = client.get(LOGIN).text

    assert "Mode démonstration" not in page
    assert client.post(DEMO_LOGIN, {"persona": "member"}).status_code == 404


def test_an_unknown_persona_signs_nobody_in(client, personas, demo_mode):
    response = client.post(DEMO_LOGIN, {"persona": "root"})

    assert response.status_code == 404
    assert "_auth_user_id" not in client.session


def test_without_debug_demo_mode_offers_and_allows_nothing(client, personas, settings):
    settings.DEBUG = False
    settings.DEMO_MODE = True

    assert "Mode démonstration" not in client.get(LOGIN).text
    assert client.post(DEMO_LOGIN, {"persona": "admin"}).status_code == 404
    assert "_auth_user_id" not in client.session
