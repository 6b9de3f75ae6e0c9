from django.contrib.auth.decorators import login_not_required
from django.urls import path

from ruche.initiatives.feeds import NewInitiativesFeed
from ruche.initiatives.views import initiatives, moderation, needs

app_name = "initiatives"

urlpatterns = [
    path("initiatives/", initiatives.initiative_list, name="initiative-list"),
    path("initiatives/proposer/", initiatives.initiative_create, name="initiative-create"),
    path(
        "initiatives/proposer/suggestions/",
        initiatives.initiative_suggestions,
        name="initiative-suggestions",
    ),
    path("initiatives/proposer/besoins/", initiatives.need_picker, name="need-picker"),
    path("initiatives/flux.atom", login_not_required(NewInitiativesFeed()), name="initiative-feed"),
    path("initiatives/<int:pk>/", initiatives.initiative_detail, name="initiative-detail"),
    path("initiatives/<int:pk>/modifier/", initiatives.initiative_edit, name="initiative-edit"),
    path("initiatives/<int:pk>/statut/", initiatives.initiative_status, name="initiative-status"),
    path("initiatives/<int:pk>/rejoindre/", initiatives.initiative_join, name="initiative-join"),
    path("initiatives/<int:pk>/quitter/", initiatives.initiative_leave, name="initiative-leave"),
    path(
        "initiatives/<int:pk>/soutenir/", initiatives.initiative_support, name="initiative-support"
    ),
    path(
        "initiatives/<int:pk>/ne-plus-soutenir/",
        initiatives.initiative_unsupport,
        name="initiative-unsupport",
    ),
    path("initiatives/<int:pk>/roles/", initiatives.role_create, name="role-create"),
    path(
        "initiatives/<int:pk>/roles/<int:role_pk>/retirer/",
        initiatives.role_delete,
        name="role-delete",
    ),
    path("initiatives/<int:pk>/porteurs/", initiatives.colead_create, name="colead-create"),
    path(
        "initiatives/<int:pk>/porteurs/<int:member_pk>/retirer/",
        initiatives.colead_delete,
        name="colead-delete",
    ),
    path(
        "initiatives/<int:pk>/points-d-etape/nouveau/",
        initiatives.update_create,
        name="update-create",
    ),
    path("initiatives/<int:pk>/budget/", initiatives.budget_create, name="budget-create"),
    path(
        "initiatives/<int:pk>/budget/<int:budget_pk>/decider/",
        initiatives.budget_decide,
        name="budget-decide",
    ),
    path(
        "initiatives/<int:pk>/budget/<int:budget_pk>/retirer/",
        initiatives.budget_withdraw,
        name="budget-withdraw",
    ),
    path(
        "initiatives/<int:pk>/commentaires/",
        initiatives.initiative_comment,
        name="initiative-comment",
    ),
    path("besoins/", needs.need_list, name="need-list"),
    path("besoins/nouveau/", needs.need_create, name="need-create"),
    path("besoins/nouveau/suggestions/", needs.need_suggestions, name="need-suggestions"),
    path("besoins/<int:pk>/", needs.need_detail, name="need-detail"),
    path("besoins/<int:pk>/modifier/", needs.need_edit, name="need-edit"),
    path("besoins/<int:pk>/moi-aussi/", needs.need_support, name="need-support"),
    path("besoins/<int:pk>/plus-concerne/", needs.need_unsupport, name="need-unsupport"),
    path("besoins/<int:pk>/clore/", needs.need_close, name="need-close"),
    path("besoins/<int:pk>/rouvrir/", needs.need_reopen, name="need-reopen"),
    path("besoins/<int:pk>/commentaires/", needs.need_comment, name="need-comment"),
    path("commentaires/<int:pk>/modifier/", moderation.comment_edit, name="comment-edit"),
    path("commentaires/<int:pk>/supprimer/", moderation.comment_delete, name="comment-delete"),
    path("signaler/<str:target>/<int:pk>/", moderation.report_create, name="report-create"),
    path("moderation/", moderation.moderation_queue, name="moderation"),
    path(
        "moderation/signalements/<int:pk>/classer/",
        moderation.report_dismiss,
        name="report-dismiss",
    ),
    path("moderation/<str:target>/<int:pk>/", moderation.moderation_act, name="moderation-act"),
]
