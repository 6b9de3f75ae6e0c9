"""Mentions (`@prenom.nom`) in what members write: who they name, for the markdown rendering."""

from django.urls import reverse

from ruche.members.models import Member


def profile_urls(handles: set[str]) -> dict[str, str]:
    """The profile of each handle that is an open account's beta.gouv identifier, in one
    query."""
    found = Member.objects.filter(betagouv_id__in=handles, is_active=True).values_list(
        "pk", "betagouv_id"
    )
    return {handle.lower(): reverse("members:member-detail", args=[pk]) for pk, handle in found}
