from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ruche.core.actions import attempt, refusing, submitted, tell
from ruche.engagement.enums import SubjectType
from ruche.engagement.models import TimeDeclaration
from ruche.engagement.services import duration_text, thanks_give, time_declare, time_delete
from ruche.groups.models import WorkingGroup
from ruche.members.models import Member
from ruche.onboarding import services
from ruche.onboarding.forms import ChatRoomForm, ThanksForm, TimeForm
from ruche.onboarding.history import standing_subjects, thankable
from ruche.onboarding.models import ChatRoom
from ruche.onboarding.people import engaged_colleagues
from ruche.onboarding.steps import first_steps
from ruche.onboarding.suggestions import suggestions_for
from ruche.onboarding.timesheet import (
    community_aggregates,
    month_csv,
    month_entries,
    month_of,
    next_month,
    previous_month,
)

ENGAGE_SUGGESTIONS = 12
TIME_SUBJECTS = [SubjectType.INITIATIVE, SubjectType.GROUP, SubjectType.EVENT]


def _back(request, default: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@require_safe
def engage(request):
    member = request.user
    context = {
        "steps": first_steps(member),
        "suggestions": suggestions_for(member, limit=ENGAGE_SUGGESTIONS),
        "rooms": list(ChatRoom.objects.all()),
        **engaged_colleagues(member),
    }
    return render(request, "onboarding/engage.html", context)


@require_POST
def suggestion_take(request, key):
    error, taken = attempt(
        lambda: services.suggestion_take(actor=request.user, key=key), lambda taken: taken
    )
    if error:
        tell(request, error=error)
        return redirect(_back(request, reverse("onboarding:engage")))
    where, done = taken
    if not done:  # a need: on to the proposal form
        return redirect(where)
    tell(request, done=done)
    return redirect(_back(request, reverse("onboarding:engage")))


@require_POST
def suggestion_decline(request, key):
    error, done = attempt(
        lambda: services.suggestion_decline(actor=request.user, key=key),
        _("Compris : nous ne vous le proposerons plus."),
    )
    tell(request, error=error, done=done)
    return redirect(_back(request, reverse("onboarding:engage")))


@require_POST
def first_steps_dismiss(request):
    services.first_steps_dismiss(actor=request.user)
    tell(request, done=_("Les premiers pas sont rangés."))
    return redirect(_back(request, reverse("core:home")))


@require_POST
def thanks_create(request, pk):
    receiver = get_object_or_404(Member, pk=pk, is_active=True)
    form = ThanksForm(request.POST, choices=thankable(receiver, request.user))
    url = receiver.get_absolute_url() + "#mercis"
    if not form.is_valid():
        tell(request, error=_("Choisissez pour quoi vous remerciez, parmi ses contributions."))
        return redirect(url)
    subject_type, subject_id = form.subject_parts()
    error, done = attempt(
        lambda: thanks_give(
            actor=request.user,
            receiver=receiver,
            subject_type=subject_type,
            subject_id=subject_id,
            message=form.cleaned_data["message"],
        ),
        _("Merci transmis à %(name)s.") % {"name": receiver.display_name},
    )
    tell(request, error=error, done=done)
    return redirect(url)


def _time_choices(member):
    return standing_subjects(member, types=TIME_SUBJECTS)


@require_http_methods(["GET", "POST"])
def time_list(request):
    member = request.user
    first = month_of(request.GET.get("mois"))
    form = TimeForm(request.POST or None, choices=_time_choices(member))

    def declare(data):
        subject_type, subject_id = form.subject_parts()
        return time_declare(
            actor=member,
            day=data["day"],
            minutes=form.total_minutes(),
            what=data["what"],
            subject_type=subject_type,
            subject_id=subject_id,
        )

    declared = submitted(request, form, declare)
    if declared is not None:
        tell(
            request,
            done=_("C’est noté : %(duration)s.") % {"duration": duration_text(declared.minutes)},
        )
        return redirect(reverse("onboarding:time") + f"?mois={declared.day:%Y-%m}")
    context = {
        "form": form,
        **month_entries(member, first),
        "previous": previous_month(first),
        "next": next_month(first),
        "aggregates": community_aggregates() if member.is_animation_team else None,
    }
    status = 400 if form.errors else 200
    return render(request, "onboarding/time_list.html", context, status=status)


@require_POST
def time_remove(request, pk):
    try:
        time_delete(actor=request.user, declaration_id=pk)
    except TimeDeclaration.DoesNotExist:
        raise Http404 from None
    tell(request, done=_("Déclaration supprimée."))
    return redirect(_back(request, reverse("onboarding:time")))


@require_safe
def time_export(request):
    first = month_of(request.GET.get("mois"))
    response = HttpResponse(month_csv(request.user, first), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="temps-communaute-{first:%Y-%m}.csv"'
    return response


@require_safe
def time_statement(request):
    first = month_of(request.GET.get("mois"))
    return render(
        request,
        "onboarding/time_statement.html",
        {"member": request.user, **month_entries(request.user, first)},
    )


@require_http_methods(["GET", "POST"])
@refusing
def chat_rooms(request):
    form = ChatRoomForm(request.POST or None)
    added = submitted(
        request, form, lambda data: services.chat_room_add(actor=request.user, fields=data)
    )
    if added is not None:
        messages.success(request, _("Salon ajouté."))
        return redirect("onboarding:chat-rooms")
    if request.method == "GET" and not (
        request.user.is_animation_team or request.user.is_superuser
    ):
        form = None
    context = {
        "form": form,
        "rooms": ChatRoom.objects.all(),
        "group_rooms": WorkingGroup.objects.active().exclude(chat_url=""),
    }
    return render(
        request, "onboarding/chat_rooms.html", context, status=400 if form and form.errors else 200
    )


@require_POST
@refusing
def chat_room_delete(request, pk):
    room = get_object_or_404(ChatRoom, pk=pk)
    services.chat_room_delete(actor=request.user, room=room)
    messages.success(request, _("Salon retiré de la liste."))
    return redirect("onboarding:chat-rooms")
