"""One event: its page, publishing, editing and cancelling it."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Case, Count, IntegerField, Max, Prefetch, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_http_methods,
    require_safe,
)

from ruche.core.actions import submitted
from ruche.events.enums import RsvpStatus, SpeakerStatus
from ruche.events.forms import (
    EventCancelForm,
    EventCreateForm,
    EventEditForm,
)
from ruche.events.models import Event, Rsvp, ShiftSignup
from ruche.events.services import common, events
from ruche.events.services.events import EDITABLE_FIELDS
from ruche.events.views.common import (
    group_by_id,
    group_choices,
    incubator_by_slug,
    incubator_choices,
    initiative_by_id,
    initiative_choices,
    managed_event,
    refuse_hidden,
)
from ruche.members.models import Member

# The plain fields the edit form compares with the event (links are looked up separately).
EDIT_FIELDS = sorted(EDITABLE_FIELDS - {"incubator", "initiative", "group"})


@require_safe
@login_not_required
def event_detail(request, pk):
    """The same queries for every event (a series' occurrence or not, with slots or not), and
    the parts that are the same for every reader kept rendered (see `page_keys`)."""
    event = _event(pk)
    refusal = refuse_hidden(request, event)
    if refusal:
        return refusal
    user = request.user
    rsvp = _counts_and_rsvp(event, user)
    can_manage = common.can_manage(user, event)
    speakers = event.speakers.only("name", "talk_title", "bio", "status", "event_id")
    if not can_manage:
        speakers = speakers.filter(status=SpeakerStatus.CONFIRMED)
    now = timezone.now()
    context = {
        "event": event,
        "rsvp": rsvp,
        "can_manage": can_manage,
        "speakers": list(speakers),
        "shifts": _shifts(event, user),
        "siblings": _siblings(event, now),
        "is_open": not event.is_cancelled and not event.has_started(now),
        "is_over": event.is_over(now),
        "series_text": event.series.describe() if event.series_id else "",
        "places_left": (
            None if event.capacity is None else max(event.capacity - event.confirmed_count, 0)
        ),
    }
    context["keys"] = page_keys(context, user.is_authenticated)
    return render(request, "events/event_detail.html", context)


# What the event page shows of the event and of what it links to (nothing else is read).
PAGE_FIELDS = (
    *("title", "kind", "description", "start", "end", "location", "online_url", "capacity"),
    *("is_public", "status", "cancellation_message", "recurrence_id", "created_by_id"),
    *("series__rrule", "series__dtstart", "incubator__title", "initiative__title"),
    *("initiative__hidden", "group__name", "group__slug"),
)
ORGANISER_FIELDS = ("display_name", "email", "contact_email", "chat_handle")


def _event(pk) -> Event:
    """The event with its links and organisers (only what the page shows of them)."""
    organisers = Prefetch("organisers", queryset=Member.objects.only(*ORGANISER_FIELDS))
    return get_object_or_404(
        Event.objects.select_related("series", "incubator", "initiative", "group")
        .only(*PAGE_FIELDS)
        .prefetch_related(organisers),
        pk=pk,
    )


# Any: the event gets `confirmed_count` and `waitlist_count`, which Event does not declare.
def _counts_and_rsvp(event: Any, user) -> Rsvp | None:
    """Sets the event's `confirmed_count` and `waitlist_count`, and gives the reader's own
    registration (waiting list included), all from one grouped query: cheaper than the two
    correlated subqueries of `with_rsvp_counts` plus a query of its own."""
    mine: Max | Value = Value(None, IntegerField())
    if user.pk:
        mine = Max(Case(When(member_id=user.pk, then="queue_number")))
    rows = (
        Rsvp.objects.filter(event=event)
        .exclude(status=RsvpStatus.CANCELLED)
        .values_list("status")
        .annotate(total=Count("pk"), mine=mine)
        .order_by()
    )
    counts, rsvp = {}, None
    for status, total, queue_number in rows:
        counts[status] = total
        if queue_number is not None:
            rsvp = Rsvp(event=event, member=user, status=status, queue_number=queue_number)
    event.confirmed_count = counts.get(RsvpStatus.CONFIRMED, 0)
    event.waitlist_count = counts.get(RsvpStatus.WAITLISTED, 0)
    return rsvp


def _shifts(event: Event, user) -> list:
    """The event's slots with `taken` and `mine`, and for members `signup_list`: who holds
    each place. Always one query signed out, two signed in (slots or none)."""
    if not user.is_authenticated:
        return list(event.shifts.with_taken().with_signup_of(user))
    # Any: each slot gets `signup_list`, `taken` and `mine`, which Shift does not declare.
    shifts: list[Any] = list(event.shifts.all())
    signups = (
        ShiftSignup.objects.filter(shift__event=event)
        .select_related("member")
        .only("shift_id", "member_id", "swap_offered_at", "member__display_name")
    )
    by_shift: dict[int, list] = {shift.pk: [] for shift in shifts}
    for signup in signups.order_by("created_at", "pk"):
        by_shift[signup.shift_id].append(signup)
    for shift in shifts:
        shift.signup_list = by_shift[shift.pk]
        shift.taken = len(shift.signup_list)
        shift.mine = any(signup.member_id == user.pk for signup in shift.signup_list)
    return shifts


def _siblings(event: Event, now) -> list[Event]:
    """The series' next other dates; one query for any event (none for a single event)."""
    return list(
        Event.objects.filter(series__isnull=False, series_id=event.series_id, end__gte=now)
        .exclude(pk=event.pk)
        .only("pk", "start", "status", "recurrence_id")
        .order_by("start")[:6]
    )


def page_keys(context: dict, signed_in: bool) -> dict[str, str]:
    """What each kept part of events/event_detail.html shows (template_fragments cache): the
    key holds all of it, so that any change renders the part anew. The markdown (mentions
    link to members who exist now), the registration box and the slots stay live."""
    event = context["event"]
    links = (
        (event.initiative.pk, event.initiative.title, event.initiative.hidden)
        if event.initiative
        else None,
        (event.group.name, event.group.slug) if event.group else None,
        event.incubator.title if event.incubator else None,
    )
    facts = (
        event.pk, event.title, event.kind, event.is_public, event.status,
        event.cancellation_message, event.start, event.end, event.recurrence_id,
        event.location, event.online_url, event.series_id, context["series_text"],
        context["is_over"], signed_in, links,
    )  # fmt: skip
    people = [
        (o.pk, o.display_name, o.contact_email, o.chat_handle, o.email)
        for o in event.organisers.all()
    ]
    siblings = [(e.pk, e.start, e.status, e.recurrence_id) for e in context["siblings"]]
    side = (
        event.pk, signed_in, people, siblings, context["can_manage"], event.status,
        context["is_over"],
    )  # fmt: skip
    return {"facts": repr(facts), "side": repr(side)}


@require_http_methods(["GET", "POST"])
def event_create(request):
    form = EventCreateForm(
        request.POST or None,
        incubators=incubator_choices(),
        initiatives=initiative_choices(request.user),
        groups=group_choices(request.user),
        initial={
            "initiative": request.GET.get("initiative", ""),
            "group": request.GET.get("groupe", ""),
        },
    )
    event = submitted(request, form, lambda data: _create(request, data), {"recurrence": "repeat"})
    if event is not None:
        if event.series_id:
            messages.success(
                request, _("La série est publiée : %(rule)s.") % {"rule": event.series.describe()}
            )
        else:
            messages.success(request, _("L’événement est publié."))
        return redirect(event)
    status = 400 if form.errors else 200
    return render(request, "events/event_form.html", {"form": form}, status=status)


def _create(request, data: dict) -> Event:
    return events.event_create(
        actor=request.user,
        title=data["title"],
        kind=data["kind"],
        start=data["start"],
        end=data["end"],
        description=data["description"],
        location=data["location"],
        online_url=data["online_url"],
        capacity=data["capacity"],
        is_public=data["is_public"],
        incubator=incubator_by_slug(data["incubator"]),
        co_organisers=data["co_organisers"],
        recurrence=data["recurrence"],
        initiative=initiative_by_id(data.get("initiative", "")),
        group=group_by_id(data.get("group", "")),
    )


def _initial(event):
    local = timezone.localtime
    return {
        "title": event.title,
        "kind": event.kind,
        "description": event.description,
        "start": local(event.start),
        "end": local(event.end),
        "location": event.location,
        "online_url": event.online_url,
        "capacity": event.capacity,
        "is_public": event.is_public,
        "incubator": event.incubator.slug if event.incubator else "",
        "initiative": str(event.initiative_id or ""),
        "group": str(event.group_id or ""),
        "co_organisers": [m for m in event.organisers.all() if m.pk != event.created_by_id],
        "scope": "one",
    }


@require_http_methods(["GET", "POST"])
def event_edit(request, pk):
    event = managed_event(request, pk)
    in_series = event.series_id is not None
    form = EventEditForm(
        request.POST or None,
        initial=_initial(event),
        incubators=incubator_choices(),
        initiatives=initiative_choices(request.user, event.initiative),
        groups=group_choices(request.user, event.group),
        in_series=in_series,
        event=event,
    )
    if submitted(request, form, lambda data: _update(request, event, data, in_series)):
        messages.success(request, _("Les modifications sont enregistrées."))
        return redirect(event)
    context = {
        "form": form,
        "event": event,
        "series_text": event.series.describe() if in_series else "",
    }
    status = 400 if form.errors else 200
    return render(request, "events/event_form.html", context, status=status)


def _update(request, event: Event, data: dict, in_series: bool) -> Event:
    """Only what the form changed goes to the service."""
    current = _initial(event)
    changes = {name: data[name] for name in EDIT_FIELDS if data[name] != current[name]}
    if data["incubator"] != current["incubator"]:
        changes["incubator"] = incubator_by_slug(data["incubator"])
    if "initiative" in data and data["initiative"] != current["initiative"]:
        changes["initiative"] = initiative_by_id(data["initiative"])
    if "group" in data and data["group"] != current["group"]:
        changes["group"] = group_by_id(data["group"])
    return events.event_update(
        actor=request.user,
        event=event,
        changes=changes,
        co_organisers=data["co_organisers"],
        whole_series=in_series and data.get("scope") == "series",
    )


@require_http_methods(["GET", "POST"])
def event_cancel(request, pk):
    event = managed_event(request, pk)
    in_series = event.series_id is not None
    form = EventCancelForm(request.POST if request.method == "POST" else None, in_series=in_series)
    registered = event.rsvps.active().count()
    cancelled = submitted(
        request,
        form,
        lambda data: events.event_cancel(
            actor=request.user,
            event=event,
            message=data["message"],
            whole_series=in_series and data.get("scope") == "series",
        ),
    )
    if cancelled is not None:
        messages.success(
            request, _("L’événement est annulé ; les personnes inscrites sont prévenues.")
        )
        return redirect(event)
    context = {"form": form, "event": event, "registered": registered}
    status = 400 if form.errors else 200
    return render(request, "events/event_cancel.html", context, status=status)
