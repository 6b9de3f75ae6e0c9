"""Demo data: needs, initiatives in every status over the last two years, roles, participations,
supports, comments and progress posts. Rows are bulk-created for speed, and every act is
written to the Contribution ledger with the member's context at that moment, computed the way
`ruche.engagement.services.member_context` does."""

import datetime
import random
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from ruche.demo.context import PLACES, DemoContext
from ruche.engagement.enums import ContributionKind, SubjectType
from ruche.engagement.services import ContributionBatch
from ruche.initiatives.enums import (
    BudgetStatus,
    InitiativeKind,
    InitiativeStatus,
    LeadRole,
    ReportTarget,
    Scope,
)
from ruche.initiatives.models import (
    BudgetRequest,
    CallForHelp,
    Comment,
    Initiative,
    InitiativeLead,
    Need,
    NeedSupport,
    Participation,
    Report,
    StatusChange,
    Support,
    Update,
)
from ruche.initiatives.services.needs import needs_refresh_state

NEEDS = [
    ("Difficile de savoir qui contacter pour une question RH",
     "Quand on arrive, on ne sait pas à qui poser une question de contrat, de congés ou de "
     "frais de mission. On finit par demander sur le canal général et ça se perd."),
    ("Les nouveaux arrivants se sentent perdus la première semaine",
     "Beaucoup d’outils, beaucoup de canaux, des sigles partout. Un parcours d’accueil aiderait."),
    ("Pas d’espace pour partager nos composants d’interface",
     "Chaque startup refait ses formulaires accessibles. On pourrait mutualiser."),
    ("On ne se croise plus depuis le télétravail",
     "Les équipes sont dispersées ; on ne connaît plus les gens des autres incubateurs."),
    ("Trop de réunions de synchronisation entre startups",
     "On passe des heures à s’aligner. Un format plus léger, asynchrone, serait bienvenu."),
    ("Les audits d’accessibilité coûtent cher et arrivent tard",
     "On découvre les problèmes RGAA juste avant la mise en ligne."),
    ("Aucune visibilité sur les budgets disponibles pour la communauté",
     "On ne sait pas si on peut financer un atelier, un déplacement, un intervenant."),
    ("Les femmes sont peu nombreuses dans les équipes techniques",
     "Et celles qui y sont se sentent parfois isolées."),
    ("Les alumni perdent le contact avec la communauté",
     "Après la fin de mission, plus rien : on perd leur expérience."),
    ("Pas de modèle pour les conventions de partenariat",
     "Chaque équipe rédige la sienne en partant de zéro, avec les juristes."),
    ("Difficile de trouver un binôme pour relire du code",
     "Dans les petites équipes, on est parfois seul·e développeur·se."),
    ("Les démos de fin de sprint sont peu suivies",
     "On présente devant trois personnes alors que d’autres équipes seraient intéressées."),
    ("Personne ne sait comment héberger une base de données en production",
     "Chaque équipe se débrouille ; les bonnes pratiques de sauvegarde ne circulent pas."),
    ("On manque de salles pour les ateliers utilisateurs",
     "Les salles sont réservées des semaines à l’avance."),
    ("La documentation des API publiques est éparpillée",
     "Trouver la bonne API, son contact et ses conditions d’accès prend des jours."),
    ("Les coachs sont débordés en période de comité d’investissement",
     "Les équipes attendent des retours sur leurs dossiers."),
    ("Les événements sont tous à Paris",
     "Les équipes en région ne peuvent presque jamais y participer."),
    ("Pas de rituel pour célébrer les réussites",
     "Une startup qui passe à l’échelle, ça mérite d’être fêté et raconté."),
    ("On ne sait pas quoi faire de nos vieux ordinateurs",
     "Ils s’entassent dans les placards au lieu d’être donnés ou recyclés."),
    ("Le vocabulaire de l’administration est opaque pour les indépendant·es",
     "BOP, programme 129, service fait… un glossaire partagé aiderait."),
    ("Les recherches utilisateur ne sont pas partagées entre startups",
     "Deux équipes interrogent les mêmes agents publics à un mois d’écart."),
    ("Manque de temps pour se former",
     "On voudrait apprendre des autres métiers mais on n’a jamais le créneau."),
    ("Les cafés du matin ont disparu",
     "Ils étaient le meilleur moment pour croiser d’autres équipes."),
    ("La santé mentale n’est pas un sujet abordé",
     "Fatigue, pression des échéances : on n’en parle pas, faute d’espace."),
    ("Aucun suivi de l’empreinte carbone de nos services",
     "On ne sait pas mesurer ni réduire l’impact de nos hébergements."),
]  # fmt: skip

