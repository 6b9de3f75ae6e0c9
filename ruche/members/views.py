import mimetypes

from django.contrib import messages
from django.db.models import Count, Exists, OuterRef, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from ruche.core.actions import submitted
from ruche.core.pagination import paginate
from ruche.core.registry import build_sections, registry
from ruche.members import services
from ruche.members.forms import MemberFilterForm, ProfileForm
from ruche.members.models import Incubator, Member, Mission, Startup

# search_text starts with the folded display name: ordering by it puts "Élodie" among the E's,
# where ordering by display_name would put her after "Zoé".
BY_NAME = ("search_text", "pk")


def _breadcrumb(parent_label: str, parent_url_name: str, current: str) -> dict:
    return {"links": [{"url": reverse(parent_url_name), "title": parent_label}], "current": current}


@require_safe
def member_list(request):
    incubators = Incubator.objects.values_list("slug", "title")
    form = MemberFilterForm(request.GET, incubators=incubators)
    members = Member.objects.filter(is_active=True)
    if form.is_valid():
        members = members.matching(**form.cleaned_data)
    page = paginate(request, members.order_by(*BY_NAME).with_missions())
    context = {"form": form, "page": page, "today": timezone.localdate()}
    return render(request, "members/member_list.html", context)


@require_safe
def member_detail(request, pk):
    member = get_object_or_404(
        Member.objects.prefetch_related("competences", "previous_startups").with_missions(), pk=pk
    )
    context = {
        "member": member,
        "today": timezone.localdate(),
        "breadcrumb_data": _breadcrumb(_("Membres"), "members:member-list", member.display_name),
        "sections": build_sections(registry.page_sections("members.member"), request, member),
    }
    return render(request, "members/member_detail.html", context)


AVATAR_TYPES = {"image/jpeg", "image/png"}


@require_safe
def member_avatar(request, pk):
    """A member's photo, for signed-in members only like the rest of the profile. Served by
    Django because uploads are not static files (WhiteNoise serves only those)."""
    member = get_object_or_404(Member, pk=pk)
    content_type = mimetypes.guess_type(member.avatar.name)[0] if member.avatar else None
    if content_type not in AVATAR_TYPES:
        raise Http404
    try:
        image = member.avatar.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(image, content_type=content_type)
    # The URL carries the file name, so a new photo gets a new URL.
    response["Cache-Control"] = "private, max-age=604800"
    return response


def _profile_fields(data: dict) -> dict:
    fields = {name: data[name] for name in ProfileForm.Meta.fields}
    if fields["avatar"] is False:  # "clear" was ticked
        fields["avatar"] = ""
    return fields


@require_http_methods(["GET", "POST"])
def profile_edit(request):
    member = request.user
    form = ProfileForm(request.POST or None, request.FILES or None, instance=member)
    saved = submitted(
        request,
        form,
        lambda data: services.member_profile_update(
            actor=request.user,
            member=member,
            fields=_profile_fields(data),
            competences=data["competences_text"],
        ),
        {"competences": "competences_text"},
    )
    if saved is not None:
        messages.success(request, _("Votre profil est enregistré."))
        return redirect(member.get_absolute_url())
    if request.method == "POST":
        member.refresh_from_db()
    status = 400 if form.errors else 200
    return render(request, "members/profile_edit.html", {"form": form}, status=status)


@require_safe
def startup_list(request):
    startups = Startup.objects.select_related("incubator").order_by("name")
    query = request.GET.get("q", "").strip()[:100]
    if query:
        startups = startups.filter(Q(name__icontains=query) | Q(pitch__icontains=query))
    return render(
        request, "members/startup_list.html", {"page": paginate(request, startups), "q": query}
    )


@require_safe
def startup_detail(request, slug):
    startup = get_object_or_404(Startup.objects.select_related("incubator"), slug=slug)
    today = timezone.localdate()
    running = Q(start__lte=today) & (Q(end__isnull=True) | Q(end__gte=today))
    team = Member.objects.filter(
        Exists(Mission.objects.filter(running, member=OuterRef("pk"), startups=startup))
    ).order_by(*BY_NAME)
    alumni = (
        Member.objects.filter(
            Exists(Mission.objects.filter(member=OuterRef("pk"), startups=startup))
        )
        .exclude(pk__in=team.values("pk"))
        .order_by(*BY_NAME)
    )
    context = {
        "startup": startup,
        "team": team,
        "alumni": paginate(request, alumni, per_page=48),
        "breadcrumb_data": _breadcrumb(_("Startups"), "members:startup-list", startup.name),
    }
    return render(request, "members/startup_detail.html", context)


@require_safe
def incubator_list(request):
    incubators = Incubator.objects.annotate(startup_count=Count("startups")).order_by("title")
    return render(request, "members/incubator_list.html", {"incubators": incubators})


@require_safe
def incubator_detail(request, slug):
    incubator = get_object_or_404(Incubator.objects.select_related("owner"), slug=slug)
    startups = incubator.startups.order_by("name")
    members = Member.objects.filter(is_active=True).matching(
        incubator=incubator.slug, status="active"
    )
    context = {
        "incubator": incubator,
        "startups": startups,
        "page": paginate(request, members.order_by(*BY_NAME).with_missions()),
        "today": timezone.localdate(),
        "breadcrumb_data": _breadcrumb(_("Incubateurs"), "members:incubator-list", incubator.title),
    }
    return render(request, "members/incubator_detail.html", context)
