"""Volunteer slots: the organisers' page and members' sign-ups, withdrawals and swaps."""

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
)

from ruche.core.actions import attempt, submitted, tell
from ruche.events.forms import ShiftForm
from ruche.events.models import Shift, ShiftSignup
from ruche.events.services import shifts
from ruche.events.views.common import managed_event


@require_http_methods(["GET", "POST"])
def event_shifts(request, pk):
    event = managed_event(request, pk)
    form = ShiftForm(request.POST or None, event=event)
    created = submitted(
        request,
        form,
        lambda data: _create(request, event, form, data),
        {"start": "start_time", "end": "end_time"},
    )
    if created is not None:
        messages.success(
            request,
            ngettext(
                "Créneau ajouté à %(count)s date.",
                "Créneau ajouté à %(count)s dates.",
                len(created),
            )
            % {"count": len(created)},
        )
        return redirect("events:event-shifts", pk=event.pk)
    event_shifts = event.shifts.with_taken().prefetch_related(
        Prefetch("signups", queryset=ShiftSignup.objects.select_related("member"))
    )
    context = {"event": event, "form": form, "shifts": event_shifts}
    status = 400 if form.errors else 200
    return render(request, "events/event_shifts.html", context, status=status)


def _create(request, event, form: ShiftForm, data: dict) -> list[Shift]:
    start, end = form.moments()
    return shifts.shift_create(
        actor=request.user,
        event=event,
        label=data["label"],
        capacity=data["capacity"],
        start=start,
        end=end,
        whole_series=data.get("whole_series", False),
    )


def _shift_action(request, pk, action, success):
    shift = get_object_or_404(Shift.objects.select_related("event"), pk=pk)
    error, done = attempt(lambda: action(shift), success)
    tell(request, error=error, done=done)
    return redirect(shift.event.get_absolute_url() + "#creneaux")


@require_POST
def shift_signup(request, pk):
    return _shift_action(
        request,
        pk,
        lambda shift: shifts.shift_signup(actor=request.user, shift=shift),
        _("Merci ! Le créneau est à vous."),
    )


@require_POST
def shift_withdraw(request, pk):
    return _shift_action(
        request,
        pk,
        lambda shift: shifts.shift_withdraw(actor=request.user, shift=shift),
        _("Vous n’êtes plus sur ce créneau."),
    )


@require_POST
def shift_swap_offer(request, pk):
    offered = request.POST.get("offer", "1") == "1"
    return _shift_action(
        request,
        pk,
        lambda shift: shifts.shift_swap_offer(actor=request.user, shift=shift, offered=offered),
        _("Votre place est proposée à l’échange : vous la gardez tant que personne ne la prend.")
        if offered
        else _("Vous ne proposez plus votre place."),
    )


@require_POST
def shift_swap_accept(request, pk):
    signup = get_object_or_404(ShiftSignup.objects.select_related("shift__event"), pk=pk)
    error, done = attempt(
        lambda: shifts.shift_swap_accept(actor=request.user, signup=signup),
        _("Merci ! Vous reprenez ce créneau."),
    )
    tell(request, error=error, done=done)
    return redirect(signup.shift.event.get_absolute_url() + "#creneaux")


@require_POST
def shift_delete(request, pk):
    shift = get_object_or_404(Shift.objects.select_related("event"), pk=pk)
    shifts.shift_delete(actor=request.user, shift=shift)
    messages.success(request, _("Le créneau est supprimé."))
    return redirect("events:event-shifts", pk=shift.event_id)