# title, kind, summary, description, roles (label, count, skill), index of the need it answers
INITIATIVES = [
    ("Apéro de rentrée de la communauté", InitiativeKind.EVENT,
     "Un apéro pour se retrouver après l’été, ouvert à toutes les startups et aux alumni.",
     "On réserve un lieu, on prévoit de quoi grignoter (végétarien et sans alcool aussi).\n\n"
     "- accueil à partir de 18 h 30\n- petit mot des incubateurs\n- photo de groupe",
     [("Accueil des participant·es", 2, ""), ("Courses et installation", 3, "")], 3),
    ("Parcours d’accueil des nouveaux arrivants", InitiativeKind.PROCESS,
     "Une checklist et un parrain ou une marraine pour chaque personne qui arrive.",
     "Le parcours tient en une page : les outils, les canaux, les rituels, les contacts RH. "
     "Chaque nouvel·le arrivant·e est accompagné·e pendant un mois.",
     [("Parrains et marraines", 6, ""), ("Rédaction de la checklist", 1, "rédaction")], 1),
    ("Groupe égalité femmes-hommes dans la tech", InitiativeKind.WORKING_GROUP,
     "Un groupe pour partager, se soutenir et proposer des actions concrètes.",
     "Rencontres mensuelles, mentorat, relecture des offres de mission pour les rendre plus "
     "inclusives.", [("Animation des rencontres", 2, "facilitation")], 7),
    ("Bibliothèque partagée de composants DSFR", InitiativeKind.TOOL,
     "Des composants accessibles, testés, réutilisables par toutes les startups.",
     "On part des composants existants de trois équipes, on les documente et on les publie.",
     [("Dev front-end", 2, "React"), ("Dev Django", 1, "Django"), ("Design", 1, "design")], 2),
    ("Café du vendredi matin", InitiativeKind.EVENT,
     "Un café chaque vendredi à 9 h 30 pour croiser d’autres équipes.",
     "Simple : du café, des croissants, et une question pour lancer la discussion.",
     [("Faire le café", 2, "")], 22),
    ("Annuaire « qui contacter pour quoi »", InitiativeKind.TOOL,
     "Une page qui dit à qui poser chaque type de question administrative.",
     "RH, achats, juridique, sécurité, hébergement : un contact et un lien par sujet.",
     [("Collecte des contacts", 2, "")], 0),
    ("Relectures de code entre startups", InitiativeKind.PROCESS,
     "Un système de binômes pour relire le code des équipes où l’on est seul·e dev.",
     "Chaque mois, on tire au sort des binômes ; une heure de relecture par semaine.",
     [("Relecteur·rices", 5, "Python")], 10),
    ("Démo day trimestriel", InitiativeKind.EVENT,
     "Une après-midi où chaque startup montre ce qu’elle a livré.",
     "Cinq minutes par équipe, questions, puis pot. Retransmis en ligne pour les régions.",
     [("Régie vidéo", 1, "vidéo"), ("Maître·sse de cérémonie", 1, "")], 11),
    ("Guide d’hébergement et de sauvegarde", InitiativeKind.TOOL,
     "Les bonnes pratiques pour héberger une base de données en production.",
     "Sauvegardes, restauration testée, supervision, coûts : ce que les équipes ont appris.",
     [("Ops", 2, "PostgreSQL")], 12),
    ("Réseau des alumni", InitiativeKind.WORKING_GROUP,
     "Garder le lien avec celles et ceux qui ont quitté la communauté.",
     "Une liste de diffusion, un apéro annuel, et des alumni qui viennent partager leur "
     "expérience.", [("Animation du réseau", 2, "")], 8),
    ("Modèles de conventions de partenariat", InitiativeKind.PROCESS,
     "Des modèles relus par les juristes, prêts à adapter.",
     "On rassemble les conventions existantes et on en tire trois modèles commentés.",
     [("Juristes volontaires", 1, "droit public")], 9),
    ("Atelier accessibilité numérique pour tous les métiers", InitiativeKind.EVENT,
     "Un atelier pratique : tester son service au clavier et au lecteur d’écran.",
     "Deux heures, en petits groupes, sur vos propres services. Ouvert aux non-dev.",
     [("Animation", 2, "accessibilité")], 5),
    ("Rencontres en région", InitiativeKind.EVENT,
     "Des rencontres de la communauté à Lyon, Nantes, Lille et Bordeaux.",
     "Une fois par trimestre, un lieu prêté par une administration locale.",
     [("Organisation locale", 4, "")], 16),
    ("Glossaire de l’administration", InitiativeKind.TOOL,
     "Les sigles et notions budgétaires expliqués simplement.",
     "Un glossaire collaboratif, avec des exemples tirés de la vie des startups.",
     [("Rédaction", 3, "")], 19),
    ("Partage des recherches utilisateur", InitiativeKind.PROCESS,
     "Un espace commun pour publier les synthèses d’entretiens.",
     "Format léger : contexte, qui a été interrogé, ce qu’on a appris. Anonymisé.",
     [("Design", 2, "recherche utilisateur")], 20),
    ("Midis apprenants", InitiativeKind.EVENT,
     "Une pause déjeuner par mois pour apprendre d’un autre métier.",
     "Un·e membre présente son métier ou un outil ; on mange ensemble.",
     [("Intervenant·es", 4, "")], 21),
    ("Célébrer les passages à l’échelle", InitiativeKind.EVENT,
     "Un moment pour fêter les startups qui changent d’échelle.",
     "On raconte le chemin parcouru, les erreurs, les réussites.", [], 17),
    ("Collecte de matériel informatique", InitiativeKind.OTHER,
     "Donner une seconde vie aux ordinateurs qui dorment dans les placards.",
     "Avec une association de reconditionnement ; effacement sécurisé des disques.",
     [("Logistique", 2, "")], 18),
    ("Groupe santé et équilibre", InitiativeKind.WORKING_GROUP,
     "Parler de charge de travail, de fatigue, et de ce qui aide.",
     "Un espace bienveillant, des ressources, et des propositions aux incubateurs.",
     [("Animation", 2, "")], 23),
    ("Mesure de l’empreinte carbone des services", InitiativeKind.TOOL,
     "Un outil simple pour estimer l’impact de nos hébergements.",
     "À partir des factures d’hébergement et du trafic, une estimation par service.",
     [("Data", 1, "data"), ("Dev", 1, "Python")], 24),
    ("Réunion de synchronisation asynchrone", InitiativeKind.PROCESS,
     "Remplacer la réunion hebdomadaire par un point écrit.",
     "Chaque équipe poste trois lignes le lundi ; une réunion seulement si besoin.", [], 4),
    ("Réservation partagée des salles d’atelier", InitiativeKind.TOOL,
     "Un calendrier commun des salles, visible de tous les incubateurs.", "", [], 13),
    ("Catalogue des API publiques", InitiativeKind.TOOL,
     "Où trouver chaque API, son contact et ses conditions d’accès.", "",
     [("Recensement", 3, "")], 14),
    ("Permanences des coachs", InitiativeKind.PROCESS,
     "Des créneaux ouverts chaque semaine pour les questions de dossier.", "",
     [("Coachs", 3, "coaching")], 15),
    ("Tableau des budgets de la communauté", InitiativeKind.TOOL,
     "Savoir ce qui peut être financé, et comment demander.", "", [], 6),
    ("Tournoi de pétanque de l’été", InitiativeKind.EVENT,
     "Le traditionnel tournoi, suivi d’un pique-nique.", "",
     [("Arbitrage", 2, ""), ("Pique-nique", 3, "")], None),
    ("Chorale de la communauté", InitiativeKind.OTHER,
     "Chanter ensemble une fois par semaine, sans audition.", "", [], None),
    ("Club de lecture produit", InitiativeKind.WORKING_GROUP,
     "Un livre par mois sur le produit, le design ou les politiques publiques.", "",
     [("Choix des livres", 1, "")], None),
]  # fmt: skip

