from django.urls import path

from ruche.members import views

app_name = "members"

urlpatterns = [
    path("membres/", views.member_list, name="member-list"),
    path("membres/<int:pk>/", views.member_detail, name="member-detail"),
    path("membres/<int:pk>/photo/", views.member_avatar, name="member-avatar"),
    path("compte/profil/", views.profile_edit, name="profile-edit"),
    path("startups/", views.startup_list, name="startup-list"),
    path("startups/<str:slug>/", views.startup_detail, name="startup-detail"),
    path("incubateurs/", views.incubator_list, name="incubator-list"),
    path("incubateurs/<str:slug>/", views.incubator_detail, name="incubator-detail"),
]
