"""Full-text search over 10,000 initiatives: the time the list page's search takes for a
typo-free query (count + first page, as /initiatives/?q= runs them; goal: under 100 ms) and
whether the first result is the initiative the query is about. Then the same queries through the
search across Ruche (/recherche/: every kind's five hits and count), with 4,000 members more.

`build()` is also used by tests/initiatives/test_search.py to check relevance at scale.
"""

import random
import statistics
import time

from django.test import RequestFactory

from ruche.core.registry import registry
from ruche.core.views import SEARCH_HITS
from ruche.initiatives.enums import InitiativeKind, InitiativeStatus
from ruche.initiatives.listing import INITIATIVE_ORDERINGS, filtered_initiatives, initiative_sort
from ruche.initiatives.models import Initiative
from ruche.members.models import Member

COUNT = 10_000
PAGE_SIZE = 24
RUNS = 15
GOAL_MS = 100

# (query, title of the initiative it is about, its summary): each query's words also appear,
# scattered, in many other initiatives, so ranking has to do its work.
TARGETS = [
    (
        "accessibilité numérique",
        "Atelier d’accessibilité numérique pour les agents publics",
        "Tester ses démarches au clavier et au lecteur d’écran, en petits groupes.",
    ),
    (
        "parcours d'accueil des nouveaux",
        "Parcours d’accueil des nouveaux arrivants",
        "Un parrain ou une marraine et une checklist pour chaque arrivée.",
    ),
    (
        "empreinte carbone hébergement",
        "Mesurer l’empreinte carbone de nos hébergements",
        "Une estimation par service, à partir des factures et du trafic.",
    ),
    (
        "apero rentree lyon",
        "Apéro de rentrée à Lyon",
        "Se retrouver après l’été entre équipes lyonnaises.",
    ),
]

_OPENINGS = [
    "Atelier", "Groupe de travail", "Guide", "Apéro", "Café", "Formation", "Outil", "Club",
    "Rencontre", "Mentorat", "Kit", "Démo", "Charte", "Forum", "Annuaire", "Tournoi",
]  # fmt: skip
_TOPICS = [
    "design de services", "recherche utilisateur", "données ouvertes", "sécurité", "produit",
    "déploiement", "intraprenariat", "coaching", "recrutement", "achats publics", "juridique",
    "hébergement", "documentation", "tests automatisés", "accessibilité", "numérique responsable",
    "accueil", "carbone", "sobriété", "open source", "API", "formulaires", "mobilité",
]  # fmt: skip
_PLACES = ["Paris", "Lyon", "Nantes", "Lille", "Bordeaux", "Marseille", "Rennes", "en ligne"]
_SENTENCES = [
    "On partage ce qui marche et ce qui ne marche pas.",
    "Ouvert à toutes les startups, alumni compris.",
    "Une séance par mois, avec un compte rendu publié.",
    "Le numérique public mérite des outils communs.",
    "Les nouveaux arrivants sont les bienvenus.",
    "On commence petit, on verra ensuite.",
    "La rentrée est un bon moment pour lancer le sujet.",
    "Attention à l’empreinte de nos services.",
]


def _filler(rng: random.Random, index: int) -> dict:
    topic = rng.choice(_TOPICS)
    return {
        "title": f"{rng.choice(_OPENINGS)} {topic} {rng.choice(_PLACES)} n° {index}",
        "summary": f"Autour de {topic} et de {rng.choice(_TOPICS)}.",
        "description": " ".join(rng.sample(_SENTENCES, 3)),
    }


