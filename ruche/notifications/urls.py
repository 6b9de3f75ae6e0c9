from django.urls import path

from ruche.notifications import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.notification_list, name="list"),
    path("notifications/<int:pk>/", views.notification_open, name="open"),
    path("notifications/tout-lu/", views.notification_mark_all_read, name="mark-all-read"),
    path("notifications/preferences/", views.preferences, name="preferences"),
    path("notifications/recapitulatif/", views.digest_page, name="digest"),
    path(
        "notifications/recapitulatif/communaute.md",
        views.digest_community,
        name="digest-community",
    ),
    path("notifications/desabonnement/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("notifications/salons/", views.channel_list, name="channel-list"),
    path("notifications/salons/nouveau/", views.channel_edit, name="channel-create"),
    path("notifications/salons/<int:pk>/", views.channel_detail, name="channel-detail"),
    path("notifications/salons/<int:pk>/modifier/", views.channel_edit, name="channel-edit"),
    path("notifications/salons/<int:pk>/activer/", views.channel_toggle, name="channel-toggle"),
    path(
        "notifications/salons/envois/<int:pk>/reessayer/",
        views.delivery_retry,
        name="delivery-retry",
    ),
]