COMMENTS = [
    "Super idée, je peux aider sur la partie communication.",
    "On a fait quelque chose de proche dans notre incubateur, je vous partage nos notes.",
    "Est-ce que ce sera ouvert aux alumni ?",
    "Pensez aux personnes en région : une version en ligne serait top.",
    "Merci pour l’initiative ! Quand est prévue la prochaine étape ?",
    "Je m’inscris volontiers, dites-moi ce qu’il reste à faire.",
    "Il faudrait en parler aux juristes avant de lancer.",
    "Attention à l’accessibilité des supports.",
]
DONE_COMMENTS = [
    "Bravo à toute l’équipe, c’était réussi.",
    "Merci, on a déjà réutilisé ce que vous avez fait dans notre startup.",
]
NEED_COMMENTS = [
    "Je rencontre exactement ce problème chaque semaine.",
    "Pareil dans notre incubateur, surtout pendant les premières semaines.",
    "On a essayé un canal dédié, ça n’a pas tenu plus d’un mois.",
    "Est-ce que quelqu’un a déjà une piste ? Je veux bien aider.",
    "Ça touche aussi les alumni, à mon avis.",
]
UPDATES = [
    "Première réunion faite : on a réparti les rôles et fixé une date.",
    "Le lieu est réservé, les inscriptions sont ouvertes.",
    "On a une première version, vos retours sont bienvenus.",
    "Petit retard : on attend le retour de l’équipe d’animation.",
    "C’est fait ! Merci à toutes les personnes qui ont aidé.",
]
TWO_YEARS = datetime.timedelta(days=730)
# A few needs (the last ones) and initiatives (of any season) are from the past three weeks,
# so that the home page's « Ça bouge » has something new and alive to show.
RECENT = datetime.timedelta(days=21)
RECENT_COUNT = 4
RECENT_INITIATIVES = {
    "Club de lecture produit",
    "Chorale de la communauté",
    "Midis apprenants",
    "Partage des recherches utilisateur",
}
# Initiatives that belong to a season are proposed in the months before it.
SEASONS = {
    "Apéro de rentrée de la communauté": (6, 7, 8),
    "Tournoi de pétanque de l’été": (4, 5, 6),
}
# Each initiative template is used this many times per unit of scale (in other cities).
INITIATIVE_ROUNDS = 2
PAUSE_REASONS = ["Trop de choses en même temps cet été, on reprend en septembre."]
DROP_REASONS = ["Une initiative plus large reprend le sujet.", "Plus personne pour la porter."]
CLOSE_REASONS = [
    "Le problème est réglé depuis le changement d’outil.",
    "Doublon d’un autre besoin.",
]

