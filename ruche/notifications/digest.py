"""The digest: on Monday from 8 a.m. (Paris), each member who keeps it gets, weekly or every
other week, what the apps' sections have for them, and the notifications they chose to hear of
there and have not read. The same sections make the page « Récapitulatif » and, for the parts
that are the same for everyone, the community part the animation team exports as markdown and
the chat's weekly summary."""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from ruche.members.models import Member
from ruche.notifications.announcements import announce_markdown
from ruche.notifications.enums import DEFAULT_MODES, DigestFrequency, Topic
from ruche.notifications.models import (
    CategoryPreference,
    DigestDelivery,
    Notification,
    NotificationPreferences,
)
from ruche.notifications.registry import DigestSection, digest_sections
from ruche.notifications.services import notify

DIGEST_TIME = datetime.time(8)
# A worker stopped for longer than the window skips that week rather than sending Monday's
# news days late.
DIGEST_WINDOW = datetime.timedelta(days=1)
PERIOD = {
    DigestFrequency.WEEKLY: datetime.timedelta(days=7),
    DigestFrequency.FORTNIGHTLY: datetime.timedelta(days=14),
}
# The notifications gathered for one digest: beyond, the list in Ruche has them all.
GATHERED = 20
GATHERED_SECTION = "notifications.gathered"


def digest_week(now: datetime.datetime) -> datetime.date | None:
    """The Monday of the week whose digest is due at `now`; None outside the sending window."""
    paris = timezone.localtime(now, timezone.get_default_timezone())
    monday = paris.date() - datetime.timedelta(days=paris.weekday())
    opens = datetime.datetime.combine(monday, DIGEST_TIME, tzinfo=paris.tzinfo)
    return monday if opens <= paris < opens + DIGEST_WINDOW else None


def _recipients(week: datetime.date):
    """Members, current and alumni, whose account is open, who have signed in at least once
    (an imported member who never came did not ask for e-mail), with an address, who keep the
    digest, whose digest of `week` is not done yet, and, when they asked for it every other
    week, who had one last week."""
    preferences = NotificationPreferences.objects.filter(member=OuterRef("pk"))
    done = DigestDelivery.objects.filter(member=OuterRef("pk"), week=week)
    last_week = DigestDelivery.objects.filter(
        member=OuterRef("pk"), week=week - datetime.timedelta(days=7)
    )
    fortnightly = preferences.filter(digest_frequency=DigestFrequency.FORTNIGHTLY)
    return (
        Member.objects.filter(is_active=True, last_login__isnull=False)
        .exclude(email="")
        .exclude(Exists(preferences.filter(digest_frequency=DigestFrequency.OFF)))
        .exclude(Exists(done))
        .exclude(Exists(fortnightly) & Exists(last_week))
        .annotate(digest_frequency=Subquery(preferences.values("digest_frequency")[:1]))
        .order_by("pk")
    )


def week_label(week: datetime.date) -> str:
    label = formats.date_format(week, "j F")
    if week.day == 1:
        label = label.replace("1", _("1er"), 1)
    return label


def _since(member, now: datetime.datetime) -> datetime.datetime:
    frequency = getattr(member, "digest_frequency", None) or DigestFrequency.WEEKLY
    return now - PERIOD.get(frequency, PERIOD[DigestFrequency.WEEKLY])


def _shows(section: DigestSection, modes: dict) -> bool:
    if section.category is None:
        return True
    return modes.get(section.category, DEFAULT_MODES[section.category]) in section.modes


def sections_of(member, now, prepared: dict, modes: dict, sections=None) -> list[dict]:
    """What each section has to tell `member` (None: the community part), in the current
    language."""
    built = []
    for section in sections if sections is not None else digest_sections():
        if member is None and not section.community:
            continue
        if member is not None and not _shows(section, modes):
            continue
        context = section.build(member, now, prepared[section.name])
        if context is not None:
            built.append(
                {
                    "name": section.name,
                    "template": section.template,
                    "html_template": section.html_template,
                    **context,
                }
            )
    return built


def prepare(now, sections=None) -> dict:
    sections = sections if sections is not None else digest_sections()
    return {s.name: s.prepare(now) if s.prepare else None for s in sections}


