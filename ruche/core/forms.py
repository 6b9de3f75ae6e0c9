from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe
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


def _attrs(attrs: dict[str, Any]) -> str:
    """templates/django/forms/widgets/attrs.html, in Python: the same HTML, escaped."""
    if not attrs:  # most options
        return ""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False and name != "dsfr"
    )


class QuickSelect(forms.Select):
    """A <select> written in Python, to the character as Django's templates write it (select.html,
    select_option.html, our attrs.html): a filter's long lists of options cost a template
    include each otherwise."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts: list[str] = [
            format_html('<select name="{}"{}>', widget["name"], mark_safe(_attrs(widget["attrs"])))  # nosec B703 B308 — every part escaped
        ]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            parts.extend(
                f'\n  <option value="{escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
                f"{conditional_escape(option['label'])}</option>\n"
                for option in options
            )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        # Every part is escaped above.
        return mark_safe("".join(parts))  # nosec B703 B308 — every part escaped


class QuickInputMixin:
    """An <input> (text, search, checkbox…) written in Python as input.html writes it."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        assert isinstance(self, forms.Widget)
        widget = self.get_context(name, value, attrs)["widget"]
        shown = widget["value"]
        return format_html(
            '<input type="{}" name="{}"{}{}>',
            widget["type"],
            widget["name"],
            format_html(' value="{}"', str(shown)) if shown is not None else "",
            mark_safe(_attrs(widget["attrs"])),  # nosec B703 B308 — every part escaped
        )


class QuickTextInput(QuickInputMixin, forms.TextInput):
    pass


class QuickCheckboxInput(QuickInputMixin, forms.CheckboxInput):
    pass


QUICK_WIDGETS: dict[type[forms.Widget], type[forms.Widget]] = {
    forms.Select: QuickSelect,
    forms.TextInput: QuickTextInput,
    forms.CheckboxInput: QuickCheckboxInput,
}


def quick_widgets(form: forms.BaseForm) -> None:
    """Its plain selects, text inputs and checkboxes are written in Python (same HTML): for the
    filters of list pages, shown on every visit. Only these exact classes, whose templates are
    Django's own, are replaced."""
    for field in form.fields.values():
        quick = QUICK_WIDGETS.get(type(field.widget))
        if quick is not None:
            # The quick class only adds render(): the widget keeps its state as it is.
            field.widget.__class__ = quick
