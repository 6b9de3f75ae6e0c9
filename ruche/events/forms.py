import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ruche.core.forms import RucheForm, add_service_errors
from ruche.events.enums import EventKind, Repeat
from ruche.events.recurrence import PARIS, build_rule, parse_rule
from ruche.events.services.events import event_fields_clean
from ruche.members.models import Member

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATETIME_FORMAT)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


def _datetime_field(label, help_text):
    return forms.DateTimeField(
        label=label,
        help_text=help_text,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
        widget=DateTimeLocalInput(),
        error_messages={
            "required": _("Indiquez la date et l’heure."),
            "invalid": _("Saisissez une date et une heure, par exemple 05/01/2027 09:00."),
        },
    )


class MembersByEmailField(forms.CharField):
    """Members typed as e-mail addresses separated by commas."""

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(getattr(m, "email", str(m)) for m in value)
        return value

    def clean(self, value):
        text = super().clean(value) or ""
        emails = list(dict.fromkeys(e.strip().lower() for e in text.split(",") if e.strip()))
        if not emails:
            return []
        members = list(Member.objects.filter(email__in=emails, is_active=True))
        unknown = sorted(set(emails) - {m.email for m in members})
        if unknown:
            raise forms.ValidationError(
                _("Aucun membre n’a cette adresse : %(emails)s.") % {"emails": ", ".join(unknown)}
            )
        return members


