"""Filtering and ordering of the initiative and need lists, shared by the pages and the API."""

from ruche.initiatives.enums import InitiativeSort, NeedSort
from ruche.initiatives.search import search

INITIATIVE_ORDERINGS = {
    InitiativeSort.RECENT: ("-created_at", "-pk"),
    InitiativeSort.SUPPORTED: ("-support_count", "-created_at", "-pk"),
    InitiativeSort.HELP_NEEDED: ("-open_places", "-created_at", "-pk"),
    InitiativeSort.RELEVANCE: ("-search_rank", "-created_at", "-pk"),
}
NEED_ORDERINGS = {
    NeedSort.SUPPORTED: ("-support_count", "-created_at", "-pk"),
    NeedSort.RECENT: ("-created_at", "-pk"),
    NeedSort.RELEVANCE: ("-search_rank", "-support_count", "-created_at", "-pk"),
}


def filtered_initiatives(queryset, data: dict, member=None):
    """`data` holds cleaned filter values; empty ones are ignored."""
    if data.get("q"):
        queryset = search(queryset, data["q"])
    if data.get("kind"):
        queryset = queryset.filter(kind=data["kind"])
    if data.get("status"):
        queryset = queryset.filter(status=data["status"])
    if data.get("scope"):
        queryset = queryset.filter(scope=data["scope"])
    if data.get("incubator"):
        queryset = queryset.filter(incubator__slug=data["incubator"])
    if data.get("looking_for_help"):
        queryset = queryset.looking_for_help()
    if data.get("mine") and member is not None:
        queryset = queryset.involving(member)
    return queryset


def initiative_sort(data: dict) -> str:
    """Relevance when searching, the newest first otherwise, unless asked."""
    sort = data.get("sort") or ""
    if sort == InitiativeSort.RELEVANCE and not data.get("q"):
        return InitiativeSort.RECENT
    if sort in InitiativeSort.values:
        return sort
    return InitiativeSort.RELEVANCE if data.get("q") else InitiativeSort.RECENT


def filtered_needs(queryset, data: dict):
    if data.get("q"):
        queryset = search(queryset, data["q"])
    if data.get("state"):
        queryset = queryset.filter(state=data["state"])
    if data.get("incubator"):
        queryset = queryset.filter(incubator__slug=data["incubator"])
    return queryset


def need_sort(data: dict) -> str:
    """Most shared ("moi aussi") first, then the freshest; relevance when searching."""
    sort = data.get("sort") or ""
    if sort == NeedSort.RELEVANCE and not data.get("q"):
        return NeedSort.SUPPORTED
    if sort in NeedSort.values:
        return sort
    return NeedSort.RELEVANCE if data.get("q") else NeedSort.SUPPORTED
