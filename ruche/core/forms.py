from django import forms
from dsfr.forms import DsfrBaseForm, DsfrBoundField
from dsfr.utils import dsfr_input_class_attr


class DsfrContextMixin:
    """DSFR field rendering; optional fields are marked "(facultatif)" rather than required ones
    starred, as the design system now recommends."""

    template_name = "dsfr/form_snippet.html"
    bound_field_class = DsfrBoundField

    def get_context(self):
        context = forms.BaseForm.get_context(self)
        context["DSFR_MARK_OPTIONAL_FIELDS"] = True
        return context


class RucheForm(DsfrContextMixin, DsfrBaseForm):
    pass


class RucheModelForm(DsfrContextMixin, forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for visible in self.visible_fields():
            dsfr_input_class_attr(visible)
