"""The agenda pages: coming events with filters, the month view, past events, subscribing."""

import calendar
import datetime

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import (
    require_safe,
)

from ruche.core.pagination import paginate
from ruche.events.forms import (
    EventFilterForm,
)
from ruche.events.models import Event
from ruche.events.recurrence import PARIS
from ruche.events.templatetags.event_tags import card_key
from ruche.events.views.common import (
    incubator_choices,
    list_queryset,
)
from ruche.groups.models import WorkingGroup

WEEKDAYS = [
    gettext_lazy("Lundi"),
    gettext_lazy("Mardi"),
    gettext_lazy("Mercredi"),
    gettext_lazy("Jeudi"),
    gettext_lazy("Vendredi"),
    gettext_lazy("Samedi"),
    gettext_lazy("Dimanche"),
]

PAGE_SIZE = 20


@require_safe
@login_not_required
def event_list(request):
    signed_in = request.user.is_authenticated
    incubators = incubator_choices()
    form = EventFilterForm(request.GET, incubators=incubators, signed_in=signed_in)
    events = list_queryset(request).upcoming()
    if form.is_valid():
        data = form.cleaned_data
        events = events.matching(data["q"])
        if data["kind"]:
            events = events.filter(kind=data["kind"])
        if data["incubator"]:
            events = events.filter(incubator__slug=data["incubator"])
        if data.get("audience") == "public":
            events = events.filter(is_public=True)
        elif data.get("audience") == "members":
            events = events.filter(is_public=False)
    page = paginate(request, events.order_by("start", "pk"), per_page=PAGE_SIZE)
    today = timezone.localdate()
    context = {"form": form, "page": page, "today": today, "filtered": any(request.GET.values())}
    context["form_key"] = filter_form_key(form, request.GET, incubators, signed_in)
    context["cards_key"] = cards_key(page)
    return render(request, "events/event_list.html", context)


def filter_form_key(
    form: EventFilterForm, request_data: QueryDict, incubators: list, signed_in: bool
) -> str:
    """All the rendered filter form depends on (with the language): its fields, what was
    typed or picked in each, the incubators offered. Rendering its selects through the widget
    templates costs more than the rest of the page, so the HTML is kept (template_fragments)."""
    typed = [(name, request_data.getlist(name)) for name in form.fields]
    return repr((signed_in, typed, sorted(form.errors), incubators))


def cards_key(page) -> str:
    """The list of cards is kept whole, keyed by each card's own key (all a card shows)."""
    return repr([card_key(event) for event in page])


@require_safe
@login_not_required
def event_past(request):
    events = list_queryset(request).past().order_by("-start", "-pk")
    page = paginate(request, events, per_page=PAGE_SIZE)
    return render(request, "events/event_past.html", {"page": page})


@require_safe
@login_not_required
def event_month(request, year=None, month=None):
    if year is None:
        today = timezone.localdate()
        year, month = today.year, today.month
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        raise Http404
    first = datetime.date(year, month, 1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    start = datetime.datetime.combine(first, datetime.time(), tzinfo=PARIS)
    end = datetime.datetime.combine(following, datetime.time(), tzinfo=PARIS)
    events = list(
        Event.objects.visible_to(request.user)
        .filter(start__lt=end, end__gt=start)
        .order_by("start", "pk")
    )
    by_day = {}
    for event in events:
        by_day.setdefault(event.start.astimezone(PARIS).date(), []).append(event)
    weeks = [
        [
            {"date": day, "in_month": day.month == month, "events": by_day.get(day, [])}
            for day in week
        ]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    ]
    context = {
        "month_label": formats.date_format(first, "F Y"),
        "weeks": weeks,
        "weekdays": WEEKDAYS,
        "previous": previous,
        "following": following,
        "previous_label": formats.date_format(previous, "F Y"),
        "following_label": formats.date_format(following, "F Y"),
        "event_count": len(events),
        "days": sorted(by_day.items()),
        "today": timezone.localdate(),
    }
    return render(request, "events/event_month.html", context)


@require_safe
@login_not_required
def subscribe(request):
    context = {
        "public_url": request.build_absolute_uri(reverse("events:public-calendar")),
        "groups": list(WorkingGroup.objects.active().only("name", "slug")),
    }
    return render(request, "events/subscribe.html", context)
