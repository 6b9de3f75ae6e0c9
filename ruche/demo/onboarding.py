"""Demo data for the way in: the community's chat rooms (the general one first), thanks between
members for what the ledger says they did, time declared for the 10 % rule over the last two
months, and a few members who keep their history to themselves."""

import datetime

from django.utils import timezone

from ruche.demo.context import DemoContext
from ruche.engagement.enums import ContributionKind
from ruche.engagement.models import Contribution, Thanks, TimeDeclaration
from ruche.engagement.services import ContributionBatch
from ruche.members.enums import HistoryVisibility
from ruche.members.models import Member
from ruche.onboarding.models import ChatRoom

ROOMS = [
    ("Général", "Toute la communauté : annonces, questions, bonnes nouvelles.", "general", True),
    ("Entraide technique", "Code, hébergement, sécurité : on se dépanne.", "entraide-tech", False),
    ("Design et accessibilité", "Relectures, RGAA, recherche utilisateur.", "design", False),
    (
        "Bienvenue",
        "Pour les nouvelles et nouveaux : posez toutes vos questions.",
        "bienvenue",
        False,
    ),
    ("Apéros et cafés", "S’organiser pour les moments conviviaux.", "aperos", False),
]
THANKED_KINDS = [
    ContributionKind.ORGANISED,
    ContributionKind.LED,
    ContributionKind.SPOKE,
    ContributionKind.VOLUNTEERED,
]
MESSAGES = [
    "Merci pour l’organisation, c’était parfait.",
    "Ton aide a tout changé, merci !",
    "Super moment, merci d’avoir porté ça.",
    "Merci d’avoir pris le créneau au pied levé.",
    "",
]
WHAT = [
    "Préparer l’apéro mensuel",
    "Relire le guide d’accueil",
    "Animer le café des nouveaux",
    "Atelier accessibilité",
    "Réunion du groupe de travail",
]


def seed(context: DemoContext) -> None:
    ChatRoom.objects.bulk_create(
        ChatRoom(
            name=name,
            purpose=purpose,
            url=f"https://matrix.to/#/#{alias}:agent.tchap.gouv.fr",
            is_general=general,
            position=position,
        )
        for position, (name, purpose, alias, general) in enumerate(ROOMS)
    )
    pool = context.member_pool("onboarding", minimum=10)
    if not pool:
        return
    thanks = _thanks(context, pool)
    declarations = _declarations(context, pool)
    rng, personas = context.rng, set(context.personas.values())
    hiding = [
        pk for pk in rng.sample(pool, min(len(pool), 5 * context.whole_scale)) if pk not in personas
    ]
    Member.objects.filter(pk__in=hiding).update(history_visibility=HistoryVisibility.ONLY_ME)
    context.log(
        f"onboarding: {len(ROOMS)} chat rooms, {len(thanks)} thanks, "
        f"{len(declarations)} time declarations, {len(hiding)} profiles hiding their history"
    )


def _thanks(context: DemoContext, pool: list[int]) -> list[Thanks]:
    """Thanks for acts the ledger holds, each with its own « thanked » act."""
    rng = context.rng
    acts = list(
        Contribution.objects.filter(kind__in=THANKED_KINDS, weight=1, at__lte=context.now)
        .order_by("at", "member_id", "subject_type", "subject_id")
        .values_list("member_id", "subject_type", "subject_id", "at")
    )
    thanks, seen = [], set()
    sample = rng.sample(acts, min(len(acts), 60 * context.whole_scale))
    for member_id, subject_type, subject_id, at in sample:
        giver = rng.choice(pool)
        key = (giver, member_id, subject_type, subject_id)
        if giver == member_id or key in seen:
            continue
        seen.add(key)
        when = min(at + datetime.timedelta(days=rng.randint(0, 5)), context.now)
        thanks.append(
            Thanks(
                giver_id=giver,
                receiver_id=member_id,
                subject_type=subject_type,
                subject_id=subject_id,
                message=rng.choice(MESSAGES),
                at=when,
            )
        )
    Thanks.objects.bulk_create(thanks, batch_size=1000)
    ledger = ContributionBatch({t.giver_id for t in thanks})
    for item in thanks:
        ledger.add(
            item.giver_id,
            ContributionKind.THANKED,
            item.subject_type,
            item.subject_id,
            item.at,
            details={"receiver": item.receiver_id},
        )
    ledger.write()
    return thanks


def _declarations(context: DemoContext, pool: list[int]) -> list[TimeDeclaration]:
    """Time given over the last two months, by a few members and two personas."""
    rng = context.rng
    today = timezone.localdate(context.now)
    declaring = rng.sample(pool, min(len(pool), 12 * context.whole_scale))
    for key in ("member", "animation"):
        if context.personas.get(key) and context.personas[key] not in declaring:
            declaring.append(context.personas[key])
    declarations = []
    for member_id in declaring:
        for _i in range(rng.randint(2, 6)):
            declarations.append(
                TimeDeclaration(
                    member_id=member_id,
                    day=today - datetime.timedelta(days=rng.randint(0, 55)),
                    minutes=rng.choice([30, 60, 90, 120, 180]),
                    what=rng.choice(WHAT),
                )
            )
    TimeDeclaration.objects.bulk_create(declarations, batch_size=1000)
    return declarations
