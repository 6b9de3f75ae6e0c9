"""Forms check the shape of what is typed; the rules live in services (a page and the API
answer bad input with the same words)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ruche.core.forms import RucheForm
from ruche.groups.enums import GroupKind, GroupStatus, MembershipPolicy
from ruche.groups.models import NAME_MAX_LENGTH
from ruche.initiatives.models import Initiative, Need
from ruche.members.models import Incubator, Member

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _blank(choices):
    return [("", _("Tous")), *choices]


class GroupFilterForm(forms.Form):
    q = forms.CharField(label=_("Rechercher un groupe"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Type"), required=False, choices=_blank(GroupKind.choices))
    status = forms.ChoiceField(
        label=_("Statut"), required=False, choices=_blank(GroupStatus.choices)
    )
    incubator = forms.ChoiceField(label=_("Incubateur"), required=False)
    to_review = forms.BooleanField(label=_("À revoir"), required=False)
    mine = forms.BooleanField(label=_("Mes groupes"), required=False)

    def __init__(self, *args, incubators=(), signed_in=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["incubator"].choices = [("", _("Tous")), *incubators]
        for field in ("kind", "status", "incubator"):
            self.fields[field].widget.attrs["class"] = "fr-select"
        if not signed_in:
            del self.fields["mine"]


class GroupForm(RucheForm):
    name = forms.CharField(label=_("Nom"), max_length=NAME_MAX_LENGTH, required=False)
    kind = forms.ChoiceField(
        label=_("Type"),
        choices=GroupKind.choices,
        help_text=_(
            "Un groupe de travail produit quelque chose ; un club réunit les membres d’un même "
            "métier."
        ),
    )
    description = forms.CharField(
        label=_("En bref"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Une ou deux phrases, reprises sur la liste des groupes."),
    )
    mandate = forms.CharField(
        label=_("Mandat"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("À quoi sert le groupe et ce qu’il va produire. Markdown accepté."),
    )
    status = forms.ChoiceField(
        label=_("Statut"),
        choices=[
            (GroupStatus.ACTIVE, GroupStatus.ACTIVE.label),
            (GroupStatus.PAUSED, GroupStatus.PAUSED.label),
        ],
    )
    membership = forms.ChoiceField(
        label=_("Adhésion"),
        choices=MembershipPolicy.choices,
        initial=MembershipPolicy.OPEN,
        widget=forms.RadioSelect,
        help_text=_("Sur demande : les animateur·rices acceptent ou refusent chaque demande."),
    )
    incubator = forms.ModelChoiceField(
        label=_("Périmètre"),
        required=False,
        queryset=Incubator.objects.order_by("title"),
        empty_label=_("Toute la communauté"),
    )
    pad_url = forms.CharField(label=_("Lien du pad"), required=False, max_length=500)
    documents_url = forms.CharField(label=_("Lien des documents"), required=False, max_length=500)
    chat_url = forms.CharField(
        label=_("Lien du salon de discussion"),
        required=False,
        max_length=500,
        help_text=_("Une adresse https://, par exemple https://matrix.to/#/… pour Tchap."),
    )
    review_on = forms.DateField(
        label=_("À revoir le"),
        required=False,
        widget=DATE,
        help_text=_("Par défaut, dans un an : le groupe dira alors s’il est toujours utile."),
    )
    needs = forms.ModelMultipleChoiceField(
        label=_("Besoins auxquels il répond"),
        required=False,
        queryset=Need.objects.filter(hidden=False).order_by("title"),
    )
    initiatives = forms.ModelMultipleChoiceField(
        label=_("Initiatives liées"),
        required=False,
        queryset=Initiative.objects.filter(hidden=False).order_by("title"),
    )

    def __init__(self, *args, creating=True, **kwargs):
        super().__init__(*args, **kwargs)
        if creating:
            del self.fields["status"]


class CloseForm(RucheForm):
    note = forms.CharField(
        label=_("Pourquoi le groupe se clôt"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ce qu’il a produit, où retrouver son travail."),
    )


class ReviewForm(RucheForm):
    review_on = forms.DateField(
        label=_("Prochaine revue le"),
        required=False,
        widget=DATE,
        help_text=_("Par défaut, dans un an."),
    )


class JoinForm(RucheForm):
    message = forms.CharField(
        label=_("Votre message aux animateur·rices"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AnswerRequestForm(RucheForm):
    message = forms.CharField(
        label=_("Message (facultatif) à la personne"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class LeadForm(RucheForm):
    member: "forms.ModelChoiceField[Member]" = forms.ModelChoiceField(
        label=_("Membre du groupe"), queryset=None
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = candidates


class ProposalForm(RucheForm):
    question = forms.CharField(label=_("Question"), required=False, max_length=300)
    context = forms.CharField(
        label=_("Contexte"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Ce qu’il faut savoir pour répondre. Markdown accepté."),
    )
    options = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Une par ligne. Laissez vide pour un tour de consentement : d’accord, je m’abstiens, "
            "pas d’accord, objection bloquante."
        ),
    )
    closes_on = forms.DateField(label=_("Réponses jusqu’au"), required=False, widget=DATE)

    def clean_options(self) -> list[str]:
        return [line for line in self.cleaned_data["options"].splitlines() if line.strip()]


class AnswerForm(RucheForm):
    option = forms.ChoiceField(label=_("Votre réponse"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Pourquoi (facultatif)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Votre raison est visible des membres, avec votre nom."),
    )

    def __init__(self, *args, options, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["option"].choices = [(option, option) for option in options]


class OutcomeForm(RucheForm):
    outcome = forms.CharField(label=_("Ce qui est décidé"), required=False, max_length=300)
    rationale = forms.CharField(
        label=_("Pourquoi"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class DecisionForm(RucheForm):
    title = forms.CharField(label=_("Ce qui est décidé"), required=False, max_length=300)
    rationale = forms.CharField(
        label=_("Pourquoi"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    decided_on = forms.DateField(label=_("Décidé le"), required=False, widget=DATE)
