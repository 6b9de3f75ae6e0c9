import pytest
from django.core.exceptions import ValidationError

from ruche.engagement.enums import ContributionKind, SubjectType
from ruche.engagement.models import Contribution, Thanks
from ruche.engagement.services import record, thanks_give
from ruche.notifications.models import Notification
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser():
    member = MemberFactory(display_name="Awa Diallo")
    record(member=member, kind=ContributionKind.ORGANISED, subject_type="event", subject_id=12)
    return member


def test_a_member_thanks_another_for_what_they_organised(
    organiser, django_capture_on_commit_callbacks
):
    giver = MemberFactory(display_name="Louis Martin")

    with django_capture_on_commit_callbacks(execute=True):
        thanks = thanks_give(
            actor=giver,
            receiver=organiser,
            subject_type=SubjectType.EVENT,
            subject_id=12,
            message="Super apéro, merci !",
        )

    assert list(organiser.thanks_received.all()) == [thanks]
    row = Contribution.objects.get(kind=ContributionKind.THANKED)
    assert (row.member, row.subject_type, row.subject_id) == (giver, "event", 12)
    assert row.details["receiver"] == organiser.pk
    notification = Notification.objects.get(member=organiser)
    assert notification.subject == "Louis Martin vous dit merci"


def test_thanking_oneself_is_refused(organiser):
    with pytest.raises(ValidationError, match="soi-même"):
        thanks_give(actor=organiser, receiver=organiser, subject_type="event", subject_id=12)
    assert not Thanks.objects.exists()


def test_thanking_twice_for_the_same_subject_is_refused(organiser):
    giver = MemberFactory()
    thanks_give(actor=giver, receiver=organiser, subject_type="event", subject_id=12)

    with pytest.raises(ValidationError, match="déjà remercié"):
        thanks_give(actor=giver, receiver=organiser, subject_type="event", subject_id=12)
    assert Thanks.objects.count() == 1


def test_two_people_may_each_thank_the_same_contribution(organiser):
    thanks_give(actor=MemberFactory(), receiver=organiser, subject_type="event", subject_id=12)
    thanks_give(actor=MemberFactory(), receiver=organiser, subject_type="event", subject_id=12)

    assert organiser.thanks_received.count() == 2


def test_thanks_are_only_for_a_contribution_the_member_made(organiser):
    with pytest.raises(ValidationError, match="n’a pas contribué"):
        thanks_give(actor=MemberFactory(), receiver=organiser, subject_type="event", subject_id=99)


def test_a_contribution_undone_can_no_longer_be_thanked():
    member = MemberFactory()
    record(member=member, kind="joined", subject_type="initiative", subject_id=3)
    record(member=member, kind="joined", subject_type="initiative", subject_id=3, undo=True)

    with pytest.raises(ValidationError):
        thanks_give(actor=MemberFactory(), receiver=member, subject_type="initiative", subject_id=3)


def test_a_message_on_several_lines_is_refused(organiser):
    with pytest.raises(ValidationError, match="une seule ligne"):
        thanks_give(
            actor=MemberFactory(),
            receiver=organiser,
            subject_type="event",
            subject_id=12,
            message="Merci\nbeaucoup",
        )
