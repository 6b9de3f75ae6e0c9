from django.urls import path

from ruche.events import views

app_name = "events"

urlpatterns = [
    path("evenements/", views.event_list, name="event-list"),
    path("evenements/passes/", views.event_past, name="event-past"),
    path("evenements/mois/", views.event_month, name="month-current"),
    path("evenements/mois/<int:year>/<int:month>/", views.event_month, name="event-month"),
    path("evenements/abonnement/", views.subscribe, name="subscribe"),
    path("evenements/nouveau/", views.event_create, name="event-create"),
    path("evenements/flux.atom", views.event_feed, name="event-feed"),
    path("evenements.ics", views.public_calendar, name="public-calendar"),
    path("calendrier/<str:secret>.ics", views.personal_calendar, name="personal-calendar"),
    path("evenements/mon-agenda/", views.my_agenda, name="my-agenda"),
    path("evenements/mon-agenda/lien/", views.feed_create, name="feed-create"),
    path("evenements/mon-agenda/lien/revoquer/", views.feed_revoke, name="feed-revoke"),
    path("evenements/<int:pk>/", views.event_detail, name="event-detail"),
    path("evenements/<int:pk>/modifier/", views.event_edit, name="event-edit"),
    path("evenements/<int:pk>/annuler/", views.event_cancel, name="event-cancel"),
    path("evenements/<int:pk>/inscription/", views.rsvp_register, name="rsvp-register"),
    path("evenements/<int:pk>/desinscription/", views.rsvp_cancel, name="rsvp-cancel"),
    path("evenements/<int:pk>/inscrits/", views.event_registrations, name="event-registrations"),
    path(
        "evenements/<int:pk>/inscrits.csv",
        views.event_registrations_csv,
        name="event-registrations-csv",
    ),
    path("evenements/<int:pk>/agenda.ics", views.event_ics, name="event-ics"),
    path("evenements/<int:pk>/serie.ics", views.series_ics, name="series-ics"),
    path("evenements/<int:pk>/intervenants/", views.event_speakers, name="event-speakers"),
    path(
        "evenements/<int:pk>/intervenants/<int:speaker_pk>/retirer/",
        views.speaker_remove,
        name="speaker-remove",
    ),
    path("evenements/<int:pk>/creneaux/", views.event_shifts, name="event-shifts"),
    path("creneaux/<int:pk>/inscription/", views.shift_signup, name="shift-signup"),
    path("creneaux/<int:pk>/retrait/", views.shift_withdraw, name="shift-withdraw"),
    path("creneaux/<int:pk>/echange/", views.shift_swap_offer, name="shift-swap-offer"),
    path("creneaux/<int:pk>/supprimer/", views.shift_delete, name="shift-delete"),
    path(
        "creneaux/echanges/<int:pk>/reprendre/",
        views.shift_swap_accept,
        name="shift-swap-accept",
    ),
    path("intervention/<str:secret>/", views.speaker_answer, name="speaker-answer"),
]
