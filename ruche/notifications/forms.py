from django import forms
from django.utils.translation import gettext_lazy as _

from ruche.core.forms import RucheForm


class PreferencesForm(RucheForm):
    digest = forms.BooleanField(
        label=_("Recevoir le récapitulatif de la semaine par e-mail, le lundi matin"),
        help_text=_(
            "Les créneaux bénévoles qui attendent encore quelqu’un et ce qui vous concerne "
            "dans les jours à venir. Rien n’est envoyé les semaines sans nouvelles."
        ),
        required=False,
    )
