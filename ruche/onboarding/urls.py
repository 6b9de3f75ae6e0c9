from django.urls import path

from ruche.onboarding import views

app_name = "onboarding"

urlpatterns = [
    path("sengager/", views.engage, name="engage"),
    path("sengager/suggestions/<str:key>/agir/", views.suggestion_take, name="suggestion-take"),
    path(
        "sengager/suggestions/<str:key>/pas-pour-moi/",
        views.suggestion_decline,
        name="suggestion-decline",
    ),
    path("sengager/premiers-pas/ranger/", views.first_steps_dismiss, name="first-steps-dismiss"),
    path("sengager/salons/", views.chat_rooms, name="chat-rooms"),
    path("sengager/salons/<int:pk>/retirer/", views.chat_room_delete, name="chat-room-delete"),
    path("membres/<int:pk>/merci/", views.thanks_create, name="thanks-create"),
    path("compte/temps/", views.time_list, name="time"),
    path("compte/temps/export.csv", views.time_export, name="time-export"),
    path("compte/temps/releve/", views.time_statement, name="time-statement"),
    path("compte/temps/<int:pk>/supprimer/", views.time_remove, name="time-delete"),
]
