from django.urls import path

from ruche.notifications import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.notification_list, name="list"),
    path("notifications/<int:pk>/", views.notification_open, name="open"),
    path("notifications/tout-lu/", views.notification_mark_all_read, name="mark-all-read"),
    path("notifications/preferences/", views.preferences, name="preferences"),
]
