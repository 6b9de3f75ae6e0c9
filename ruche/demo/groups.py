"""Demo data: a handful of working groups and clubs on how the community runs, each with a
mandate, one or two leads, members who joined over the last two years and a few observers; a
decision log over two years, one group past its review date, and one open consent round that
members are answering (the acts written to the ledger)."""

import datetime

from dateutil.relativedelta import relativedelta
from django.utils.text import slugify

from ruche.demo.context import DemoContext, place_of
from ruche.engagement.enums import ContributionKind, SubjectType
from ruche.engagement.services import ContributionBatch
from ruche.groups.enums import CONSENT_OPTIONS, GroupKind, MembershipPolicy, MembershipRole
from ruche.groups.models import (
    Answer,
    Decision,
    Membership,
    Proposal,
    WorkingGroup,
    name_key_of,
)

MANDATES = {
    "egalite": (
        "Nous voulons une communauté où chacune et chacun prend sa place.\n\n"
        "**Ce que nous produisons** : une charte de réunion, un programme de mentorat, un "
        "point annuel sur la mixité des recrutements."
    ),
    "accueil": (
        "Les premières semaines décident souvent du reste.\n\n"
        "**Ce que nous produisons** : un parcours d’arrivée, un binôme pour chaque "
        "arrivant·e, un café d’accueil mensuel."
    ),
    "incubateurs": (
        "Les incubateurs se connaissent mal.\n\n"
        "**Ce que nous produisons** : une rencontre par trimestre, un annuaire des pratiques, "
        "des échanges de personnes entre équipes."
    ),
    "accessibilite": (
        "Le RGAA s’apprend mieux à plusieurs.\n\n"
        "**Ce que nous produisons** : des relectures croisées, une boîte à outils, des retours "
        "d’audit partagés."
    ),
}
DECISIONS = [
    ("On se réunit toutes les deux semaines, à midi, en ligne.", "Le créneau qui gêne le moins."),
    ("Les comptes rendus vont dans le pad du groupe.", "Pour que les absent·es suivent."),
    (
        "Un binôme anime chaque rencontre, à tour de rôle.",
        "Pour ne pas tout faire reposer sur une personne.",
    ),
    (
        "Le groupe présente son travail au forum de printemps.",
        "Pour faire connaître ce qui existe.",
    ),
    ("On ouvre le groupe aux observateur·rices.", "Des membres veulent suivre sans s’engager."),
]
OPEN_QUESTION = "Adopte-t-on la charte de réunion proposée par le groupe ?"
REASONS = {
    "objection bloquante": "La charte oublie les réunions hybrides : à la compléter d’abord.",
    "pas d’accord": "Je préférerais l’essayer trois mois avant de l’adopter.",
}

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
    """One set of groups per local community (see `place_of`): scale N has N times the groups,
    their members, observers and decisions; the open consent round is the original
    community's."""
    rng = context.rng
    pool = context.member_pool("groups", minimum=10)
    if not pool:
        return
    personas = context.personas
    ledger = ContributionBatch(pool + [pk for pk in personas.values() if pk])
    memberships: list[Membership] = []
    group_ids_by_unit: list[list[int]] = []
    all_groups: list[WorkingGroup] = []
    for unit in range(context.whole_scale):
        groups = WorkingGroup.objects.bulk_create(_unit_groups(context, place_of(unit)))
        group_ids_by_unit.append([group.pk for group in groups])
        all_groups += groups
        for index, group in enumerate(groups):
            chosen = rng.sample(pool, min(len(pool), rng.randint(8, 25)))
            # The "member" persona belongs to two groups, so the demo shows their meetings.
            if unit == 0 and index < 2 and personas.get("member") not in (None, *chosen):
                chosen.append(personas["member"])
            _add_members(context, group, index, chosen, memberships, ledger)
            _add_observers(context, group, [pk for pk in pool if pk not in chosen], memberships)
    Membership.objects.bulk_create(memberships, batch_size=1000)
    decisions = _decision_log(context, all_groups, memberships, ledger)
    answers = _open_proposal(context, all_groups[0], memberships, ledger)
    written = ledger.write()
    context.shared["group_ids"] = [group.pk for group in all_groups]
    context.shared["group_ids_by_unit"] = group_ids_by_unit
    observers = sum(1 for m in memberships if m.role == MembershipRole.OBSERVER)
    context.log(
        f"groups: {len(all_groups)} groups, {len(memberships) - observers} members, "
        f"{observers} observers, {decisions} decisions, {answers} answers, "
        f"{written} ledger rows"
    )


