import calendar
import csv
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, Max, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.feedgenerator import Atom1Feed
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
from ruche.core.pagination import paginate
from ruche.events import ics, services
from ruche.events.dates import when
from ruche.events.enums import RsvpStatus, SpeakerStatus
from ruche.events.forms import (
    EventCancelForm,
    EventCreateForm,
    EventEditForm,
    EventFilterForm,
    PreferencesForm,
    ShiftForm,
    SpeakerAnswerForm,
    SpeakerForm,
)
from ruche.events.models import Event, Rsvp, Shift, ShiftSignup, Speaker
from ruche.events.recurrence import PARIS, build_rule
from ruche.members.models import Incubator

FEED_PAST_DAYS = 90
# Rebuilding the public agenda for every calendar client that polls it is the costly part.
PUBLIC_FEED_CACHE_SECONDS = 60 * 60
WEEKDAYS = [
    gettext_lazy("Lundi"),
    gettext_lazy("Mardi"),
    gettext_lazy("Mercredi"),
    gettext_lazy("Jeudi"),
    gettext_lazy("Vendredi"),
    gettext_lazy("Samedi"),
    gettext_lazy("Dimanche"),
]
EDIT_FIELDS = [
    "title",
    "kind",
    "description",
    "start",
    "end",
    "location",
    "online_url",
    "capacity",
    "is_public",
]
CSV_HEADER = [
    gettext_lazy("Nom"),
    gettext_lazy("Adresse e-mail"),
    gettext_lazy("Statut"),
    gettext_lazy("Position en liste d’attente"),
    gettext_lazy("Inscrit·e le"),
    gettext_lazy("Présent·e"),
]
PAGE_SIZE = 20


# ---------------------------------------------------------------------------------------------
# Helpers


def _incubator_choices():
    return list(Incubator.objects.order_by("title").values_list("slug", "title"))


def _incubator(slug: str):
    return Incubator.objects.filter(slug=slug).first() if slug else None


def _initiatives():
    return Event._meta.get_field("initiative").related_model.objects.visible()


def _initiative_choices(member, current=None) -> list[tuple[str, str]]:
    """The initiatives the member carries or has joined (and the event's own)."""
    initiatives = _initiatives().involving(member)
    if current is not None:
        initiatives = initiatives | _initiatives().filter(pk=current.pk)
    return [
        (str(pk), title) for pk, title in initiatives.order_by("title").values_list("pk", "title")
    ]


def _initiative(value: str):
    return _initiatives().filter(pk=value).first() if value and value.isdigit() else None


def _form_errors(form, error: ValidationError, renames: dict | None = None) -> None:
    """Puts a service's ValidationError on the form fields it names (or on the form)."""
    renames = renames or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.message_dict.items():
        field = renames.get(name, name)
        form.add_error(field if field in form.fields else None, errors)


def _event_or_404(request, pk, queryset=None):
    event = get_object_or_404(
        (Event.objects if queryset is None else queryset).select_related(
            "series", "incubator", "created_by", "initiative"
        ),
        pk=pk,
    )
    return event


def _visible(request, event):
    """Members-only events send visitors to the sign-in page."""
    if not services.can_view(request.user, event):
        return redirect_to_login(request.get_full_path())
    return None


def _managed(request, pk):
    event = _event_or_404(request, pk, Event.objects.prefetch_related("organisers"))
    if not services.can_manage(request.user, event):
        raise PermissionDenied(_("Seules les personnes qui organisent cet événement y ont accès."))
    return event


def _list_queryset(request):
    return (
        Event.objects.visible_to(request.user)
        .select_related("incubator", "series")
        .with_rsvp_counts()
        .with_rsvp_of(request.user)
    )


# ---------------------------------------------------------------------------------------------
# Agenda pages


@require_safe
@login_not_required
def event_list(request):
    signed_in = request.user.is_authenticated
    form = EventFilterForm(request.GET, incubators=_incubator_choices(), signed_in=signed_in)
    events = _list_queryset(request).upcoming()
    if form.is_valid():
        data = form.cleaned_data
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
    return render(request, "events/event_list.html", context)


@require_safe
@login_not_required
def event_past(request):
    events = _list_queryset(request).past().order_by("-start", "-pk")
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
        "today": timezone.localdate(),
    }
    return render(request, "events/event_month.html", context)


@require_safe
@login_not_required
def subscribe(request):
    context = {"public_url": request.build_absolute_uri(reverse("events:public-calendar"))}
    return render(request, "events/subscribe.html", context)


