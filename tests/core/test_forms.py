from django import forms
from django.core.exceptions import ValidationError

from ruche.core.forms import RucheForm, add_service_errors


class ShiftLikeForm(RucheForm):
    label = forms.CharField(max_length=10)
    start_time = forms.CharField(required=False)


def test_a_services_errors_stand_next_to_the_fields_they_name():
    form = ShiftLikeForm({"label": "Café", "start_time": "9h"})
    assert form.is_valid()

    add_service_errors(
        form,
        ValidationError({"start": ["Trop tôt."], "capacity": ["Au moins une place."]}),
        {"start": "start_time"},
    )

    assert form.errors["start_time"] == ["Trop tôt."]
    assert form.non_field_errors() == ["Au moins une place."]


def test_a_field_that_already_says_what_is_wrong_keeps_its_own_message():
    form = ShiftLikeForm({"label": "Un libellé bien trop long"})
    assert not form.is_valid()

    add_service_errors(form, ValidationError({"label": ["Libellé refusé."]}))

    assert len(form.errors["label"]) == 1
    assert "Libellé refusé." not in form.errors["label"]


def test_an_error_about_no_field_goes_at_the_top():
    form = ShiftLikeForm({"label": "Café"})
    assert form.is_valid()

    add_service_errors(form, ValidationError("Cet événement est annulé."))

    assert form.non_field_errors() == ["Cet événement est annulé."]
    assert "label" not in form.errors