def _unit_groups(context, place: str) -> list[WorkingGroup]:
    """The groups of one local community, not saved yet. In the original one, « incubateurs »
    missed its last review (it shows « à revoir »)."""
    rng = context.rng
    today = context.now.date()
    groups = []
    for index, (slug, kind, name, description) in enumerate(GROUPS):
        created_at = context.now - datetime.timedelta(days=rng.randint(400, 720))
        review_on = max(created_at.date() + relativedelta(years=2), today + datetime.timedelta(45))
        if slug == "incubateurs" and not place:
            review_on = today - datetime.timedelta(days=rng.randint(10, 40))
        full_slug = f"{slug}-{slugify(place)}" if place else slug
        full_name = f"{name} ({place})" if place else name
        groups.append(
            WorkingGroup(
                slug=full_slug,
                kind=kind,
                name=full_name,
                name_key=name_key_of(full_name),
                description=description,
                mandate=MANDATES[slug],
                membership=MembershipPolicy.ON_REQUEST if index == 1 else MembershipPolicy.OPEN,
                review_on=review_on,
                pad_url=f"https://pad.numerique.gouv.fr/groupe-{full_slug}",
                chat_url=f"https://matrix.to/#/#ruche-{full_slug}:agent.tchap.gouv.fr",
                created_at=created_at,
            )
        )
    return groups


def _add_members(context, group, index, chosen, memberships, ledger) -> None:
    rng = context.rng
    for position, member_id in enumerate(chosen):
        lead = position < (2 if index % 2 else 1)
        age = (context.now - group.created_at).days
        joined = group.created_at + datetime.timedelta(days=0 if lead else rng.randint(0, age))
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


def _add_observers(context, group, outsiders, memberships) -> None:
    rng = context.rng
    for member_id in rng.sample(outsiders, min(len(outsiders), rng.randint(2, 4))):
        memberships.append(
            Membership(
                group=group,
                member_id=member_id,
                role=MembershipRole.OBSERVER,
                joined_at=group.created_at + datetime.timedelta(days=rng.randint(30, 300)),
            )
        )


def _leads(group, memberships) -> list[int]:
    return [m.member_id for m in memberships if m.group == group and m.role == MembershipRole.LEAD]


def _decision_log(context, groups, memberships, ledger) -> int:
    """A few decisions per group, spread over its life (two years at most), each recorded by a
    lead."""
    rng = context.rng
    rows = []
    for group in groups:
        age = (context.now - group.created_at).days
        leads = _leads(group, memberships)
        for title, rationale in rng.sample(DECISIONS, rng.randint(3, len(DECISIONS))):
            at = group.created_at + datetime.timedelta(days=rng.randint(7, age - 1))
            lead = rng.choice(leads)
            rows.append(
                Decision(
                    group=group, title=title, rationale=rationale, decided_on=at.date(),
                    recorded_by_id=lead, created_at=at,
                )
            )  # fmt: skip
            ledger.add(lead, ContributionKind.DECIDED, SubjectType.GROUP, group.pk, at)
    Decision.objects.bulk_create(rows)
    return len(rows)


def _open_proposal(context, group, memberships, ledger) -> int:
    """A consent round open in the first group, most of its members still to answer; one
    objects, with a reason."""
    rng = context.rng
    opened = context.now - datetime.timedelta(days=3)
    proposal = Proposal.objects.create(
        group=group,
        author_id=_leads(group, memberships)[0],
        question=OPEN_QUESTION,
        context="La charte est dans le pad du groupe : relisez-la avant de répondre.",
        options=list(CONSENT_OPTIONS),
        closes_on=(context.now + datetime.timedelta(days=4)).date(),
        created_at=opened,
    )
    voters = [
        m.member_id
        for m in memberships
        if m.group == group and m.role == MembershipRole.MEMBER
        and m.member_id != context.personas.get("member")
    ][:6]  # fmt: skip
    choices = ["d’accord", "d’accord", "objection bloquante", "je m’abstiens", "d’accord"]
    answers = []
    for position, (member_id, option) in enumerate(zip(voters, choices, strict=False)):
        at = opened + datetime.timedelta(hours=2 + 7 * position + rng.randint(0, 5))
        answers.append(
            Answer(
                proposal=proposal, member_id=member_id, option=option,
                reason=REASONS.get(option, ""), answered_at=at,
            )
        )  # fmt: skip
        ledger.add(member_id, ContributionKind.DECIDED, SubjectType.GROUP, group.pk, at)
    Answer.objects.bulk_create(answers)
    return len(answers)