# ---------------------------------------------------------------------------------------------
# One event


@require_safe
@login_not_required
def event_detail(request, pk):
    event = _event_or_404(
        request,
        pk,
        Event.objects.with_rsvp_counts().prefetch_related("organisers"),
    )
    refusal = _visible(request, event)
    if refusal:
        return refusal
    user = request.user
    rsvp = None
    if user.is_authenticated:
        rsvp = (
            Rsvp.objects.filter(event=event, member=user)
            .exclude(status=RsvpStatus.CANCELLED)
            .first()
        )
    can_manage = services.can_manage(user, event)
    speakers = event.speakers.select_related("member")
    if not can_manage:
        speakers = speakers.filter(status=SpeakerStatus.CONFIRMED)
    shifts = (
        event.shifts.with_taken()
        .with_signup_of(user)
        .prefetch_related(
            Prefetch("signups", queryset=ShiftSignup.objects.select_related("member"))
        )
    )
    now = timezone.now()
    siblings = []
    if event.series_id:
        siblings = list(
            Event.objects.filter(series_id=event.series_id, end__gte=now)
            .exclude(pk=event.pk)
            .order_by("start")[:6]
        )
    context = {
        "event": event,
        "rsvp": rsvp,
        "can_manage": can_manage,
        "speakers": list(speakers),
        "shifts": list(shifts),
        "siblings": siblings,
        "is_open": not event.is_cancelled and not event.has_started(now),
        "is_over": event.is_over(now),
        "series_text": event.series.describe() if event.series_id else "",
        "places_left": (
            None if event.capacity is None else max(event.capacity - event.confirmed_count, 0)
        ),
    }
    return render(request, "events/event_detail.html", context)


@require_http_methods(["GET", "POST"])
def event_create(request):
    form = EventCreateForm(
        request.POST or None,
        incubators=_incubator_choices(),
        initiatives=_initiative_choices(request.user),
        initial={"initiative": request.GET.get("initiative", "")},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                recurrence = build_rule(
                    repeat=data["repeat"],
                    start=data["start"],
                    until=data["repeat_until"],
                    count=data["repeat_count"],
                )
                event = services.event_create(
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
                    incubator=_incubator(data["incubator"]),
                    co_organisers=data["co_organisers"],
                    recurrence=recurrence,
                    initiative=_initiative(data.get("initiative", "")),
                )
            except ValidationError as error:
                _form_errors(form, error, {"recurrence": "repeat"})
            else:
                if event.series_id:
                    messages.success(
                        request,
                        _("La série est publiée : %(rule)s.") % {"rule": event.series.describe()},
                    )
                else:
                    messages.success(request, _("L’événement est publié."))
                return redirect(event)
    return render(request, "events/event_form.html", {"form": form}, status=status)


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
        "co_organisers": [m for m in event.organisers.all() if m.pk != event.created_by_id],
        "scope": "one",
    }


