"""What the events views share: looking events up with the right permission, form choices,
and service errors put back on forms."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from ruche.events.models import Event
from ruche.events.services.common import can_manage, can_view
from ruche.groups.models import WorkingGroup
from ruche.initiatives.models import Initiative
from ruche.members.models import Incubator


def incubator_choices():
    return list(Incubator.objects.order_by("title").values_list("slug", "title"))


def incubator_by_slug(slug: str):
    return Incubator.objects.filter(slug=slug).first() if slug else None


def visible_initiatives():
    return Initiative.objects.visible()


def initiative_choices(member, current=None) -> list[tuple[str, str]]:
    """The initiatives the member carries or has joined (and the event's own)."""
    initiatives = visible_initiatives().involving(member)
    if current is not None:
        initiatives = initiatives | visible_initiatives().filter(pk=current.pk)
    return [
        (str(pk), title) for pk, title in initiatives.order_by("title").values_list("pk", "title")
    ]


def initiative_by_id(value: str):
    return visible_initiatives().filter(pk=value).first() if value and value.isdigit() else None


def group_choices(member, current=None) -> list[tuple[str, str]]:
    """The active working groups the member belongs to (and the event's own)."""
    groups = WorkingGroup.objects.active().of_member(member)
    if current is not None:
        groups = groups | WorkingGroup.objects.filter(pk=current.pk)
    return [(str(pk), name) for pk, name in groups.order_by("name").values_list("pk", "name")]


def group_by_id(value: str):
    return WorkingGroup.objects.filter(pk=value).first() if value and value.isdigit() else None


def event_or_404(pk, queryset=None) -> Event:
    """Whether the person may see it is for the caller to check (refuse_hidden)."""
    queryset = Event.objects if queryset is None else queryset
    return get_object_or_404(
        queryset.select_related("series", "incubator", "created_by", "initiative", "group"),
        pk=pk,
    )


def refuse_hidden(request, event):
    """Members-only events send visitors to the sign-in page."""
    if not can_view(request.user, event):
        return redirect_to_login(request.get_full_path())
    return None


def managed_event(request, pk):
    event = event_or_404(pk, Event.objects.prefetch_related("organisers"))
    if not can_manage(request.user, event):
        raise PermissionDenied(_("Seules les personnes qui organisent cet événement y ont accès."))
    return event


# What an event card shows (events/_event_card.html, and its key event_tags.card_key).
CARD_FIELDS = (
    *("title", "location", "online_url", "kind", "status", "is_public", "start", "end"),
    "capacity",
)


def list_queryset(request):
    """Events as cards: only the columns a card shows."""
    return (
        Event.objects.visible_to(request.user)
        .only(*CARD_FIELDS)
        .with_rsvp_counts()
        .with_rsvp_of(request.user)
    )
