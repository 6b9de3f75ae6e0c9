"""English as a visitor or a member gets it: French by default, English once they press the
language button in the footer, with no French interface text left and dates written in English.

A French string on an English page means a string not marked for translation, or marked but
translated too early (gettext at import time instead of gettext_lazy). Fix it, then run
`make messages`, translate the new entries and commit django.po and django.mo."""

import datetime
import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings

from ruche.events.recurrence import PARIS
from tests.events.factories import EventFactory, ShiftFactory
from tests.factories import MemberFactory
from tests.i18n.po import read
from tests.initiatives.factories import InitiativeFactory, NeedFactory, RoleFactory

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES" / "django.po"
# A Tuesday, far enough ahead to stay upcoming.
START = datetime.datetime(2030, 1, 8, 9, 0, tzinfo=PARIS)


class _Forms(HTMLParser):
    """The forms of a page with their fields and submit buttons."""

    def __init__(self):
        super().__init__()
        self.forms = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attributes.get("action"), "fields": {}, "buttons": []})
        elif self.forms and tag == "input" and attributes.get("name"):
            self.forms[-1]["fields"][attributes["name"]] = attributes.get("value", "")
        elif self.forms and tag == "button" and attributes.get("name"):
            self.forms[-1]["buttons"].append(attributes)


def switch_language(client, page_url: str, code: str):
    """Presses the footer's button for `code` on `page_url`, as a person would."""
    page = client.get(page_url)
    parser = _Forms()
    parser.feed(page.text)
    for form in parser.forms:
        for button in form["buttons"]:
            if button.get("value") == code:
                data = {**form["fields"], button["name"]: button["value"]}
                return client.post(form["action"], data, follow=True)
    raise AssertionError(f"No button for {code!r} in the footer of {page_url}")


def lang_of(page: str) -> str:
    return re.search(r'<html[^>]* lang="([^"]+)"', page)[1]


