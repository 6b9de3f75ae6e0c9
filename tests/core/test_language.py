"""The interface is in French (gettext, LocaleMiddleware). English is offered once its catalogue
is translated: until then an « English » page would be French text announced as English."""

import re
import runpy
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

ENGLISH_TRANSLATED = [("fr", "Français"), ("en", "English")]


def lang_of(page: str) -> str:
    return re.search(r'<html[^>]* lang="([^"]+)"', page)[1]


def switches_offered(page: str) -> list[str]:
    return re.findall(r'name="language"\s+value="(\w+)"', page)


@pytest.fixture
def english(settings):
    settings.LANGUAGES = ENGLISH_TRANSLATED


def test_without_an_english_catalogue_pages_stay_french_whatever_the_browser_asks(
    client, db, settings
):
    settings.LANGUAGES = [("fr", "Français")]
    page = client.get("/", headers={"accept-language": "en-GB,en;q=0.9"}).text

    assert lang_of(page) == "fr"
    assert switches_offered(page) == []


def test_pages_are_in_french_by_default(client, db, english):
    page = client.get("/").text

    assert lang_of(page) == "fr"
    assert switches_offered(page) == ["en"]


def test_the_footer_switches_to_english_and_back(client, db, english):
    response = client.post("/langue/", {"language": "en", "next": "/accessibilite/"})

    assert response.status_code == 302
    assert response["Location"] == "/accessibilite/"
    page = client.get("/accessibilite/").text
    assert lang_of(page) == "en"
    assert switches_offered(page) == ["fr"]
    assert ">Français</button>" in page

    client.post("/langue/", {"language": "fr", "next": "/"})
    assert lang_of(client.get("/").text) == "fr"


def test_a_browser_set_to_english_still_gets_french_until_the_member_chooses(client, db, english):
    page = client.get("/", headers={"accept-language": "en-GB,en;q=0.9"}).text
    assert lang_of(page) == "fr"

    client.post("/langue/", {"language": "en", "next": "/"})
    page = client.get("/", headers={"accept-language": "fr-FR,fr;q=0.9"}).text
    assert lang_of(page) == "en"


def test_the_choice_of_english_is_remembered_beyond_the_browser_session(client, db, english):
    response = client.post("/langue/", {"language": "en", "next": "/"})

    assert response.cookies["django_language"]["max-age"] == 60 * 60 * 24 * 365


def test_api_clients_choose_their_language_with_accept_language(client, db, english):
    answer = client.get("/api/v1/me", headers={"accept-language": "en"})

    assert answer.status_code == 401
    assert (
        "Authentication" in answer.json()["detail"] or "authentication" in answer.json()["detail"]
    )


def test_a_language_we_do_not_offer_falls_back_to_french(client, db, english):
    page = client.get("/", headers={"accept-language": "de-DE,de;q=0.9"}).text

    assert lang_of(page) == "fr"


@pytest.mark.parametrize("compiled", [False, True])
def test_english_is_offered_once_its_catalogue_is_compiled(monkeypatch, compiled):
    catalogue = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.mo"
    exists = Path.exists
    monkeypatch.setattr(Path, "exists", lambda p: compiled if p == catalogue else exists(p))
    monkeypatch.setenv("DEBUG", "1")

    languages = runpy.run_path(str(ROOT / "config" / "settings.py"))["LANGUAGES"]

    assert [code for code, _name in languages] == (["fr", "en"] if compiled else ["fr"])


def test_the_error_summary_follows_english_punctuation(member_client, english):
    member_client.post("/langue/", {"language": "en", "next": "/"})

    page = member_client.post("/besoins/nouveau/", {"title": "", "description": ""}).text

    assert lang_of(page) == "en"
    assert re.search(r'<a href="#id_title">[^<:]*[^ ]: ', page), "no “Label: error” in the summary"
    assert not re.search(r'<a href="#id_title">[^<]* : ', page)
