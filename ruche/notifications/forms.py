from django import forms
from django.utils.translation import gettext_lazy as _

from ruche.core.forms import RucheForm
from ruche.members.models import Incubator
from ruche.notifications.enums import CHOOSABLE, Category, DigestFrequency, Mode, Scope, Topic
from ruche.notifications.models import Channel
from ruche.notifications.registry import scope_choices

CATEGORY_HELP = {
    Category.INITIATIVES: _("Quelqu’un rejoint ce que vous portez, une décision de budget…"),
    Category.EVENTS: _(
        "Un changement de date ou de lieu, un rappel, la réponse d’un·e intervenant·e."
    ),
    Category.ROTA: _("Le rappel de vos créneaux, quelqu’un qui reprend le vôtre."),
    Category.GROUPS: _("Les propositions et décisions des groupes dont vous faites partie."),
    Category.MENTIONS: _("Quelqu’un vous mentionne dans un commentaire ou vous dit merci."),
    Category.CALLS: _("Les rôles recherchés qui demandent une compétence que vous avez."),
    Category.NEWS: _("Les nouvelles initiatives, les nouveaux besoins, les événements publics."),
}


class PreferencesForm(RucheForm):
    digest_frequency = forms.ChoiceField(
        label=_("Le récapitulatif, le lundi matin"),
        help_text=_("Rien n’est envoyé les semaines sans nouvelles."),
        choices=DigestFrequency.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for category in CHOOSABLE:
            self.fields[category.value] = forms.ChoiceField(
                label=category.label,
                help_text=CATEGORY_HELP[category],
                choices=Mode.choices,
                widget=forms.RadioSelect,
            )
        # The digest's own field last, after the categories it gathers.
        self.order_fields([*(c.value for c in CHOOSABLE), "digest_frequency"])

    def modes(self) -> dict[str, str]:
        return {category.value: self.cleaned_data[category.value] for category in CHOOSABLE}


class NotificationFilterForm(RucheForm):
    categorie = forms.ChoiceField(
        label=_("Catégorie"),
        choices=[("", _("Toutes")), *Category.choices],
        required=False,
    )


class ChannelForm(RucheForm):
    name = forms.CharField(label=_("Nom du salon"), max_length=120)
    transport = forms.ChoiceField(
        label=_("Type de salon"),
        widget=forms.RadioSelect,
    )
    homeserver_url = forms.CharField(
        label=_("Adresse du serveur Matrix"),
        help_text=_(
            "Pour Tchap, celle de votre serveur, par exemple https://matrix.agent.tchap.gouv.fr."
        ),
        required=False,
        max_length=200,
    )
    room_id = forms.CharField(
        label=_("Identifiant du salon Matrix"),
        help_text=_("Commence par « ! », dans les paramètres avancés du salon."),
        required=False,
        max_length=255,
    )
    secret = forms.CharField(
        label=_("Jeton d’accès Matrix, ou adresse du webhook"),
        help_text=_(
            "Gardé chiffré ; il n’est plus jamais affiché. Laissez vide pour garder celui "
            "enregistré."
        ),
        required=False,
        max_length=1000,
        widget=forms.PasswordInput(render_value=False),
    )
    topics = forms.MultipleChoiceField(
        label=_("Ce que le salon annonce"),
        choices=Topic.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    scope = forms.ChoiceField(label=_("Pour qui"), choices=Scope.choices, widget=forms.RadioSelect)
    incubator = forms.ModelChoiceField(
        label=_("Incubateur"),
        queryset=Incubator.objects.order_by("title"),
        required=False,
        help_text=_("Pour un salon réservé aux nouvelles d’un incubateur."),
    )
    group_id = forms.TypedChoiceField(
        label=_("Groupe"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Pour le salon d’un groupe : il reçoit les nouvelles de son groupe."),
    )

    def __init__(self, *args, channel=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["transport"].choices = Channel._meta.get_field("transport").choices
        self.fields["group_id"].choices = [("", "---------"), *scope_choices(Scope.GROUP)]
        if channel is not None:
            del self.fields["transport"]
            if channel.from_environment:
                for name in ("homeserver_url", "room_id", "secret"):
                    del self.fields[name]