class EventForm(RucheForm):
    title = forms.CharField(
        label=_("Titre"),
        max_length=200,
        help_text=_("Par exemple « Apéro de rentrée de l’incubateur »."),
        error_messages={
            "required": _("Donnez un titre à l’événement."),
            "max_length": _("Le titre ne doit pas dépasser 200 caractères."),
        },
    )
    kind = forms.ChoiceField(
        label=_("Type d’événement"),
        choices=[("", _("Choisir un type")), *EventKind.choices],
        error_messages={"required": _("Choisissez le type d’événement.")},
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        help_text=_("Ce qui va se passer, pour qui, ce qu’il faut apporter. Markdown accepté."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    start = _datetime_field(_("Début"), _("Heure de Paris."))
    end = _datetime_field(_("Fin"), _("Heure de Paris."))
    location = forms.CharField(
        label=_("Lieu"),
        required=False,
        max_length=300,
        help_text=_("Adresse, salle. Laissez vide pour un événement uniquement en ligne."),
    )
    online_url = forms.URLField(
        label=_("Lien de visioconférence"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Pour suivre à distance, par exemple https://webinaire.numerique.gouv.fr/…"),
        error_messages={
            "invalid": _("Saisissez une adresse web complète, commençant par https://")
        },
    )
    capacity = forms.IntegerField(
        label=_("Nombre de places"),
        required=False,
        help_text=_(
            "Laissez vide pour un nombre illimité. Une fois complet, les inscriptions vont en "
            "liste d’attente."
        ),
        error_messages={"invalid": _("Saisissez un nombre entier, par exemple 30.")},
    )
    is_public = forms.BooleanField(
        label=_("Événement public"),
        required=False,
        help_text=_("Visible sans connexion et dans l’agenda public. Sinon, réservé aux membres."),
    )
    incubator = forms.ChoiceField(label=_("Incubateur concerné"), required=False)
    initiative = forms.ChoiceField(
        label=_("Initiative"),
        required=False,
        help_text=_(
            "Si l’événement fait partie d’une initiative que vous portez ou avez rejointe."
        ),
    )
    group = forms.ChoiceField(
        label=_("Groupe de travail"),
        required=False,
        help_text=_("Si l’événement est une rencontre d’un groupe dont vous êtes membre."),
    )
    co_organisers = MembersByEmailField(
        label=_("Co-organisation"),
        required=False,
        max_length=2000,
        help_text=_(
            "Adresses e-mail de membres qui organisent avec vous, séparées par des virgules. "
            "Ils et elles pourront modifier l’événement."
        ),
    )

    # Checked by the service as well; here so that every problem shows at once.
    checked_fields = ("title", "kind", "start", "end", "location", "online_url", "capacity")

    def __init__(self, *args, incubators=(), initiatives=(), groups=(), event=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["incubator"].choices = [("", _("Toute la communauté")), *incubators]
        # Offered only to those who have one to choose from.
        for name, choices, none in (
            ("initiative", initiatives, _("Aucune")),
            ("group", groups, _("Aucun")),
        ):
            if choices:
                self.fields[name].choices = [("", none), *choices]
            else:
                del self.fields[name]
        self.fields["start"].widget.attrs["autocomplete"] = "off"
        self.fields["end"].widget.attrs["autocomplete"] = "off"

    def clean(self):
        data = super().clean()
        fields = {name: data[name] for name in self.checked_fields if name in data}
        try:
            event_fields_clean(
                fields, now=timezone.now(), is_new=self.event is None, current=self.event
            )
        except ValidationError as error:
            add_service_errors(self, error)
        return data


class EventCreateForm(EventForm):
    field_order = [
        "title",
        "kind",
        "start",
        "end",
        "repeat",
        "repeat_until",
        "repeat_count",
        "location",
        "online_url",
        "description",
        "capacity",
        "is_public",
    ]
    repeat = forms.ChoiceField(
        label=_("Répétition"),
        required=False,
        choices=Repeat.choices,
        initial=Repeat.NONE,
        help_text=_(
            "La série garde le jour de la semaine de la première date. La répétition ne change "
            "plus une fois publiée : chaque date pourra ensuite être déplacée ou annulée à part."
        ),
    )
    repeat_until = forms.DateField(
        label=_("Se répète jusqu’au"),
        required=False,
        widget=DateInput(),
        help_text=_("Date de la dernière occurrence, ou bien remplissez le nombre de fois."),
        error_messages={"invalid": _("Saisissez une date, par exemple 30/06/2027.")},
    )
    repeat_count = forms.IntegerField(
        label=_("Nombre de fois"),
        required=False,
        help_text=_("Par exemple 10 pour dix dates, la première comprise."),
        error_messages={"invalid": _("Saisissez un nombre entier, par exemple 10.")},
    )

    def clean(self):
        # Read before the checks of EventForm, which drop a start that is, say, past.
        start = self.cleaned_data.get("start")
        data = super().clean()
        data["recurrence"] = ""
        if not data.get("repeat") or start is None or "repeat" in self.errors:
            return data
        try:
            data["recurrence"] = build_rule(
                repeat=data["repeat"],
                start=start,
                until=data.get("repeat_until"),
                count=data.get("repeat_count"),
            )
            parse_rule(data["recurrence"], start=start)
        except ValidationError as error:
            add_service_errors(self, error, {"recurrence": "repeat"})
        return data


class EventEditForm(EventForm):
    scope = forms.ChoiceField(
        label=_("Ce que vous changez s’applique à"),
        widget=forms.RadioSelect,
        choices=[
            ("one", _("Cette date seulement")),
            (
                "series",
                _(
                    "Toutes les dates à venir de la série — titre, lieu, description, places… "
                    "(les horaires se changent date par date)"
                ),
            ),
        ],
        initial="one",
        error_messages={"required": _("Dites si le changement vaut pour cette date ou la série.")},
    )
    field_order = ["scope"]

    def __init__(self, *args, in_series=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not in_series:
            del self.fields["scope"]


class EventCancelForm(RucheForm):
    message = forms.CharField(
        label=_("Message aux personnes inscrites"),
        required=False,
        max_length=5000,
        help_text=_("Il leur est envoyé avec l’annonce de l’annulation. Facultatif."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    scope = forms.ChoiceField(
        label=_("Annuler"),
        required=False,
        widget=forms.RadioSelect,
        choices=[
            ("one", _("Cette date seulement")),
            ("series", _("Toutes les dates à venir de la série")),
        ],
        initial="one",
    )

    def __init__(self, *args, in_series=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not in_series:
            del self.fields["scope"]


class ShiftForm(RucheForm):
    label = forms.CharField(
        label=_("Tâche"),
        max_length=150,
        help_text=_("Par exemple « préparer le café » ou « accueillir les gens »."),
        error_messages={"required": _("Dites ce qu’il y a à faire.")},
    )
    capacity = forms.IntegerField(
        label=_("Nombre de personnes"),
        initial=1,
        error_messages={
            "required": _("Indiquez combien de personnes il faut."),
            "invalid": _("Saisissez un nombre entier, par exemple 2."),
        },
    )
    start_time = forms.TimeField(
        label=_("Heure de début"),
        widget=TimeInput(),
        error_messages={"required": _("Indiquez l’heure de début.")},
    )
    end_time = forms.TimeField(
        label=_("Heure de fin"),
        widget=TimeInput(),
        error_messages={"required": _("Indiquez l’heure de fin.")},
    )
    whole_series = forms.BooleanField(
        label=_("Ajouter ce créneau à toutes les dates à venir de la série"), required=False
    )

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        if event is None or event.series_id is None:
            del self.fields["whole_series"]

    def moments(self) -> tuple[datetime.datetime, datetime.datetime]:
        """The slot's start and end on the event's day, in Paris time."""
        day = self.event.start.astimezone(PARIS).date()
        start = datetime.datetime.combine(day, self.cleaned_data["start_time"], tzinfo=PARIS)
        end = datetime.datetime.combine(day, self.cleaned_data["end_time"], tzinfo=PARIS)
        return start, end


class SpeakerForm(RucheForm):
    name = forms.CharField(
        label=_("Nom"),
        max_length=150,
        error_messages={"required": _("Indiquez le nom de la personne invitée.")},
    )
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        help_text=_("L’invitation y est envoyée, avec un lien pour répondre sans compte."),
        error_messages={
            "required": _("Indiquez son adresse e-mail."),
            "invalid": _("Saisissez une adresse e-mail complète, par exemple nom@exemple.fr."),
        },
    )
    talk_title = forms.CharField(label=_("Titre de l’intervention"), required=False, max_length=200)
    bio = forms.CharField(
        label=_("Présentation"),
        required=False,
        max_length=5000,
        help_text=_("Quelques lignes ; la personne pourra les corriger."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class SpeakerAnswerForm(RucheForm):
    answer = forms.ChoiceField(
        label=_("Votre réponse"),
        widget=forms.RadioSelect,
        choices=[("yes", _("J’accepte d’intervenir")), ("no", _("Je ne pourrai pas"))],
        error_messages={"required": _("Dites si vous acceptez ou non.")},
    )
    talk_title = forms.CharField(label=_("Titre de l’intervention"), required=False, max_length=200)
    bio = forms.CharField(
        label=_("Votre présentation"),
        required=False,
        max_length=5000,
        help_text=_("Affichée sur la page de l’événement si vous acceptez. Markdown accepté."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class PreferencesForm(RucheForm):
    reminders = forms.BooleanField(
        label=_(
            "Recevoir un rappel la veille des événements où je suis inscrit·e et de mes "
            "créneaux bénévoles"
        ),
        required=False,
    )


class EventFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Mots du titre ou de la description"), required=False, max_length=200
    )
    kind = forms.ChoiceField(label=_("Type"), required=False)
    incubator = forms.ChoiceField(label=_("Incubateur"), required=False)
    audience = forms.ChoiceField(
        label=_("Ouvert à"),
        required=False,
        choices=[
            ("", _("Tous les événements")),
            ("public", _("Publics")),
            ("members", _("Réservés aux membres")),
        ],
    )

    def __init__(self, *args, incubators=(), signed_in=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Tous les types")), *EventKind.choices]
        self.fields["incubator"].choices = [("", _("Tous les incubateurs")), *incubators]
        if not signed_in:
            del self.fields["audience"]
        for field in self.fields.values():
            field.widget.attrs["class"] = "fr-input" if field is self.fields["q"] else "fr-select"