def digest_send(*, now: datetime.datetime | None = None) -> int:
    """Periodic: the digest, on Monday from 8 a.m. (Paris), once per member and week. A member
    none of the sections has anything for gets no e-mail, but their week is recorded as done
    all the same, so later runs of the day neither rebuild it nor send news that came up since.
    The week's row is created in the notification's transaction under a unique (member, week)
    constraint: a second run or a second worker that gets there too skips the member. Returns
    how many digests were sent."""
    now = now or timezone.now()
    week = digest_week(now)
    if week is None:
        return 0
    recipients = list(_recipients(week))
    if not recipients:
        return 0
    sections = digest_sections()
    modes = _modes_of([member.pk for member in recipients])
    with translation.override(settings.LANGUAGE_CODE):
        prepared = prepare(now, sections)
        common = {"week": week_label(week), "settings_url": reverse("notifications:preferences")}
    sent = 0
    for member in recipients:
        member.digest_since = _since(member, now)
        with translation.override(settings.LANGUAGE_CODE):
            built = sections_of(member, now, prepared, modes.get(member.pk, {}), sections)
        try:
            with transaction.atomic():
                notification = (
                    notify(member, "notifications.digest", {**common, "sections": built})
                    if built
                    else None
                )
                DigestDelivery.objects.create(member=member, week=week, notification=notification)
                gathered = prepared.get(GATHERED_SECTION) or {}
                told = [item["id"] for item in gathered.get(member.pk, [])]
                if told and notification is not None:
                    Notification.objects.filter(pk__in=told).update(digested_at=now)
        except IntegrityError:
            continue  # another run did this member's week meanwhile
        if notification is not None:
            sent += 1
    return sent


def _modes_of(member_ids: list[int]) -> dict[int, dict]:
    modes: dict[int, dict] = {}
    for member_id, category, mode in CategoryPreference.objects.filter(
        member_id__in=member_ids
    ).values_list("member_id", "category", "mode"):
        modes.setdefault(member_id, {})[category] = mode
    return modes


def digest_page(member, now=None) -> list[dict]:
    """The member's digest as it stands now, for the page (nothing is marked as told)."""
    now = now or timezone.now()
    preferences = NotificationPreferences.objects.filter(member=member).first()
    member.digest_frequency = preferences.digest_frequency if preferences else None
    member.digest_since = _since(member, now)
    sections = digest_sections()
    prepared = prepare(now, [s for s in sections if s.name != GATHERED_SECTION])
    prepared[GATHERED_SECTION] = gathered_prepare(now, member_ids=[member.pk])
    return sections_of(member, now, prepared, _modes_of([member.pk]).get(member.pk, {}), sections)


def gathered_prepare(now, member_ids=None) -> dict[int | None, list[dict]]:
    """member id → the notifications they chose to hear of in the digest and have not read."""
    waiting = Notification.objects.filter(
        for_digest=True, digested_at__isnull=True, read_at__isnull=True, in_app=True
    ).order_by("member_id", "-created_at", "-pk")
    if member_ids is not None:
        waiting = waiting.filter(member_id__in=member_ids)
    gathered: dict[int | None, list[dict]] = {}
    for notification in waiting:
        gathered.setdefault(notification.member_id, []).append(
            {
                "id": notification.pk,
                "subject": notification.display_subject,
                "url": notification.url,
            }
        )
    return gathered


def gathered_build(member, now, prepared) -> dict | None:
    """« En bref » : what the member chose to read in the digest rather than by e-mail."""
    items = prepared.get(member.pk) if member is not None else None
    if not items:
        return None
    return {"items": items[:GATHERED], "more": max(len(items) - GATHERED, 0)}


def community_markdown(now=None) -> str:
    """The part of the digest that is the same for everyone, as markdown (the community
    newsletter, the chat's weekly summary)."""
    now = now or timezone.now()
    sections = [s for s in digest_sections() if s.community]
    built = sections_of(None, now, prepare(now, sections), {}, sections)
    return render_to_string(
        "notifications/digest_community.md",
        {"sections": built, "base_url": settings.BASE_URL, "now": now},
    ).strip()


def weekly_summary_announce(*, now: datetime.datetime | None = None) -> bool:
    """Periodic: on Monday from 8 a.m., the community part of the digest to the chat channels
    that announce the weekly summary, once per week (the announcement's key)."""
    now = now or timezone.now()
    week = digest_week(now)
    if week is None:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        body = community_markdown(now)
        if not body:
            return False
        title = _("Récapitulatif de la semaine du %(week)s") % {"week": week_label(week)}
        return (
            announce_markdown(
                topic=Topic.WEEKLY_SUMMARY,
                markdown=f"**{title}**\n\n{body}",
                key=f"weekly_summary:{week.isoformat()}",
            )
            is not None
        )
