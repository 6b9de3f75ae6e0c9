import functools
from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ruche.initiatives import services
from ruche.initiatives.forms import CommentForm
from ruche.initiatives.models import Initiative, Need


def refusing(view):
    """A refused action shows the service's reason on a page of its own, with status 403."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as error:
            message = str(error) or _("Vous n’avez pas le droit de faire cela.")
            return render(request, "initiatives/refused.html", {"message": message}, status=403)

    return wrapper


def error_text(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


def attempt(call: Callable[[], object], done: str) -> tuple[str | None, str | None]:
    """Runs a service call for an in-place (htmx) action: (None, done) when it went through,
    (the service's reason, None) when it was refused."""
    try:
        call()
    except ValidationError as error:
        return error_text(error), None
    return None, done


def comment_post(request, subject_page: Callable, **subject):
    """Publishes a comment on `subject` (initiative=… or need=…), then shows it; on bad input
    `subject_page(comment_form)` renders the page again with the form's errors."""
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment = services.comment_add(
                actor=request.user, body=form.cleaned_data["body"], **subject
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Commentaire publié."))
            return redirect(comment.get_absolute_url())
    return subject_page(form)


def can_see_hidden(member, initiative: Initiative | None = None) -> bool:
    if getattr(member, "is_animation_team", False):
        return True
    return initiative is not None and initiative.is_led_by(member)


def initiative_or_404(request, pk: int, queryset=None) -> Initiative:
    """Hidden initiatives stay visible to their leads and to the animation team only."""
    queryset = queryset if queryset is not None else Initiative.objects.all()
    initiative = get_object_or_404(queryset, pk=pk)
    if initiative.hidden and not can_see_hidden(request.user, initiative):
        raise Http404
    return initiative


def need_or_404(request, pk: int, queryset=None) -> Need:
    queryset = queryset if queryset is not None else Need.objects.all()
    need = get_object_or_404(queryset, pk=pk)
    if need.hidden and not need.can_be_managed_by(request.user):
        raise Http404
    return need


def require_manager(request, initiative: Initiative) -> None:
    if not initiative.can_be_managed_by(request.user):
        raise PermissionDenied(
            _(
                "Seul·es les porteur·ses de l’initiative et l’équipe d’animation ont accès à "
                "cette page."
            )
        )


def add_errors(form, error: ValidationError) -> None:
    """Puts a service's ValidationError on the form: next to its field when it names one of
    the form's fields, at the top otherwise."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
