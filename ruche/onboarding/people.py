"""Whom to ask: the leads or organisers of something, and the engaged colleagues of a member's
startup and incubator (only those who show their engagement)."""

import datetime

from django.db.models import Max, Q, Sum
from django.utils import timezone

from ruche.engagement.models import Contribution
from ruche.members.enums import HistoryVisibility
from ruche.members.models import Member, Mission

COLLEAGUES_SHOWN = 8
RECENT = datetime.timedelta(days=365)


def engaged_colleagues(member: Member) -> dict:
    """Members of the member's startup, then of their incubator, who acted in the last year and
    show their engagement; no counts, the most recently active first."""
    today = timezone.localdate()
    running = Q(start__lte=today) & (Q(end__isnull=True) | Q(end__gte=today))
    mine = Mission.objects.filter(running, member=member)
    startups = mine.values("startups")
    incubators = mine.values("startups__incubator")
    since = timezone.now() - RECENT

    def engaged(where: Q):
        colleagues = Mission.objects.filter(running, where).values("member_id")
        active = (
            Contribution.objects.filter(member__in=colleagues, at__gte=since)
            .exclude(member=member)
            .values("member_id")
            .annotate(net=Sum("weight"), last=Max("at"))
            .filter(net__gt=0)
            .order_by("-last", "member_id")
        )
        return active

    startup_rows = list(engaged(Q(startups__in=startups)).values_list("member_id", flat=True)[:20])
    incubator_rows = list(
        engaged(Q(startups__incubator__in=incubators)).values_list("member_id", flat=True)[:40]
    )
    ids = list(dict.fromkeys(startup_rows + incubator_rows))
    # Read by key and filtered here: with the flags in the SQL, SQLite walks the index of every
    # active member instead of reading these few rows.
    shown = {
        pk: person
        for pk, person in Member.objects.in_bulk(ids).items()
        if person.is_active and person.history_visibility == HistoryVisibility.MEMBERS
    }
    people = [shown[pk] for pk in ids if pk in shown][:COLLEAGUES_SHOWN]
    same_startup = set(startup_rows)
    for person in people:
        person.same_startup = person.pk in same_startup
    return {"colleagues": people}
