"""The agenda as members live it, in a real browser: an apéro fills up and its waiting list
moves; calendars follow; a coffee rota slot is taken and handed over."""

import datetime
import re

import icalendar
import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible
from tests.events.factories import in_days
from tests.factories import MemberFactory

pytestmark = pytest.mark.browser


def _local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _main(page):
    return page.get_by_role("main")


def _summaries(body: bytes) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(body)
    return {str(event["summary"]): event for event in calendar.walk("VEVENT")}


def _personal_feed_url(page) -> str:
    page.goto("/")
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Agenda").click()
    page.get_by_role("link", name="Mon agenda").click()
    _main(page).get_by_role("button", name="Créer mon lien").click()
    link = page.locator("#personal-feed")
    link.wait_for()
    assert_accessible(page)
    return link.inner_text().strip()


def test_an_apero_fills_up_and_the_waiting_list_moves_up(page, new_page, sign_in):
    organiser = MemberFactory(display_name="Olivia Organisatrice")
    guests = [
        MemberFactory(display_name=name)
        for name in ("Alix Martin", "Basile Petit", "Cyrine Haddad", "Dora Lefèvre")
    ]

    # The organiser publishes a 3-place apéro from the agenda.
    sign_in(organiser)
    page.goto("/")
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Agenda").click()
    _main(page).get_by_role("link", name="Proposer un événement").first.click()
    start = in_days(10, hour=18)
    page.get_by_label("Titre").fill("Apéro de printemps")
    page.get_by_label("Type d’événement").select_option(label="Apéro")
    page.get_by_label("Début").fill(_local(start))
    page.get_by_label("Fin", exact=False).first.fill(_local(start + datetime.timedelta(hours=3)))
    page.get_by_label("Lieu").fill("20 avenue de Ségur, Paris")
    page.get_by_label("Nombre de places").fill("3")
    page.get_by_label("Événement public").check(force=True)  # DSFR draws the box on the label
    page.get_by_role("button", name="Publier l’événement").click()
    page.wait_for_url(re.compile(r"/evenements/\d+/$"))
    event_url = page.url
    assert page.get_by_text("L’événement est publié.").count() == 1
    assert page.get_by_text("3 places restantes sur 3.").count() == 1
    assert_accessible(page)

    # Four members register: the fourth goes on the waiting list.
    for index, guest in enumerate(guests):
        sign_in(guest)
        page.goto(event_url)
        _main(page).get_by_role("button", name=re.compile("Je m’inscris|liste d’attente")).click()
        # The answer comes back to the event's page, where the browser already is: the URL
        # alone does not tell it is there, what it says does.
        if index < 3:
            expect(page.get_by_text("C’est noté : vous êtes inscrit·e.")).to_have_count(1)
        else:
            expect(page.get_by_text("Liste d’attente : position 1")).to_have_count(1)
            expect(page.get_by_text("Complet.")).to_have_count(1)
            assert_accessible(page)
        expect(page).to_have_url(event_url)

    # One of them cancels: the first waiting is promoted, and told by e-mail.
    mail.outbox.clear()
    sign_in(guests[1])
    page.goto(event_url)
    _main(page).get_by_role("button", name="Je me désinscris").click()
    expect(page.get_by_text("Vous êtes désinscrit·e")).to_have_count(1)
    expect(page).to_have_url(event_url)
    assert [message.to for message in mail.outbox] == [[guests[3].email]]
    assert "Une place s’est libérée" in mail.outbox[0].subject
    assert "Apéro de printemps" in mail.outbox[0].subject
    sign_in(guests[3])
    page.goto(event_url)
    assert _main(page).get_by_text("Vous êtes inscrit·e", exact=True).count() == 1
    assert _main(page).get_by_role("button", name="Je me désinscris").count() == 1

    # Calendars show it: the public agenda, the member's own feed (read by a calendar client,
    # with no session), and the event's own file.
    public = _summaries(page.request.get("/evenements.ics").body())
    assert public["Apéro de printemps"].start == start
    feed_url = _personal_feed_url(page)
    assert "/calendrier/" in feed_url
    calendar_client = new_page()
    response = calendar_client.request.get(feed_url)
    assert response.status == 200
    mine = _summaries(response.body())
    assert mine["Apéro de printemps"]["status"] == "CONFIRMED"
    assert str(mine["Apéro de printemps"]["uid"]) == str(public["Apéro de printemps"]["uid"])
    page.goto(event_url)
    download = _main(page).get_by_role("link", name="Ajouter à mon agenda")
    single = page.request.get(download.get_attribute("href"))
    assert single.headers["content-type"] == "text/calendar; charset=utf-8"
    assert "Apéro de printemps" in _summaries(single.body())


