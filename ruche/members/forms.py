from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from ruche.core.forms import RucheModelForm, quick_widgets
from ruche.members.enums import Domaine
from ruche.members.models import Member


class ListField(forms.CharField):
    """A list of short texts typed as comma-separated values. `max_length` limits what is typed,
    `item_max_length` each text."""

    def __init__(self, *, item_max_length: int | None = None, **kwargs):
        self.item_max_length = item_max_length
        super().__init__(**kwargs)
        # Django's validators would look at the list (its length counts items, not characters):
        # to_python checks the typed text instead.
        self.validators = []

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        ProhibitNullCharactersValidator()(text)
        if self.max_length is not None and len(text) > self.max_length:
            raise forms.ValidationError(
                _("Ce texte compte %(length)d caractères : %(limit)d au plus.")
                % {"length": len(text), "limit": self.max_length},
                code="max_length",
            )
        items = [item.strip() for item in text.split(",")]
        items = list(dict.fromkeys(item for item in items if item))
        limit = self.item_max_length
        too_long = [item for item in items if limit and len(item) > limit]
        if too_long:
            raise forms.ValidationError(
                _("« %(item)s… » est trop long : %(limit)d caractères au plus par élément.")
                % {"item": too_long[0][:30], "limit": limit},
                code="item_max_length",
            )
        return items


class AvatarInput(forms.ClearableFileInput):
    """The DSFR upload field; the current photo can be removed with a labelled checkbox."""

    template_name = "members/widgets/avatar_input.html"
    group_class = "fr-upload-group"
    # Lazy, as Django's own are; django-stubs types them as str.
    initial_text = _("Photo actuelle")  # type: ignore[assignment]
    clear_checkbox_label = _("Retirer ma photo")  # type: ignore[assignment]

    preview_url = ""

    def __init__(self, attrs=None):
        super().__init__({"class": "fr-upload", "accept": "image/jpeg,image/png", **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["preview_url"] = self.preview_url
        return context


class ProfileForm(RucheModelForm):
    interests = ListField(
        label=_("Centres d’intérêt"),
        help_text=_("Séparés par des virgules, par exemple : accessibilité, vélo, open data"),
        required=False,
        max_length=500,
    )
    languages = ListField(
        label=_("Langues parlées"),
        help_text=_("Séparées par des virgules, par exemple : français, anglais, LSF"),
        required=False,
        max_length=200,
    )
    competences_text = ListField(
        item_max_length=100,
        label=_("Compétences"),
        help_text=_(
            "Séparées par des virgules, par exemple : Django, facilitation, recherche utilisateur"
        ),
        required=False,
        max_length=1000,
    )

    class Meta:
        model = Member
        fields = [
            "display_name",
            "avatar",
            "domaine",
            "role",
            "bio",
            "github",
            "link",
            "interests",
            "languages",
            "contact_email",
            "chat_handle",
            "history_visibility",
        ]
        labels = {"display_name": _("Nom affiché"), "bio": _("Présentation")}
        help_texts = {
            "avatar": _("Image JPEG ou PNG, 2 Mo au plus."),
            "github": _("Votre identifiant, sans l’adresse : par exemple octocat"),
            "bio": _("Quelques lignes sur vous. Le markdown est accepté."),
            "contact_email": _(
                "Facultative, visible des membres connecté·es : l’adresse où l’on peut vous écrire."
            ),
            "chat_handle": _(
                "Facultatif, visible des membres connecté·es, par exemple "
                "@prenom.nom:agent.tchap.gouv.fr"
            ),
            "history_visibility": _(
                "Ce que vous avez porté, rejoint ou organisé, et les mercis reçus, année par année."
            ),
        }
        widgets = {"bio": forms.Textarea(attrs={"rows": 5}), "avatar": AvatarInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domaine"].choices = [("", _("Choisir un domaine")), *list(Domaine.choices)]
        if self.instance.pk and self.instance.avatar:
            self.fields["avatar"].widget.preview_url = (
                reverse("members:member-avatar", args=[self.instance.pk])
                + "?"
                + urlencode({"v": self.instance.avatar.name})
            )
        if self.instance.pk:
            self.fields["competences_text"].initial = [
                c.name for c in self.instance.competences.all()
            ]
        self.fields["history_visibility"].required = False
        self.order_fields(["display_name", "avatar", "domaine", "role", "competences_text"])

    def clean_history_visibility(self):
        # A form that does not send the choice keeps the one already made.
        return self.cleaned_data.get("history_visibility") or self.instance.history_visibility

    def clean_github(self):
        handle = (
            self.cleaned_data["github"].strip().removeprefix("https://github.com/").strip("/@ ")
        )
        if handle and not all(c.isalnum() or c == "-" for c in handle):
            raise forms.ValidationError(
                _("Un identifiant GitHub ne contient que des lettres, chiffres et tirets.")
            )
        return handle

    def clean_avatar(self):
        avatar = self.cleaned_data.get("avatar")
        if avatar and getattr(avatar, "size", 0) > 2 * 1024 * 1024:
            raise forms.ValidationError(_("L’image dépasse 2 Mo : choisissez-en une plus légère."))
        # A newly uploaded file carries the image Pillow read (the stored one does not).
        image = getattr(avatar, "image", None)
        if image is not None and image.format not in ("JPEG", "PNG"):
            raise forms.ValidationError(
                _("Choisissez une image JPEG ou PNG (ce fichier est au format %(format)s).")
                % {"format": image.format}
            )
        return avatar


class MemberFilterForm(forms.Form):
    q = forms.CharField(label=_("Nom"), required=False, max_length=100)
    startup = forms.CharField(label=_("Startup"), required=False, max_length=150)
    incubator = forms.ChoiceField(label=_("Incubateur"), required=False)
    domaine = forms.ChoiceField(label=_("Domaine"), required=False)
    competence = forms.CharField(label=_("Compétence"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Statut"),
        required=False,
        choices=[
            ("", _("Tous les membres")),
            ("active", _("En mission")),
            ("alumni", _("Ancien·nes membres")),
        ],
    )

    def __init__(self, *args, incubators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["incubator"].choices = [("", _("Tous les incubateurs")), *list(incubators)]
        self.fields["domaine"].choices = [("", _("Tous les domaines")), *list(Domaine.choices)]
        quick_widgets(self)
        for field in self.fields.values():
            css = "fr-select" if isinstance(field, forms.ChoiceField) else "fr-input"
            field.widget.attrs["class"] = css