_PATHS: dict[str, list[str]] = {
    InitiativeStatus.IDEA: [InitiativeStatus.IDEA],
    InitiativeStatus.LOOKING_FOR_HELP: [InitiativeStatus.IDEA, InitiativeStatus.LOOKING_FOR_HELP],
    InitiativeStatus.IN_PROGRESS: [
        InitiativeStatus.IDEA,
        InitiativeStatus.LOOKING_FOR_HELP,
        InitiativeStatus.IN_PROGRESS,
    ],
    InitiativeStatus.DONE: [
        InitiativeStatus.IDEA,
        InitiativeStatus.LOOKING_FOR_HELP,
        InitiativeStatus.IN_PROGRESS,
        InitiativeStatus.DONE,
    ],
    InitiativeStatus.PAUSED: [
        InitiativeStatus.IDEA,
        InitiativeStatus.LOOKING_FOR_HELP,
        InitiativeStatus.PAUSED,
    ],
    InitiativeStatus.DROPPED: [InitiativeStatus.IDEA, InitiativeStatus.DROPPED],
}


def _status_for_age(rng, age_days: int) -> str:
    if age_days < 60:
        weights = {
            "idea": 4,
            "looking_for_help": 4,
            "in_progress": 2,
            "done": 0,
            "paused": 0,
            "dropped": 0,
        }
    elif age_days < 300:
        weights = {
            "idea": 1,
            "looking_for_help": 3,
            "in_progress": 4,
            "done": 2,
            "paused": 1,
            "dropped": 1,
        }
    else:
        weights = {
            "idea": 1,
            "looking_for_help": 1,
            "in_progress": 2,
            "done": 6,
            "paused": 1,
            "dropped": 2,
        }
    statuses = list(weights)
    return rng.choices(statuses, weights=[weights[s] for s in statuses])[0]