@require_http_methods(["GET", "POST"])
def event_edit(request, pk):
    event = _managed(request, pk)
    in_series = event.series_id is not None
    form = EventEditForm(
        request.POST or None,
        initial=_initial(event),
        incubators=_incubator_choices(),
        initiatives=_initiative_choices(request.user, event.initiative),
        in_series=in_series,
    )
    status = 200
    if request.method == "POST":
        status = 400
        if event.is_cancelled:
            form.add_error(None, _("Cet événement est annulé : il ne peut plus être modifié."))
        elif form.is_valid():
            data = form.cleaned_data
            whole_series = in_series and data.get("scope") == "series"
            current = _initial(event)
            changes = {}
            for name in EDIT_FIELDS:
                if data[name] != current[name]:
                    changes[name] = data[name]
            if data["incubator"] != current["incubator"]:
                changes["incubator"] = _incubator(data["incubator"])
            if "initiative" in data and data["initiative"] != current["initiative"]:
                changes["initiative"] = _initiative(data["initiative"])
            try:
                services.event_update(
                    actor=request.user,
                    event=event,
                    changes=changes,
                    co_organisers=data["co_organisers"],
                    whole_series=whole_series,
                )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("Les modifications sont enregistrées."))
                return redirect(event)
    context = {"form": form, "event": event}
    return render(request, "events/event_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def event_cancel(request, pk):
    event = _managed(request, pk)
    in_series = event.series_id is not None
    form = EventCancelForm(request.POST if request.method == "POST" else None, in_series=in_series)
    status = 200
    registered = event.rsvps.active().count()
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.event_cancel(
                    actor=request.user,
                    event=event,
                    message=form.cleaned_data["message"],
                    whole_series=in_series and form.cleaned_data.get("scope") == "series",
                )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(
                    request, _("L’événement est annulé ; les personnes inscrites sont prévenues.")
                )
                return redirect(event)
    context = {"form": form, "event": event, "registered": registered}
    return render(request, "events/event_cancel.html", context, status=status)


@require_POST
def rsvp_register(request, pk):
    event = _event_or_404(request, pk)
    try:
        rsvp = services.rsvp_register(actor=request.user, event=event)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if rsvp.status == RsvpStatus.CONFIRMED:
            messages.success(request, _("C’est noté : vous êtes inscrit·e."))
        else:
            messages.info(
                request,
                _(
                    "L’événement est complet : vous êtes sur la liste d’attente, en position "
                    "%(position)s. Si une place se libère, vous serez inscrit·e et prévenu·e."
                )
                % {"position": rsvp.position},
            )
    return redirect(event)


@require_POST
def rsvp_cancel(request, pk):
    event = _event_or_404(request, pk)
    try:
        services.rsvp_cancel(actor=request.user, event=event)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Vous êtes désinscrit·e. Merci d’avoir libéré la place."))
    return redirect(event)


@require_http_methods(["GET", "POST"])
def event_registrations(request, pk):
    event = _managed(request, pk)
    if request.method == "POST":
        present = {int(v) for v in request.POST.getlist("present") if v.isdigit()}
        try:
            count = services.rsvp_attendance_set(actor=request.user, event=event, present=present)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("Présences enregistrées : %(count)s personne(s).") % {"count": count}
            )
        return redirect("events:event-registrations", pk=event.pk)
    rsvps = list(event.rsvps.active().select_related("member").order_by("queue_number"))
    confirmed = [r for r in rsvps if r.status == RsvpStatus.CONFIRMED]
    waitlisted = [r for r in rsvps if r.status == RsvpStatus.WAITLISTED]
    for position, rsvp in enumerate(waitlisted, start=1):
        rsvp.waiting_position = position
    context = {
        "event": event,
        "confirmed": confirmed,
        "waitlisted": waitlisted,
        "can_mark": event.has_started() and not event.is_cancelled,
    }
    return render(request, "events/event_registrations.html", context)


def _csv_cell(value) -> str:
    text = str(value)
    # Spreadsheets run cells that start like a formula.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@require_safe
def event_registrations_csv(request, pk):
    event = _managed(request, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="inscriptions-{event.pk}.csv"'
    response.write("\ufeff")  # lets spreadsheet software see UTF-8
    writer = csv.writer(response)
    writer.writerow([str(label) for label in CSV_HEADER])
    position = 0
    for rsvp in event.rsvps.active().select_related("member").order_by("queue_number"):
        waiting = rsvp.status == RsvpStatus.WAITLISTED
        position += waiting
        attended = {True: _("oui"), False: _("non"), None: ""}[rsvp.attended]
        writer.writerow(
            [
                _csv_cell(rsvp.member.display_name),
                _csv_cell(rsvp.member.email),
                rsvp.get_status_display(),
                position if waiting else "",
                timezone.localtime(rsvp.registered_at).strftime("%Y-%m-%d %H:%M"),
                attended,
            ]
        )
    return response


# ---------------------------------------------------------------------------------------------
# Speakers


@require_http_methods(["GET", "POST"])
def event_speakers(request, pk):
    event = _managed(request, pk)
    form = SpeakerForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                speaker = services.speaker_invite(
                    actor=request.user, event=event, **form.cleaned_data
                )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Invitation envoyée à %(name)s (%(email)s).")
                    % {"name": speaker.name, "email": speaker.email},
                )
                return redirect("events:event-speakers", pk=event.pk)
    context = {"event": event, "form": form, "speakers": event.speakers.select_related("member")}
    return render(request, "events/event_speakers.html", context, status=status)


@require_POST
def speaker_remove(request, pk, speaker_pk):
    event = _managed(request, pk)
    speaker = get_object_or_404(Speaker, pk=speaker_pk, event=event)
    services.speaker_remove(actor=request.user, speaker=speaker)
    messages.success(request, _("%(name)s n’est plus sur la liste.") % {"name": speaker.name})
    return redirect("events:event-speakers", pk=event.pk)


