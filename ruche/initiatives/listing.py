"""Finding initiatives and needs, shared by the pages and the API: one by id (hidden ones stay
visible to whoever manages them only), and the filtering and ordering of the lists."""

from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404

from ruche.initiatives.enums import InitiativeSort, NeedSort
from ruche.initiatives.models import Initiative, Need, NeedSupport
from ruche.initiatives.search import search

SUGGESTIONS = 5

INITIATIVE_ORDERINGS: dict[str, tuple[str, ...]] = {
    InitiativeSort.RECENT: ("-created_at", "-pk"),
    InitiativeSort.SUPPORTED: ("-support_count", "-created_at", "-pk"),
    InitiativeSort.HELP_NEEDED: ("-open_places", "-created_at", "-pk"),
    InitiativeSort.RELEVANCE: ("-search_rank", "-created_at", "-pk"),
}
NEED_ORDERINGS: dict[str, tuple[str, ...]] = {
    NeedSort.SUPPORTED: ("-support_count", "-created_at", "-pk"),
    NeedSort.RECENT: ("-created_at", "-pk"),
    NeedSort.RELEVANCE: ("-search_rank", "-support_count", "-created_at", "-pk"),
}


def initiative_or_404(member, pk: int, queryset=None) -> Initiative:
    """Hidden initiatives stay visible to their leads and to the animation team only."""
    initiative = get_object_or_404(queryset if queryset is not None else Initiative.objects, pk=pk)
    if initiative.hidden and not initiative.can_be_managed_by(member):
        raise Http404
    return initiative


def need_or_404(member, pk: int, queryset=None) -> Need:
    """Hidden needs stay visible to whoever raised them and to the animation team only."""
    need = get_object_or_404(queryset if queryset is not None else Need.objects, pk=pk)
    if need.hidden and not need.can_be_managed_by(member):
        raise Http404
    return need


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


def similar(title: str, *, member, for_a_need: bool = False) -> dict:
    """What already looks like a title being typed (« déjà proposé ? »), the closest first:
    initiatives and needs while proposing an initiative; needs only while raising one, each
    saying whether `member` raised it or already said « moi aussi » (`me_too`: the form offers
    « Moi aussi » on the others)."""
    found = {"query": title, "initiatives": [], "needs": [], "me_too": for_a_need}
    if len((title or "").strip()) < 3:
        return found
    if not for_a_need:
        found["initiatives"] = list(
            search(Initiative.objects.visible(), title, any_word=True).order_by(
                "-search_rank", "-created_at"
            )[:SUGGESTIONS]
        )
    needs = search(Need.objects.visible(), title, any_word=True)
    if for_a_need:
        needs = needs.annotate(
            i_support=Exists(NeedSupport.objects.filter(need=OuterRef("pk"), member=member))
        )
    found["needs"] = list(needs.order_by("-search_rank", "-created_at")[:SUGGESTIONS])
    return found