def _in_season(created: datetime.datetime, months, now) -> datetime.datetime:
    """`created`, moved back a month at a time into one of `months` (a year later if that
    leaves the two years of the demo)."""
    while timezone.localtime(created).month not in months:
        created -= datetime.timedelta(days=30)
    if created < now - TWO_YEARS:
        created += datetime.timedelta(days=365)
    return created


def _created(rng, now: datetime.datetime, recent: bool) -> datetime.datetime:
    """When a need or an initiative was created: in the past three weeks if `recent`, over two
    years otherwise; at least an hour ago."""
    span = RECENT if recent else TWO_YEARS
    return now - span + datetime.timedelta(seconds=rng.uniform(0, span.total_seconds() - 3600))


def _between(rng, start: datetime.datetime, end: datetime.datetime) -> datetime.datetime:
    """A moment between start and end, in office hours (local time) when the span allows it:
    members comment and join from work, not at four in the morning."""
    span = max((end - start).total_seconds(), 60)
    moment = start + datetime.timedelta(seconds=rng.uniform(0, span))
    working = timezone.localtime(moment).replace(hour=rng.randint(9, 18), minute=rng.randint(0, 59))
    return working if start <= working <= end else moment


@dataclass
class _Seeding:
    """What every step shares: the random generator, the clock, the members who act, the
    ledger, and the rows waiting to be bulk-created."""

    rng: random.Random
    now: datetime.datetime
    pool: list[int]
    animators: list[int]
    ledger: ContributionBatch
    leads: list = field(default_factory=list)
    changes: list = field(default_factory=list)
    roles: list = field(default_factory=list)
    participations: list = field(default_factory=list)
    supports: list = field(default_factory=list)
    comments: list = field(default_factory=list)
    updates: list = field(default_factory=list)
    budgets: list = field(default_factory=list)
    need_links: list = field(default_factory=list)


@transaction.atomic
def seed(context: DemoContext) -> None:
    rng = context.rng
    pool_ids = context.member_pool("initiatives", minimum=5)
    if not pool_ids:
        return
    scale = context.whole_scale
    pool = rng.sample(pool_ids, min(len(pool_ids), 300 * scale))
    persona_member = context.personas.get("member")
    if persona_member and persona_member not in pool:
        pool.append(persona_member)
    animators = context.animation_team_ids or pool[:2]
    seeding = _Seeding(
        rng=rng,
        now=context.now,
        pool=pool,
        animators=animators,
        ledger=ContributionBatch(set(pool) | set(animators)),
    )
    needs = _seed_needs(seeding, context, scale)
    initiatives, specs = _plan_initiatives(seeding, context, scale, needs, persona_member)
    for initiative, (roles, need_pk, path, dates) in zip(initiatives, specs, strict=True):
        lead_ids = _leads(seeding, initiative, dates)
        _timeline(seeding, initiative, path, dates, lead_ids)
        if need_pk:
            seeding.need_links.append(
                Initiative.needs.through(initiative_id=initiative.pk, need_id=need_pk)
            )
        _participants(seeding, initiative, roles, lead_ids)
        _supports_and_comments(seeding, initiative, lead_ids)
        _updates(seeding, initiative, dates, lead_ids)
        _budget(seeding, initiative, dates)
    _save(seeding)
    _close_and_report(seeding, needs)
    count = seeding.ledger.write()
    context.shared["initiative_ids"] = [initiative.pk for initiative in initiatives]
    context.shared["need_ids"] = [need.pk for need in needs]
    context.log(
        f"initiatives: {len(initiatives)} initiatives, {len(needs)} besoins, "
        f"{len(seeding.participations)} participations, {count} contributions"
    )


