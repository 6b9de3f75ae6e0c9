"""The demo personas: fixed members that `seed_demo` creates and that DEMO_MODE lets anyone
sign in as with one click, to see Ruche through each kind of member's eyes."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from ruche.core.text import Label


@dataclass(frozen=True)
class Persona:
    key: str
    betagouv_id: str
    display_name: str
    label: Label
    description: Label


PERSONAS = [
    Persona(
        key="newcomer",
        betagouv_id="camille.laurent",
        display_name="Camille Laurent",
        label=_("Nouvelle arrivante"),
        description=_("Designer, arrivée il y a trois semaines dans une startup d’État."),
    ),
    Persona(
        key="member",
        betagouv_id="sacha.moreau",
        display_name="Sacha Moreau",
        label=_("Membre"),
        description=_("Développeur depuis deux ans, engagé dans quelques initiatives."),
    ),
    Persona(
        key="animation",
        betagouv_id="ines.bernard",
        display_name="Inès Bernard",
        label=_("Équipe d’animation"),
        description=_("Anime la communauté : modération, validation des budgets."),
    ),
    Persona(
        key="admin",
        betagouv_id="morgane.petit",
        display_name="Morgane Petit",
        label=_("Administratrice"),
        description=_("Accès à l’administration technique de Ruche."),
    ),
]

PERSONAS_BY_KEY = {persona.key: persona for persona in PERSONAS}
