"""Every table that points at a member is part of « Mes données » and of the erasure: an app
added later that forgets to register its PersonalData entry (or forgets one of its tables)
fails here. Each relation to the member model has a builder below that puts one row in it;
the export must change when that row exists, and after the erasure the row is gone or held by
the shared « ancien membre »."""

import datetime
import json

import pytest
from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from ruche.accounts.models import ApiToken, DataExport, MagicLink
from ruche.accounts.personal_data import member_erase, personal_data_of
from ruche.engagement.models import Contribution, Thanks, TimeDeclaration
from ruche.events.models import Event, EventPreferences, EventSeries, Speaker
from ruche.groups.models import Answer, Decision, JoinRequest, Membership
from ruche.health.models import AlertSettings
from ruche.initiatives.models import (
    BudgetRequest,
    InitiativeLead,
    ModerationAction,
    NeedSupport,
    Participation,
    Report,
    StatusChange,
    Support,
    Update,
)
from ruche.members.models import PLACEHOLDER_EMAIL, Competence, Member, Mission, Startup
from ruche.notifications.models import (
    CategoryPreference,
    DigestDelivery,
    Notification,
    NotificationPreferences,
)
from ruche.onboarding.models import Decline, FirstStepsDismissal
from tests.events.factories import EventFactory, ShiftSignupFactory, register
from tests.factories import MemberFactory
from tests.groups.factories import ProposalFactory, WorkingGroupFactory
from tests.initiatives.factories import CommentFactory, InitiativeFactory, NeedFactory

pytestmark = pytest.mark.django_db

# Django's own bookkeeping, deleted with the member row and not about community life.
DJANGO_OWN = {
    "admin.LogEntry.user",
    "members.Member_groups.member",
    "members.Member_user_permissions.member",
}
# Rows that are secrets or a copy of the export itself: erased, never exported.
NOT_EXPORTED = {
    "accounts.MagicLink.member",
    "accounts.DataExport.member",
    "notifications.DigestDelivery.member",
}


def _other():
    return MemberFactory()


def _contribution(member):
    return Contribution.objects.create(
        member=member, kind="joined", subject_type="group", subject_id=1
    )


