"""Finding groups, shared by the pages, the API and the site search: filters, search, and what
each card shows (member count, next meeting)."""

from django.db.models import Min, OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from ruche.groups.models import WorkingGroup

MAX_WORDS = 10


def searched(queryset, text: str):
    """Groups whose name, summary or mandate holds every word of `text` (case ignored)."""
    for word in (text or "").split()[:MAX_WORDS]:
        queryset = queryset.filter(
            Q(name__icontains=word) | Q(description__icontains=word) | Q(mandate__icontains=word)
        )
    return queryset


def filtered_groups(queryset, data: dict, member=None):
    """`data` holds cleaned filter values; empty ones are ignored."""
    if data.get("q"):
        queryset = searched(queryset, data["q"])
    if data.get("kind"):
        queryset = queryset.filter(kind=data["kind"])
    if data.get("status"):
        queryset = queryset.filter(status=data["status"])
    if data.get("incubator"):
        queryset = queryset.filter(incubator__slug=data["incubator"])
    if data.get("to_review"):
        queryset = queryset.to_review()
    if data.get("mine"):
        queryset = queryset.of_member(member)
    return queryset


def for_cards(queryset, member=None):
    """Counts and the next meeting (from the events attached to the group: public ones for a
    visitor who is not signed in), in the same query whatever the number of groups: each a
    small subquery per group shown, never a join of memberships with events."""
    # The events app sits beside this one and reads groups: reached through the relation.
    events = WorkingGroup._meta.get_field("events").related_model._default_manager
    upcoming = events.filter(group=OuterRef("pk"), end__gte=timezone.now(), status="scheduled")
    # Public only for a visitor, as the aggregate's filter: in the WHERE clause SQLite would walk
    # the (is_public, start) index of all events rather than this group's.
    public = Q() if getattr(member, "is_authenticated", False) else Q(is_public=True)
    first = (
        upcoming.order_by()
        .values("group")
        .annotate(first=Min("start", filter=public))
        .values("first")
    )
    return queryset.with_counts().annotate(next_meeting=Subquery(first)).select_related("incubator")


def group_or_404(slug: str, queryset=None) -> WorkingGroup:
    return get_object_or_404(queryset if queryset is not None else WorkingGroup.objects, slug=slug)
