from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.urls import path
from django.views.i18n import set_language

from ruche.accounts import views

app_name = "accounts"

urlpatterns = [
    path("connexion/", views.login_view, name="login"),
    path("connexion/envoye/", views.link_sent, name="link-sent"),
    path("connexion/lien/<str:secret>/", views.magic_link, name="magic-link"),
    path("connexion/demo/", views.demo_login, name="demo-login"),
    path("deconnexion/", views.logout_view, name="logout"),
    path("compte/", views.account, name="account"),
    path("compte/donnees/", views.my_data, name="my-data"),
    path("compte/donnees/export/", views.data_export, name="data-export"),
    path("compte/donnees/<str:secret>/", views.data_download, name="data-download"),
    path("compte/supprimer/", views.account_delete, name="account-delete"),
    path("compte/jetons/<int:pk>/revoquer/", views.api_token_revoke, name="api-token-revoke"),
    path("langue/", login_not_required(set_language), name="set-language"),
]

if settings.OIDC_ENABLED:
    from mozilla_django_oidc import views as oidc_views

    urlpatterns += [
        path(
            "oidc/authenticate/",
            login_not_required(oidc_views.OIDCAuthenticationRequestView.as_view()),
            name="oidc-authenticate",
        ),
        path(
            "oidc/callback/",
            login_not_required(oidc_views.OIDCAuthenticationCallbackView.as_view()),
            name="oidc-callback",
        ),
    ]
