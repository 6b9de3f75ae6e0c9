"""One-line fields (titles, names, labels, roles, places) refuse line breaks and control
characters at the service, whatever door the text came through (page, API, command); multi-line
texts keep their line breaks but refuse NUL and the other control characters."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError

from ruche.accounts.services import api_token_create
from ruche.core.text import one_line, refuse_control_characters, text_errors
from ruche.events.services.events import event_cancel, event_create, event_update
from ruche.events.services.shifts import shift_create
from ruche.events.services.speakers import speaker_invite
from ruche.initiatives.enums import InitiativeKind
from ruche.initiatives.services.conversation import comment_add
from ruche.initiatives.services.lifecycle import initiative_propose
from ruche.initiatives.services.needs import need_close, need_raise
from ruche.initiatives.services.participation import role_add
from ruche.members.services import member_profile_update
from tests.events.factories import EventFactory, in_days
from tests.factories import MemberFactory
from tests.initiatives.factories import InitiativeFactory, NeedFactory

BREAKS = ["Apéro\r\nBcc: victime@example.org", "Apéro\nsuite", "Apéro\x00", "Apé\tro", "A\x85b"]


@pytest.mark.parametrize("value", BREAKS)
def test_a_one_line_field_refuses_line_breaks_and_control_characters(value):
    errors = text_errors(lines={"title": ("Le titre", value)})

    assert list(errors) == ["title"]
    assert errors["title"].startswith("Le titre doit tenir sur une seule ligne")


def test_a_multi_line_text_keeps_its_line_breaks_but_refuses_nul_and_escape():
    assert text_errors(paragraphs={"body": ("Le texte", "Un\r\n\tdeux\ntrois")}) == {}
    for value in ("Un\x00deux", "Un\x1b[31mdeux", "Un\x0bdeux"):
        errors = text_errors(paragraphs={"body": ("Le texte", value)})
        assert errors["body"].startswith("Le texte contient un caractère de contrôle")


def test_refusing_names_every_bad_field_at_once():
    with pytest.raises(ValidationError) as caught:
        refuse_control_characters(
            lines={"title": ("Le titre", "a\nb"), "place": ("Le lieu", "Paris")},
            paragraphs={"body": ("Le texte", "a\x00b")},
        )
    assert set(caught.value.message_dict) == {"title", "body"}


def test_one_line_puts_whatever_was_stored_on_one_line():
    assert one_line("Apéro\r\nBcc: x@example.org\u2028fin\x00 ") == "Apéro Bcc: x@example.org fin"


def _refused(call, field: str) -> str:
    with pytest.raises(ValidationError) as caught:
        call()
    assert field in caught.value.message_dict, caught.value.message_dict
    return caught.value.message_dict[field][0]


@pytest.mark.django_db
class TestEveryServiceIsTheDoor:
    def test_an_event_title_and_place(self, member):
        start = in_days(10)
        fields = {
            "title": "Apéro",
            "kind": "apero",
            "start": start,
            "end": start + datetime.timedelta(hours=2),
            "location": "Paris",
        }
        message = _refused(
            lambda: event_create(actor=member, **{**fields, "title": "Apéro\r\nde Noël"}),
            "title",
        )
        assert "une seule ligne" in message
        _refused(
            lambda: event_create(actor=member, **{**fields, "location": "Salle\n2"}),
            "location",
        )
        _refused(
            lambda: event_create(actor=member, **{**fields, "description": "a\x00b"}),
            "description",
        )
        event = EventFactory(created_by=member)
        _refused(
            lambda: event_update(actor=member, event=event, changes={"title": "A\nB"}),
            "title",
        )

    def test_a_cancellation_message(self, member):
        event = EventFactory(created_by=member)
        _refused(lambda: event_cancel(actor=member, event=event, message="a\x00"), "message")

    def test_a_volunteer_slot(self, member):
        event = EventFactory(created_by=member)
        _refused(
            lambda: shift_create(
                actor=member,
                event=event,
                label="Café\r\nthé",
                capacity=2,
                start=event.start,
                end=event.start + datetime.timedelta(hours=1),
            ),
            "label",
        )

    def test_a_speaker_invitation_and_answer(self, member):
        event = EventFactory(created_by=member)
        invite = {"actor": member, "event": event, "email": "ada@example.org"}
        _refused(lambda: speaker_invite(**invite, name="Ada\nLovelace"), "name")
        _refused(
            lambda: speaker_invite(**invite, name="Ada", talk_title="Les\r\nmachines"),
            "talk_title",
        )

    def test_an_initiative_its_need_and_its_roles(self, member):
        _refused(
            lambda: initiative_propose(
                actor=member, title="Outil\nsuite", kind=InitiativeKind.TOOL, summary="Un outil."
            ),
            "title",
        )
        _refused(lambda: need_raise(actor=member, title="Besoin\x00"), "title")
        initiative = InitiativeFactory(lead=member)
        _refused(
            lambda: role_add(
                actor=member, initiative=initiative, label="Accueil\r\nsuite", count=2
            ),
            "label",
        )
        _refused(
            lambda: comment_add(actor=member, initiative=initiative, body="a\x00b"),
            "body",
        )
        need = NeedFactory(author=member)
        _refused(lambda: need_close(actor=member, need=need, reason="\x1b"), "reason")

    def test_a_member_profile(self, member):
        _refused(
            lambda: member_profile_update(
                actor=member, member=member, fields={"display_name": "Ada\nL"}, competences=[]
            ),
            "display_name",
        )
        _refused(
            lambda: member_profile_update(
                actor=member, member=member, fields={"role": "Dev"}, competences=["Django\r\nFlask"]
            ),
            "competences",
        )

    def test_an_api_token_name(self, member):
        _refused(lambda: api_token_create(actor=member, member=member, name="CI\nBcc"), "name")


@pytest.mark.django_db
def test_a_line_break_in_an_event_title_is_refused_by_the_api(api, member):
    start = in_days(10)
    response = api(
        member,
        "post",
        "/events",
        {
            "title": "Apéro\r\nBcc: victime@example.org",
            "kind": "apero",
            "start": start.isoformat(),
            "end": (start + datetime.timedelta(hours=2)).isoformat(),
            "location": "Paris",
        },
    )

    assert response.status_code == 400
    assert "une seule ligne" in response.json()["detail"]["title"][0]


@pytest.mark.django_db
def test_the_profile_page_shows_the_refusal_next_to_the_field(client):
    member = MemberFactory(display_name="Ada")
    client.force_login(member)

    response = client.post(
        "/compte/profil/",
        {"display_name": "Ada", "role": "Dev", "competences_text": "Django, a\u2028b"},
    )

    assert response.status_code == 400
    assert "Chaque compétence doit tenir sur une seule ligne" in response.text
    assert not member.competences.exists()


@pytest.fixture
def api(client):
    def call(member, method, path, data):
        _token, secret = api_token_create(actor=member, member=member, name="tests")
        return client.generic(
            method.upper(),
            f"/api/v1{path}",
            json.dumps(data),
            content_type="application/json",
            headers={"Authorization": f"Bearer {secret}"},
        )

    return call