def _seed_needs(seeding: _Seeding, context: DemoContext, scale: int) -> list[Need]:
    """Needs raised over two years, the members who said « moi aussi », and comments."""
    rng, now, pool, ledger = seeding.rng, seeding.now, seeding.pool, seeding.ledger
    needs = []
    need_supporters: dict[int, list[int]] = {}
    count = len(NEEDS) * scale
    for index in range(count):
        title, description = NEEDS[index % len(NEEDS)]
        if index >= len(NEEDS):
            title = f"{title} ({PLACES[(index + index // len(NEEDS)) % len(PLACES)]})"
        created = _created(rng, now, recent=index >= count - RECENT_COUNT)
        needs.append(
            Need(
                title=title,
                description=description,
                author_id=rng.choice(pool),
                incubator_id=rng.choice(context.incubator_ids)
                if context.incubator_ids and rng.random() < 0.25
                else None,
                created_at=created,
            )
        )
    Need.objects.bulk_create(needs, batch_size=500)
    need_supports = []
    for need in needs:
        assert need.author_id is not None  # every demo need has an author
        ledger.add(
            need.author_id, ContributionKind.RAISED_NEED, SubjectType.NEED, need.pk, need.created_at
        )
        supporters = [
            m for m in rng.sample(pool, min(len(pool), rng.randint(0, 14))) if m != need.author_id
        ]
        need_supporters[need.pk] = supporters
        for member_id in supporters:
            at = _between(rng, need.created_at, now)
            need_supports.append(NeedSupport(need=need, member_id=member_id, created_at=at))
            ledger.add(member_id, ContributionKind.NEED_SUPPORTED, SubjectType.NEED, need.pk, at)
    NeedSupport.objects.bulk_create(need_supports, batch_size=1000)
    need_comments = [
        Comment(
            need=need,
            author_id=rng.choice(need_supporters[need.pk] or pool),
            body=body,
            created_at=_between(rng, need.created_at, now),
        )
        for need in needs
        for body in rng.sample(NEED_COMMENTS, rng.randint(0, 3))
    ]
    Comment.objects.bulk_create(need_comments, batch_size=1000)
    for comment in need_comments:
        assert comment.author_id is not None  # as built above
        assert comment.need_id is not None
        ledger.add(
            comment.author_id, ContributionKind.COMMENTED, SubjectType.NEED, comment.need_id,
            comment.created_at, details={"comment": comment.pk},
        )  # fmt: skip
    return needs


def _plan_initiatives(seeding: _Seeding, context, scale, needs, persona_member):
    """The initiatives, saved, each with what the next steps need: its roles, the need it
    answers, its path through the statuses and the date of each step."""
    rng, now, pool = seeding.rng, seeding.now, seeding.pool
    initiatives = []
    specs = []
    count = len(INITIATIVES) * INITIATIVE_ROUNDS * scale
    for index in range(count):
        title, kind, summary, description, roles, need_index = INITIATIVES[index % len(INITIATIVES)]
        recent = index >= count - len(INITIATIVES) and title in RECENT_INITIATIVES
        created = _created(rng, now, recent=recent)
        if title in SEASONS:
            created = _in_season(created, SEASONS[title], now)
        if index >= len(INITIATIVES):
            title = f"{title} — {PLACES[(index + index // len(INITIATIVES)) % len(PLACES)]}"
        status = _status_for_age(rng, (now - created).days)
        proposer = rng.choice(pool)
        if index == 0 and persona_member:
            proposer, status = persona_member, InitiativeStatus.LOOKING_FOR_HELP
        scope = Scope.COMMUNITY
        incubator_id = startup_id = None
        if context.incubator_ids and rng.random() < 0.2:
            scope, incubator_id = Scope.INCUBATOR, rng.choice(context.incubator_ids)
        # Each step of the lifecycle, dated in order between creation and now.
        path = _PATHS[status]
        dates = sorted(_between(rng, created, now) for _step in path[1:])
        initiatives.append(
            Initiative(
                title=title, kind=kind, summary=summary, description=description,
                status=status, status_changed_at=dates[-1] if dates else created,
                status_reason=rng.choice(PAUSE_REASONS) if status == InitiativeStatus.PAUSED
                else rng.choice(DROP_REASONS) if status == InitiativeStatus.DROPPED else "",
                scope=scope, incubator_id=incubator_id, startup_id=startup_id,
                proposer_id=proposer, created_at=created,
            )
        )  # fmt: skip
        need_pk = None
        if need_index is not None:
            copies = [n for i, n in enumerate(needs) if i % len(NEEDS) == need_index]
            need = rng.choice(copies) if copies else None
            # An initiative answers a need raised before it, not one raised since.
            need_pk = need.pk if need and need.created_at < created else None
        specs.append((roles, need_pk, path, dates))
    Initiative.objects.bulk_create(initiatives, batch_size=500)
    return initiatives, specs


