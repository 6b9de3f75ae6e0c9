"""The groups app's section of the digest (registered in notifications.py): the open proposals
and the decisions of the member's groups since their last digest."""

import datetime
from collections import defaultdict

from django.utils import timezone

from ruche.groups.models import Decision, Membership, Proposal

LOOK_BACK = datetime.timedelta(days=14)
DIGEST_ITEMS = 8


def news_prepare(now: datetime.datetime) -> dict:
    since = now - LOOK_BACK
    proposals = (
        Proposal.objects.open(timezone.localdate(now))
        .filter(created_at__gte=since)
        .select_related("group")
    )
    decisions = Decision.objects.filter(created_at__gte=since).select_related("group")
    followers = defaultdict(set)
    group_ids = {p.group_id for p in proposals} | {d.group_id for d in decisions}
    for group_id, member_id in Membership.objects.filter(group_id__in=group_ids).values_list(
        "group_id", "member_id"
    ):
        followers[group_id].add(member_id)
    return {
        "proposals": [
            {
                "group": p.group.name,
                "question": p.question,
                "url": p.get_absolute_url(),
                "at": p.created_at,
                "to": followers[p.group_id],
                "by": p.author_id,
            }
            for p in proposals
        ],
        "decisions": [
            {
                "group": d.group.name,
                "title": d.title,
                "url": d.get_absolute_url(),
                "at": d.created_at,
                "to": followers[d.group_id],
                "by": d.recorded_by_id,
            }
            for d in decisions
        ],
    }


def news_build(member, now, prepared) -> dict | None:
    """« Dans vos groupes »: what is new in the groups the member belongs to or observes."""
    if member is None:
        return None
    since = getattr(member, "digest_since", None) or now - datetime.timedelta(days=7)

    def mine(items):
        return [
            {
                key: value
                for key, value in item.items()
                if key in {"group", "question", "title", "url"}
            }
            for item in items
            if member.pk in item["to"] and item["at"] >= since and item["by"] != member.pk
        ][:DIGEST_ITEMS]

    proposals, decisions = mine(prepared["proposals"]), mine(prepared["decisions"])
    if not proposals and not decisions:
        return None
    return {"proposals": proposals, "decisions": decisions}
