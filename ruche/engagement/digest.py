"""The engagement app's section of the digest (registered in notifications.py): the thanks a
member received since their previous digest and has not seen yet."""

import datetime
from collections import defaultdict

from django.db.models import Max
from django.urls import reverse

from ruche.engagement.models import Thanks
from ruche.notifications.models import Notification

LOOK_BACK = datetime.timedelta(days=14)
DIGEST_ITEMS = 8
THANKED = "engagement.thanked"


def thanks_prepare(now: datetime.datetime) -> dict:
    """Two queries whoever receives: the recent thanks, and up to when each receiver has seen
    their thanks (the read notification of a thanks leads to the profile, which lists them
    all)."""
    received = defaultdict(list)
    for thanks in (
        Thanks.objects.filter(at__gte=now - LOOK_BACK, at__lte=now)
        .select_related("giver")
        .order_by("-at", "-pk")
    ):
        received[thanks.receiver_id].append(
            {"giver": thanks.giver.display_name, "message": thanks.message, "at": thanks.at}
        )
    seen = dict(
        Notification.objects.filter(
            kind=THANKED, member_id__in=list(received), read_at__isnull=False
        )
        .values("member_id")
        .annotate(until=Max("created_at"))
        .values_list("member_id", "until")
    )
    return {"received": received, "seen": seen}


def thanks_build(member, now, prepared) -> dict | None:
    """« Les mercis reçus »: thanks that came since the previous digest, none already seen."""
    if member is None:
        return None
    since = getattr(member, "digest_since", None) or now - datetime.timedelta(days=7)
    seen = prepared["seen"].get(member.pk)
    items = [
        {"giver": item["giver"], "message": item["message"]}
        for item in prepared["received"].get(member.pk, [])
        if item["at"] >= since and (seen is None or item["at"] > seen)
    ]
    if not items:
        return None
    url = reverse("members:member-detail", args=[member.pk]) + "#mercis"
    return {"thanks": items[:DIGEST_ITEMS], "more": max(len(items) - DIGEST_ITEMS, 0), "url": url}