def _leads(seeding: _Seeding, initiative: Initiative, dates) -> set[int]:
    """The proposer leads; sometimes a co-lead joins them. Returns who leads."""
    rng, ledger = seeding.rng, seeding.ledger
    created = initiative.created_at
    proposer = initiative.proposer_id
    assert proposer is not None  # every demo initiative has a proposer
    seeding.leads.append(
        InitiativeLead(
            initiative=initiative, member_id=proposer, role=LeadRole.PROPOSER, added_at=created
        )
    )
    for kind in (ContributionKind.PROPOSED, ContributionKind.LED):
        ledger.add(proposer, kind, SubjectType.INITIATIVE, initiative.pk, created)
    lead_ids = {proposer}
    if rng.random() < 0.35:
        co_lead = rng.choice(seeding.pool)
        if co_lead not in lead_ids:
            at = _between(rng, created, dates[0] if dates else seeding.now)
            seeding.leads.append(
                InitiativeLead(
                    initiative=initiative, member_id=co_lead, role=LeadRole.CO_LEAD, added_at=at
                )
            )
            ledger.add(co_lead, ContributionKind.CO_LED, SubjectType.INITIATIVE, initiative.pk, at)
            lead_ids.add(co_lead)
    return lead_ids


def _timeline(seeding: _Seeding, initiative: Initiative, path, dates, lead_ids) -> None:
    """Each status along the path, changed by one of the leads."""
    seeding.changes.append(
        StatusChange(
            initiative=initiative,
            actor_id=initiative.proposer_id,
            at=initiative.created_at,
            to_status=path[0],
        )
    )
    for previous, status, at in zip(path, path[1:], dates, strict=False):
        actor = seeding.rng.choice(sorted(lead_ids))
        seeding.changes.append(
            StatusChange(
                initiative=initiative, actor_id=actor, at=at, from_status=previous,
                to_status=status,
                reason=initiative.status_reason if status == initiative.status else "",
            )
        )  # fmt: skip
        seeding.ledger.add(
            actor, ContributionKind.STATUS_CHANGED, SubjectType.INITIATIVE, initiative.pk, at,
            details={"from": previous, "to": status},
        )  # fmt: skip


def _participants(seeding: _Seeding, initiative: Initiative, roles, lead_ids) -> None:
    """Roles filled in part (in full once done), and a few members joining without a role."""
    rng, pool = seeding.rng, seeding.pool
    created = initiative.created_at
    taken_by_role = []
    for label, count, skill in roles:
        role = CallForHelp(
            initiative=initiative, label=label, count=count, skill=skill, created_at=created
        )
        fill = 1.0 if initiative.status == InitiativeStatus.DONE else rng.random()
        role.taken = min(count, round(count * fill))
        seeding.roles.append(role)
        taken_by_role.append(role)
    used = set(lead_ids)
    joiners: list[CallForHelp | None] = []
    for role in taken_by_role:
        for _place in range(role.taken):
            joiners.append(role)
    for _extra in range(rng.randint(0, 3)):
        joiners.append(None)
    for slot in joiners:
        candidates = [m for m in rng.sample(pool, min(len(pool), 12)) if m not in used]
        if not candidates:
            if slot is not None:
                slot.taken -= 1
            continue
        member_id = candidates[0]
        used.add(member_id)
        at = _between(rng, created, seeding.now)
        seeding.participations.append(
            Participation(initiative=initiative, member_id=member_id, role=slot, joined_at=at)
        )
        seeding.ledger.add(
            member_id, ContributionKind.JOINED, SubjectType.INITIATIVE, initiative.pk, at,
            details={"role": slot.label} if slot else {},
        )  # fmt: skip


def _supports_and_comments(seeding: _Seeding, initiative: Initiative, lead_ids) -> None:
    """Supports from members other than the leads (theirs goes without saying), comments."""
    rng, now, pool = seeding.rng, seeding.now, seeding.pool
    created = initiative.created_at
    supporters = rng.sample(pool, min(len(pool), rng.randint(0, 25)))
    for member_id in [m for m in supporters if m not in lead_ids]:
        at = _between(rng, created, now)
        seeding.supports.append(Support(initiative=initiative, member_id=member_id, created_at=at))
        seeding.ledger.add(
            member_id, ContributionKind.SUPPORTED, SubjectType.INITIATIVE, initiative.pk, at
        )
    for _n in range(rng.randint(0, 5)):
        author = rng.choice(pool)
        at = _between(rng, created, now)
        done = initiative.status == InitiativeStatus.DONE
        seeding.comments.append(
            Comment(
                initiative=initiative,
                author_id=author,
                body=rng.choice(COMMENTS + DONE_COMMENTS if done else COMMENTS),
                created_at=at,
            )
        )


