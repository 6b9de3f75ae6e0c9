import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ruche.engagement.models import Contribution, TimeDeclaration
from ruche.engagement.services import monthly_allowance_minutes, time_declare, time_delete
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    return MemberFactory()


def today():
    return timezone.localdate()


def test_a_member_declares_three_hours_and_it_stays_out_of_the_ledger(member):
    declaration = time_declare(actor=member, day=today(), minutes=180, what="Préparer l’apéro")

    assert declaration.hours == 3
    assert list(member.time_declarations.all()) == [declaration]
    assert not Contribution.objects.exists()


@pytest.mark.parametrize("minutes", [0, -30])
def test_a_duration_of_zero_or_less_is_refused(member, minutes):
    with pytest.raises(ValidationError, match="plus de zéro"):
        time_declare(actor=member, day=today(), minutes=minutes, what="Rien")


def test_more_than_24_hours_in_one_day_is_refused(member):
    time_declare(actor=member, day=today(), minutes=20 * 60, what="Forum")

    with pytest.raises(ValidationError, match="24 heures : vous avez déjà déclaré 20 h"):
        time_declare(actor=member, day=today(), minutes=5 * 60, what="Encore")
    assert TimeDeclaration.objects.count() == 1


def test_a_day_in_the_future_is_refused(member):
    with pytest.raises(ValidationError, match="pas encore arrivé"):
        time_declare(
            actor=member, day=today() + datetime.timedelta(days=1), minutes=60, what="Demain"
        )


def test_time_must_say_what_it_was_for(member):
    with pytest.raises(ValidationError, match="à quoi ce temps a servi"):
        time_declare(actor=member, day=today(), minutes=60)


def test_time_may_be_linked_to_an_initiative_instead_of_a_text(member):
    declaration = time_declare(
        actor=member, day=today(), minutes=45, subject_type="initiative", subject_id=4
    )

    assert (declaration.subject_type, declaration.subject_id) == ("initiative", 4)


def test_a_member_deletes_only_their_own_declarations(member):
    mine = time_declare(actor=member, day=today(), minutes=60, what="Atelier")

    with pytest.raises(TimeDeclaration.DoesNotExist):
        time_delete(actor=MemberFactory(), declaration_id=mine.pk)
    time_delete(actor=member, declaration_id=mine.pk)

    assert not TimeDeclaration.objects.exists()


def test_the_monthly_allowance_is_ten_percent_of_a_working_month(settings):
    assert monthly_allowance_minutes() == 924
    settings.COMMUNITY_TIME_MONTHLY_HOURS = 7
    assert monthly_allowance_minutes() == 420
