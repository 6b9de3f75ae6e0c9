"""The initiatives app's sections of the digest (registered in notifications.py): what is new in
the community (initiatives, needs) and the calls for help that match the member. Each reads
what every recipient's part is cut from once per sending, in `prepare`."""

import datetime
from collections import defaultdict

from django.db.models import F
from django.db.models.functions import Lower

from ruche.initiatives.enums import OPEN_STATUSES
from ruche.initiatives.models import CallForHelp, Initiative, Need
from ruche.members.models import Member

# What came up in the longest period between two digests (every other week).
LOOK_BACK = datetime.timedelta(days=14)
# More than this in one e-mail is a list nobody reads: the rest is on the site.
DIGEST_ITEMS = 8


def _since(member, now):
    return getattr(member, "digest_since", None) or now - datetime.timedelta(days=7)


def news_prepare(now: datetime.datetime) -> dict:
    since = now - LOOK_BACK
    initiatives = Initiative.objects.filter(hidden=False, created_at__gte=since).order_by(
        "-created_at", "-pk"
    )
    needs = Need.objects.filter(hidden=False, created_at__gte=since).order_by("-created_at", "-pk")
    return {
        "initiatives": [
            {
                "title": i.title,
                "summary": i.summary,
                "url": i.get_absolute_url(),
                "at": i.created_at,
                "by": i.proposer_id,
            }
            for i in initiatives
        ],
        "needs": [
            {"title": n.title, "url": n.get_absolute_url(), "at": n.created_at, "by": n.author_id}
            for n in needs
        ],
    }


def news_build(member, now, prepared) -> dict | None:
    """« Du nouveau dans la communauté »: initiatives and needs since the member's last digest
    (not their own). For the community part (member None), those of the last week."""
    since = _since(member, now)
    mine = member.pk if member is not None else None

    def fresh(items):
        return [
            {key: value for key, value in item.items() if key not in {"at", "by"}}
            for item in items
            if item["at"] >= since and item["by"] != mine
        ]

    initiatives, needs = fresh(prepared["initiatives"]), fresh(prepared["needs"])
    if not initiatives and not needs:
        return None
    return {"initiatives": initiatives[:DIGEST_ITEMS], "needs": needs[:DIGEST_ITEMS]}


def calls_prepare(now: datetime.datetime) -> list[tuple[dict, datetime.datetime, set[int]]]:
    """Each open call for help with places left and a skill asked, with the members who have
    that competence."""
    calls = list(
        CallForHelp.objects.filter(
            taken__lt=F("count"),
            initiative__hidden=False,
            initiative__status__in=OPEN_STATUSES,
            created_at__gte=now - LOOK_BACK,
        )
        .exclude(skill="")
        .select_related("initiative")
        .order_by("-created_at", "-pk")
    )
    skills = {call.skill.casefold() for call in calls}
    having = defaultdict(set)
    for member_id, name in (
        # django-stubs does not see the `name` annotation the filter reads.
        Member.competences.through.objects.annotate(  # type: ignore[misc]
            name=Lower("competence__name")
        )
        .filter(name__in={skill.lower() for skill in skills})
        .values_list("member_id", "name")
    ):
        having[name.casefold()].add(member_id)
    return [
        (
            {
                "label": call.label,
                "skill": call.skill,
                "title": call.initiative.title,
                "free": call.count - call.taken,
                "url": f"{call.initiative.get_absolute_url()}#participation",
            },
            call.created_at,
            having[call.skill.casefold()],
        )
        for call in calls
    ]


def calls_build(member, now, prepared) -> dict | None:
    """« On a besoin de vous »: roles asking for a competence the member has."""
    if member is None:
        return None
    since = _since(member, now)
    calls = [call for call, at, holders in prepared if member.pk in holders and at >= since]
    return {"calls": calls[:DIGEST_ITEMS]} if calls else None
