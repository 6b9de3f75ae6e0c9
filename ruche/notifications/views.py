from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ruche.core.actions import submitted
from ruche.core.pagination import paginate
from ruche.notifications import announcements, digest, services
from ruche.notifications.emails import DIGEST, unsubscribe_read
from ruche.notifications.enums import Category, DeliveryStatus, Scope, Topic
from ruche.notifications.forms import ChannelForm, NotificationFilterForm, PreferencesForm
from ruche.notifications.models import Channel, Delivery, Notification
from ruche.notifications.registry import scope_choices


@require_safe
def notification_list(request):
    filters = NotificationFilterForm(request.GET or None)
    category = filters.cleaned_data["categorie"] if filters.is_valid() else ""
    notifications = Notification.objects.in_app().filter(member=request.user)
    if category:
        notifications = notifications.filter(category=category)
    page = paginate(request, notifications)
    return render(
        request,
        "notifications/notification_list.html",
        {"page": page, "filters": filters, "category": category},
    )


@require_POST
def notification_open(request, pk):
    notification = get_object_or_404(Notification.objects.in_app(), pk=pk, member=request.user)
    services.notifications_mark_read(member=request.user, notification_ids=[notification.pk])
    target = notification.url
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "notifications:list"
    return redirect(target)


@require_POST
def notification_mark_all_read(request):
    category = request.POST.get("categorie", "")
    if category not in Category.values:
        category = ""
    services.notifications_mark_read(member=request.user, category=category)
    target = reverse("notifications:list")
    return redirect(f"{target}?categorie={category}" if category else target)


@never_cache
@require_http_methods(["GET", "POST"])
def preferences(request):
    current = services.preferences_for(request.user)
    initial = {"digest_frequency": current.digest_frequency, **services.modes_for(request.user)}
    form = PreferencesForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.preferences_update(
            actor=request.user,
            digest_frequency=form.cleaned_data["digest_frequency"],
            modes=form.modes(),
        )
        messages.success(request, _("Vos préférences sont enregistrées."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@require_safe
def digest_page(request):
    return render(
        request,
        "notifications/digest.html",
        {
            "sections": digest.digest_page(request.user),
            "preferences": services.preferences_for(request.user),
            "base_url": "",
        },
    )


@require_safe
def digest_community(request):
    announcements.require_animation_team(request.user)
    response = HttpResponse(
        digest.community_markdown(), content_type="text/markdown; charset=utf-8"
    )
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="ruche-communaute-{day}.md"'
    return response


@login_not_required
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """The one-click unsubscribe of an e-mail (RFC 8058): a POST, from the mail client or from
    the button of this page, switches the category off; the signed token is the proof, so no
    session (nor CSRF token, which a mail client cannot have) is needed. A GET only asks: mail
    scanners open links."""
    found = unsubscribe_read(token)
    if found is None:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=400)
    member_id, topic = found
    label = _("le récapitulatif") if topic == DIGEST else Category(topic).label
    if request.method == "POST":
        if not services.unsubscribe(member_id=member_id, topic=topic):
            return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=400)
        return render(request, "notifications/unsubscribe.html", {"done": True, "label": label})
    return render(request, "notifications/unsubscribe.html", {"label": label, "token": token})


def _animation_team_only(request):
    announcements.require_animation_team(request.user)


@require_safe
def channel_list(request):
    _animation_team_only(request)
    channels = list(Channel.objects.select_related("incubator"))
    groups = dict(scope_choices(Scope.GROUP))
    for channel in channels:
        channel.group_name = groups.get(channel.group_id, "")
    failing = [c for c in channels if c.is_active and c.failure_warned_at]
    return render(
        request, "notifications/channel_list.html", {"channels": channels, "failing": failing}
    )


@never_cache
@require_http_methods(["GET", "POST"])
def channel_edit(request, pk=None):
    _animation_team_only(request)
    channel = get_object_or_404(Channel, pk=pk) if pk else None
    initial = {}
    if channel:
        initial = {
            "name": channel.name,
            "homeserver_url": channel.homeserver_url,
            "room_id": channel.room_id,
            "topics": channel.topics,
            "scope": channel.scope,
            "incubator": channel.incubator,
            "group_id": channel.group_id,
        }
    form = ChannelForm(
        request.POST if request.method == "POST" else None, initial=initial, channel=channel
    )
    saved = submitted(
        request,
        form,
        lambda data: announcements.channel_save(actor=request.user, fields=data, channel=channel),
    )
    if saved is not None:
        messages.success(request, _("Le salon est enregistré."))
        return redirect(saved)
    return render(request, "notifications/channel_form.html", {"form": form, "channel": channel})


@require_safe
def channel_detail(request, pk):
    _animation_team_only(request)
    channel = get_object_or_404(Channel.objects.select_related("incubator"), pk=pk)
    page = paginate(request, channel.deliveries.select_related("announcement"))
    failed = channel.deliveries.failed().count()
    return render(
        request,
        "notifications/channel_detail.html",
        {"channel": channel, "page": page, "failed": failed, "topic_labels": Topic.choices},
    )


@require_POST
def channel_toggle(request, pk):
    channel = get_object_or_404(Channel, pk=pk)
    announcements.channel_set_active(
        actor=request.user, channel=channel, active=not channel.is_active
    )
    messages.success(
        request,
        _("Le salon est réactivé.") if channel.is_active else _("Le salon est désactivé."),
    )
    return redirect(channel)


@require_POST
def delivery_retry(request, pk):
    delivery = get_object_or_404(Delivery, pk=pk, channel__isnull=False)
    if delivery.status != DeliveryStatus.FAILED:
        raise PermissionDenied
    announcements.delivery_retry(actor=request.user, delivery=delivery)
    messages.success(request, _("L’annonce repart : elle est envoyée dans un instant."))
    return redirect(delivery.channel)
