import csv
import datetime
import io

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from ruche.events.enums import RsvpStatus
from ruche.events.models import Event, Rsvp, ShiftSignup, Speaker
from ruche.events.recurrence import PARIS
from ruche.events.services.events import event_cancel, event_create, event_update
from ruche.events.services.speakers import speaker_invite
from tests.events.factories import EventFactory, ShiftFactory, in_days, register
from tests.events.ics_checks import check_calendar
from tests.factories import IncubatorFactory, MemberFactory
from tests.helpers import assert_constant_queries
from tests.initiatives.html import fragment, text_of

pytestmark = pytest.mark.django_db


def form_time(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_visitors_see_public_events_only(client):
    EventFactory(title="Apéro ouvert", is_public=True)
    EventFactory(title="Réunion interne", is_public=False)
    response = client.get(reverse("events:event-list"))
    assert "Apéro ouvert" in response.text
    assert "Réunion interne" not in response.text
    assert "Connectez-vous pour voir tout l’agenda" in response.text


def test_members_see_every_event_and_filter_them(member_client):
    incubator = IncubatorFactory(title="Fabrique sociale")
    EventFactory(title="Apéro ouvert", is_public=True)
    EventFactory(title="Atelier interne", kind="workshop", is_public=False, incubator=incubator)
    url = reverse("events:event-list")
    assert "Atelier interne" in member_client.get(url).text
    response = member_client.get(url, {"kind": "workshop"})
    assert "Atelier interne" in response.text
    assert "Apéro ouvert" not in response.text
    response = member_client.get(url, {"incubator": incubator.slug})
    assert "Apéro ouvert" not in response.text
    response = member_client.get(url, {"audience": "public"})
    assert "Atelier interne" not in response.text


def test_the_list_says_what_to_do_when_empty(member_client):
    response = member_client.get(reverse("events:event-list"))
    assert "proposez le prochain événement" in response.text


def test_the_list_shows_places_left_and_my_status(member_client, member):
    event = EventFactory(capacity=3)
    register(event, member)
    response = member_client.get(reverse("events:event-list"))
    assert "2 places restantes sur 3" in response.text
    assert "Vous êtes inscrit·e" in response.text


def test_the_list_runs_the_same_queries_for_10_or_200_events(member_client, member):
    organiser = MemberFactory()

    def add(n):
        for _ in range(n):
            event = EventFactory(created_by=organiser, capacity=5)
            register(event, member)

    assert_constant_queries(member_client, reverse("events:event-list"), add)


def test_past_events_list_runs_the_same_queries_for_10_or_200_events(member_client):
    organiser = MemberFactory()

    def add(n):
        for _ in range(n):
            EventFactory(created_by=organiser, start=in_days(-5), end=in_days(-5, hour=20))

    assert_constant_queries(member_client, reverse("events:event-past"), add)


def test_the_month_view_is_a_table_of_the_month(client):
    EventFactory(
        title="Apéro de février",
        start=datetime.datetime(2099, 2, 12, 18, 0, tzinfo=PARIS),
        end=datetime.datetime(2099, 2, 12, 20, 0, tzinfo=PARIS),
    )
    response = client.get(reverse("events:event-month", args=[2099, 2]))
    assert "<caption>" in response.text
    assert "Agenda de février 2099" in response.text
    assert "Apéro de février" in response.text
    assert "1 événement ce mois-ci" in response.text
    assert 'href="/evenements/mois/2099/3/"' in response.text


def test_the_month_view_of_the_current_month_opens_without_a_date(client):
    response = client.get(reverse("events:month-current"))
    assert response.status_code == 200
    assert timezone.localdate().strftime("%Y") in response.text


def test_the_event_page_shows_the_waiting_list_position(member_client, member):
    event = EventFactory(capacity=1, title="Apéro complet")
    register(event, MemberFactory())
    register(event, MemberFactory(), status=RsvpStatus.WAITLISTED)
    response = member_client.get(event.get_absolute_url())
    assert "Complet." in response.text
    assert "M’inscrire sur la liste d’attente" in response.text
    response = member_client.post(reverse("events:rsvp-register", args=[event.pk]), follow=True)
    assert "position 2" in response.text
    assert "Liste d’attente : position 2" in response.text
    assert "Je quitte la liste d’attente" in response.text


def test_registering_and_unregistering_from_the_page(member_client, member):
    event = EventFactory(capacity=10)
    response = member_client.post(reverse("events:rsvp-register", args=[event.pk]), follow=True)
    assert "vous êtes inscrit·e" in response.text
    assert "9 places restantes sur 10" in response.text
    response = member_client.post(reverse("events:rsvp-cancel", args=[event.pk]), follow=True)
    assert "Vous êtes désinscrit·e" in response.text
    assert Rsvp.objects.get().status == RsvpStatus.CANCELLED


def test_registering_to_a_cancelled_event_gets_a_clear_message(member_client):
    event = EventFactory()
    event_cancel(actor=event.created_by, event=event)
    response = member_client.post(reverse("events:rsvp-register", args=[event.pk]), follow=True)
    assert "Cet événement est annulé : les inscriptions sont fermées." in response.text


def test_visitors_are_invited_to_sign_in_to_register(client):
    event = EventFactory(is_public=True)
    response = client.get(event.get_absolute_url())
    assert "Se connecter pour s’inscrire" in response.text


def test_members_only_events_send_visitors_to_sign_in(client):
    event = EventFactory(is_public=False)
    response = client.get(event.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].startswith("/connexion/?next=")


def test_a_member_publishes_an_event_from_the_form(member_client, member):
    start = in_days(12)
    response = member_client.post(
        reverse("events:event-create"),
        {
            "title": "Apéro de printemps",
            "kind": "apero",
            "description": "Avec des **chips**.",
            "start": form_time(start),
            "end": form_time(start + datetime.timedelta(hours=3)),
            "location": "Ségur",
            "capacity": "3",
            "is_public": "on",
        },
    )
    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"] == event.get_absolute_url()
    assert (event.title, event.capacity, event.is_public) == ("Apéro de printemps", 3, True)
    assert event.start == start
    page = member_client.get(event.get_absolute_url()).text
    assert "<strong>chips</strong>" in page
    assert "3 places restantes sur 3" in page


def test_every_bad_input_is_explained_at_once_next_to_its_field(member_client):
    start = in_days(-1)
    response = member_client.post(
        reverse("events:event-create"),
        {
            "title": "",
            "kind": "apero",
            "start": form_time(start),
            "end": form_time(start - datetime.timedelta(hours=1)),
            "location": "Ségur",
            "capacity": "0",
            "repeat": "weekly",
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["title"] == ["Donnez un titre à l’événement."]
    assert errors["end"] == ["La fin doit être après le début."]
    assert "au moins 1" in errors["capacity"][0]
    assert "Une répétition doit avoir une fin" in errors["repeat"][0]
    assert "Donnez un titre à l’événement." in response.text
    assert not Event.objects.exists()


def test_a_past_start_is_explained(member_client):
    start = in_days(-1)
    response = member_client.post(
        reverse("events:event-create"),
        {
            "title": "Apéro",
            "kind": "apero",
            "start": form_time(start),
            "end": form_time(start + datetime.timedelta(hours=1)),
            "location": "Ségur",
        },
    )
    assert "La date de début est passée : choisissez une date à venir." in response.text


def test_a_repetition_without_an_end_is_explained(member_client):
    start = in_days(3)
    response = member_client.post(
        reverse("events:event-create"),
        {
            "title": "Café",
            "kind": "cafe",
            "start": form_time(start),
            "end": form_time(start + datetime.timedelta(hours=1)),
            "location": "Ségur",
            "repeat": "weekly",
        },
    )
    assert response.status_code == 400
    assert "Une répétition doit avoir une fin" in response.text


def test_a_weekly_series_is_published_from_the_form(member_client):
    start = in_days(3, hour=9)
    response = member_client.post(
        reverse("events:event-create"),
        {
            "title": "Café du matin",
            "kind": "cafe",
            "start": form_time(start),
            "end": form_time(start + datetime.timedelta(hours=1)),
            "location": "Ségur",
            "repeat": "weekly",
            "repeat_count": "6",
        },
        follow=True,
    )
    assert Event.objects.count() == 6
    assert "La série est publiée : tous les" in response.text
    assert "Autres dates de la série" in response.text


def test_a_moved_date_says_so_in_the_list_of_dates(member_client, member):
    start = in_days(3, hour=9)
    first = event_create(
        actor=member,
        title="Café du mardi",
        kind="cafe",
        start=start,
        end=start + datetime.timedelta(hours=1),
        location="Ségur",
        recurrence="FREQ=WEEKLY;COUNT=4",
    )
    third = Event.objects.filter(series=first.series).order_by("start")[2]
    event_update(
        actor=member,
        event=third,
        changes={
            "start": third.start + datetime.timedelta(days=1),
            "end": third.end + datetime.timedelta(days=1),
        },
    )
    dates = fragment(member_client.get(first.get_absolute_url()).text, "autres-dates")
    items = [text_of(item) for item in dates.split("<li")[1:]]
    assert len(items) == 3
    assert [("Déplacé" in item) for item in items] == [False, True, False]


def test_organisers_edit_and_cancel_from_the_pages(client, django_capture_on_commit_callbacks):
    organiser = MemberFactory()
    event = EventFactory(created_by=organiser, title="Apéro")
    guest = MemberFactory()
    register(event, guest)
    client.force_login(organiser)
    page = client.get(reverse("events:event-edit", args=[event.pk]))
    assert 'value="Apéro"' in page.text
    response = client.post(
        reverse("events:event-edit", args=[event.pk]),
        {
            "title": "Apéro d’hiver",
            "kind": "apero",
            "start": form_time(event.start),
            "end": form_time(event.end),
            "location": event.location,
        },
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "Apéro d’hiver"
    assert event.sequence == 1
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("events:event-cancel", args=[event.pk]), {"message": "Grève des trains."}
        )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[guest.email]]
    page = client.get(event.get_absolute_url()).text
    assert "Cet événement est annulé" in page
    assert "Grève des trains." in page


def test_organisers_export_the_registrations(client):
    organiser = MemberFactory()
    event = EventFactory(created_by=organiser, capacity=1)
    first = MemberFactory(display_name="=Alice")
    second = MemberFactory(display_name="Bob")
    register(event, first)
    register(event, second, status=RsvpStatus.WAITLISTED)
    client.force_login(organiser)
    response = client.get(reverse("events:event-registrations-csv", args=[event.pk]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Nom", "Adresse e-mail", "Statut", "Position en liste d’attente"]
    assert rows[1][:4] == ["'=Alice", first.email, "Inscrit·e", ""]
    assert rows[2][:4] == ["Bob", second.email, "En liste d’attente", "1"]


def test_organisers_mark_who_came(client):
    organiser = MemberFactory()
    event = EventFactory(created_by=organiser, start=in_days(-1), end=in_days(-1, hour=20))
    came, absent = MemberFactory.create_batch(2)
    register(event, came)
    register(event, absent)
    client.force_login(organiser)
    page = client.get(reverse("events:event-registrations", args=[event.pk])).text
    assert "cochez celles qui sont venues" in page
    client.post(reverse("events:event-registrations", args=[event.pk]), {"present": [came.pk]})
    assert list(Rsvp.objects.filter(attended=True).values_list("member_id", flat=True)) == [came.pk]


def test_a_slot_is_added_taken_and_swapped_from_the_pages(client):
    organiser = MemberFactory()
    event = EventFactory(created_by=organiser, start=in_days(5, hour=9))
    client.force_login(organiser)
    response = client.post(
        reverse("events:event-shifts", args=[event.pk]),
        {"label": "préparer le café", "capacity": "1", "start_time": "08:45", "end_time": "09:15"},
    )
    assert response.status_code == 302
    shift = event.shifts.get()
    assert timezone.localtime(shift.start).strftime("%H:%M") == "08:45"
    volunteer, relief = MemberFactory.create_batch(2)
    client.force_login(volunteer)
    client.post(reverse("events:shift-signup", args=[shift.pk]))
    client.post(reverse("events:shift-swap-offer", args=[shift.pk]), {"offer": "1"})
    client.force_login(relief)
    page = client.get(event.get_absolute_url()).text
    assert "cherche une relève" in page
    assert f"Reprendre la place de {volunteer.display_name}" in page
    signup = ShiftSignup.objects.get()
    response = client.post(reverse("events:shift-swap-accept", args=[signup.pk]), follow=True)
    assert "Vous reprenez ce créneau" in response.text
    assert ShiftSignup.objects.get().member == relief


def test_a_slot_with_bad_times_is_explained(client):
    organiser = MemberFactory()
    event = EventFactory(created_by=organiser)
    client.force_login(organiser)
    response = client.post(
        reverse("events:event-shifts", args=[event.pk]),
        {"label": "accueil", "capacity": "0", "start_time": "09:15", "end_time": "08:45"},
    )
    assert response.status_code == 400
    assert "au moins une personne" in response.text
    assert "après son début" in response.text


def test_an_invited_speaker_answers_without_an_account(client, django_capture_on_commit_callbacks):
    organiser = MemberFactory()
    event = EventFactory(created_by=organiser, title="Causerie")
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("events:event-speakers", args=[event.pk]),
            {"name": "Ada Lovelace", "email": "ada@example.org", "talk_title": "Les machines"},
        )
    link = next(line for line in mail.outbox[0].body.splitlines() if "/intervention/" in line)
    path = link.removeprefix("http://127.0.0.1:8000")
    client.logout()
    page = client.get(path)
    assert page.status_code == 200
    assert "Votre intervention à « Causerie »" in page.text
    response = client.post(path, {"answer": "yes", "bio": "Pionnière de l’informatique."})
    assert response.status_code == 302
    page = client.get(event.get_absolute_url()).text
    assert "Ada Lovelace" in page
    assert "Pionnière de l’informatique." in page


def test_unconfirmed_speakers_are_not_shown_to_members(member_client):
    event = EventFactory()
    speaker_invite(
        actor=event.created_by, event=event, name="Grace Hopper", email="grace@example.org"
    )
    assert "Grace Hopper" not in member_client.get(event.get_absolute_url()).text


def test_my_agenda_gives_a_personal_link_once(member_client, member):
    page = member_client.get(reverse("events:my-agenda"))
    assert "Créer mon lien" in page.text
    response = member_client.post(reverse("events:feed-create"))
    assert "Copiez-le maintenant" in response.text
    url = response.context["feed_url"]
    assert url.startswith("http://testserver/calendrier/")
    assert member_client.get(url.removeprefix("http://testserver")).status_code == 200
    page = member_client.get(reverse("events:my-agenda")).text
    assert "Vous avez un lien actif" in page
    assert url not in page


def test_reminders_can_be_switched_off(member_client, member):
    member_client.post(reverse("events:my-agenda"), {})
    assert member.event_preferences.reminders is False
    member_client.post(reverse("events:my-agenda"), {"reminders": "on"})
    member.event_preferences.refresh_from_db()
    assert member.event_preferences.reminders is True


def test_the_home_page_shows_public_events_to_visitors(client):
    EventFactory(title="Apéro ouvert", is_public=True)
    EventFactory(title="Réunion interne", is_public=False)
    page = client.get("/").text
    assert "Prochains événements publics" in page
    assert "Apéro ouvert" in page
    assert "Réunion interne" not in page


def test_the_home_page_shows_my_next_events_and_slots_and_open_slots(member_client, member):
    mine = EventFactory(title="Mon apéro", is_public=False)
    register(mine, member)
    shift = ShiftFactory(label="faire le café", event=EventFactory(start=in_days(2, hour=9)))
    ShiftSignup.objects.create(shift=shift, member=member)
    ShiftFactory(label="accueillir", event=EventFactory(start=in_days(3, hour=9)))
    page = member_client.get("/").text
    assert "À venir" in page
    assert "Mon apéro" in page
    assert "Créneau « faire le café »" in page
    assert "Coups de main cette semaine" in page
    assert "accueillir" in page


def test_the_agenda_is_in_the_main_navigation(client):
    page = client.get(reverse("events:event-list")).text
    assert 'href="/evenements/" aria-current="page"' in page


def test_an_event_joins_an_initiative_its_organiser_carries(member_client, member):
    from ruche.initiatives.services.lifecycle import initiative_propose

    initiative = initiative_propose(
        actor=member,
        title="Apéros de l’incubateur",
        kind="event",
        summary="Un apéro par mois pour se rencontrer.",
    )
    start = in_days(12)
    form = member_client.get(reverse("events:event-create") + f"?initiative={initiative.pk}")
    assert f'<option value="{initiative.pk}" selected>' in form.text
    member_client.post(
        reverse("events:event-create"),
        {
            "title": "Apéro de mars",
            "kind": "apero",
            "start": form_time(start),
            "end": form_time(start + datetime.timedelta(hours=2)),
            "location": "Ségur",
            "initiative": str(initiative.pk),
        },
    )
    event = Event.objects.get()
    assert event.initiative == initiative
    assert "Apéros de l’incubateur" in member_client.get(event.get_absolute_url()).text
    page = member_client.get(initiative.get_absolute_url()).text
    assert "Événements liés" in page
    assert "Apéro de mars" in page


def test_an_initiative_page_offers_to_organise_an_event_to_those_involved_only(client, animator):
    from ruche.initiatives.services.participation import initiative_join
    from tests.initiatives.factories import InitiativeFactory

    lead, participant, outsider = MemberFactory(), MemberFactory(), MemberFactory()
    initiative = InitiativeFactory(lead=lead, status="looking_for_help")
    initiative_join(actor=participant, initiative=initiative)
    offer = f"{reverse('events:event-create')}?initiative={initiative.pk}"

    def offered_to(member) -> bool:
        client.force_login(member)
        page = client.get(initiative.get_absolute_url())
        assert "Événements liés" in page.text
        return offer in page.text

    assert offered_to(lead)
    assert offered_to(participant)
    assert offered_to(animator)
    assert not offered_to(outsider)


def test_an_event_cannot_join_someone_elses_initiative():
    from django.core.exceptions import ValidationError

    from ruche.initiatives.services.lifecycle import initiative_propose

    lead = MemberFactory()
    initiative = initiative_propose(
        actor=lead, title="Forum des communs", kind="event", summary="Un forum."
    )
    start = in_days(5)
    with pytest.raises(ValidationError) as excinfo:
        event_create(
            actor=MemberFactory(),
            title="Forum",
            kind="forum",
            start=start,
            end=start + datetime.timedelta(hours=2),
            location="Ségur",
            initiative=initiative,
        )
    assert "portent ou ont rejoint" in excinfo.value.message_dict["initiative"][0]


def test_my_account_leads_to_my_agenda_settings(member_client):
    page = member_client.get(reverse("accounts:account")).text
    assert "Gérer mon agenda" in page
    assert reverse("events:my-agenda") in page


def test_organisers_send_an_invitation_again_from_the_speakers_page(
    client, django_capture_on_commit_callbacks
):
    event = EventFactory(title="Causerie")
    speaker = speaker_invite(
        actor=event.created_by, event=event, name="Grace Hopper", email="grace@example.org"
    )
    client.force_login(event.created_by)
    page = client.get(reverse("events:event-speakers", args=[event.pk])).text
    assert "Invitation envoyée le" in page
    assert "Renvoyer l’invitation" in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("events:speaker-reinvite", args=[event.pk, speaker.pk]), follow=True
        )
    assert "Invitation envoyée de nouveau à Grace Hopper" in response.text
    assert [m.to for m in mail.outbox] == [["grace@example.org"]]


def test_editing_a_date_of_a_series_explains_what_can_change(client):
    organiser = MemberFactory()
    start = in_days(3, hour=9)
    first = event_create(
        actor=organiser,
        title="Café",
        kind="cafe",
        start=start,
        end=start + datetime.timedelta(hours=1),
        location="Ségur",
        recurrence="FREQ=WEEKLY;COUNT=4",
    )
    client.force_login(organiser)
    page = client.get(reverse("events:event-edit", args=[first.pk])).text
    assert "Cette date fait partie d’une série : tous les" in page
    assert "La répétition elle-même ne change plus" in page
    assert page.index("Ce que vous changez s’applique à") < page.index("Titre")
    response = client.post(
        reverse("events:event-edit", args=[first.pk]),
        {
            "scope": "series",
            "title": "Café",
            "kind": "cafe",
            "start": form_time(first.start + datetime.timedelta(hours=1)),
            "end": form_time(first.end + datetime.timedelta(hours=1)),
            "location": "Ségur",
        },
    )
    assert response.status_code == 400
    assert "Les dates se changent une par une" in response.text


def test_members_only_events_are_invisible_to_visitors_everywhere(client):
    start = in_days(5)
    secret = EventFactory(title="Réunion interne", is_public=False, start=start)
    EventFactory(title="Bilan interne", is_public=False, start=in_days(-5), end=in_days(-5, 20))
    ShiftFactory(event=secret, label="faire le café")
    local = timezone.localtime(start)
    pages = [
        reverse("events:event-list"),
        reverse("events:event-past"),
        reverse("events:event-month", args=[local.year, local.month]),
        reverse("events:event-feed"),
        "/evenements.ics",
        "/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "interne" not in response.content.decode(), url
    for name in ("events:event-detail", "events:event-ics", "events:event-registrations"):
        response = client.get(reverse(name, args=[secret.pk]))
        assert response.status_code == 302
        assert response["Location"].startswith("/connexion/")
    assert client.get("/api/v1/events").status_code == 401


def test_visitors_see_how_many_volunteers_but_not_who(client):
    event = EventFactory(is_public=True)
    shift = ShiftFactory(event=event, label="préparer le café", capacity=2)
    volunteer = MemberFactory(display_name="Camille Laurent")
    ShiftSignup.objects.create(shift=shift, member=volunteer)
    page = client.get(event.get_absolute_url()).text
    assert "1 sur 2" in page
    assert "Camille Laurent" not in page
    client.force_login(MemberFactory())
    assert "Camille Laurent" in client.get(event.get_absolute_url()).text


def test_the_month_view_is_also_a_list_of_days_for_narrow_screens(client):
    EventFactory(
        title="Apéro de février",
        start=datetime.datetime(2099, 2, 12, 18, 30, tzinfo=PARIS),
        end=datetime.datetime(2099, 2, 12, 20, 0, tzinfo=PARIS),
    )
    page = client.get(reverse("events:event-month", args=[2099, 2])).text
    assert "Jeudi 12 février" in page
    assert page.count("Apéro de février") == 2  # in the list and in the table


def test_my_agenda_lists_what_i_organise_too(member_client, member):
    EventFactory(created_by=member, title="Mon atelier", is_public=False)
    registered = EventFactory(title="L’apéro des autres")
    register(registered, member)
    page = member_client.get(reverse("events:my-agenda")).text
    assert "Mon atelier" in page
    assert "J’organise" in page
    assert "L’apéro des autres" in page


def test_the_event_page_runs_the_same_queries_with_many_registrations_slots_and_speakers(
    client,
):
    organiser = MemberFactory()
    event = EventFactory(created_by=organiser, capacity=500)
    client.force_login(organiser)

    def add(n):
        for index in range(n):
            member = MemberFactory()
            register(event, member)
            if index % 5 == 0:
                shift = ShiftFactory(event=event, capacity=3)
                ShiftSignup.objects.create(shift=shift, member=member)
                speaker_invite(
                    actor=organiser, event=event, name=member.display_name, email=member.email
                )

    assert_constant_queries(client, event.get_absolute_url(), add, few=10, many=60)


def test_the_registrations_page_runs_the_same_queries_for_10_or_200_people(client):
    organiser = MemberFactory()
    event = EventFactory(created_by=organiser, capacity=100)
    client.force_login(organiser)

    def add(n):
        for _ in range(n):
            register(event, MemberFactory())

    url = reverse("events:event-registrations", args=[event.pk])
    assert_constant_queries(client, url, add)


HOSTILE = (
    "<script>alert('x')</script><img src=x onerror=alert(1)> "
    "[clic](javascript:alert(2)) <a href='javascript:alert(3)'>lien</a>"
)


def test_hostile_text_is_inert_on_every_page_and_in_calendars(client):
    organiser = MemberFactory()
    event = EventFactory(
        created_by=organiser, title="<b>Apéro</b><script>x()</script>", description=HOSTILE
    )
    ShiftFactory(event=event, label="<script>cafe()</script>")
    speaker_invite(
        actor=organiser, event=event, name="<i>Ada</i>", email="ada@example.org", bio=HOSTILE
    )
    Speaker.objects.update(status="confirmed")
    client.force_login(organiser)
    pages = [
        event.get_absolute_url(),
        reverse("events:event-list"),
        reverse("events:event-speakers", args=[event.pk]),
        reverse("events:event-shifts", args=[event.pk]),
        reverse("events:event-registrations", args=[event.pk]),
        reverse("events:my-agenda"),
        reverse("events:event-feed"),
    ]
    markers = ["<script>alert", "<script>x()", "<script>cafe", "<img src=x", "<b>Apéro</b>"]
    markers += ["<i>Ada</i>", '<a href="javascript:', "<a href='javascript:"]
    for url in pages:
        text = client.get(url).content.decode()
        for marker in markers:
            assert marker not in text, (url, marker)
    event_cancel(actor=organiser, event=event, message="<script>bye()</script>")
    assert "&lt;script&gt;bye()" in client.get(event.get_absolute_url()).text


def test_calendars_carry_the_description_as_plain_text(client):
    EventFactory(is_public=True, description="Apportez **chips** & boissons <3")
    [vevent] = check_calendar(client.get("/evenements.ics").content).walk("VEVENT")
    assert str(vevent["description"]).startswith("Apportez chips & boissons <3")


def test_mon_compte_leads_to_the_personal_agenda(member_client):
    page = member_client.get(reverse("accounts:account"))
    assert reverse("events:my-agenda") in page.text
    assert "Mon agenda" in page.text
