"""Calendars and feeds (the public agenda, personal feeds, downloads, Atom) and « Mon agenda »."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.db.models import Count, F, Max, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import (
    condition,
    require_http_methods,
    require_POST,
    require_safe,
)

from ruche.core.markdown import plain_text
from ruche.events import ics
from ruche.events.dates import when
from ruche.events.enums import RsvpStatus
from ruche.events.forms import (
    PreferencesForm,
)
from ruche.events.models import Event, ShiftSignup
from ruche.events.services.agenda import (
    calendar_feed_create,
    calendar_feed_member,
    calendar_feed_revoke,
    preferences_for,
    preferences_update,
)
from ruche.events.views.common import (
    event_or_404,
    refuse_hidden,
)
from ruche.groups.models import WorkingGroup

FEED_PAST_DAYS = 90
# Rebuilding the public agenda for every calendar client that polls it is the costly part.
PUBLIC_FEED_CACHE_SECONDS = 60 * 60


def _ics_response(body: bytes, filename: str, *, download: bool = False) -> HttpResponse:
    response = HttpResponse(body, content_type=ics.CONTENT_TYPE)
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def _series_map(events, occurrences=None) -> dict:
    """series_id → its occurrences (among `occurrences`, all of them by default), for the
    series some of `events` belong to."""
    ids = {event.series_id for event in events if event.series_id}
    whole: dict[int | None, list[Event]] = {}
    rows = (occurrences if occurrences is not None else Event.objects.all()).filter(
        series_id__in=ids
    )
    for occurrence in rows.select_related("series"):
        whole.setdefault(occurrence.series_id, []).append(occurrence)
    return whole


@require_safe
@login_not_required
def event_ics(request, pk):
    event = event_or_404(pk)
    refusal = refuse_hidden(request, event)
    if refusal:
        return refusal
    body = ics.calendar([ics.event_component(event)])
    return _ics_response(body, f"evenement-{event.pk}.ics", download=True)


@require_safe
@login_not_required
def series_ics(request, pk):
    event = event_or_404(pk)
    refusal = refuse_hidden(request, event)
    if refusal:
        return refusal
    if event.series_id is None:
        raise Http404
    occurrences = list(Event.objects.filter(series_id=event.series_id).select_related("series"))
    body = ics.calendar(ics.series_components(event.series, occurrences))
    return _ics_response(body, f"serie-{event.series_id}.ics", download=True)


def _fingerprint(events) -> str:
    """Changes whenever a feed of `events` does: any of them saved (edits, moves and
    cancellations all save the event), added or removed, or a new day (the window moves)."""
    cutoff = timezone.now() - datetime.timedelta(days=FEED_PAST_DAYS)
    found = events.filter(end__gte=cutoff).aggregate(total=Count("pk"), changed=Max("updated_at"))
    changed = found["changed"].timestamp() if found["changed"] else 0
    language = translation.get_language()
    return f"{timezone.localdate():%Y%m%d}-{found['total']}-{changed:.6f}-{language}"


def _open_feed(events, *, key: str, name: str, filename: str) -> HttpResponse:
    """A feed anyone may subscribe to (public events only), cached until it changes."""
    key = f"events:{key}:{_fingerprint(events)}"
    body = cache.get(key)
    if body is None:
        cutoff = timezone.now() - datetime.timedelta(days=FEED_PAST_DAYS)
        shown = list(events.filter(end__gte=cutoff).select_related("series"))
        # A date of a series made members-only stays out (the series skips it).
        body = ics.events_calendar(shown, name=name, whole_series=_series_map(shown, events))
        cache.set(key, body, PUBLIC_FEED_CACHE_SECONDS)
    return _ics_response(body, filename)


@require_safe
@login_not_required
@condition(etag_func=lambda request: _fingerprint(Event.objects.public()))
def public_calendar(request):
    return _open_feed(
        Event.objects.public(),
        key="public-ics",
        name=_("Ruche — agenda de la communauté beta.gouv"),
        filename="ruche-agenda.ics",
    )


def _group_events(slug):
    return Event.objects.public().filter(group__slug=slug)


@require_safe
@login_not_required
@condition(etag_func=lambda request, slug: _fingerprint(_group_events(slug)))
def group_calendar(request, slug):
    """A working group's public events; its members-only meetings reach its members through
    their personal feeds."""
    group = get_object_or_404(WorkingGroup, slug=slug)
    return _open_feed(
        _group_events(slug),
        key=f"group-ics-{group.pk}",
        name=_("Ruche — %(group)s") % {"group": group.name},
        filename=f"ruche-groupe-{group.slug}.ics",
    )


@never_cache
@require_safe
@login_not_required
def personal_calendar(request, secret):
    member = calendar_feed_member(secret=secret)
    if member is None:
        raise Http404
    cutoff = timezone.now() - datetime.timedelta(days=FEED_PAST_DAYS)
    organised = list(
        Event.objects.organised_by(member).filter(end__gte=cutoff).select_related("series")
    )
    registered = list(
        Event.objects.filter(
            end__gte=cutoff,
            rsvps__member=member,
            rsvps__status__in=[RsvpStatus.CONFIRMED, RsvpStatus.WAITLISTED],
        )
        .with_rsvp_of(member)
        .select_related("series")
    )
    signups = ShiftSignup.objects.filter(member=member, shift__end__gte=cutoff).select_related(
        "shift__event"
    )
    of_groups = list(
        Event.objects.of_groups_of(member).filter(end__gte=cutoff).select_related("series")
    )
    events = {event.pk: event for event in [*of_groups, *organised, *registered]}
    body = ics.events_calendar(
        sorted(events.values(), key=lambda event: event.start),
        name=_("Ruche — mon agenda"),
        whole_series=_series_map([*organised, *of_groups]),
        waitlisted={e.pk for e in registered if e.my_rsvp_status == RsvpStatus.WAITLISTED},
        extra=[ics.shift_component(signup) for signup in signups],
    )
    return _ics_response(body, "ruche-mon-agenda.ics")


class EventFeed(Feed):
    feed_type = Atom1Feed
    title = gettext_lazy("Ruche — nouveaux événements")
    subtitle = gettext_lazy("Les événements publics de la communauté beta.gouv, dès leur annonce.")

    def link(self):
        return reverse("events:event-list")

    def items(self):
        return (
            Event.objects.public()
            .filter(Q(series__isnull=True) | Q(recurrence_id=F("series__dtstart")))
            .select_related("series")
            .order_by("-created_at", "-pk")[:30]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        lines = [when(item.start, item.end)]
        if item.series_id:
            lines.append(item.series.describe())
        if item.location:
            lines.append(item.location)
        text = plain_text(item.description)
        if text:
            lines.append(text)
        # Atom summaries are typed html: these lines are text, so they are escaped.
        return escape("\n".join(lines))

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_guid(self, item):
        return item.uid


event_feed = login_not_required(EventFeed())


def _agenda_context(request, form, preferences, feed_url=None) -> dict:
    now = timezone.now()
    events = (
        Event.objects.upcoming(now)
        .involving(request.user)
        .with_rsvp_of(request.user)
        .order_by("start", "pk")[:50]
    )
    signups = (
        ShiftSignup.objects.filter(member=request.user, shift__end__gte=now)
        .select_related("shift__event")
        .order_by("shift__start")[:50]
    )
    return {
        "form": form,
        "preferences": preferences,
        "events": events,
        "signups": signups,
        "feed_url": feed_url,
    }


@never_cache
@require_http_methods(["GET", "POST"])
def my_agenda(request):
    preferences = preferences_for(request.user)
    form = PreferencesForm(
        request.POST if request.method == "POST" else None,
        initial={"reminders": preferences.reminders},
    )
    if request.method == "POST" and form.is_valid():
        preferences_update(actor=request.user, reminders=form.cleaned_data["reminders"])
        messages.success(request, _("Vos préférences sont enregistrées."))
        return redirect("events:my-agenda")
    return render(request, "events/my_agenda.html", _agenda_context(request, form, preferences))


@never_cache
@require_POST
def feed_create(request):
    """Shows the new secret link once, in the response: only its hash is kept."""
    secret = calendar_feed_create(actor=request.user)
    preferences = preferences_for(request.user)
    form = PreferencesForm(initial={"reminders": preferences.reminders})
    url = request.build_absolute_uri(reverse("events:personal-calendar", args=[secret]))
    context = _agenda_context(request, form, preferences, feed_url=url)
    return render(request, "events/my_agenda.html", context)


@require_POST
def feed_revoke(request):
    calendar_feed_revoke(actor=request.user)
    messages.success(request, _("Le lien de votre agenda personnel ne fonctionne plus."))
    return redirect("events:my-agenda")
