"""The members seeder of `seed_demo`: the structures (ruche/demo/structures.py), then a
community of members with missions, competences, alumni, newcomers, an animation team and the
four demo personas. Everything comes from the context's random generator, so a seed gives the
same community every time (dates are relative to `context.now`)."""

import datetime
import itertools

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.utils import timezone

from ruche.demo.context import DemoContext
from ruche.demo.personas import ANIMATION_TEAM, persona_specs
from ruche.demo.structures import BATCH, Structures, slug_of
from ruche.members.enums import Domaine, MissionStatus
from ruche.members.models import NEWCOMER_DAYS, Competence, Member, Mission
from ruche.members.personas import PERSONAS_BY_KEY

MEMBERS_PER_SCALE = 3500


def _words(text: str) -> list[str]:
    """The words of a text, once each; "_" joins two-word names ("Le_Gall" → "Le Gall")."""
    return list(dict.fromkeys(word.replace("_", " ") for word in text.split()))


# --- People -----------------------------------------------------------------------------------

FIRST_NAMES_F = _words(
    "Camille Léa Manon Chloé Inès Emma Jade Louise Alice Lina Rose Anna Mila Ambre Julia Zoé "
    "Juliette Lou Agathe Léna Margaux Charlotte Sarah Clara Mathilde Lucie Élise Pauline Marion "
    "Claire Julie Céline Sophie Aurélie Émilie Anaïs Audrey Caroline Hélène Isabelle Nathalie "
    "Sandrine Valérie Laure Estelle Marine Morgane Solène Maëlle Océane Gaëlle Coralie Amandine "
    "Élodie Noémie Adèle Salomé Capucine Apolline Bérénice Victoire Héloïse Clémence Ophélie "
    "Yasmine Samia Nadia Leïla Amina Fatou Aïssatou Mariam Sofia Myriam Naïma Kenza Soraya Linh "
    "Mai Anh Chiara Elena Ana Marta Alix Sacha Dominique Claude Charlie Eden Andréa "
    "Maud Anne Marie Cécile Delphine Véronique Sylvie Christine Florence Brigitte Odile Armelle"
)
FIRST_NAMES_M = _words(
    "Thomas Nicolas Julien Maxime Alexandre Antoine Hugo Lucas Louis Gabriel Arthur Jules Adam "
    "Raphaël Léo Paul Nathan Théo Tom Victor Martin Baptiste Clément Romain Quentin Florian "
    "Guillaume Benjamin Mathieu Vincent Olivier Sébastien Pierre François Jérôme Laurent "
    "Stéphane Christophe Frédéric Philippe Éric David Cédric Arnaud Damien Adrien Valentin "
    "Simon Rémi Bastien Corentin Kévin Jérémy Yann Gaël Loïc Erwan Tanguy Mehdi Karim Yacine "
    "Samir Rachid Sofiane Bilal Amadou Moussa Ousmane Mamadou Ibrahim Youssef Omar Hamza Minh "
    "Duc Marco Luca Diego Pablo Alix Sacha Dominique Claude Charlie Eden Andréa Noé Élie Gaspard "
    "Félix Augustin Étienne Marius Basile Hadrien Timothée Bruno Didier Patrick Alain Hervé"
)
LAST_NAMES = _words(
    "Martin Bernard Thomas Petit Robert Richard Durand Dubois Moreau Laurent Simon Michel "
    "Lefebvre Leroy Roux David Bertrand Morel Fournier Girard Bonnet Dupont Lambert Fontaine "
    "Rousseau Vincent Muller Lefèvre Faure André Mercier Blanc Guérin Boyer Garnier Chevalier "
    "François Legrand Gauthier Garcia Perrin Robin Clément Morin Nicolas Henry Roussel Mathieu "
    "Gautier Masson Marchand Duval Denis Dumont Marie Lemaire Noël Meyer Dufour Meunier Brun "
    "Blanchard Giraud Joly Rivière Lucas Brunet Gaillard Barbier Arnaud Martinez Gérard Roche "
    "Renard Schmitt Roy Leroux Colin Vidal Caron Picard Roger Fabre Aubert Lemoine Renaud Dumas "
    "Lacroix Olivier Philippe Bourgeois Pierre Benoît Rey Leclerc Payet Rolland Leclercq "
    "Guillaume Lecomte Lopez Jean Dupuy Guillot Hubert Berger Carpentier Sanchez Dupuis Moulin "
    "Louis Deschamps Huet Vasseur Perez Boucher Fleury Royer Klein Jacquet Adam Paris Poirier "
    "Marty Aubry Guyot Carré Charles Renault Charpentier Ménard Maillard Baron Bertin Bailly "
    "Hervé Schneider Fernandez Collet Léger Bouvier Julien Prévost Millet Perrot Daniel Cousin "
    "Germain Breton Besson Langlois Rémy Pelletier Lévêque Perrier Leblanc Barré Lebrun Marchal "
    "Weber Mallet Hamon Boulanger Jacob Monnier Michaud Rodriguez Guichard Gillet Étienne "
    "Grondin Poulain Tessier Chevallier Collin Chauvin Bouchet Gay Lemaître Bénard Maréchal "
    "Humbert Reynaud Antoine Hoarau Perret Barthélemy Cordier Pichon Lejeune Gilbert Lamy "
    "Delaunay Pasquier Carlier Laporte Diallo Traoré Nguyen Benali Haddad Mansouri Koné Cissé "
    "Tran Bensaïd Ndiaye Diop Camara Sylla Kaci Amrani Belkacem Cherif Hamidi Lemaire Mendes "
    "Ferreira Pereira Rossi Bianchi Kowalski Nowak Le_Gall Le_Goff Le_Roux Le_Bihan Kerbrat "
    "Quéré Riou Tanguy Morvan Jaouen Etcheverry Arrieta Casanova Santoni Peretti Muller Wagner "
    "Hoffmann Keller Zimmermann Lévy Cohen Benhamou Azoulay Vu Pham Da_Silva Dos_Santos"
)

