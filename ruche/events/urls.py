from django.urls import path

from ruche.events.views import agenda, calendars, events, registrations, shifts, speakers

app_name = "events"

urlpatterns = [
    path("evenements/", agenda.event_list, name="event-list"),
    path("evenements/passes/", agenda.event_past, name="event-past"),
    path("evenements/mois/", agenda.event_month, name="month-current"),
    path("evenements/mois/<int:year>/<int:month>/", agenda.event_month, name="event-month"),
    path("evenements/abonnement/", agenda.subscribe, name="subscribe"),
    path("evenements/nouveau/", events.event_create, name="event-create"),
    path("evenements/flux.atom", calendars.event_feed, name="event-feed"),
    path("evenements.ics", calendars.public_calendar, name="public-calendar"),
    path("groupes/<slug:slug>/agenda.ics", calendars.group_calendar, name="group-calendar"),
    path("calendrier/<str:secret>.ics", calendars.personal_calendar, name="personal-calendar"),
    path("evenements/mon-agenda/", calendars.my_agenda, name="my-agenda"),
    path("evenements/mon-agenda/lien/", calendars.feed_create, name="feed-create"),
    path("evenements/mon-agenda/lien/revoquer/", calendars.feed_revoke, name="feed-revoke"),
    path("evenements/<int:pk>/", events.event_detail, name="event-detail"),
    path("evenements/<int:pk>/modifier/", events.event_edit, name="event-edit"),
    path("evenements/<int:pk>/annuler/", events.event_cancel, name="event-cancel"),
    path("evenements/<int:pk>/inscription/", registrations.rsvp_register, name="rsvp-register"),
    path("evenements/<int:pk>/desinscription/", registrations.rsvp_cancel, name="rsvp-cancel"),
    path(
        "evenements/<int:pk>/inscrits/",
        registrations.event_registrations,
        name="event-registrations",
    ),
    path(
        "evenements/<int:pk>/inscrits.csv",
        registrations.event_registrations_csv,
        name="event-registrations-csv",
    ),
    path("evenements/<int:pk>/agenda.ics", calendars.event_ics, name="event-ics"),
    path("evenements/<int:pk>/serie.ics", calendars.series_ics, name="series-ics"),
    path("evenements/<int:pk>/intervenants/", speakers.event_speakers, name="event-speakers"),
    path(
        "evenements/<int:pk>/intervenants/<int:speaker_pk>/relancer/",
        speakers.speaker_reinvite,
        name="speaker-reinvite",
    ),
    path(
        "evenements/<int:pk>/intervenants/<int:speaker_pk>/retirer/",
        speakers.speaker_remove,
        name="speaker-remove",
    ),
    path("evenements/<int:pk>/creneaux/", shifts.event_shifts, name="event-shifts"),
    path("creneaux/<int:pk>/inscription/", shifts.shift_signup, name="shift-signup"),
    path("creneaux/<int:pk>/retrait/", shifts.shift_withdraw, name="shift-withdraw"),
    path("creneaux/<int:pk>/echange/", shifts.shift_swap_offer, name="shift-swap-offer"),
    path("creneaux/<int:pk>/supprimer/", shifts.shift_delete, name="shift-delete"),
    path(
        "creneaux/echanges/<int:pk>/reprendre/",
        shifts.shift_swap_accept,
        name="shift-swap-accept",
    ),
    path("intervention/<str:secret>/", speakers.speaker_answer, name="speaker-answer"),
]
