from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ruche.core.pagination import paginate
from ruche.notifications import services
from ruche.notifications.forms import PreferencesForm
from ruche.notifications.models import Notification


@require_safe
def notification_list(request):
    page = paginate(request, Notification.objects.in_app().filter(member=request.user))
    return render(request, "notifications/notification_list.html", {"page": page})


@require_POST
def notification_open(request, pk):
    notification = get_object_or_404(Notification.objects.in_app(), pk=pk, member=request.user)
    services.mark_read(member=request.user, notification_ids=[notification.pk])
    target = notification.url
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "notifications:list"
    return redirect(target)


@require_POST
def notification_mark_all_read(request):
    services.mark_read(member=request.user)
    return redirect("notifications:list")


@never_cache
@require_http_methods(["GET", "POST"])
def preferences(request):
    current = services.preferences_for(request.user)
    form = PreferencesForm(
        request.POST if request.method == "POST" else None, initial={"digest": current.digest}
    )
    if request.method == "POST" and form.is_valid():
        services.preferences_update(actor=request.user, digest=form.cleaned_data["digest"])
        messages.success(request, _("Vos préférences sont enregistrées."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
