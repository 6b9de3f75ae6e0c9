"""The structures of the demo community, before its people: the organisations, the incubators
they own and the startups they host, each startup with its phases (some given up, some handed
over). Names and pitches are drawn from the context's random generator."""

import datetime
import itertools
import re

from django.utils import timezone

from ruche.core.text import fold
from ruche.demo.context import DemoContext
from ruche.members.models import Incubator, Organisation, Startup

STARTUPS_PER_SCALE = 660
BATCH = 1000

# slug, name, acronym, domaine ministériel, type
ORGANISATIONS = [
    ("dinum", "Direction interministérielle du numérique", "DINUM", "premier-ministre", "adm"),
    ("anct", "Agence nationale de la cohésion des territoires", "ANCT", "territoires", "ope"),
    ("mte", "Ministère de la Transition écologique", "MTE", "ecologie", "adm"),
    ("interieur", "Ministère de l’Intérieur", "MI", "interieur", "adm"),
    ("justice", "Ministère de la Justice", "MJ", "justice", "adm"),
    ("education", "Ministère de l’Éducation nationale", "MEN", "education", "adm"),
    ("sociaux", "Ministères sociaux", "MAS", "solidarites-sante", "adm"),
    ("agriculture", "Ministère de l’Agriculture", "MASA", "agriculture", "adm"),
    ("france-travail", "France Travail", "FT", "travail", "ope"),
    ("ademe", "Agence de la transition écologique", "ADEME", "ecologie", "ope"),
    ("cerema", "Cerema", "CEREMA", "ecologie", "ope"),
    ("ign", "Institut national de l’information géographique", "IGN", "ecologie", "ope"),
    ("dgfip", "Direction générale des Finances publiques", "DGFiP", "economie", "adm"),
    ("culture", "Ministère de la Culture", "MC", "culture", "adm"),
    ("armees", "Ministère des Armées", "MINARM", "armees", "adm"),
    ("meae", "Ministère de l’Europe et des Affaires étrangères", "MEAE", "europe", "adm"),
    ("anssi", "Agence nationale de la sécurité des systèmes d’information", "ANSSI", "pm", "ope"),
    ("region-occitanie", "Région Occitanie", "", "territoires", "col"),
    ("region-hdf", "Région Hauts-de-France", "", "territoires", "col"),
]
ORGANISATION_KINDS = {
    "adm": "administration-centrale",
    "ope": "operateur",
    "col": "collectivite-territoriale",
}
# slug, title, owner, relative size, address
INCUBATORS = [
    ("dinum", "Incubateur de la DINUM", "dinum", 123, "20 avenue de Ségur, Paris 7e"),
    ("anct", "Incubateur des Territoires", "anct", 110, "20 avenue de Ségur, Paris 7e"),
    ("mte", "Fabrique numérique de la Transition écologique", "mte", 93, "La Défense"),
    ("interieur", "Fabrique numérique de l’Intérieur", "interieur", 30, "Place Beauvau, Paris 8e"),
    ("justice", "Fabrique numérique de la Justice", "justice", 28, "Paris 19e"),
    ("education", "Incubateur de l’Éducation nationale", "education", 32, "Paris 7e"),
    ("sociaux", "Fabrique des ministères sociaux", "sociaux", 34, "Paris 15e"),
    ("agriculture", "Lab de l’Agriculture", "agriculture", 14, "Paris 7e"),
    ("france-travail", "Incubateur de France Travail", "france-travail", 25, "Paris 20e"),
    ("ademe", "Incubateur de l’ADEME", "ademe", 18, "Angers"),
    ("cerema", "Incubateur du Cerema", "cerema", 12, "Lyon"),
    ("ign", "Fabrique des géocommuns", "ign", 15, "Saint-Mandé"),
    ("dgfip", "Lab de la DGFiP", "dgfip", 12, "Paris 12e"),
    ("culture", "Lab de la Culture", "culture", 9, "Paris 1er"),
    ("armees", "Fabrique numérique des Armées", "armees", 11, "Paris 15e"),
    ("meae", "Lab du Quai d’Orsay", "meae", 7, "Paris 7e"),
    ("anssi", "Incubateur de la sécurité numérique", "anssi", 8, "Paris 7e"),
    ("interministeriel", "Incubateur des produits interministériels", "dinum", 33, "Paris 7e"),
    ("occitanie", "Incubateur territorial d’Occitanie", "region-occitanie", 10, "Toulouse"),
    ("hauts-de-france", "Incubateur des Hauts-de-France", "region-hdf", 9, "Lille"),
    ("sante", "Incubateur du numérique en santé", "sociaux", 16, "Paris 14e"),
    ("travail", "Lab du Travail et de l’Emploi", "sociaux", 10, "Paris 7e"),
    ("mer", "Fabrique de la Mer", "mte", 6, "Brest"),
]
# Startup names: a topic (with its grammatical form) and a name pattern.
# topic, gender ("m", "f", "p" plural), thématique
TOPICS = [
    ("Stage", "m", "Jeunesse"),
    ("Logement", "m", "Logement"),
    ("Vélo", "m", "Mobilité"),
    ("Cantine", "f", "Alimentation"),
    ("Permis", "m", "Mobilité"),
    ("Eau", "f", "Environnement"),
    ("Forêt", "f", "Environnement"),
    ("Emploi", "m", "Travail / Emploi"),
    ("Santé", "f", "Santé"),
    ("Retraite", "f", "Social"),
    ("Aidants", "p", "Social"),
    ("Énergie", "f", "Énergie"),
    ("Rénovation", "f", "Logement"),
    ("Déchets", "p", "Environnement"),
    ("Tribunal", "m", "Justice"),
    ("Subventions", "p", "Collectivités"),
    ("Associations", "p", "Associations"),
    ("Patrimoine", "m", "Culture"),
    ("Bibliothèque", "f", "Culture"),
    ("Ferme", "f", "Agriculture"),
    ("Biodiversité", "f", "Environnement"),
    ("Risques", "p", "Environnement"),
    ("Urbanisme", "m", "Collectivités"),
    ("Cadastre", "m", "Collectivités"),
    ("Sport", "m", "Sport"),
    ("Vacances", "p", "Jeunesse"),
    ("Bourse", "f", "Éducation"),
    ("Orientation", "f", "Éducation"),
    ("Formation", "f", "Travail / Emploi"),
    ("Apprentissage", "m", "Travail / Emploi"),
    ("Impôts", "p", "Fiscalité"),
    ("Entreprise", "f", "Entreprises"),
    ("Territoire", "m", "Collectivités"),
    ("Covoiturage", "m", "Mobilité"),
    ("Climat", "m", "Environnement"),
    ("Air", "m", "Environnement"),
    ("Alimentation", "f", "Alimentation"),
    ("Accessibilité", "f", "Handicap"),
    ("Handicap", "m", "Handicap"),
    ("Prévention", "f", "Santé"),
    ("Médecin", "m", "Santé"),
    ("Crèche", "f", "Famille"),
    ("Famille", "f", "Famille"),
    ("Archives", "p", "Culture"),
    ("Démarches", "p", "Numérique"),
    ("Signalement", "m", "Sécurité"),
    ("Inclusion", "f", "Social"),
    ("Insertion", "f", "Travail / Emploi"),
    ("Justice", "f", "Justice"),
    ("Marchés", "p", "Entreprises"),
    ("Tourisme", "m", "Économie"),
    ("Littoral", "m", "Environnement"),
    ("Commune", "f", "Collectivités"),
    ("Élus", "p", "Collectivités"),
    ("Pêche", "f", "Agriculture"),
    ("Chantier", "m", "Logement"),
    ("Quartier", "m", "Collectivités"),
    ("Transport", "m", "Mobilité"),
    ("Consulat", "m", "International"),
    ("Visa", "m", "International"),
    ("Solidarité", "f", "Social"),
    ("Sécurité", "f", "Sécurité"),
]
NAME_PATTERNS = [
    "{poss} {t}",
    "{t} Facile",
    "Signal {t}",
    "Dossier {t}",
    "Carto {t}",
    "{t} Connect",
    "Guichet {t}",
    "Objectif {t}",
    "Data {t}",
    "Simul’{t}",
    "{t} Pro",
    "Radar {t}",
    "Boussole {t}",
    "Pass {t}",
    "Parcours {t}",
    "{t} Partagé",
    "Atlas {t}",
    "Agenda {t}",
]
POSSESSIVES = {"m": "Mon", "f": "Ma", "p": "Mes"}
REGIONS = [
    "Occitanie",
    "Bretagne",
    "Normandie",
    "Grand Est",
    "Hauts-de-France",
    "Auvergne-Rhône-Alpes",
    "Nouvelle-Aquitaine",
    "Centre-Val de Loire",
    "Bourgogne-Franche-Comté",
    "Pays de la Loire",
    "Corse",
    "Provence",
    "Île-de-France",
    "La Réunion",
    "Guadeloupe",
    "Martinique",
    "Guyane",
    "Mayotte",
]
# thématique → (publics, what the service helps them do)
THEMES = {
    "Jeunesse": (
        ["les jeunes de 16 à 25 ans", "les collégiens et collégiennes", "les lycéen·nes"],
        ["trouver un stage près de chez eux", "connaître les aides auxquelles ils ont droit"],
    ),
    "Logement": (
        ["les locataires", "les propriétaires modestes", "les mairies"],
        ["financer la rénovation de leur logement", "signaler un logement indigne"],
    ),
    "Mobilité": (
        ["les habitant·es des zones rurales", "les collectivités", "les candidat·es au permis"],
        ["trouver une solution de transport", "réserver une place à l’examen"],
    ),
    "Alimentation": (
        ["les gestionnaires de cantine", "les collectivités", "les producteurs locaux"],
        ["servir des repas durables", "suivre la part de produits bio et locaux"],
    ),
    "Environnement": (
        ["les collectivités", "les agent·es de l’État", "les associations"],
        ["suivre la qualité de l’eau", "anticiper les risques naturels", "réduire leurs déchets"],
    ),
    "Travail / Emploi": (
        ["les personnes en recherche d’emploi", "les conseiller·es emploi", "les employeurs"],
        ["trouver une formation adaptée", "recruter sans discriminer", "suivre un parcours"],
    ),
    "Santé": (
        ["les patient·es", "les professionnel·les de santé", "les agences régionales de santé"],
        ["trouver un médecin disponible", "organiser une campagne de prévention"],
    ),
    "Social": (
        ["les travailleur·ses sociaux", "les aidant·es", "les personnes âgées"],
        ["accéder à leurs droits", "suivre les accompagnements", "trouver du répit"],
    ),
    "Énergie": (
        ["les ménages", "les petites entreprises", "les communes"],
        ["réduire leur facture d’énergie", "financer des travaux d’économie d’énergie"],
    ),
    "Justice": (
        ["les justiciables", "les greffes", "les avocat·es"],
        ["suivre leur procédure", "préparer une audience", "demander l’aide juridictionnelle"],
    ),
    "Collectivités": (
        ["les élu·es locaux", "les secrétaires de mairie", "les intercommunalités"],
        ["trouver des financements", "instruire les demandes d’urbanisme", "piloter un projet"],
    ),
    "Associations": (
        ["les associations", "les bénévoles", "les services de l’État"],
        ["demander une subvention", "déclarer leurs activités", "trouver des bénévoles"],
    ),
    "Culture": (
        ["les bibliothèques", "les musées", "les visiteurs et visiteuses"],
        ["faire connaître leurs collections", "préparer une visite accessible"],
    ),
    "Agriculture": (
        ["les agriculteurs et agricultrices", "les pêcheur·ses", "les services vétérinaires"],
        ["déclarer leurs aides", "suivre les contrôles sanitaires", "s’installer"],
    ),
    "Sport": (
        ["les clubs sportifs", "les familles", "les collectivités"],
        ["trouver une activité près de chez eux", "financer des équipements"],
    ),
    "Éducation": (
        ["les familles", "les élèves", "les enseignant·es"],
        ["faire une demande de bourse", "choisir leur orientation", "signaler du harcèlement"],
    ),
    "Fiscalité": (
        ["les contribuables", "les entreprises", "les collectivités"],
        ["comprendre leur impôt", "simuler une réforme", "déclarer sans erreur"],
    ),
    "Entreprises": (
        ["les entreprises", "les acheteur·ses publics", "les artisan·es"],
        ["répondre à un marché public", "trouver un interlocuteur", "être payées plus vite"],
    ),
    "Handicap": (
        ["les personnes en situation de handicap", "les MDPH", "les employeurs"],
        ["faire valoir leurs droits", "rendre un service accessible"],
    ),
    "Famille": (
        ["les parents", "les assistant·es maternel·les", "les communes"],
        ["trouver une place en crèche", "préparer une naissance"],
    ),
    "Numérique": (
        ["les usagers", "les agent·es publics", "les administrations"],
        ["faire leurs démarches en ligne", "mesurer la satisfaction des usagers"],
    ),
    "Sécurité": (
        ["les victimes", "les forces de l’ordre", "les maires"],
        ["signaler une violence", "porter plainte en ligne", "prévenir les cyberattaques"],
    ),
    "Économie": (
        ["les offices de tourisme", "les commerçant·es", "les territoires"],
        ["attirer des visiteurs", "redynamiser un centre-ville"],
    ),
    "International": (
        ["les Français·es de l’étranger", "les étudiant·es étrangers", "les consulats"],
        ["obtenir un visa", "faire une démarche consulaire"],
    ),
}
# Every public above starts with "les ", so it also reads as "aux …" and "des …".
PITCHES = [
    "Aider {public} à {action}.",
    "Un service numérique pour permettre {to_public} {of_action}, simplement.",
    "Simplifier la vie {of_public} qui veulent {action}.",
    "Moins de papier, moins d’attente : {public} peuvent {action} en quelques minutes.",
]
TECHNOS = [
    "django",
    "ruby on rails",
    "react",
    "vue",
    "node",
    "postgresql",
    "metabase",
    "next.js",
    "python",
    "elixir",
    "wordpress",
    "grist",
]
ACCESSIBILITY = ["", "", "non conforme", "partiellement conforme", "totalement conforme"]