# Domaines with the weights seen in the real community (authors.json, 2026).
DOMAINE_WEIGHTS = {
    Domaine.DEVELOPPEMENT: 968,
    Domaine.INTRAPRENARIAT: 637,
    Domaine.DEPLOIEMENT: 493,
    Domaine.AUTRE: 312,
    Domaine.PRODUIT: 300,
    Domaine.DESIGN: 257,
    Domaine.COACHING: 212,
    Domaine.ANIMATION: 141,
    Domaine.DATA: 105,
    Domaine.SUPPORT: 38,
    Domaine.ATTRIBUTAIRE: 21,
}
# (masculine, feminine) or one épicène form.
ROLES: dict[str, list[tuple[str, ...]]] = {
    Domaine.DEVELOPPEMENT: [
        ("Développeur full-stack", "Développeuse full-stack"),
        ("Développeur back-end", "Développeuse back-end"),
        ("Développeur front-end", "Développeuse front-end"),
        ("Tech lead",),
        ("Développeur Django", "Développeuse Django"),
        ("Ingénieur DevOps", "Ingénieure DevOps"),
    ],
    Domaine.INTRAPRENARIAT: [
        ("Intrapreneur", "Intrapreneuse"),
        ("Porteur de projet", "Porteuse de projet"),
        ("Chef de projet métier", "Cheffe de projet métier"),
    ],
    Domaine.DEPLOIEMENT: [
        ("Chargé de déploiement", "Chargée de déploiement"),
        ("Chargé d’accompagnement", "Chargée d’accompagnement"),
        ("Business developer",),
        ("Responsable des partenariats territoriaux",),
    ],
    Domaine.AUTRE: [
        ("Juriste",),
        ("Chargé de communication", "Chargée de communication"),
        ("Responsable administratif", "Responsable administrative"),
        ("Conseiller numérique", "Conseillère numérique"),
    ],
    Domaine.PRODUIT: [("Product owner",), ("Product manager",), ("Responsable produit",)],
    Domaine.DESIGN: [
        ("Designer UX",),
        ("Designer UX/UI",),
        ("Designer de services",),
        ("Chercheur UX", "Chercheuse UX"),
    ],
    Domaine.COACHING: [("Coach",), ("Coach produit",), ("Coach agile",)],
    Domaine.ANIMATION: [
        ("Animateur de communauté", "Animatrice de communauté"),
        ("Chargé de la vie de communauté", "Chargée de la vie de communauté"),
        ("Responsable des événements",),
    ],
    Domaine.DATA: [("Data scientist",), ("Data analyst",), ("Data engineer",)],
    Domaine.SUPPORT: [
        ("Chargé de support", "Chargée de support"),
        ("Assistant administratif", "Assistante administrative"),
    ],
    Domaine.ATTRIBUTAIRE: [
        ("Consultant attributaire", "Consultante attributaire"),
        ("Chef de projet attributaire", "Cheffe de projet attributaire"),
    ],
}
COMMON_COMPETENCES = [
    "Animation d’atelier",
    "Facilitation",
    "Prise de parole",
    "Gestion de projet",
    "Méthodes agiles",
    "Rédaction",
    "Communication",
    "Recherche utilisateur",
    "Accessibilité numérique",
    "Open data",
    "Conduite du changement",
    "Formation",
    "Mentorat",
]
COMPETENCES: dict[str, list[str]] = {
    Domaine.DEVELOPPEMENT: [
        "Python",
        "Django",
        "JavaScript",
        "TypeScript",
        "React",
        "Vue.js",
        "Ruby on Rails",
        "PostgreSQL",
        "Docker",
        "DevOps",
        "Tests automatisés",
        "Sécurité applicative",
        "API REST",
        "Node.js",
        "Elixir",
    ],
    Domaine.DESIGN: [
        "Design UX",
        "Design UI",
        "Figma",
        "Tests utilisateurs",
        "Design de services",
        "Système de design de l’État",
        "Prototypage",
    ],
    Domaine.PRODUIT: ["Product management", "Priorisation", "Mesure d’impact", "Discovery"],
    Domaine.DATA: ["SQL", "Metabase", "Data visualisation", "Python", "Statistiques", "dbt"],
    Domaine.DEPLOIEMENT: [
        "Déploiement territorial",
        "Partenariats",
        "Relations avec les collectivités",
        "Support utilisateur",
        "Webinaires",
    ],
    Domaine.COACHING: ["Coaching d’équipe", "Méthodes agiles", "Lean startup", "Rétrospectives"],
    Domaine.INTRAPRENARIAT: [
        "Connaissance métier",
        "Droit public",
        "Politiques publiques",
        "Marchés publics",
    ],
    Domaine.ANIMATION: [
        "Animation de communauté",
        "Organisation d’événements",
        "Communication interne",
        "Modération",
    ],
}
INTERESTS = [
    "accessibilité",
    "vélo",
    "open data",
    "logiciel libre",
    "cuisine",
    "jeux de société",
    "course à pied",
    "photographie",
    "écologie",
    "sobriété numérique",
    "musique",
    "lecture",
    "randonnée",
    "théâtre d’impro",
    "mentorat",
    "santé mentale",
]
LANGUAGES = ["anglais", "espagnol", "allemand", "italien", "arabe", "portugais", "LSF", "breton"]
EMPLOYERS: dict[str, list[str]] = {
    MissionStatus.INDEPENDENT: [
        "Indépendant·e",
        "Coopérative Pixel",
        "Collectif Octave",
        "Portage Horizon",
        "Coopérative des Communs",
    ],
    MissionStatus.SERVICE: [
        "Société Numérique Ouverte",
        "Agence Clairvoie",
        "Groupement Beta Services",
        "Atelier Sémaphore",
    ],
}
BIO_SENTENCES = [
    "Avant de rejoindre la communauté, j’ai travaillé plusieurs années dans une collectivité.",
    "Je m’intéresse surtout à ce que vivent les usagers au guichet.",
    "J’aime les équipes petites, autonomes et qui livrent souvent.",
    "Je viens du secteur associatif et j’y reste très attaché·e.",
    "Toujours partant·e pour un café ou un atelier sur l’accessibilité.",
    "Je partage volontiers ce que j’ai appris sur le déploiement auprès des collectivités.",
    "On peut me solliciter pour relire un pitch ou préparer un comité d’investissement.",
    "Je crois beaucoup au logiciel libre et aux communs numériques.",
]


