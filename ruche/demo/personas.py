"""The four demo personas as members of the demo community: who they are, what they do and
since when (ruche/members/personas.py names them for the sign-in page of DEMO_MODE)."""

import datetime
from collections.abc import Callable

from ruche.members.enums import Domaine, MissionStatus

ANIMATION_TEAM = "Équipe d’animation"


def persona_specs(today: datetime.date, startup: Callable[[], list[int]]) -> dict[str, dict]:
    """Per persona key, the fields of the member; `startup()` draws the startups of a mission
    (called for the newcomer, then for the member)."""

    def running(days_ago: int, status, employer, startups) -> list[tuple]:
        return [(today - datetime.timedelta(days=days_ago), None, status, employer, startups)]

    return {
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
