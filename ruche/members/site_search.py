"""What the directory brings to the search across Ruche (/recherche/): members by name,
identifier or role, accents ignored, as the directory finds them."""

from urllib.parse import urlencode

from django.db.models import Count, Window
from django.urls import reverse

from ruche.core.registry import SearchHit, SearchResults
from ruche.members.models import Member

MAX_WORDS = 12


def members(request, text: str, limit: int) -> SearchResults:
    words = " ".join(text.split()[:MAX_WORDS])
    found = Member.objects.filter(is_active=True).search(words)
    # The total comes with the first hits (a window over every match): the words are looked
    # for in each member's search_text once, not once for the hits and again for the count.
    first = list(
        found.annotate(total=Window(Count("pk")))
        .only("pk", "display_name", "role", "domaine")
        .order_by("search_text", "pk")[:limit]
    )
    hits = [
        SearchHit(
            title=member.display_name,
            url=member.get_absolute_url(),
            detail=member.role or member.get_domaine_display(),
        )
        for member in first
    ]
    more_url = f"{reverse('members:member-list')}?{urlencode({'q': text})}"
    return SearchResults(hits=hits, total=first[0].total if first else 0, more_url=more_url)
