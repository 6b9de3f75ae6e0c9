"""Invited speakers: the organisers' page and the speaker's private answer page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
)

from ruche.core.actions import attempt, submitted, tell
from ruche.events.forms import SpeakerAnswerForm, SpeakerForm
from ruche.events.models import Speaker
from ruche.events.services import speakers
from ruche.events.views.common import managed_event


@require_http_methods(["GET", "POST"])
def event_speakers(request, pk):
    event = managed_event(request, pk)
    form = SpeakerForm(request.POST or None)
    speaker = submitted(
        request,
        form,
        lambda data: speakers.speaker_invite(actor=request.user, event=event, **data),
    )
    if speaker is not None:
        messages.success(
            request,
            _("Invitation envoyée à %(name)s (%(email)s).")
            % {"name": speaker.name, "email": speaker.email},
        )
        return redirect("events:event-speakers", pk=event.pk)
    status = 400 if form.errors else 200
    context = {"event": event, "form": form, "speakers": event.speakers.select_related("member")}
    return render(request, "events/event_speakers.html", context, status=status)


@require_POST
def speaker_reinvite(request, pk, speaker_pk):
    event = managed_event(request, pk)
    speaker = get_object_or_404(Speaker.objects.select_related("event"), pk=speaker_pk, event=event)
    error, done = attempt(
        lambda: speakers.speaker_reinvite(actor=request.user, speaker=speaker),
        _("Invitation envoyée de nouveau à %(name)s (%(email)s), avec un nouveau lien.")
        % {"name": speaker.name, "email": speaker.email},
    )
    tell(request, error=error, done=done)
    return redirect("events:event-speakers", pk=event.pk)


@require_POST
def speaker_remove(request, pk, speaker_pk):
    event = managed_event(request, pk)
    speaker = get_object_or_404(Speaker, pk=speaker_pk, event=event)
    speakers.speaker_remove(actor=request.user, speaker=speaker)
    messages.success(request, _("%(name)s n’est plus sur la liste.") % {"name": speaker.name})
    return redirect("events:event-speakers", pk=event.pk)


@never_cache
@login_not_required
@require_http_methods(["GET", "POST"])
def speaker_answer(request, secret):
    speaker = speakers.speaker_find(secret=secret)
    if speaker is None:
        raise Http404
    initial = {
        "bio": speaker.bio,
        "talk_title": speaker.talk_title,
        "answer": {"confirmed": "yes", "declined": "no"}.get(speaker.status, ""),
    }
    form = SpeakerAnswerForm(request.POST or None, initial=initial)
    answered = submitted(
        request,
        form,
        lambda data: speakers.speaker_answer(
            secret=secret,
            accept=data["answer"] == "yes",
            bio=data["bio"],
            talk_title=data["talk_title"],
        ),
    )
    if answered is not None:
        if form.cleaned_data["answer"] == "yes":
            messages.success(request, _("Merci ! Votre participation est confirmée."))
        else:
            messages.info(request, _("C’est noté, merci d’avoir répondu."))
        return redirect(request.path)
    status = 400 if form.errors else 200
    context = {"speaker": speaker, "event": speaker.event, "form": form}
    return render(request, "events/speaker_answer.html", context, status=status)
