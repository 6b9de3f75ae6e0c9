import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from ruche.groups.models import WorkingGroup
from tests.factories import MemberFactory
from tests.groups.factories import MembershipFactory, WorkingGroupFactory

pytestmark = pytest.mark.django_db


def test_a_member_belongs_to_a_group_once():
    membership = MembershipFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(group=membership.group, member=membership.member)


def test_a_members_groups_are_those_they_belong_to():
    member = MemberFactory()
    mine = MembershipFactory(member=member).group
    WorkingGroupFactory()
    assert list(WorkingGroup.objects.of_member(member)) == [mine]
    assert list(mine.members.all()) == [member]
    assert not WorkingGroup.objects.of_member(AnonymousUser()).exists()


def test_archived_groups_are_not_active():
    live = WorkingGroupFactory()
    WorkingGroupFactory(archived_at=timezone.now())
    assert list(WorkingGroup.objects.active()) == [live]


def test_admins_manage_groups_and_their_members_in_the_admin(admin_client):
    membership = MembershipFactory()
    for url in (
        reverse("admin:groups_workinggroup_changelist"),
        reverse("admin:groups_workinggroup_add"),
        reverse("admin:groups_workinggroup_change", args=[membership.group.pk]),
    ):
        assert admin_client.get(url).status_code == 200
