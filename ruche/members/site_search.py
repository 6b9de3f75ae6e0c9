"""What the directory brings to the search across Ruche (/recherche/): members by name,
identifier or role, accents ignored, as the directory finds them."""

from urllib.parse import urlencode

from django.urls import reverse

from ruche.core.registry import SearchHit, SearchResults
from ruche.members.models import Member

MAX_WORDS = 12


def members(request, text: str, limit: int) -> SearchResults:
    words = " ".join(text.split()[:MAX_WORDS])
    found = Member.objects.filter(is_active=True).search(words)
    hits = [
        SearchHit(
            title=member.display_name,
            url=member.get_absolute_url(),
            detail=member.role or member.get_domaine_display(),
        )
        for member in found.order_by("search_text", "pk")[:limit]
    ]
    more_url = f"{reverse('members:member-list')}?{urlencode({'q': text})}"
    return SearchResults(hits=hits, total=found.count(), more_url=more_url)