def test_a_coffee_rota_slot_is_taken_and_swapped(page, new_page, sign_in):
    organiser = MemberFactory(display_name="Inès Animatrice")
    volunteer = MemberFactory(display_name="Victor Volontaire")
    relief = MemberFactory(display_name="Rose Relève")

    # A weekly coffee, with a slot on every date.
    sign_in(organiser)
    page.goto("/evenements/nouveau/")
    start = in_days(6, hour=9)
    page.get_by_label("Titre").fill("Café du matin")
    page.get_by_label("Type d’événement").select_option(label="Café")
    page.get_by_label("Début").fill(_local(start))
    page.get_by_label("Fin", exact=False).first.fill(_local(start + datetime.timedelta(hours=1)))
    page.get_by_label("Lieu").fill("Ségur, 5e étage")
    page.get_by_label("Répétition").select_option(label="Toutes les semaines")
    page.get_by_role("spinbutton", name=re.compile("Nombre de fois")).fill("4")
    page.get_by_role("button", name="Publier l’événement").click()
    page.wait_for_url(re.compile(r"/evenements/\d+/$"))
    event_url = page.url
    assert page.get_by_text(re.compile("La série est publiée : tous les .+, 4 fois")).count() == 1
    _main(page).get_by_role("link", name="Créneaux bénévoles").click()
    page.get_by_label("Tâche").fill("préparer le café")
    page.get_by_label("Nombre de personnes").fill("1")
    page.get_by_label("Heure de début").fill("08:45")
    page.get_by_label("Heure de fin").fill("09:15")
    page.get_by_label("Ajouter ce créneau à toutes les dates à venir de la série").check(force=True)
    page.get_by_role("button", name="Ajouter le créneau").click()
    expect(page.get_by_text("Créneau ajouté à 4 dates.")).to_have_count(1)
    assert_accessible(page)

    # A member takes the slot, then offers it; another member takes it over.
    sign_in(volunteer)
    page.goto(event_url)
    slots = page.get_by_role("list", name="Coups de main bénévoles")
    slots.get_by_role("button", name="Je prends ce créneau « préparer le café »").click()
    expect(page.get_by_text("Merci ! Le créneau est à vous.")).to_have_count(1)
    page.get_by_role("button", name="Proposer un échange pour « préparer le café »").click()
    expect(page.get_by_text("cherche une relève")).to_have_count(1)
    assert_accessible(page)
    mail.outbox.clear()
    sign_in(relief)
    page.goto(event_url)
    page.get_by_role("button", name="Reprendre la place de Victor Volontaire").click()
    expect(page.get_by_text("Merci ! Vous reprenez ce créneau.")).to_have_count(1)
    slots = page.get_by_role("list", name="Coups de main bénévoles")
    expect(slots.get_by_text("Rose Relève")).to_have_count(1)
    expect(slots.get_by_text("Victor Volontaire")).to_have_count(0)
    assert [message.to for message in mail.outbox] == [[volunteer.email]]
    assert "Rose Relève reprend votre créneau" in mail.outbox[0].subject

    # The slot is now in the relief's calendar.
    feed_url = _personal_feed_url(page)
    mine = _summaries(new_page().request.get(feed_url).body())
    assert "Créneau : préparer le café — Café du matin" in mine
