"""The members seeder of `seed_demo`: organisations, incubators, startups and a community of
members with missions, competences, alumni, newcomers, an animation team and the four demo
personas. Everything comes from the context's random generator, so a seed gives the same
community every time (dates are relative to `context.now`)."""

import datetime
import itertools
import re

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.utils import timezone

from ruche.core.text import fold
from ruche.demo.context import DemoContext
from ruche.members.enums import Domaine, MissionStatus
from ruche.members.models import (
    NEWCOMER_DAYS,
    Competence,
    Incubator,
    Member,
    Mission,
    Organisation,
    Startup,
)
from ruche.members.personas import PERSONAS_BY_KEY

ANIMATION_TEAM = "Équipe d’animation"
MEMBERS_PER_SCALE = 3500
STARTUPS_PER_SCALE = 660
BATCH = 1000


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
ROLES = {
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
COMPETENCES = {
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
EMPLOYERS = {
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

# --- Structures ---------------------------------------------------------------------------------

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


def seed(context: DemoContext) -> None:
    _Community(context).build()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


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
    def __init__(self, context: DemoContext):
        self.context = context
        self.rng = context.rng
        self.scale = max(1, int(context.scale))
        self.today = timezone.localdate(context.now)
        self.used_ids: dict[str, int] = {}
        self.password = make_password(None)
        self.members: list[Member] = []
        # per member, in order: [(start, end, status, employer, [startup indexes])]
        self.missions: list[list[tuple]] = []
        self.competences: list[list[str]] = []

    def log(self, message: str) -> None:
        self.context.log(message)

    def build(self) -> None:
        organisations = self._organisations()
        self.incubators = self._incubators(organisations)
        self._startups()
        self._people()
        self._save_people()
        self.log(
            f"members: {len(self.members)} members, {len(self.startups)} startups, "
            f"{len(self.incubators)} incubators"
        )

    # Structures --------------------------------------------------------------------------------

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
        self.alive_by_incubator = [[] for _ in self.incubators]
        self.all_by_incubator = [[] for _ in self.incubators]
        for index in range(STARTUPS_PER_SCALE * self.scale):
            name, theme = next(names)
            slug = _slug(name)
            while slug in existing_slugs:
                name, theme = next(names)
                slug = _slug(name)
            existing_slugs.add(slug)
            incubator_index = self._incubator_index()
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

    def _incubator_index(self) -> int:
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

    # People ------------------------------------------------------------------------------------

    def _betagouv_id(self, first: str, last: str) -> str:
        base = f"{_slug(first)}.{_slug(last)}"
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
        today = self.today
        personas = PERSONAS_BY_KEY

        def startup() -> list[int]:
            """A running startup of the first incubator; in a small community it may have none,
            and then any running startup, or any startup, will do."""
            pools = (
                self.alive_by_incubator[0],
                self.all_by_incubator[0],
                [index for pool in self.alive_by_incubator for index in pool],
                [index for pool in self.all_by_incubator for index in pool],
            )
            pool = next((pool for pool in pools if pool), [])
            return [self.rng.choice(pool)] if pool else []

        def running(days_ago: int, status, employer, startups) -> list[tuple]:
            return [(today - datetime.timedelta(days=days_ago), None, status, employer, startups)]

        specs = {
            "newcomer": {
                "domaine": Domaine.DESIGN,
                "role": "Designer UX",
                "missions": running(21, MissionStatus.INDEPENDENT, "Coopérative Pixel", startup()),
                "competences": ["Design UX", "Figma", "Recherche utilisateur"],
                "bio": "Designer, j’arrive tout juste dans la communauté : je découvre !",
            },
            "member": {
                "domaine": Domaine.DEVELOPPEMENT,
                "role": "Développeur full-stack",
                "missions": running(730, MissionStatus.INDEPENDENT, "Collectif Octave", startup()),
                "competences": ["Python", "Django", "PostgreSQL", "Accessibilité numérique"],
                "bio": "Développeur depuis deux ans dans une startup d’État.",
            },
            "animation": {
                "domaine": Domaine.ANIMATION,
                "role": "Animatrice de communauté",
                "missions": running(1100, MissionStatus.ADMIN, "DINUM", []),
                "competences": ["Animation de communauté", "Facilitation", "Modération"],
                "bio": "J’anime la communauté : événements, entraide et vie collective.",
                "transverse_role": ANIMATION_TEAM,
            },
            "admin": {
                "domaine": Domaine.SUPPORT,
                "role": "Administratrice de Ruche",
                "missions": running(1500, MissionStatus.ADMIN, "DINUM", []),
                "competences": ["Support utilisateur"],
                "bio": "",
                "is_staff": True,
                "is_superuser": True,
            },
        }
        for key, spec in specs.items():
            persona = personas[key]
            first, last = persona.display_name.split(" ", 1)
            self._add_member(
                first=first, last=last, betagouv_id=persona.betagouv_id, persona=key, **spec
            )

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
            owner = self.incubators[incubator_index].owner
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
        incubator = self._incubator_index()
        pool = self.all_by_incubator[incubator]
        if journey != "alumnus" and self.alive_by_incubator[incubator]:
            pool = self.alive_by_incubator[incubator]
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
        member.persona = persona
        self.members.append(member)
        self.missions.append(missions)
        self.competences.append(competences)

    def _save_people(self) -> None:
        context, today = self.context, self.today
        Member.objects.bulk_create(self.members, batch_size=BATCH)

        competence_ids = {}
        for pk, name in Competence.objects.values_list("pk", "name"):
            competence_ids.setdefault(name.casefold(), pk)
        names = {}
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
                (mission.pk, self.startups[i].pk)
                for mission, indexes in zip(missions, links, strict=True)
                for i in indexes
            ],
        )

        for member, career in zip(self.members, self.missions, strict=True):
            context.member_ids.append(member.pk)
            if any(start <= today and (end is None or end >= today) for start, end, *_ in career):
                context.active_member_ids.append(member.pk)
            if min(start for start, *_ in career) > today - datetime.timedelta(NEWCOMER_DAYS):
                context.newcomer_ids.append(member.pk)
            if member.transverse_role:
                context.animation_team_ids.append(member.pk)
            if member.persona:
                context.personas[member.persona] = member.pk