def slug_of(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


class Structures:
    """Organisations, incubators and startups; for each incubator, the indexes of its startups
    still running and of all of them, from which members' missions are drawn."""

    def __init__(self, context: DemoContext):
        self.context = context
        self.rng = context.rng
        self.scale = context.whole_scale
        self.today = timezone.localdate(context.now)

    def build(self) -> "Structures":
        organisations = self._organisations()
        self.incubators = self._incubators(organisations)
        self._startups()
        return self

    def _organisations(self) -> dict[str, Organisation]:
        existing = {o.slug: o for o in Organisation.objects.all()}
        new = [
            Organisation(
                slug=slug,
                name=name,
                acronym=acronym,
                domaine_ministeriel=domaine,
                kind=ORGANISATION_KINDS[kind],
            )
            for slug, name, acronym, domaine, kind in ORGANISATIONS
            if slug not in existing
        ]
        Organisation.objects.bulk_create(new)
        return existing | {o.slug: o for o in new}

    def _incubators(self, organisations) -> list[Incubator]:
        existing = {i.slug: i for i in Incubator.objects.all()}
        incubators, weights = [], []
        for slug, title, owner, weight, address in INCUBATORS:
            incubator = existing.get(slug) or Incubator(
                slug=slug,
                title=title,
                owner=organisations[owner],
                address=address,
                contact=f"contact-{slug}@incubateur.example.org",
            )
            incubators.append(incubator)
            weights.append(weight)
        Incubator.objects.bulk_create([i for i in incubators if i.pk is None])
        self.incubator_weights = list(itertools.accumulate(weights))
        self.context.incubator_ids = [i.pk for i in incubators]
        return incubators

    def _startup_names(self):
        """Plausible product names, all different: topic × pattern first, then regional
        variants when a large scale needs more."""
        bases = []
        for topic, gender, theme in TOPICS:
            possessive = POSSESSIVES[gender]
            if gender == "f" and fold(topic)[0] in "aeiouh":
                possessive = "Mon"
            for pattern in NAME_PATTERNS:
                name = pattern.format(t=topic, poss=possessive)
                if gender != "m" and name.endswith("Partagé"):
                    name += "e" if gender == "f" else "s"
                bases.append((name, theme))
        self.rng.shuffle(bases)
        yield from bases
        for region in REGIONS:
            for name, theme in bases:
                yield f"{name} {region}", theme
        for number in range(2, 10_000):
            for name, theme in bases:
                yield f"{name} {number}", theme

    def _startups(self) -> None:
        rng = self.rng
        existing_slugs = set(Startup.objects.values_list("slug", flat=True))
        names = self._startup_names()
        startups = []
        # per incubator, the startups still alive and all of them, for picking missions
        self.alive_by_incubator: list[list[int]] = [[] for _ in self.incubators]
        self.all_by_incubator: list[list[int]] = [[] for _ in self.incubators]
        for index in range(STARTUPS_PER_SCALE * self.scale):
            name, theme = next(names)
            slug = slug_of(name)
            while slug in existing_slugs:
                name, theme = next(names)
                slug = slug_of(name)
            existing_slugs.add(slug)
            incubator_index = self.incubator_index()
            phases = self._phases()
            publics, actions = THEMES[theme]
            public = rng.choice(publics)
            rest = public.removeprefix("les ")
            action = rng.choice(actions)
            pitch = rng.choice(PITCHES).format(
                public=public,
                to_public=f"aux {rest}",
                of_public=f"des {rest}",
                action=action,
                of_action=f"d’{action}" if fold(action)[0] in "aeiou" else f"de {action}",
            )
            other_theme = rng.choice(list(THEMES))
            startups.append(
                Startup(
                    slug=slug,
                    name=name,
                    pitch=pitch[0].upper() + pitch[1:],
                    incubator=self.incubators[incubator_index],
                    phase=phases[-1]["name"],
                    phases=phases,
                    thematiques=[theme] if other_theme == theme else [theme, other_theme],
                    technos=sorted(rng.sample(TECHNOS, rng.randint(0, 3))),
                    accessibility_status=rng.choice(ACCESSIBILITY),
                )
            )
            self.all_by_incubator[incubator_index].append(index)
            if not phases[-1]["name"].startswith("abandon"):
                self.alive_by_incubator[incubator_index].append(index)
        Startup.objects.bulk_create(startups, batch_size=BATCH)
        self.startups = startups
        self.context.startup_ids = [s.pk for s in startups]

    def incubator_index(self) -> int:
        return self.rng.choices(range(len(self.incubators)), cum_weights=self.incubator_weights)[0]

    def _phases(self) -> list[dict]:
        rng = self.rng
        start = self.today - datetime.timedelta(days=rng.randint(30, 9 * 365))
        steps = ["investigation", "construction", "acceleration", "consolidation"]
        ending = rng.random()
        if ending < 0.15:
            path = ["investigation", "abandon-investigation"]
        elif ending < 0.25:
            path = [*steps[: rng.randint(2, 3)], "abandon"]
        elif ending < 0.35:
            path = [*steps, "transfere"]
        else:
            path = steps[: rng.randint(1, 4)]
        phases, day = [], start
        for name in path:
            if day > self.today:
                break
            phases.append({"name": name, "start": day.isoformat(), "end": None})
            day += datetime.timedelta(days=rng.randint(90, 600))
        return phases
