"""Registering and unregistering, and the organisers' list of who comes (with its CSV)."""

import csv

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from ruche.core.actions import attempt, tell
from ruche.events.enums import RsvpStatus
from ruche.events.services import registrations
from ruche.events.views.common import (
    event_or_404,
    managed_event,
)

CSV_HEADER = [
    gettext_lazy("Nom"),
    gettext_lazy("Adresse e-mail"),
    gettext_lazy("Statut"),
    gettext_lazy("Position en liste d’attente"),
    gettext_lazy("Inscrit·e le"),
    gettext_lazy("Présent·e"),
]


def _registered(rsvp) -> str:
    if rsvp.status == RsvpStatus.CONFIRMED:
        return _("C’est noté : vous êtes inscrit·e.")
    return _(
        "L’événement est complet : vous êtes sur la liste d’attente, en position "
        "%(position)s. Si une place se libère, vous serez inscrit·e et prévenu·e."
    ) % {"position": rsvp.position}


@require_POST
def rsvp_register(request, pk):
    event = event_or_404(pk)
    error, done = attempt(
        lambda: registrations.rsvp_register(actor=request.user, event=event), _registered
    )
    tell(request, error=error, done=done)
    return redirect(event)


@require_POST
def rsvp_cancel(request, pk):
    event = event_or_404(pk)
    error, done = attempt(
        lambda: registrations.rsvp_cancel(actor=request.user, event=event),
        _("Vous êtes désinscrit·e. Merci d’avoir libéré la place."),
    )
    tell(request, error=error, done=done)
    return redirect(event)


def _attendance_said(count: int) -> str:
    return ngettext(
        "Présences enregistrées : %(count)s personne présente.",
        "Présences enregistrées : %(count)s personnes présentes.",
        count,
    ) % {"count": count}


@require_http_methods(["GET", "POST"])
def event_registrations(request, pk):
    event = managed_event(request, pk)
    if request.method == "POST":
        present = {int(v) for v in request.POST.getlist("present") if v.isdigit()}
        error, done = attempt(
            lambda: registrations.rsvp_attendance_set(
                actor=request.user, event=event, present=present
            ),
            _attendance_said,
        )
        tell(request, error=error, done=done)
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
    event = managed_event(request, pk)
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
