"""Demo data: a handful of working groups and clubs on how the community runs, each with one
or two leads and members who joined over the last two years (written to the ledger)."""

import datetime

from django.utils.text import slugify

from ruche.demo.context import DemoContext, place_of
from ruche.engagement.enums import ContributionKind, SubjectType
from ruche.engagement.services import ContributionBatch
from ruche.groups.enums import GroupKind, MembershipRole
from ruche.groups.models import Membership, WorkingGroup

GROUPS = [
    (
        "egalite",
        GroupKind.GROUP,
        "Égalité femmes-hommes",
        "Rendre la communauté plus mixte : recrutement, parole en réunion, mentorat.",
    ),
    (
        "accueil",
        GroupKind.GROUP,
        "Accueil des nouvelles et nouveaux",
        "Améliorer les premières semaines : parrainage, parcours d’arrivée, café d’accueil.",
    ),
    (
        "incubateurs",
        GroupKind.GROUP,
        "Relations entre incubateurs",
        "Faire circuler les pratiques et les personnes d’un incubateur à l’autre.",
    ),
    (
        "accessibilite",
        GroupKind.CLUB,
        "Club accessibilité",
        "On s’entraide sur le RGAA : relectures croisées, outils, retours d’audit.",
    ),
]


def seed(context: DemoContext) -> None:
    """One set of groups per local community (see `place_of`): scale N has N times the groups
    and their members."""
    rng = context.rng
    pool = context.member_pool("groups", minimum=10)
    if not pool:
        return
    personas = context.personas
    ledger = ContributionBatch(pool + [pk for pk in personas.values() if pk])
    memberships, group_ids_by_unit = [], []
    for unit in range(context.whole_scale):
        place = place_of(unit)
        groups = WorkingGroup.objects.bulk_create(
            [
                WorkingGroup(
                    slug=f"{slug}-{slugify(place)}" if place else slug,
                    kind=kind,
                    name=f"{name} ({place})" if place else name,
                    description=description,
                    created_at=context.now - datetime.timedelta(days=rng.randint(400, 720)),
                )
                for slug, kind, name, description in GROUPS
            ]
        )
        group_ids_by_unit.append([group.pk for group in groups])
        for index, group in enumerate(groups):
            chosen = rng.sample(pool, min(len(pool), rng.randint(8, 25)))
            # The "member" persona belongs to two groups, so the demo shows their meetings.
            if unit == 0 and index < 2 and personas.get("member") not in (None, *chosen):
                chosen.append(personas["member"])
            for position, member_id in enumerate(chosen):
                lead = position < (2 if index % 2 else 1)
                age = (context.now - group.created_at).days
                joined = group.created_at + datetime.timedelta(
                    days=0 if lead else rng.randint(0, age)
                )
                memberships.append(
                    Membership(
                        group=group,
                        member_id=member_id,
                        role=MembershipRole.LEAD if lead else MembershipRole.MEMBER,
                        joined_at=joined,
                    )
                )
                ledger.add(
                    member_id,
                    ContributionKind.LED if lead else ContributionKind.JOINED,
                    SubjectType.GROUP,
                    group.pk,
                    joined,
                )
    Membership.objects.bulk_create(memberships, batch_size=1000)
    written = ledger.write()
    context.shared["group_ids"] = [pk for ids in group_ids_by_unit for pk in ids]
    context.shared["group_ids_by_unit"] = group_ids_by_unit
    context.log(
        f"groups: {len(context.shared['group_ids'])} groups, {len(memberships)} members, "
        f"{written} ledger rows"
    )