def _updates(seeding: _Seeding, initiative: Initiative, dates, lead_ids) -> None:
    """Progress posts by the leads, once the work is under way."""
    if initiative.status not in (InitiativeStatus.IN_PROGRESS, InitiativeStatus.DONE):
        return
    rng = seeding.rng
    for step in range(rng.randint(1, 3)):
        at = _between(rng, dates[0], seeding.now) if dates else seeding.now
        body = (
            UPDATES[-1]
            if initiative.status == InitiativeStatus.DONE and step == 0
            else rng.choice(UPDATES[:4])
        )
        lead = rng.choice(sorted(lead_ids))
        seeding.updates.append(
            Update(initiative=initiative, author_id=lead, body=body, created_at=at)
        )
        seeding.ledger.add(
            lead, ContributionKind.UPDATED, SubjectType.INITIATIVE, initiative.pk, at
        )


def _budget(seeding: _Seeding, initiative: Initiative, dates) -> None:
    """Some events ask for a budget: granted once under way, pending before."""
    rng = seeding.rng
    if initiative.kind != InitiativeKind.EVENT or rng.random() >= 0.3:
        return
    decided = initiative.status in (InitiativeStatus.IN_PROGRESS, InitiativeStatus.DONE)
    if decided or initiative.status in (InitiativeStatus.IDEA, InitiativeStatus.LOOKING_FOR_HELP):
        seeding.budgets.append(
            BudgetRequest(
                initiative=initiative, amount=rng.choice([150, 300, 500, 1200]),
                purpose="Location du lieu, boissons et collations.",
                status=BudgetStatus.APPROVED if decided else BudgetStatus.PENDING,
                requested_by_id=initiative.proposer_id, requested_at=initiative.created_at,
                decided_by_id=rng.choice(seeding.animators) if decided else None,
                decided_at=dates[0] if decided and dates else None,
                message="Accordé, bonne organisation !" if decided else "",
            )
        )  # fmt: skip


def _save(seeding: _Seeding) -> None:
    InitiativeLead.objects.bulk_create(seeding.leads, batch_size=1000)
    StatusChange.objects.bulk_create(seeding.changes, batch_size=1000)
    CallForHelp.objects.bulk_create(seeding.roles, batch_size=1000)
    Participation.objects.bulk_create(seeding.participations, batch_size=1000)
    Support.objects.bulk_create(seeding.supports, batch_size=1000)
    Comment.objects.bulk_create(seeding.comments, batch_size=1000)
    for comment in seeding.comments:
        seeding.ledger.add(
            comment.author_id, ContributionKind.COMMENTED, SubjectType.INITIATIVE,
            comment.initiative_id, comment.created_at, details={"comment": comment.pk},
        )  # fmt: skip
    Update.objects.bulk_create(seeding.updates, batch_size=1000)
    BudgetRequest.objects.bulk_create(seeding.budgets, batch_size=500)
    Initiative.needs.through.objects.bulk_create(seeding.need_links, batch_size=1000)


def _close_and_report(seeding: _Seeding, needs: list[Need]) -> None:
    """A few needs closed without action, and something for the moderation queue."""
    rng = seeding.rng
    # Not the recent ones: they are what « Ça bouge » shows.
    older = needs[:-RECENT_COUNT]
    for need in rng.sample(older, min(len(older), max(1, len(needs) // 12))):
        Need.objects.filter(pk=need.pk).update(
            closed_at=_between(rng, need.created_at, seeding.now),
            closed_reason=rng.choice(CLOSE_REASONS),
        )
    needs_refresh_state([need.pk for need in needs])
    if seeding.comments:
        reported = rng.choice(seeding.comments)
        Report.objects.create(
            target_type=ReportTarget.COMMENT,
            comment=reported,
            reporter_id=rng.choice(seeding.pool),
            reason="Ce commentaire me semble hors sujet.",
        )
