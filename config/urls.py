from django.contrib import admin
from django.urls import include, path

from ruche.api.urls import api_urls

urlpatterns = [
    path("", include("ruche.core.urls")),
    path("", include("ruche.accounts.urls")),
    path("", include("ruche.members.urls")),
    path("", include("ruche.notifications.urls")),
    path("", include("ruche.initiatives.urls")),
    path("", include("ruche.events.urls")),
    path("", include("ruche.groups.urls")),
    path("", include("ruche.health.urls")),
    path("", include("ruche.onboarding.urls")),
    path("api/v1/", api_urls),
    path("admin/", admin.site.urls),
]

handler404 = "ruche.api.views.page_not_found"
handler500 = "ruche.api.views.server_error"
handler400 = "ruche.api.views.bad_request"
