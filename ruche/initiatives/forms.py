"""Forms check the shape of what is typed; the rules themselves live in services, whose
messages the forms reuse (a page and the API answer bad input with the same words)."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from ruche.core.forms import RucheForm, quick_widgets
from ruche.initiatives.enums import (
    InitiativeKind,
    InitiativeSort,
    InitiativeStatus,
    NeedSort,
    NeedState,
    Scope,
)
from ruche.initiatives.models import TITLE_MAX_LENGTH, Need
from ruche.initiatives.search import search
from ruche.initiatives.services.conversation import COMMENT_EMPTY
from ruche.initiatives.services.lifecycle import (
    INCUBATOR_UNKNOWN,
    KIND_REQUIRED,
    KIND_UNKNOWN,
    NEED_UNKNOWN,
    STARTUP_UNKNOWN,
    STATUS_UNKNOWN,
    SUMMARY_MAX_LENGTH,
    SUMMARY_REQUIRED,
    TITLE_REQUIRED,
    startup_find,
)
from ruche.initiatives.services.needs import NEED_TITLE_REQUIRED
from ruche.initiatives.services.participation import ROLE_LABEL_MAX_LENGTH, ROLE_MAX_COUNT
from ruche.members.enums import Domaine
from ruche.members.models import Incubator, Member, Startup

NEED_PICKER_SIZE = 8
# What describes an initiative, as services.initiative_fields_clean checks it (the form only
# shapes it; the service checks it, once, when it is called).
DESCRIPTION_FIELDS = ("title", "kind", "summary", "description", "scope", "incubator", "startup")


class StartupField(forms.CharField):
    """A startup typed by its identifier or its exact name (there are too many for a list)."""

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        startup = startup_find(text)
        if startup is None:
            raise ValidationError(STARTUP_UNKNOWN)
        return startup

    def prepare_value(self, value):
        return value.slug if isinstance(value, Startup) else value


def suggest_while_typing(form, url) -> None:
    """The form's title asks `url` what already looks like it while it is typed, and shows
    the answer under the field (initiatives/_title_field.html, which reads `form.suggestions`)."""
    form.fields["title"].widget.attrs.update(
        {
            "data-hx-get": url,
            "data-hx-trigger": "input changed delay:400ms",
            "data-hx-target": "#deja-propose",
            "data-hx-swap": "innerHTML",
            "data-hx-sync": "this:replace",
        }
    )
    form.with_suggestions = True
    form.suggestions = {}


class InitiativeForm(RucheForm):
    # Field takes template_name (Django 5.0); django-stubs' CharField.__init__ omits it.
    title = forms.CharField(  # type: ignore[call-arg]
        label=_("Titre"),
        help_text=_("Ce que vous voulez faire, en quelques mots (200 caractères au plus)."),
        error_messages={"required": TITLE_REQUIRED},
        widget=forms.TextInput(attrs={"maxlength": TITLE_MAX_LENGTH, "autocomplete": "off"}),
        template_name="initiatives/_title_field.html",
    )
    kind = forms.ChoiceField(
        label=_("Type"),
        choices=[("", _("Choisir un type")), *InitiativeKind.choices],
        error_messages={
            "required": KIND_REQUIRED,
            "invalid_choice": KIND_UNKNOWN,
        },
    )
    summary = forms.CharField(
        label=_("Résumé"),
        help_text=_("Une ou deux phrases : elles apparaissent dans les listes."),
        error_messages={"required": SUMMARY_REQUIRED},
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": SUMMARY_MAX_LENGTH}),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        help_text=_(
            "Le détail : pourquoi, pour qui, comment. Le markdown est accepté (listes, liens, "
            "**gras**)."
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    scope = forms.ChoiceField(
        label=_("Pour qui ?"),
        choices=Scope.choices,
        initial=Scope.COMMUNITY,
    )
    incubator = forms.ModelChoiceField(
        label=_("Incubateur concerné"),
        help_text=_("Si l’initiative concerne un incubateur."),
        queryset=Incubator.objects.order_by("title"),
        to_field_name="slug",
        required=False,
        empty_label=_("Choisir un incubateur"),
        error_messages={"invalid_choice": INCUBATOR_UNKNOWN},
    )
    startup = StartupField(
        label=_("Startup concernée"),
        help_text=_("Si l’initiative concerne une startup : son identifiant ou son nom exact."),
        required=False,
        max_length=300,
    )
    needs = forms.ModelMultipleChoiceField(
        label=_("Besoins auxquels l’initiative répond"),
        help_text=_("Cochez les problèmes que l’initiative aide à résoudre."),
        queryset=Need.objects.visible(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": NEED_UNKNOWN,
            "invalid_pk_value": _("« %(pk)s » n’est pas un numéro de besoin."),
        },
        template_name="initiatives/_need_picker.html",
    )
    budget_amount = forms.DecimalField(
        label=_("Budget demandé (en euros)"),
        help_text=_(
            "Si l’initiative a besoin d’argent. L’équipe d’animation doit l’accorder avant que "
            "l’initiative passe « en cours »."
        ),
        required=False,
        min_value=0,
        max_digits=9,
        decimal_places=2,
    )
    budget_purpose = forms.CharField(
        label=_("À quoi servira ce budget ?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, with_budget=True, with_suggestions=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.with_suggestions = False
        if not with_budget:
            del self.fields["budget_amount"]
            del self.fields["budget_purpose"]
        if with_suggestions:
            suggest_while_typing(self, reverse_lazy("initiatives:initiative-suggestions"))
        self.need_query = ""
        self.need_candidates = []

    def prepare_need_picker(self, query: str = "") -> None:
        """The needs the picker shows: those already ticked, then those matching the search
        (or the most shared unresolved ones)."""
        self.need_query = (query or "").strip()[:100]
        self.need_candidates = need_picker_candidates(self.selected_need_ids(), self.need_query)

    def selected_need_ids(self) -> list[int]:
        if self.is_bound:
            values = self.data.getlist("needs") if hasattr(self.data, "getlist") else []
        else:
            values = self.initial.get("needs") or []
        ids = []
        for value in values:
            pk = getattr(value, "pk", value)
            try:
                ids.append(int(pk))
            except (TypeError, ValueError):
                continue
        return list(dict.fromkeys(ids))

    def description_fields(self) -> dict:
        """The cleaned description, as services.initiative_update takes it."""
        return {name: self.cleaned_data.get(name) for name in DESCRIPTION_FIELDS}

    def proposal(self) -> dict:
        """The cleaned values, as services.initiative_propose takes them."""
        proposal = {**self.description_fields(), "needs": self.cleaned_data["needs"]}
        if "budget_amount" in self.fields:
            proposal["budget_amount"] = self.cleaned_data.get("budget_amount")
            proposal["budget_purpose"] = self.cleaned_data.get("budget_purpose") or ""
        return proposal


def need_picker_candidates(selected_ids, query: str, size: int = NEED_PICKER_SIZE):
    """Each need with `checked`, selected ones first."""
    # Any: each need gets `checked` below, for the template.
    selected: list[Any] = list(
        Need.objects.visible().filter(pk__in=selected_ids).order_by("-created_at")
    )
    candidates = Need.objects.visible().exclude(pk__in=[need.pk for need in selected])
    if query:
        others = search(candidates, query, any_word=True).order_by("-search_rank", "-created_at")
    else:
        others = candidates.unresolved().with_counts().order_by("-support_count", "-created_at")
    for need in selected:
        need.checked = True
    found: list[Any] = list(others[:size])
    for need in found:
        need.checked = False
    return selected + found


class StatusForm(RucheForm):
    status = forms.ChoiceField(
        label=_("Nouveau statut"),
        choices=InitiativeStatus.choices,
        error_messages={
            "required": STATUS_UNKNOWN,
            "invalid_choice": STATUS_UNKNOWN,
        },
    )
    reason = forms.CharField(
        label=_("Pourquoi ce changement ?"),
        help_text=_(
            "Obligatoire pour une mise en pause ou un abandon ; visible dans l’historique."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RoleForm(RucheForm):
    label = forms.CharField(
        label=_("Rôle recherché"),
        help_text=_("Par exemple « accueil des participant·es » ou « dev Django »."),
        max_length=ROLE_LABEL_MAX_LENGTH,
    )
    count = forms.IntegerField(
        label=_("Nombre de personnes"),
        min_value=1,
        max_value=ROLE_MAX_COUNT,
        initial=1,
    )
    skill = forms.CharField(
        label=_("Compétence souhaitée"),
        required=False,
        max_length=ROLE_LABEL_MAX_LENGTH,
    )


class MemberField(forms.CharField):
    """A member given by their beta.gouv identifier or e-mail address."""

    def clean(self, value):
        text = (super().clean(value) or "").strip().lstrip("@").lower()
        if not text:
            return None
        member = Member.objects.filter(Q(betagouv_id=text) | Q(email=text), is_active=True).first()
        if member is None:
            raise ValidationError(
                _("Aucun·e membre avec cet identifiant : par exemple prenom.nom ou son e-mail.")
            )
        return member


class CoLeadForm(RucheForm):
    member = MemberField(
        label=_("Co-porteur·se"),
        help_text=_("Son identifiant beta.gouv (prenom.nom) ou son adresse e-mail."),
        max_length=254,
    )


class UpdateForm(RucheForm):
    body = forms.CharField(
        label=_("Point d’étape"),
        help_text=_("Où en est l’initiative, ce qui a été fait, ce qui vient. Markdown accepté."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class BudgetForm(RucheForm):
    budget_amount = forms.DecimalField(
        label=_("Montant demandé (en euros)"), min_value=0, max_digits=9, decimal_places=2
    )
    budget_purpose = forms.CharField(
        label=_("À quoi servira ce budget ?"), widget=forms.Textarea(attrs={"rows": 3})
    )


class BudgetDecisionForm(RucheForm):
    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=[
            ("", _("Choisir")),
            ("approve", _("Accorder le budget")),
            ("refuse", _("Refuser le budget")),
        ],
    )
    message = forms.CharField(
        label=_("Message à l’équipe de l’initiative"),
        help_text=_("Obligatoire en cas de refus."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CommentForm(RucheForm):
    body = forms.CharField(
        label=_("Votre commentaire"),
        help_text=_(
            "Markdown accepté. Mentionnez quelqu’un avec @ suivi de son identifiant "
            "(@prenom.nom) : il ou elle sera prévenu·e."
        ),
        error_messages={"required": COMMENT_EMPTY},
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ReportForm(RucheForm):
    reason = forms.CharField(
        label=_("Qu’est-ce qui pose problème ?"),
        help_text=_("Seule l’équipe d’animation lira votre signalement."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ModerationForm(RucheForm):
    note = forms.CharField(
        label=_("Note de modération"),
        help_text=_("Gardée dans le journal de modération et envoyée à l’auteur·rice si masqué."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class NeedForm(RucheForm):
    # Field takes template_name (Django 5.0); django-stubs' CharField.__init__ omits it.
    title = forms.CharField(  # type: ignore[call-arg]
        label=_("Le problème, en une phrase"),
        help_text=_("Par exemple « Difficile de savoir qui contacter pour un sujet RH »."),
        error_messages={"required": NEED_TITLE_REQUIRED},
        widget=forms.TextInput(attrs={"maxlength": TITLE_MAX_LENGTH, "autocomplete": "off"}),
        template_name="initiatives/_title_field.html",
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        help_text=_("Quand le rencontrez-vous, ce que vous avez essayé. Markdown accepté."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    incubator = forms.ModelChoiceField(
        label=_("Incubateur concerné"),
        help_text=_("Si le problème est propre à un incubateur."),
        queryset=Incubator.objects.order_by("title"),
        to_field_name="slug",
        required=False,
        empty_label=_("Toute la communauté"),
        error_messages={"invalid_choice": INCUBATOR_UNKNOWN},
    )
    domaine = forms.ChoiceField(
        label=_("Domaine concerné"),
        help_text=_("Si le problème touche surtout un métier."),
        choices=[("", _("Tous les domaines")), *Domaine.choices],
        required=False,
    )
    anonymous = forms.BooleanField(
        label=_("Rester anonyme"),
        help_text=_(
            "Les autres membres verront le besoin, mais pas que c’est vous qui l’avez exprimé."
        ),
        required=False,
    )

    def __init__(self, *args, with_suggestions=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.with_suggestions = False
        if with_suggestions:
            suggest_while_typing(self, reverse_lazy("initiatives:need-suggestions"))


class NeedCloseForm(RucheForm):
    reason = forms.CharField(
        label=_("Pourquoi clore ce besoin ?"),
        help_text=_("Par exemple : le problème a disparu, ou il est traité ailleurs."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _filter_widgets(form):
    quick_widgets(form)
    for field in form.fields.values():
        if isinstance(field.widget, forms.CheckboxInput):
            continue
        css = "fr-select" if isinstance(field, forms.ChoiceField) else "fr-input"
        field.widget.attrs["class"] = css


class InitiativeFilterForm(forms.Form):
    q = forms.CharField(label=_("Rechercher"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", _("Tous les types")), *InitiativeKind.choices],
    )
    status = forms.ChoiceField(
        label=_("Statut"),
        required=False,
        choices=[("", _("Tous les statuts")), *InitiativeStatus.choices],
    )
    scope = forms.ChoiceField(
        label=_("Pour qui"),
        required=False,
        choices=[("", _("Tous les périmètres")), *Scope.choices],
    )
    incubator = forms.ChoiceField(label=_("Incubateur"), required=False)
    looking_for_help = forms.BooleanField(label=_("Cherche du monde"), required=False)
    mine = forms.BooleanField(label=_("Mes initiatives"), required=False)
    sort = forms.ChoiceField(
        label=_("Trier par"),
        required=False,
        choices=[("", _("Pertinence ou date")), *InitiativeSort.choices],
    )

    def __init__(self, *args, incubators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["incubator"].choices = [("", _("Tous les incubateurs")), *incubators]
        _filter_widgets(self)


class NeedFilterForm(forms.Form):
    q = forms.CharField(label=_("Rechercher"), required=False, max_length=200)
    state = forms.ChoiceField(
        label=_("État"), required=False, choices=[("", _("Tous les états")), *NeedState.choices]
    )
    incubator = forms.ChoiceField(label=_("Incubateur"), required=False)
    sort = forms.ChoiceField(
        label=_("Trier par"),
        required=False,
        choices=[("", _("Pertinence ou « moi aussi »")), *NeedSort.choices],
    )

    def __init__(self, *args, incubators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["incubator"].choices = [("", _("Tous les incubateurs")), *incubators]
        _filter_widgets(self)
