from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm, DsfrBoundField
from dsfr.utils import dsfr_input_class_attr


class DsfrContextMixin:
    """DSFR field rendering; optional fields are marked "(facultatif)" rather than required ones
    starred, as the design system now recommends."""

    template_name = "dsfr/form_snippet.html"
    bound_field_class = DsfrBoundField

    def get_context(self) -> dict[str, Any]:
        assert isinstance(self, forms.BaseForm)
        context = forms.BaseForm.get_context(self)
        context["DSFR_MARK_OPTIONAL_FIELDS"] = True
        return context


# django-dsfr ships no type information: its form class is Any to mypy.
class RucheForm(DsfrContextMixin, DsfrBaseForm):  # type: ignore[misc]
    pass


class RucheModelForm(DsfrContextMixin, forms.ModelForm):  # type: ignore[type-arg]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for visible in self.visible_fields():
            dsfr_input_class_attr(visible)


def add_service_errors(
    form: forms.BaseForm, error: ValidationError, renames: dict[str, str] | None = None
) -> None:
    """Puts a service's ValidationError on the form: next to the field it names (`renames` maps
    a service's name to the form's where they differ), unless that field already says what is
    wrong; at the top when it names no field of the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages in error.message_dict.items():
        field = (renames or {}).get(name, name)
        if field not in form.fields:
            form.add_error(None, messages)
        elif field not in form.errors:
            form.add_error(field, messages)


SEARCH_MAX_LENGTH = 200


class SearchForm(forms.Form):
    """The search across Ruche. Django's CharField already refuses NUL characters."""

    q = forms.CharField(
        label=_("Mots à rechercher"),
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        error_messages={
            "max_length": _(
                "Votre recherche est trop longue : %(limit_value)d caractères au plus, quelques "
                "mots suffisent."
            )
        },
        widget=forms.TextInput(attrs={"type": "search", "class": "fr-input"}),
    )
