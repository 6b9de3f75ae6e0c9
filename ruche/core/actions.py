"""The one view idiom: a view shapes input with a form, calls a service, and shows what the
service said. Services check permissions and validate; a refusal is a PermissionDenied (a page
of its own, 403) or a ValidationError (next to the fields, or as a message for an in-place
action)."""

import functools
from collections.abc import Callable
from typing import Any, Concatenate

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from ruche.core.forms import add_service_errors


def refusing[**P](
    view: Callable[Concatenate[HttpRequest, P], HttpResponse],
) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """A refused action shows the service's reason on a page of its own, with status 403."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as error:
            message = str(error) or _("Vous n’avez pas le droit de faire cela.")
            return render(request, "core/refused.html", {"message": message}, status=403)

    return wrapper


def error_text(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


def attempt(
    call: Callable[[], object], done: str | Callable[[object], str]
) -> tuple[str | None, str | None]:
    """Runs a service call for an in-place action: (None, done) when it went through (`done`
    may be a function of what the service returned), (the service's reason, None) when it was
    refused."""
    try:
        result = call()
    except ValidationError as error:
        return error_text(error), None
    return None, done(result) if callable(done) else done


def tell(request: HttpRequest, *, error: str | None = None, done: str | None = None) -> None:
    """The outcome of an action, as a message: shown at the top of the page the browser goes to
    next, or, when htmx swaps a block in place, inside that block (core/_feedback.html),
    so that no message added during an htmx request is left for a later page."""
    if error:
        messages.error(request, error)
    elif done:
        messages.success(request, done)


def submitted(
    request: HttpRequest,
    form: forms.BaseForm,
    act: Callable[[dict[str, Any]], object],
    renames: dict[str, str] | None = None,
) -> Any:
    """For a valid POST, what `act(form.cleaned_data)` (a service call) returns: the object it
    created or changed. None for a GET or an invalid form, and when the service refuses: its
    reasons are then on the form, next to their fields (`renames` maps a service's field name
    to the form's where they differ)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return act(form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error, renames)
        return None