BUILDERS = {
    "members.Mission.member": lambda m: Mission.objects.create(
        member=m, start=datetime.date(2024, 1, 1), employer="Une société"
    ),
    "members.Member_competences.member": lambda m: (
        m.competences.add(Competence.objects.create(name="figma"))
        or m.competences.through.objects.get(member=m)
    ),
    "members.Member_previous_startups.member": lambda m: (
        m.previous_startups.add(
            Startup.objects.create(slug="ancienne-startup", name="Ancienne startup")
        )
        or m.previous_startups.through.objects.get(member=m)
    ),
    "accounts.MagicLink.member": lambda m: MagicLink.objects.create(
        member=m, token_hash="a" * 64, expires_at=timezone.now()
    ),
    "accounts.ApiToken.member": lambda m: ApiToken.objects.create(
        member=m, name="Mon script", token_hash="b" * 64, prefix="abc"
    ),
    "accounts.DataExport.member": lambda m: DataExport.objects.create(member=m, content={}),
    "engagement.Contribution.member": _contribution,
    "engagement.Thanks.giver": lambda m: Thanks.objects.create(
        giver=m, receiver=_other(), subject_type="group", subject_id=1, message="Merci !"
    ),
    "engagement.Thanks.receiver": lambda m: Thanks.objects.create(
        giver=_other(), receiver=m, subject_type="group", subject_id=1, message="Bravo"
    ),
    "engagement.TimeDeclaration.member": lambda m: TimeDeclaration.objects.create(
        member=m, day=timezone.localdate(), minutes=30, what="Accueil"
    ),
    "notifications.Notification.member": lambda m: Notification.objects.create(
        member=m, kind="test", subject="Bonjour"
    ),
    "notifications.NotificationPreferences.member": lambda m: (
        NotificationPreferences.objects.create(member=m)
    ),
    "notifications.CategoryPreference.member": lambda m: CategoryPreference.objects.create(
        member=m, category="news", mode="off"
    ),
    "notifications.DigestDelivery.member": lambda m: DigestDelivery.objects.create(
        member=m, week=timezone.localdate()
    ),
    "initiatives.Need.author": lambda m: NeedFactory(author=m),
    "initiatives.NeedSupport.member": lambda m: NeedSupport.objects.create(
        need=NeedFactory(), member=m
    ),
    "initiatives.Initiative.proposer": lambda m: InitiativeFactory(proposer=m),
    "initiatives.InitiativeLead.member": lambda m: InitiativeLead.objects.create(
        initiative=InitiativeFactory(), member=m
    ),
    "initiatives.BudgetRequest.requested_by": lambda m: BudgetRequest.objects.create(
        initiative=InitiativeFactory(), amount=100, purpose="Des badges", requested_by=m
    ),
    "initiatives.BudgetRequest.decided_by": lambda m: BudgetRequest.objects.create(
        initiative=InitiativeFactory(), amount=100, purpose="Des badges", decided_by=m
    ),
    "initiatives.StatusChange.actor": lambda m: StatusChange.objects.create(
        initiative=InitiativeFactory(), actor=m, to_status="active"
    ),
    "initiatives.Participation.member": lambda m: Participation.objects.create(
        initiative=InitiativeFactory(), member=m
    ),
    "initiatives.Support.member": lambda m: Support.objects.create(
        initiative=InitiativeFactory(), member=m
    ),
    "initiatives.Comment.author": lambda m: CommentFactory(author=m),
    "initiatives.Update.author": lambda m: Update.objects.create(
        initiative=InitiativeFactory(), author=m, body="Du nouveau"
    ),
    "initiatives.Report.reporter": lambda m: Report.objects.create(
        target_type="comment", comment=CommentFactory(), reporter=m, reason="Hors sujet"
    ),
    "initiatives.Report.resolved_by": lambda m: Report.objects.create(
        target_type="comment",
        comment=CommentFactory(),
        reason="Hors sujet",
        resolved_by=m,
        resolved_at=timezone.now(),
    ),
    "initiatives.ModerationAction.actor": lambda m: ModerationAction.objects.create(
        action="hide", actor=m, target_type="comment", target_id=1
    ),
    "groups.WorkingGroup.created_by": lambda m: WorkingGroupFactory(created_by=m),
    "groups.Membership.member": lambda m: Membership.objects.create(
        group=WorkingGroupFactory(), member=m
    ),
    "groups.JoinRequest.member": lambda m: JoinRequest.objects.create(
        group=WorkingGroupFactory(), member=m, message="Je peux aider"
    ),
    "groups.JoinRequest.answered_by": lambda m: JoinRequest.objects.create(
        group=WorkingGroupFactory(), member=_other(), answered_by=m, answered_at=timezone.now()
    ),
    "groups.Proposal.author": lambda m: ProposalFactory(author=m),
    "groups.Proposal.closed_by": lambda m: ProposalFactory(closed_by=m, closed_at=timezone.now()),
    "groups.Answer.member": lambda m: Answer.objects.create(
        proposal=ProposalFactory(), member=m, option="ok", reason="Prêt"
    ),
    "groups.Decision.recorded_by": lambda m: Decision.objects.create(
        group=WorkingGroupFactory(), title="Oui", decided_on=timezone.localdate(), recorded_by=m
    ),
    "events.EventSeries.created_by": lambda m: EventSeries.objects.create(
        rrule="FREQ=WEEKLY", dtstart=timezone.now(), created_by=m
    ),
    "events.Event.created_by": lambda m: EventFactory(created_by=m),
    "events.Event_organisers.member": lambda m: Event.organisers.through.objects.create(
        event=EventFactory(), member=m
    ),
    "events.Rsvp.member": lambda m: register(EventFactory(), m),
    "events.ShiftSignup.member": lambda m: ShiftSignupFactory(member=m),
    "events.Speaker.member": lambda m: Speaker.objects.create(
        event=EventFactory(),
        name="Camille",
        email="camille@ex.fr",
        member=m,
        token_hash="c" * 64,
        invited_by=_other(),
    ),
    "events.Speaker.invited_by": lambda m: Speaker.objects.create(
        event=EventFactory(),
        name="Invitée",
        email="invitee@ex.fr",
        token_hash="d" * 64,
        invited_by=m,
    ),
    "events.EventPreferences.member": lambda m: EventPreferences.objects.create(member=m),
    "health.AlertSettings.updated_by": lambda m: AlertSettings.objects.create(
        updated_by=m, updated_at=timezone.now()
    ),
    "onboarding.Decline.member": lambda m: Decline.objects.create(member=m, key="group-1"),
    "onboarding.FirstStepsDismissal.member": lambda m: FirstStepsDismissal.objects.create(member=m),
}


def relations_to_members() -> set[str]:
    found = set()
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.get_fields():
            linked = field.many_to_one or field.one_to_one
            if linked and field.concrete and field.related_model is Member:
                found.add(f"{model._meta.label}.{field.name}")
    return found


def test_every_relation_to_a_member_has_a_builder_here():
    missing = relations_to_members() - BUILDERS.keys() - DJANGO_OWN

    assert not missing, (
        "New tables point at members: register what they hold in a PersonalData entry "
        f"(export and erase) and add a builder here: {sorted(missing)}"
    )


def _export(member) -> str:
    data = personal_data_of(member)
    del data["exported_at"]
    return json.dumps(data, cls=DjangoJSONEncoder, sort_keys=True)


@pytest.mark.parametrize("relation", sorted(BUILDERS))
def test_each_row_about_a_member_is_exported_then_erased_or_handed_over(relation):
    member = MemberFactory(mission=False)
    without = _export(member)
    row = BUILDERS[relation](member)
    label, field = relation.rsplit(".", 1)
    model = apps.get_model(label)

    if relation not in NOT_EXPORTED:
        assert _export(member) != without, f"« Mes données » says nothing of {relation}"
    member_erase(member)

    kept = model.objects.filter(pk=row.pk).first()
    assert kept is None or getattr(kept, field).email == PLACEHOLDER_EMAIL, (
        f"{relation} still points at nobody after the erasure: hand it over or delete it"
    )
