"""The interface is in French; English can be chosen from the footer (gettext, LocaleMiddleware)."""

import re


def lang_of(page: str) -> str:
    return re.search(r'<html[^>]* lang="([^"]+)"', page)[1]


def test_pages_are_in_french_by_default(client, db):
    page = client.get("/").text

    assert lang_of(page) == "fr"
    assert 'name="language" value="en"' in page


def test_the_footer_switches_to_english_and_back(client, db):
    response = client.post("/langue/", {"language": "en", "next": "/accessibilite/"})

    assert response.status_code == 302
    assert response["Location"] == "/accessibilite/"
    page = client.get("/accessibilite/").text
    assert lang_of(page) == "en"
    assert 'name="language" value="fr"' in page

    client.post("/langue/", {"language": "fr", "next": "/"})
    assert lang_of(client.get("/").text) == "fr"


def test_a_browser_asking_for_english_gets_it(client, db):
    page = client.get("/", headers={"accept-language": "en-GB,en;q=0.9"}).text

    assert lang_of(page) == "en"


def test_a_language_we_do_not_offer_falls_back_to_french(client, db):
    page = client.get("/", headers={"accept-language": "de-DE,de;q=0.9"}).text

    assert lang_of(page) == "fr"
