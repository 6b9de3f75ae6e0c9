from django import forms
from django.utils.translation import gettext_lazy as _

from ruche.core.forms import RucheForm


class SignInForm(RucheForm):
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        help_text=_("Celle de votre fiche beta.gouv, par exemple prenom.nom@beta.gouv.fr"),
        max_length=254,
        error_messages={
            "required": _("Saisissez votre adresse e-mail."),
            "invalid": _(
                "Saisissez une adresse e-mail complète, par exemple prenom.nom@beta.gouv.fr."
            ),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )


class ApiTokenForm(RucheForm):
    name = forms.CharField(
        label=_("Nom du jeton"),
        help_text=_("Pour le reconnaître, par exemple « script d’export »."),
        max_length=100,
        error_messages={
            "required": _("Donnez un nom au jeton, pour le reconnaître plus tard."),
            "max_length": _("Le nom du jeton ne doit pas dépasser 100 caractères."),
        },
    )


class AccountDeleteForm(RucheForm):
    confirmation = forms.CharField(
        label=_("Pour confirmer, tapez votre adresse e-mail"),
        max_length=254,
        error_messages={"required": _("Tapez votre adresse e-mail pour confirmer.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
