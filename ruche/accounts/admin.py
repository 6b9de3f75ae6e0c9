from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from ruche.accounts.models import ApiToken


@login_not_required
def admin_login(request, extra_context=None):
    """The admin has no password form: staff sign in like everyone, by magic link."""
    target = request.GET.get("next", reverse("admin:index"))
    if request.user.is_authenticated:
        return redirect(reverse("core:home"))
    return redirect(reverse("accounts:login") + "?" + urlencode({"next": target}))


# The admin's own login view, replaced on purpose (mypy refuses assigning to a method).
admin.site.login = admin_login  # type: ignore[method-assign]
admin.site.site_header = _("Ruche — administration")
admin.site.site_title = "Ruche"


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "member", "prefix", "created_at", "last_used_at", "revoked_at"]
    search_fields = ["name", "member__display_name", "member__email"]
    readonly_fields = ["token_hash", "prefix", "created_at", "last_used_at"]
    raw_id_fields = ["member"]