def seed(context: DemoContext) -> None:
    _Community(context, Structures(context).build()).build()


def _insert_links(through, columns: tuple[str, str], pairs: list[tuple[int, int]]) -> None:
    """Rows of a many-to-many table in one executemany: at scale 10 there are a hundred
    thousand, and building a model instance for each costs more than inserting it."""
    quote = connection.ops.quote_name
    # Names come from the model's metadata, values go through parameters.
    sql = (
        f"INSERT INTO {quote(through._meta.db_table)} "  # noqa: S608  # nosec B608
        f"({quote(columns[0])}, {quote(columns[1])}) VALUES (%s, %s)"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(pairs), 10 * BATCH):
            cursor.executemany(sql, pairs[start : start + 10 * BATCH])


class _Community:
    def __init__(self, context: DemoContext, structures: Structures):
        self.context = context
        self.structures = structures
        self.rng = context.rng
        self.scale = context.whole_scale
        self.today = timezone.localdate(context.now)
        self.used_ids: dict[str, int] = {}
        self.password = make_password(None)
        self.members: list[Member] = []
        # per member, in order: [(start, end, status, employer, [startup indexes])]
        self.missions: list[list[tuple]] = []
        self.competences: list[list[str]] = []
        self.personas: list[str | None] = []  # per member, in order: its persona key or None

    def build(self) -> None:
        self._people()
        self._save_people()
        self.context.log(
            f"members: {len(self.members)} members, {len(self.structures.startups)} startups, "
            f"{len(self.structures.incubators)} incubators"
        )

    def _betagouv_id(self, first: str, last: str) -> str:
        base = f"{slug_of(first)}.{slug_of(last)}"
        count = self.used_ids.get(base, 0) + 1
        self.used_ids[base] = count
        return base if count == 1 else f"{base}{count}"

    def _person(self) -> tuple[str, str, str]:
        feminine = self.rng.random() < 0.5
        first = self.rng.choice(FIRST_NAMES_F if feminine else FIRST_NAMES_M)
        return first, self.rng.choice(LAST_NAMES), "f" if feminine else "m"

    def _role(self, domaine: str, gender: str) -> str:
        forms = self.rng.choice(ROLES[domaine])
        return forms[-1] if gender == "f" else forms[0]

    def _people(self) -> None:
        for persona in PERSONAS_BY_KEY.values():
            self.used_ids[persona.betagouv_id] = 1
        self._personas()
        for _ in range(4 + self.scale):
            self._animator()
        total = MEMBERS_PER_SCALE * self.scale
        domaines = list(DOMAINE_WEIGHTS)
        weights = list(itertools.accumulate(DOMAINE_WEIGHTS.values()))
        while len(self.members) < total:
            domaine = self.rng.choices(domaines, cum_weights=weights)[0]
            first, last, gender = self._person()
            draw = self.rng.random()
            journey = "newcomer" if draw < 0.07 else "alumnus" if draw < 0.47 else "active"
            self._add_member(
                first=first,
                last=last,
                betagouv_id=self._betagouv_id(first, last),
                domaine=domaine,
                role=self._role(domaine, gender),
                missions=self._career(journey, domaine),
            )

    def _personas(self) -> None:
        for key, spec in persona_specs(self.today, self._persona_startup).items():
            persona = PERSONAS_BY_KEY[key]
            first, last = persona.display_name.split(" ", 1)
            self._add_member(
                first=first, last=last, betagouv_id=persona.betagouv_id, persona=key, **spec
            )

    def _persona_startup(self) -> list[int]:
        """A running startup of the first incubator; in a small community it may have none,
        and then any running startup, or any startup, will do."""
        structures = self.structures
        pools = (
            structures.alive_by_incubator[0],
            structures.all_by_incubator[0],
            [index for pool in structures.alive_by_incubator for index in pool],
            [index for pool in structures.all_by_incubator for index in pool],
        )
        pool = next((pool for pool in pools if pool), [])
        return [self.rng.choice(pool)] if pool else []

    def _animator(self) -> None:
        first, last, gender = self._person()
        days = self.rng.randint(200, 2000)
        status = self.rng.choice([MissionStatus.ADMIN, MissionStatus.INDEPENDENT])
        employer = "DINUM" if status == MissionStatus.ADMIN else self._employer(status)
        self._add_member(
            first=first,
            last=last,
            betagouv_id=self._betagouv_id(first, last),
            domaine=Domaine.ANIMATION,
            role=self._role(Domaine.ANIMATION, gender),
            missions=[(self.today - datetime.timedelta(days=days), None, status, employer, [])],
            transverse_role=ANIMATION_TEAM,
        )

    def _employer(self, status: str, incubator_index: int | None = None) -> str:
        if status == MissionStatus.ADMIN:
            if incubator_index is None:
                return "DINUM"
            owner = self.structures.incubators[incubator_index].owner
            return owner.acronym or owner.name if owner else "DINUM"
        return self.rng.choice(EMPLOYERS[status])

    def _career(self, journey: str, domaine: str) -> list[tuple]:
        """Missions from the first to the last: one to three, back to back, on startups of
        one incubator."""
        rng, today = self.rng, self.today
        if journey == "newcomer":
            start = today - datetime.timedelta(days=rng.randint(1, NEWCOMER_DAYS - 1))
            end = None if rng.random() < 0.7 else today + datetime.timedelta(rng.randint(90, 400))
            count = 1
        elif journey == "active":
            start = today - datetime.timedelta(days=rng.randint(NEWCOMER_DAYS + 1, 6 * 365))
            end = None if rng.random() < 0.6 else today + datetime.timedelta(rng.randint(1, 400))
            count = rng.choices([1, 2, 3], weights=[70, 20, 10])[0]
        else:
            end = today - datetime.timedelta(days=rng.randint(1, 5 * 365))
            start = end - datetime.timedelta(days=rng.randint(90, 3 * 365))
            count = rng.choices([1, 2, 3], weights=[75, 18, 7])[0]
        incubator = self.structures.incubator_index()
        pool = self.structures.all_by_incubator[incubator]
        if journey != "alumnus" and self.structures.alive_by_incubator[incubator]:
            pool = self.structures.alive_by_incubator[incubator]
        if domaine == Domaine.INTRAPRENARIAT:
            status = MissionStatus.ADMIN
        else:
            status = rng.choices(
                [MissionStatus.INDEPENDENT, MissionStatus.ADMIN, MissionStatus.SERVICE],
                weights=[54, 33, 13],
            )[0]
        last_day = end or today
        span = (last_day - start).days
        if span < 60 * count:
            count = 1
        cuts = sorted(rng.sample(range(30, span - 29), count - 1)) if count > 1 else []
        bounds = [start, *(start + datetime.timedelta(days=cut) for cut in cuts)]
        startups = [rng.choice(pool)] if pool else []
        missions = []
        for number, mission_start in enumerate(bounds):
            is_last = number == len(bounds) - 1
            mission_end = end if is_last else bounds[number + 1] - datetime.timedelta(days=1)
            if pool and rng.random() < 0.3:
                startups = [rng.choice(pool)]
            if pool and rng.random() < 0.15:
                startups = sorted({*startups, rng.choice(pool)})
            if rng.random() < 0.25:
                status = rng.choice([MissionStatus.INDEPENDENT, MissionStatus.SERVICE])
            missions.append(
                (mission_start, mission_end, status, self._employer(status, incubator), startups)
            )
        return missions

    def _add_member(
        self,
        *,
        first: str,
        last: str,
        betagouv_id: str,
        domaine: str,
        role: str,
        missions: list[tuple],
        competences: list[str] | None = None,
        bio: str | None = None,
        persona: str | None = None,
        **extra,
    ) -> None:
        rng = self.rng
        if competences is None:
            competences = []
            if rng.random() < 0.55:
                pool = list(dict.fromkeys(COMPETENCES.get(domaine, []) + COMMON_COMPETENCES))
                competences = rng.sample(pool, min(len(pool), rng.randint(1, 5)))
        if bio is None:
            bio = " ".join(rng.sample(BIO_SENTENCES, 2)) if rng.random() < 0.4 else ""
        interests = rng.sample(INTERESTS, rng.randint(1, 3)) if rng.random() < 0.5 else []
        languages = ["français"]
        if rng.random() < 0.45:
            languages += rng.sample(LANGUAGES, rng.randint(1, 2))
        first_start = min(mission[0] for mission in missions)
        member = Member(
            betagouv_id=betagouv_id,
            email=f"{betagouv_id}@{settings.MEMBER_EMAIL_DOMAIN}".lower(),
            password=self.password,
            display_name=f"{first} {last}",
            domaine=domaine,
            role=role,
            bio=bio,
            interests=interests,
            languages=languages,
            date_joined=timezone.make_aware(
                datetime.datetime.combine(first_start, datetime.time(9))
            ),
            **extra,
        )
        member.search_text = member.build_search_text()
        self.members.append(member)
        self.personas.append(persona)
        self.missions.append(missions)
        self.competences.append(competences)

    def _save_people(self) -> None:
        context, today = self.context, self.today
        Member.objects.bulk_create(self.members, batch_size=BATCH)

        competence_ids: dict[str, int] = {}
        for pk, name in Competence.objects.values_list("pk", "name"):
            competence_ids.setdefault(name.casefold(), pk)
        names: dict[str, str] = {}
        for chosen in self.competences:
            for name in chosen:
                if name.casefold() not in competence_ids:
                    names.setdefault(name.casefold(), name)
        for competence in Competence.objects.bulk_create(
            [Competence(name=name) for name in names.values()]
        ):
            competence_ids[competence.name.casefold()] = competence.pk
        _insert_links(
            Member.competences.through,
            ("member_id", "competence_id"),
            [
                (member.pk, competence_ids[name.casefold()])
                for member, chosen in zip(self.members, self.competences, strict=True)
                for name in chosen
            ],
        )

        missions, links = [], []
        for member, career in zip(self.members, self.missions, strict=True):
            for start, end, status, employer, startups in career:
                mission = Mission(
                    member_id=member.pk, start=start, end=end, status=status, employer=employer
                )
                missions.append(mission)
                links.append(startups)
        Mission.objects.bulk_create(missions, batch_size=BATCH)
        _insert_links(
            Mission.startups.through,
            ("mission_id", "startup_id"),
            [
                (mission.pk, self.structures.startups[i].pk)
                for mission, indexes in zip(missions, links, strict=True)
                for i in indexes
            ],
        )

        for member, career, persona in zip(self.members, self.missions, self.personas, strict=True):
            context.member_ids.append(member.pk)
            if any(start <= today and (end is None or end >= today) for start, end, *_ in career):
                context.active_member_ids.append(member.pk)
            if min(start for start, *_ in career) > today - datetime.timedelta(NEWCOMER_DAYS):
                context.newcomer_ids.append(member.pk)
            if member.transverse_role:
                context.animation_team_ids.append(member.pk)
            if persona:
                context.personas[persona] = member.pk
