from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from ruche.core.pagination import paginate
from ruche.notifications import services
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