@never_cache
@login_not_required
@require_http_methods(["GET", "POST"])
def speaker_answer(request, secret):
    speaker = services.speaker_find(secret=secret)
    if speaker is None:
        raise Http404
    initial = {
        "bio": speaker.bio,
        "talk_title": speaker.talk_title,
        "answer": {"confirmed": "yes", "declined": "no"}.get(speaker.status, ""),
    }
    form = SpeakerAnswerForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.speaker_answer(
                    secret=secret,
                    accept=form.cleaned_data["answer"] == "yes",
                    bio=form.cleaned_data["bio"],
                    talk_title=form.cleaned_data["talk_title"],
                )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                if form.cleaned_data["answer"] == "yes":
                    messages.success(request, _("Merci ! Votre participation est confirmée."))
                else:
                    messages.info(request, _("C’est noté, merci d’avoir répondu."))
                return redirect(request.path)
    context = {"speaker": speaker, "event": speaker.event, "form": form}
    return render(request, "events/speaker_answer.html", context, status=status)


# ---------------------------------------------------------------------------------------------
# Volunteer slots


@require_http_methods(["GET", "POST"])
def event_shifts(request, pk):
    event = _managed(request, pk)
    form = ShiftForm(request.POST or None, event=event)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            start, end = form.moments()
            try:
                created = services.shift_create(
                    actor=request.user,
                    event=event,
                    label=form.cleaned_data["label"],
                    capacity=form.cleaned_data["capacity"],
                    start=start,
                    end=end,
                    whole_series=form.cleaned_data.get("whole_series", False),
                )
            except ValidationError as error:
                _form_errors(form, error, {"start": "start_time", "end": "end_time"})
            else:
                messages.success(
                    request,
                    _("Créneau ajouté à %(count)s date(s).") % {"count": len(created)},
                )
                return redirect("events:event-shifts", pk=event.pk)
    shifts = event.shifts.with_taken().prefetch_related(
        Prefetch("signups", queryset=ShiftSignup.objects.select_related("member"))
    )
    context = {"event": event, "form": form, "shifts": shifts}
    return render(request, "events/event_shifts.html", context, status=status)


def _shift_action(request, pk, action, success):
    shift = get_object_or_404(Shift.objects.select_related("event"), pk=pk)
    try:
        action(shift)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect(shift.event.get_absolute_url() + "#creneaux")


@require_POST
def shift_signup(request, pk):
    return _shift_action(
        request,
        pk,
        lambda shift: services.shift_signup(actor=request.user, shift=shift),
        _("Merci ! Le créneau est à vous."),
    )


@require_POST
def shift_withdraw(request, pk):
    return _shift_action(
        request,
        pk,
        lambda shift: services.shift_withdraw(actor=request.user, shift=shift),
        _("Vous n’êtes plus sur ce créneau."),
    )


@require_POST
def shift_swap_offer(request, pk):
    offered = request.POST.get("offer", "1") == "1"
    return _shift_action(
        request,
        pk,
        lambda shift: services.shift_swap_offer(actor=request.user, shift=shift, offered=offered),
        _("Votre place est proposée à l’échange : vous la gardez tant que personne ne la prend.")
        if offered
        else _("Vous ne proposez plus votre place."),
    )


@require_POST
def shift_swap_accept(request, pk):
    signup = get_object_or_404(ShiftSignup.objects.select_related("shift__event"), pk=pk)
    try:
        services.shift_swap_accept(actor=request.user, signup=signup)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Merci ! Vous reprenez ce créneau."))
    return redirect(signup.shift.event.get_absolute_url() + "#creneaux")


@require_POST
def shift_delete(request, pk):
    shift = get_object_or_404(Shift.objects.select_related("event"), pk=pk)
    services.shift_delete(actor=request.user, shift=shift)
    messages.success(request, _("Le créneau est supprimé."))
    return redirect("events:event-shifts", pk=shift.event_id)


# ---------------------------------------------------------------------------------------------
# Calendars and feeds


def _ics_response(body: bytes, filename: str, *, download: bool = False) -> HttpResponse:
    response = HttpResponse(body, content_type=ics.CONTENT_TYPE)
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def _series_map(events) -> dict:
    ids = {event.series_id for event in events if event.series_id}
    whole = {}
    for occurrence in Event.objects.filter(series_id__in=ids).select_related("series"):
        whole.setdefault(occurrence.series_id, []).append(occurrence)
    return whole


@require_safe
@login_not_required
def event_ics(request, pk):
    event = _event_or_404(request, pk)
    refusal = _visible(request, event)
    if refusal:
        return refusal
    body = ics.calendar([ics.event_component(event)])
    return _ics_response(body, f"evenement-{event.pk}.ics", download=True)


