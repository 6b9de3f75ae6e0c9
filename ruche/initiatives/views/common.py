from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from ruche.core.actions import submitted
from ruche.initiatives.forms import CommentForm
from ruche.initiatives.models import Initiative
from ruche.initiatives.services.conversation import comment_add


def comment_post(request, subject_page: Callable, **subject):
    """Publishes a comment on `subject` (initiative=… or need=…), then shows it; on bad input
    `subject_page(comment_form)` renders the page again with the form's errors."""
    form = CommentForm(request.POST)
    comment = submitted(
        request,
        form,
        lambda data: comment_add(actor=request.user, body=data["body"], **subject),
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
