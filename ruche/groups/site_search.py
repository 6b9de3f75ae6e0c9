"""What groups bring to the search across Ruche (/recherche/): groups whose name or mandate
holds the words, as on the list page that the « more » link opens."""

from urllib.parse import urlencode

from django.urls import reverse

from ruche.core.registry import SearchHit, SearchResults
from ruche.groups.listing import searched
from ruche.groups.models import WorkingGroup


def groups(request, text: str, limit: int) -> SearchResults:
    more_url = f"{reverse('groups:group-list')}?{urlencode({'q': text})}"
    if not text.strip():
        return SearchResults(hits=[], total=0, more_url=more_url)
    found = searched(WorkingGroup.objects.all(), text)
    hits = [
        SearchHit(
            title=group.name,
            url=group.get_absolute_url(),
            detail=f"{group.get_kind_display()}, {group.get_status_display()}",
        )
        for group in found.order_by("name", "pk")[:limit]
    ]
    return SearchResults(hits=hits, total=found.count(), more_url=more_url)