def visible_text(page: str) -> str:
    """Text and the attributes people hear or see (titles, labels, placeholders)."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    attributes = re.findall(
        r'\b(?:title|aria-label|placeholder|alt|data-confirm|data-copy-done)="([^"]*)"', page
    )
    return html.unescape(re.sub(r"<[^>]+>", "\n", page) + "\n" + "\n".join(attributes))


def french_interface_text(page: str) -> list[str]:
    """Catalogue strings (French) found as they are on the page. Short ones are left out: they
    also occur in member content and proper names ("Apéro", "Design")."""
    text = visible_text(page)
    return [msgid for msgid in _long_msgids() if msgid in text]


_MSGIDS = []


def _long_msgids() -> list[str]:
    if not _MSGIDS:
        for entry in read(CATALOGUE):
            if entry.is_header:
                continue
            for source, translation in zip(
                [entry.msgid, entry.msgid_plural or entry.msgid], entry.translations, strict=False
            ):
                if len(source) >= 14 and source != translation and "%" not in source:
                    _MSGIDS.append(source)
    return _MSGIDS


@pytest.fixture
def community(db):
    """Something on every page: an event with a volunteer slot, an initiative with a role
    answering a need, and a member who leads and organises them."""
    lead = MemberFactory(display_name="Camille Petit")
    need = NeedFactory(author=lead, title="On ne se croise plus")
    initiative = InitiativeFactory(lead=lead, title="Café des équipes", needs=[need])
    RoleFactory(initiative=initiative)
    event = EventFactory(
        created_by=lead,
        title="Café du mardi",
        start=START,
        end=START + datetime.timedelta(hours=1, minutes=30),
    )
    ShiftFactory(event=event)
    return {"lead": lead, "need": need, "initiative": initiative, "event": event}


def member_pages(community) -> list[str]:
    return [
        "/",
        "/membres/",
        community["lead"].get_absolute_url(),
        "/compte/",
        "/compte/profil/",
        "/notifications/",
        "/initiatives/",
        community["initiative"].get_absolute_url(),
        "/initiatives/proposer/",
        "/besoins/",
        community["need"].get_absolute_url(),
        "/evenements/",
        "/evenements/mois/",
        community["event"].get_absolute_url(),
        "/evenements/mon-agenda/",
        "/accessibilite/",
        "/mentions-legales/",
        "/donnees-personnelles/",
    ]


def test_english_is_offered_because_its_catalogue_is_compiled():
    assert [code for code, _name in settings.LANGUAGES] == ["fr", "en"]


def test_pages_are_in_french_until_someone_switches(client, community):
    client.force_login(community["lead"])
    page = client.get("/").text

    assert lang_of(page) == "fr"
    assert "Mon compte" in page


def test_a_member_switches_to_english_from_the_footer_and_every_page_follows(client, community):
    client.force_login(community["lead"])
    switched = switch_language(client, "/initiatives/", "en")

    assert switched.redirect_chain[-1][0] == "/initiatives/"
    problems = []
    for url in member_pages(community):
        response = client.get(url)
        assert response.status_code == 200, url
        if lang_of(response.text) != "en":
            problems.append(f'{url}: <html lang="{lang_of(response.text)}">')
        left = french_interface_text(response.text)
        problems += [f"{url}: French left: {text!r}" for text in left]
    assert not problems, "\n".join(problems)


def test_english_pages_say_the_things_a_member_needs(client, community):
    client.force_login(community["lead"])
    switch_language(client, "/", "en")

    home = client.get("/").text
    event = client.get(community["event"].get_absolute_url()).text
    initiative = client.get(community["initiative"].get_absolute_url()).text
    month = client.get("/evenements/mois/2030/1/").text

    assert "My account" in home
    assert "Sign out" in home
    assert "Tuesday 8 January 2030, 9:00 to 10:30" in event
    assert "Add to my calendar" in event
    assert "Volunteer slots" in event or "Volunteer help" in event
    assert "Idea" in initiative
    assert "Who to contact" in initiative
    assert "Agenda for January 2030" in month
    assert "Tuesday 8 January" in month


def test_french_pages_keep_french_dates(client, community):
    client.force_login(community["lead"])
    event = client.get(community["event"].get_absolute_url()).text

    assert "mardi 8 janvier 2030, de 9 h à 10 h 30" in event


def test_a_visitor_switches_public_pages_to_english_and_back(client, db):
    switch_language(client, "/connexion/", "en")
    for url in ["/", "/connexion/", "/evenements/", "/accessibilite/", "/mentions-legales/"]:
        page = client.get(url).text
        assert lang_of(page) == "en", url
        assert not french_interface_text(page), (url, french_interface_text(page))
    sign_in = client.get("/connexion/").text
    assert "Sign in to Ruche" in sign_in
    assert "Send me my link" in sign_in
    assert ">Français</button>" in sign_in

    switch_language(client, "/connexion/", "fr")
    assert "Se connecter à Ruche" in client.get("/connexion/").text


def test_legal_pages_are_translated(client, db):
    switch_language(client, "/accessibilite/", "en")

    assert "Accessibility statement" in client.get("/accessibilite/").text
    assert "Publisher" in client.get("/mentions-legales/").text
    assert "What Ruche knows about you" in client.get("/donnees-personnelles/").text


def test_the_check_finds_french_interface_text():
    assert french_interface_text("<p>Retour à l’accueil</p>") == ["Retour à l’accueil"]
    assert french_interface_text("<p>Back to home</p>") == []


def test_api_refusals_follow_the_language_asked(client, db):
    english = client.get("/api/v1/me", headers={"accept-language": "en"})
    french = client.get("/api/v1/me")

    assert english.status_code == french.status_code == 401
    assert english.json()["detail"].startswith("Authentication required")
    assert french.json()["detail"].startswith("Authentification requise")
