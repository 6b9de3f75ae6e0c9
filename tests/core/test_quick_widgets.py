"""The filters' quick widgets write, to the character, what Django's templates write."""

import pytest
from django import forms

from ruche.core.forms import QuickCheckboxInput, QuickSelect, QuickTextInput

CHOICES = [
    ("", "Tous <les> types"),
    ("a&b", "A & B"),
    (3, "Trois"),
    ("Groupe « un »", [("x", "X"), ("y", "Y")]),
]


def _both(quick_class, plain_class, name, value, **kwargs):
    attrs = {"class": "fr-select", "id": f"id_{name}", "data-x": 'a"b', "dsfr": True}
    quick = quick_class(attrs=attrs, **kwargs).render(name, value, {"required": True})
    plain = plain_class(attrs=attrs, **kwargs).render(name, value, {"required": True})
    return quick, plain


@pytest.mark.parametrize("value", ["", "a&b", 3, "3", "y", None, "absent"])
def test_a_select_is_written_as_django_writes_it(value):
    quick, plain = _both(QuickSelect, forms.Select, "kind", value, choices=CHOICES)
    assert quick == plain


@pytest.mark.parametrize("value", ["", "café <b>", None, 12])
def test_a_text_input_is_written_as_django_writes_it(value):
    quick, plain = _both(QuickTextInput, forms.TextInput, "q", value)
    assert quick == plain


@pytest.mark.parametrize("value", [True, False, None, "on", ""])
def test_a_checkbox_is_written_as_django_writes_it(value):
    quick, plain = _both(QuickCheckboxInput, forms.CheckboxInput, "mine", value)
    assert quick == plain
