from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ruche.core.forms import RucheModelForm
from ruche.engagement.models import THANKS_MAX_LENGTH
from ruche.onboarding.models import ChatRoom


class ThanksForm(forms.Form):
    subject = forms.ChoiceField(label=_("Pour quoi ?"))
    message = forms.CharField(
        label=_("Votre message"),
        help_text=_("Facultatif, en une phrase."),
        required=False,
        max_length=THANKS_MAX_LENGTH,
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = [(key, described.title) for key, described in choices]
        self.fields["subject"].widget.attrs["class"] = "fr-select"
        self.fields["message"].widget.attrs["class"] = "fr-input"

    def subject_parts(self) -> tuple[str, int]:
        subject_type, _sep, subject_id = self.cleaned_data["subject"].rpartition("-")
        return subject_type, int(subject_id)


MINUTE_CHOICES = [(0, "0"), (15, "15"), (30, "30"), (45, "45")]


class TimeForm(forms.Form):
    day = forms.DateField(
        label=_("Jour"),
        widget=forms.DateInput(attrs={"type": "date", "class": "fr-input"}, format="%Y-%m-%d"),
    )
    hours = forms.IntegerField(
        label=_("Heures"),
        min_value=0,
        max_value=24,
        initial=1,
        widget=forms.NumberInput(attrs={"class": "fr-input"}),
    )
    minutes = forms.TypedChoiceField(
        label=_("Minutes"),
        choices=MINUTE_CHOICES,
        coerce=int,
        initial=0,
        widget=forms.Select(attrs={"class": "fr-select"}),
    )
    subject = forms.ChoiceField(label=_("Pour"), required=False)
    what = forms.CharField(
        label=_("Ce que vous avez fait"),
        help_text=_("Par exemple : préparer l’atelier accessibilité, animer le café du jeudi."),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "fr-input"}),
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].initial = timezone.localdate()
        self.fields["subject"].choices = [
            ("", _("Rien de précis (dites-le ci-dessous)")),
            *[(key, described.title) for key, described in choices],
        ]
        self.fields["subject"].widget.attrs["class"] = "fr-select"

    def total_minutes(self) -> int:
        return self.cleaned_data["hours"] * 60 + self.cleaned_data["minutes"]

    def subject_parts(self) -> tuple[str, int | None]:
        value = self.cleaned_data.get("subject") or ""
        if not value:
            return "", None
        subject_type, _sep, subject_id = value.rpartition("-")
        return subject_type, int(subject_id)


class ChatRoomForm(RucheModelForm):
    class Meta:
        model = ChatRoom
        fields = ["name", "purpose", "url", "is_general", "position"]
