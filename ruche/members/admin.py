from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ruche.members.models import Competence, Incubator, Member, Mission, Organisation, Startup


class MissionInline(admin.TabularInline):
    model = Mission
    extra = 0
    autocomplete_fields = ["startups"]


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["display_name", "email", "domaine", "transverse_role", "is_active", "is_staff"]
    list_filter = ["domaine", "is_active", "is_staff", "is_superuser"]
    search_fields = ["display_name", "email", "betagouv_id"]
    autocomplete_fields = ["competences", "previous_startups"]
    readonly_fields = ["last_login", "date_joined", "upstream_missing_since"]
    inlines = [MissionInline]
    fieldsets = [
        (None, {"fields": ["display_name", "email", "betagouv_id", "avatar"]}),
        (
            _("Profil"),
            {
                "fields": [
                    "domaine",
                    "role",
                    "bio",
                    "competences",
                    "interests",
                    "languages",
                    "github",
                    "link",
                    "previous_startups",
                ]
            },
        ),
        (
            _("Rôles"),
            {"fields": ["transverse_role", "is_active", "is_staff", "is_superuser", "groups"]},
        ),
        (_("Suivi"), {"fields": ["last_login", "date_joined", "upstream_missing_since"]}),
    ]


@admin.register(Startup)
class StartupAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "incubator", "phase"]
    list_filter = ["incubator"]
    search_fields = ["name", "slug"]


@admin.register(Incubator)
class IncubatorAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "owner"]
    search_fields = ["title", "slug"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "kind"]
    search_fields = ["name", "acronym", "slug"]


@admin.register(Competence)
class CompetenceAdmin(admin.ModelAdmin):
    search_fields = ["name"]