def build(count: int = COUNT, seed: int = 7) -> dict[str, int]:
    """Creates `count` initiatives, the TARGETS among them; returns {query: target pk}."""
    rng = random.Random(seed)  # noqa: S311 — reproducible data, not secrets
    proposer = Member.objects.create_user(
        "bench.search@beta.gouv.fr", display_name="Banc d’essai", betagouv_id="bench.search"
    )
    statuses = list(InitiativeStatus.values)
    kinds = list(InitiativeKind.values)
    rows = []
    for index in range(count - len(TARGETS)):
        rows.append(
            Initiative(
                proposer=proposer, kind=rng.choice(kinds), status=rng.choice(statuses),
                **_filler(rng, index),
            )
        )  # fmt: skip
    positions = sorted(rng.sample(range(len(rows) + 1), len(TARGETS)), reverse=True)
    for position, (_query, title, summary) in zip(positions, TARGETS, strict=True):
        rows.insert(
            position,
            Initiative(
                proposer=proposer, kind=InitiativeKind.OTHER, status=InitiativeStatus.IDEA,
                title=title, summary=summary, description=" ".join(rng.sample(_SENTENCES, 2)),
            ),
        )  # fmt: skip
    Initiative.objects.bulk_create(rows, batch_size=2000)
    titles = {title: query for query, title, _summary in TARGETS}
    return {
        titles[title]: pk
        for pk, title in Initiative.objects.filter(title__in=titles).values_list("pk", "title")
    }


def list_page_search(query: str) -> tuple[int, list[Initiative]]:
    """What /initiatives/?q= runs: the count and the first page of cards."""
    data = {"q": query}
    initiatives = filtered_initiatives(Initiative.objects.visible(), data)
    ordered = initiatives.for_cards().order_by(*INITIATIVE_ORDERINGS[initiative_sort(data)])
    return ordered.count(), list(ordered[:PAGE_SIZE])


def run(bench) -> None:
    with bench.measure(f"build {COUNT:,} initiatives (index kept by the database)"):
        expected = build(COUNT)
    for query, _title, _summary in TARGETS:
        list_page_search(query)  # warm caches, as a running server would be
        timings = []
        for _run in range(RUNS):
            started = time.perf_counter()
            count, page = list_page_search(query)
            timings.append((time.perf_counter() - started) * 1000)
        median = statistics.median(timings)
        first = page[0] if page else None
        relevant = first is not None and first.pk == expected[query]
        bench.note(
            f"« {query} »: median {median:.1f} ms, max {max(timings):.1f} ms over {RUNS} runs "
            f"({count} results) — goal < {GOAL_MS} ms: {'met' if median < GOAL_MS else 'MISSED'}"
        )
        bench.note(
            f"  first result: {first.title if first else '—'} — "
            f"{'the relevant one' if relevant else 'NOT the relevant one'}"
        )
    run_site_search(bench)


MEMBERS = 4_000
_FIRST = ["Camille", "Dominique", "Élodie", "Hugo", "Inès", "Léa", "Noé", "Sacha", "Zoé"]
_LAST = ["Martin", "Lefèvre", "Diallo", "Garnier", "Rousseau", "Chevalier", "Moreau", "Petit"]


def _members(count: int, seed: int = 11) -> None:
    rng = random.Random(seed)  # noqa: S311 — reproducible data, not secrets
    rows = []
    for index in range(count):
        name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
        member = Member(
            email=f"bench.{index}@beta.gouv.fr",
            betagouv_id=f"bench.{index}",
            display_name=name,
            role=rng.choice(["Développeuse", "Designer", "Coach", "Intrapreneur"]),
        )
        member.search_text = member.build_search_text()
        rows.append(member)
    Member.objects.bulk_create(rows, batch_size=2000)


def run_site_search(bench) -> None:
    with bench.measure(f"add {MEMBERS:,} members"):
        _members(MEMBERS)
    request = RequestFactory().get("/recherche/")
    request.user = Member.objects.get(betagouv_id="bench.search")
    for query in [query for query, _title, _summary in TARGETS] + ["martin", "café"]:
        timings = []
        for _run in range(RUNS):
            started = time.perf_counter()
            found = [provider.search(request, query, SEARCH_HITS) for provider in registry.search]
            timings.append((time.perf_counter() - started) * 1000)
        totals = ", ".join(
            f"{provider.name} {results.total}"
            for provider, results in zip(registry.search, found, strict=True)
        )
        bench.note(
            f"/recherche/?q={query}: median {statistics.median(timings):.1f} ms, "
            f"max {max(timings):.1f} ms ({totals})"
        )