@require_safe
@login_not_required
def series_ics(request, pk):
    event = _event_or_404(request, pk)
    refusal = _visible(request, event)
    if refusal:
        return refusal
    if event.series_id is None:
        raise Http404
    occurrences = list(Event.objects.filter(series_id=event.series_id).select_related("series"))
    body = ics.calendar(ics.series_components(event.series, occurrences), name=event.title)
    return _ics_response(body, f"serie-{event.series_id}.ics", download=True)


def _public_fingerprint() -> str:
    """Changes whenever the public agenda does: any public event saved (edits, moves and
    cancellations all save the event), added or removed, or a new day (the window moves)."""
    cutoff = timezone.now() - datetime.timedelta(days=FEED_PAST_DAYS)
    found = (
        Event.objects.public()
        .filter(end__gte=cutoff)
        .aggregate(total=Count("pk"), changed=Max("updated_at"))
    )
    changed = found["changed"].timestamp() if found["changed"] else 0
    return f"{timezone.localdate():%Y%m%d}-{found['total']}-{changed:.6f}"


@require_safe
@login_not_required
@condition(etag_func=lambda request: _public_fingerprint())
def public_calendar(request):
    key = f"events:public-ics:{_public_fingerprint()}"
    body = cache.get(key)
    if body is None:
        cutoff = timezone.now() - datetime.timedelta(days=FEED_PAST_DAYS)
        events = list(Event.objects.public().filter(end__gte=cutoff).select_related("series"))
        body = ics.events_calendar(
            events,
            name=_("Ruche — agenda de la communauté beta.gouv"),
            whole_series=_series_map(events),
        )
        cache.set(key, body, PUBLIC_FEED_CACHE_SECONDS)
    return _ics_response(body, "ruche-agenda.ics")


@never_cache
@require_safe
@login_not_required
def personal_calendar(request, secret):
    member = services.calendar_feed_member(secret=secret)
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
        ).select_related("series")
    )
    signups = ShiftSignup.objects.filter(member=member, shift__end__gte=cutoff).select_related(
        "shift__event"
    )
    events = {event.pk: event for event in [*organised, *registered]}
    body = ics.events_calendar(
        sorted(events.values(), key=lambda event: event.start),
        name=_("Ruche — mon agenda"),
        whole_series=_series_map(organised),
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
        return "\n".join(lines)

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_guid(self, item):
        return item.uid


event_feed = login_not_required(EventFeed())


# ---------------------------------------------------------------------------------------------
# My agenda


def _agenda_context(request, form, preferences, feed_url=None) -> dict:
    now = timezone.now()
    rsvps = (
        Rsvp.objects.active()
        .filter(member=request.user, event__end__gte=now)
        .select_related("event")
        .order_by("event__start")[:50]
    )
    signups = (
        ShiftSignup.objects.filter(member=request.user, shift__end__gte=now)
        .select_related("shift__event")
        .order_by("shift__start")[:50]
    )
    return {
        "form": form,
        "preferences": preferences,
        "rsvps": rsvps,
        "signups": signups,
        "feed_url": feed_url,
    }


@never_cache
@require_http_methods(["GET", "POST"])
def my_agenda(request):
    preferences = services.preferences_for(request.user)
    form = PreferencesForm(
        request.POST if request.method == "POST" else None,
        initial={"reminders": preferences.reminders},
    )
    if request.method == "POST" and form.is_valid():
        services.preferences_update(actor=request.user, reminders=form.cleaned_data["reminders"])
        messages.success(request, _("Vos préférences sont enregistrées."))
        return redirect("events:my-agenda")
    return render(request, "events/my_agenda.html", _agenda_context(request, form, preferences))


@never_cache
@require_POST
def feed_create(request):
    """Shows the new secret link once, in the response: only its hash is kept."""
    secret = services.calendar_feed_create(actor=request.user)
    preferences = services.preferences_for(request.user)
    form = PreferencesForm(initial={"reminders": preferences.reminders})
    url = request.build_absolute_uri(reverse("events:personal-calendar", args=[secret]))
    context = _agenda_context(request, form, preferences, feed_url=url)
    return render(request, "events/my_agenda.html", context)


@require_POST
def feed_revoke(request):
    services.calendar_feed_revoke(actor=request.user)
    messages.success(request, _("Le lien de votre agenda personnel ne fonctionne plus."))
    return redirect("events:my-agenda")
