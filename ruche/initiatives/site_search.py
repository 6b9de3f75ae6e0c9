"""What initiatives and needs bring to the search across Ruche (/recherche/): the same
full-text search and order as their list pages, which the « more » links open."""

from urllib.parse import urlencode

from django.urls import reverse

from ruche.core.registry import SearchHit, SearchResults
from ruche.initiatives.enums import InitiativeSort, NeedSort
from ruche.initiatives.listing import INITIATIVE_ORDERINGS, NEED_ORDERINGS
from ruche.initiatives.models import Initiative, Need
from ruche.initiatives.search import query_terms, search


def _results(queryset, text, limit, ordering, list_url_name, detail) -> SearchResults:
    more_url = f"{reverse(list_url_name)}?{urlencode({'q': text})}"
    if not query_terms(text):  # nothing worth searching for: not « everything »
        return SearchResults(hits=[], total=0, more_url=more_url)
    found = search(queryset, text)
    hits = [
        SearchHit(title=item.title, url=item.get_absolute_url(), detail=detail(item))
        for item in found.order_by(*ordering)[:limit]
    ]
    return SearchResults(hits=hits, total=found.count(), more_url=more_url)


def initiatives(request, text: str, limit: int) -> SearchResults:
    return _results(
        Initiative.objects.visible(),
        text,
        limit,
        INITIATIVE_ORDERINGS[InitiativeSort.RELEVANCE],
        "initiatives:initiative-list",
        lambda initiative: f"{initiative.get_kind_display()}, {initiative.get_status_display()}",
    )


def needs(request, text: str, limit: int) -> SearchResults:
    return _results(
        Need.objects.visible().with_counts(),
        text,
        limit,
        NEED_ORDERINGS[NeedSort.RELEVANCE],
        "initiatives:need-list",
        lambda need: str(need.get_state_display()),
    )
