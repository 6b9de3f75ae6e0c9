import functools
from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ruche.core.forms import add_service_errors
from ruche.initiatives import services
from ruche.initiatives.forms import CommentForm
from ruche.initiatives.models import Initiative


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


def tell(request, *, error: str | None = None, done: str | None = None) -> None:
    """The outcome of an action, as a message: shown at the top of the page the browser goes to
    next, or, when htmx swaps a block in place, inside that block (initiatives/_feedback.html),
    so that no message added during an htmx request is left for a later page."""
    if error:
        messages.error(request, error)
    elif done:
        messages.success(request, done)


def submitted(request, form, act: Callable[[dict], object]):
    """For a valid POST, what `act(form.cleaned_data)` (a service call) returns: the object it
    created or changed. None for a GET or an invalid form, and when the service refuses: its
    reasons are then on the form, next to their fields."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return act(form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return None


def comment_post(request, subject_page: Callable, **subject):
    """Publishes a comment on `subject` (initiative=… or need=…), then shows it; on bad input
    `subject_page(comment_form)` renders the page again with the form's errors."""
    form = CommentForm(request.POST)
    comment = submitted(
        request,
        form,
        lambda data: services.comment_add(actor=request.user, body=data["body"], **subject),
    )
    if comment is None:
        return subject_page(form)
    messages.success(request, _("Commentaire publié."))
    return redirect(comment.get_absolute_url())


def require_manager(request, initiative: Initiative) -> None:
    if not initiative.can_be_managed_by(request.user):
        raise PermissionDenied(
            _(
                "Seul·es les porteur·ses de l’initiative et l’équipe d’animation ont accès à "
                "cette page."
            )
        )
