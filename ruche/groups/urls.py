from django.contrib.auth.decorators import login_not_required
from django.urls import path

from ruche.groups import views
from ruche.groups.feeds import DecisionFeed

app_name = "groups"

urlpatterns = [
    path("groupes/", views.group_list, name="group-list"),
    path("groupes/creer/", views.group_create, name="group-create"),
    path("groupes/a-revoir/", views.group_review_list, name="group-review-list"),
    path(
        "groupes/depuis-initiative/<int:pk>/",
        views.group_from_initiative,
        name="group-from-initiative",
    ),
    path("groupes/<slug:slug>/", views.group_detail, name="group-detail"),
    path("groupes/<slug:slug>/modifier/", views.group_edit, name="group-edit"),
    path("groupes/<slug:slug>/clore/", views.group_close, name="group-close"),
    path("groupes/<slug:slug>/revue/", views.group_review, name="group-review"),
    path("groupes/<slug:slug>/rejoindre/", views.group_join, name="group-join"),
    path("groupes/<slug:slug>/observer/", views.group_observe, name="group-observe"),
    path("groupes/<slug:slug>/quitter/", views.group_leave, name="group-leave"),
    path(
        "groupes/<slug:slug>/demandes/<int:request_pk>/",
        views.join_request_answer,
        name="join-request-answer",
    ),
    path("groupes/<slug:slug>/animation/", views.lead_add, name="lead-add"),
    path(
        "groupes/<slug:slug>/propositions/nouvelle/",
        views.proposal_create,
        name="proposal-create",
    ),
    path(
        "groupes/<slug:slug>/propositions/<int:pk>/",
        views.proposal_detail,
        name="proposal-detail",
    ),
    path(
        "groupes/<slug:slug>/propositions/<int:pk>/clore/",
        views.proposal_close,
        name="proposal-close",
    ),
    path("groupes/<slug:slug>/decisions/nouvelle/", views.decision_create, name="decision-create"),
    path(
        "groupes/<slug:slug>/decisions.atom",
        login_not_required(DecisionFeed()),
        name="decision-feed",
    ),
]
