from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation

from ruche.engagement.enums import ContributionKind
from ruche.engagement.models import Contribution
from ruche.initiatives.enums import (
    BudgetStatus,
    InitiativeKind,
    InitiativeStatus,
    NeedState,
    ReportTarget,
)
from ruche.initiatives.models import (
    BudgetRequest,
    CallForHelp,
    Comment,
    Initiative,
    InitiativeLead,
    ModerationAction,
    Participation,
    Report,
    StatusChange,
    Support,
)
from ruche.initiatives.services.budget import (
    budget_request_create,
    budget_request_decide,
    budget_request_withdraw,
)
from ruche.initiatives.services.conversation import (
    comment_add,
    comment_delete,
    comment_edit,
    initiative_support,
    initiative_unsupport,
    update_post,
)
from ruche.initiatives.services.lifecycle import (
    initiative_propose,
    initiative_status_change,
    initiative_update,
)
from ruche.initiatives.services.moderation import (
    content_hide,
    content_restore,
    report_create,
    report_dismiss,
)
from ruche.initiatives.services.needs import (
    need_close,
    need_raise,
    need_reopen,
    need_support,
    need_unsupport,
    needs_refresh_state,
)
from ruche.initiatives.services.participation import (
    initiative_colead_add,
    initiative_colead_remove,
    initiative_join,
    initiative_leave,
    role_add,
    role_remove,
)
from ruche.notifications.models import Notification
from tests.factories import MemberFactory
from tests.initiatives.factories import (
    CommentFactory,
    InitiativeFactory,
    NeedFactory,
    RoleFactory,
)

pytestmark = pytest.mark.django_db


def ledger(member, kind=None):
    rows = Contribution.objects.filter(member=member)
    if kind:
        rows = rows.filter(kind=kind)
    return list(rows.values_list("kind", "weight"))


def propose(actor, **extra):
    fields = {
        "title": "Apéro de rentrée",
        "kind": InitiativeKind.EVENT,
        "summary": "Un apéro pour se retrouver après l’été.",
    }
    return initiative_propose(actor=actor, **{**fields, **extra})


class TestProposing:
    def test_the_proposer_leads_the_new_idea_and_it_is_in_the_ledger(self, member):
        need = NeedFactory()
        initiative = propose(member, needs=[need])
        assert initiative.status == InitiativeStatus.IDEA
        assert initiative.is_led_by(member)
        assert list(initiative.needs.all()) == [need]
        assert StatusChange.objects.get(initiative=initiative).to_status == InitiativeStatus.IDEA
        assert sorted(ledger(member)) == [("led", 1), ("proposed", 1)]
        row = Contribution.objects.filter(member=member).first()
        assert (row.subject_type, row.subject_id) == ("initiative", initiative.pk)
        assert row.domaine == member.domaine

    @pytest.mark.parametrize(
        ("fields", "field", "message"),
        [
            ({"title": "   "}, "title", "Donnez un titre à l’initiative."),
            (
                {"title": "x" * 201},
                "title",
                "ne doit pas dépasser 200 caractères (il en compte 201)",
            ),
            ({"kind": "apero"}, "kind", "Type d’initiative inconnu"),
            ({"summary": ""}, "summary", "Résumez l’initiative"),
            ({"scope": "incubator"}, "incubator", "Choisissez l’incubateur concerné."),
            ({"budget_amount": "-5", "budget_purpose": "x"}, "budget_amount", "supérieur à zéro"),
            ({"budget_amount": "50"}, "budget_purpose", "Dites à quoi servira ce budget."),
        ],
    )
    def test_bad_input_is_refused_with_a_specific_message_and_nothing_saved(
        self, member, fields, field, message
    ):
        with pytest.raises(ValidationError) as caught:
            propose(member, **fields)
        assert message in " ".join(caught.value.message_dict[field])
        assert not Initiative.objects.exists()
        assert not InitiativeLead.objects.exists()
        assert not Contribution.objects.exists()

    def test_a_title_of_exactly_200_characters_is_accepted(self, member):
        assert len(propose(member, title="é" * 200).title) == 200

    def test_a_hidden_need_cannot_be_answered(self, member):
        need = NeedFactory(hidden=True)
        with pytest.raises(ValidationError):
            propose(member, needs=[need])
        assert not Initiative.objects.exists()


class TestStatus:
    def test_only_leads_and_the_animation_team_change_the_status(self, member, animator):
        initiative = InitiativeFactory()
        with pytest.raises(PermissionDenied, match="porteur·ses"):
            initiative_status_change(
                actor=member, initiative=initiative, status=InitiativeStatus.IN_PROGRESS
            )
        initiative.refresh_from_db()
        assert initiative.status == InitiativeStatus.IDEA
        assert not ledger(member)
        initiative_status_change(
            actor=animator, initiative=initiative, status=InitiativeStatus.IN_PROGRESS
        )
        initiative.refresh_from_db()
        assert initiative.status == InitiativeStatus.IN_PROGRESS

    def test_each_change_is_on_the_timeline_and_in_the_ledger(self, member):
        initiative = InitiativeFactory(lead=member)
        for status in (InitiativeStatus.LOOKING_FOR_HELP, InitiativeStatus.IN_PROGRESS):
            initiative_status_change(actor=member, initiative=initiative, status=status)
        changes = list(
            StatusChange.objects.filter(initiative=initiative).values_list(
                "from_status", "to_status", "actor"
            )
        )
        assert changes == [
            ("", "idea", member.pk),
            ("idea", "looking_for_help", member.pk),
            ("looking_for_help", "in_progress", member.pk),
        ]
        rows = Contribution.objects.filter(member=member, kind=ContributionKind.STATUS_CHANGED)
        assert [row.details for row in rows] == [
            {"from": "idea", "to": "looking_for_help"},
            {"from": "looking_for_help", "to": "in_progress"},
        ]

    def test_a_co_lead_changes_the_status_too(self, member):
        initiative = InitiativeFactory()
        initiative_colead_add(actor=initiative.proposer, initiative=initiative, member=member)
        initiative_status_change(
            actor=member, initiative=initiative, status=InitiativeStatus.LOOKING_FOR_HELP
        )
        assert Initiative.objects.get().status == InitiativeStatus.LOOKING_FOR_HELP

    def test_pausing_or_dropping_needs_a_reason(self, member):
        initiative = InitiativeFactory(lead=member)
        with pytest.raises(ValidationError) as caught:
            initiative_status_change(
                actor=member, initiative=initiative, status=InitiativeStatus.DROPPED
            )
        assert "pourquoi" in caught.value.message_dict["reason"][0]
        initiative_status_change(
            actor=member, initiative=initiative, status=InitiativeStatus.PAUSED, reason="L’été."
        )
        initiative.refresh_from_db()
        assert (initiative.status, initiative.status_reason) == ("paused", "L’été.")

    def test_an_unknown_or_unchanged_status_is_refused(self, member):
        initiative = InitiativeFactory(lead=member)
        with pytest.raises(ValidationError, match="Statut inconnu"):
            initiative_status_change(actor=member, initiative=initiative, status="fini")
        with pytest.raises(ValidationError, match="déjà le statut"):
            initiative_status_change(actor=member, initiative=initiative, status="idea")
        assert StatusChange.objects.count() == 1


class TestBudget:
    def test_a_pending_budget_keeps_the_initiative_from_going_in_progress(self, member, animator):
        initiative = propose(member, budget_amount=Decimal("300"), budget_purpose="Le lieu.")
        with pytest.raises(ValidationError, match="attend l’accord de l’équipe d’animation"):
            initiative_status_change(
                actor=member, initiative=initiative, status=InitiativeStatus.IN_PROGRESS
            )
        budget = BudgetRequest.objects.get()
        budget_request_decide(
            actor=animator, budget_request=budget, approve=True, message="Bonne idée."
        )
        initiative_status_change(
            actor=member, initiative=initiative, status=InitiativeStatus.IN_PROGRESS
        )
        assert Initiative.objects.get().status == InitiativeStatus.IN_PROGRESS

    def test_a_pending_budget_cannot_be_skipped_by_going_straight_to_done(self, member):
        initiative = propose(member, budget_amount="80", budget_purpose="Le café.")
        with pytest.raises(ValidationError, match="ne peut pas passer « réalisée » avant"):
            initiative_status_change(
                actor=member, initiative=initiative, status=InitiativeStatus.DONE
            )
        initiative_status_change(
            actor=member, initiative=initiative, status=InitiativeStatus.LOOKING_FOR_HELP
        )  # asking for people does not spend anything
        assert Initiative.objects.get().status == InitiativeStatus.LOOKING_FOR_HELP

    def test_the_proposer_is_told_of_the_decision(
        self, member, animator, django_capture_on_commit_callbacks
    ):
        initiative = propose(member, budget_amount="120", budget_purpose="Des croissants.")
        with django_capture_on_commit_callbacks(execute=True):
            budget_request_decide(
                actor=animator,
                budget_request=initiative.budget_requests.get(),
                approve=False,
                message="Pas de budget ce trimestre.",
            )
        notification = Notification.objects.get(member=member)
        assert notification.kind == "initiatives.budget_refused"
        assert notification.subject == "Budget refusé pour « Apéro de rentrée »"
        with translation.override("en"):
            assert notification.display_subject == "Budget declined for “Apéro de rentrée”"
        assert len(mail.outbox) == 1
        assert "Pas de budget ce trimestre." in mail.outbox[0].body
        assert ModerationAction.objects.get().action == "budget.refused"

    def test_only_the_animation_team_decides_and_a_refusal_says_why(self, member, animator):
        initiative = propose(member, budget_amount="120", budget_purpose="Des croissants.")
        budget = initiative.budget_requests.get()
        with pytest.raises(PermissionDenied):
            budget_request_decide(actor=member, budget_request=budget, approve=True)
        with pytest.raises(ValidationError, match="Expliquez le refus"):
            budget_request_decide(actor=animator, budget_request=budget, approve=False)
        budget.refresh_from_db()
        assert budget.status == BudgetStatus.PENDING
        budget_request_decide(actor=animator, budget_request=budget, approve=True)
        with pytest.raises(ValidationError, match="déjà été traitée"):
            budget_request_decide(
                actor=animator, budget_request=budget, approve=False, message="Non"
            )

    def test_withdrawing_a_refused_request_lets_the_initiative_go_ahead(self, member, animator):
        initiative = propose(member, budget_amount="120", budget_purpose="Des croissants.")
        budget = initiative.budget_requests.get()
        budget_request_decide(actor=animator, budget_request=budget, approve=False, message="Non.")
        with pytest.raises(ValidationError, match="refusée"):
            initiative_status_change(
                actor=member, initiative=initiative, status=InitiativeStatus.IN_PROGRESS
            )
        budget_request_withdraw(actor=member, budget_request=budget)
        initiative_status_change(
            actor=member, initiative=initiative, status=InitiativeStatus.IN_PROGRESS
        )

    def test_a_second_request_waits_for_the_first(self, member):
        initiative = propose(member, budget_amount="120", budget_purpose="Des croissants.")
        with pytest.raises(ValidationError, match="attend déjà"):
            budget_request_create(
                actor=member, initiative=initiative, amount="50", purpose="Du café."
            )
        with pytest.raises(PermissionDenied):
            budget_request_create(
                actor=MemberFactory(), initiative=initiative, amount="50", purpose="Du café."
            )


class TestNeedState:
    def test_the_need_follows_the_initiatives_that_answer_it(self, member):
        need = NeedFactory()
        initiative = propose(member, needs=[need])
        need.refresh_from_db()
        assert need.state == NeedState.OPEN
        initiative_status_change(
            actor=member, initiative=initiative, status=InitiativeStatus.IN_PROGRESS
        )
        need.refresh_from_db()
        assert need.state == NeedState.BEING_ADDRESSED
        initiative_status_change(actor=member, initiative=initiative, status=InitiativeStatus.DONE)
        need.refresh_from_db()
        assert need.state == NeedState.ADDRESSED

    def test_linking_and_unlinking_an_initiative_updates_the_state(self, member):
        need = NeedFactory()
        initiative = InitiativeFactory(lead=member, status=InitiativeStatus.DONE)
        initiative_update(actor=member, initiative=initiative, fields={}, needs=[need])
        need.refresh_from_db()
        assert need.state == NeedState.ADDRESSED
        initiative_update(actor=member, initiative=initiative, fields={}, needs=[])
        need.refresh_from_db()
        assert need.state == NeedState.OPEN

    def test_a_closed_need_shows_its_reason_until_reopened(self, member, animator):
        need = NeedFactory(author=member)
        with pytest.raises(ValidationError, match="pourquoi"):
            need_close(actor=member, need=need, reason=" ")
        with pytest.raises(PermissionDenied):
            need_close(actor=MemberFactory(), need=need, reason="Réglé.")
        need_close(actor=animator, need=need, reason="Réglé ailleurs.")
        assert need.state == NeedState.CLOSED
        need_reopen(actor=member, need=need)
        assert need.state == NeedState.OPEN

    def test_hiding_the_initiative_takes_it_out_of_the_need_state(self, member, animator):
        need = NeedFactory()
        initiative = InitiativeFactory(lead=member, status=InitiativeStatus.DONE, needs=[need])
        needs_refresh_state([need.pk])
        need.refresh_from_db()
        assert need.state == NeedState.ADDRESSED
        content_hide(
            actor=animator, target_type=ReportTarget.INITIATIVE, target=initiative, note="Spam."
        )
        need.refresh_from_db()
        assert need.state == NeedState.OPEN


class TestNeeds:
    def test_raising_a_need_and_saying_me_too_are_in_the_ledger(self, member):
        need = need_raise(actor=member, title="Trop de réunions")
        other = MemberFactory()
        need_support(actor=other, need=need)
        with pytest.raises(ValidationError, match="déjà dit « moi aussi »"):
            need_support(actor=other, need=need)
        with pytest.raises(ValidationError, match="compte déjà pour vous"):
            need_support(actor=member, need=need)
        need_unsupport(actor=other, need=need)
        assert ledger(member) == [("raised_need", 1)]
        assert ledger(other) == [("need_supported", 1), ("need_supported", -1)]

    def test_a_need_needs_a_title(self, member):
        with pytest.raises(ValidationError, match="Donnez un titre au besoin"):
            need_raise(actor=member, title="")
        with pytest.raises(ValidationError, match="Domaine inconnu"):
            need_raise(actor=member, title="Ok", domaine="cuisine")


class TestJoining:
    def test_joining_a_role_takes_a_place_and_leaving_gives_it_back(self, member):
        role = RoleFactory(count=2)
        initiative = role.initiative
        initiative_join(actor=member, initiative=initiative, role=role)
        role.refresh_from_db()
        assert role.taken == 1
        initiative_leave(actor=member, initiative=initiative)
        role.refresh_from_db()
        assert role.taken == 0
        assert not Participation.objects.exists()
        assert ledger(member) == [("joined", 1), ("joined", -1)]

    def test_a_full_role_stops_accepting(self):
        role = RoleFactory(count=1)
        initiative_join(actor=MemberFactory(), initiative=role.initiative, role=role)
        late = MemberFactory()
        with pytest.raises(ValidationError) as caught:
            initiative_join(actor=late, initiative=role.initiative, role=role)
        assert caught.value.message_dict["role"] == [
            "Ce rôle est complet : toutes les places sont prises."
        ]
        assert not Participation.objects.filter(member=late).exists()
        assert not ledger(late)
        assert CallForHelp.objects.get().taken == 1

    def test_joining_twice_is_refused_without_taking_a_second_place(self, member):
        role = RoleFactory(count=3)
        initiative_join(actor=member, initiative=role.initiative, role=role)
        with pytest.raises(ValidationError, match="déjà rejoint"):
            initiative_join(actor=member, initiative=role.initiative, role=role)
        with pytest.raises(ValidationError, match="déjà rejoint"):
            initiative_join(actor=member, initiative=role.initiative)
        assert CallForHelp.objects.get().taken == 1
        assert ledger(member) == [("joined", 1)]

    def test_the_leads_hear_of_a_newcomer(self, member, django_capture_on_commit_callbacks):
        role = RoleFactory(label="Accueil")
        with django_capture_on_commit_callbacks(execute=True):
            initiative_join(actor=member, initiative=role.initiative, role=role)
        notification = Notification.objects.get(member=role.initiative.proposer)
        assert notification.kind == "initiatives.participant_joined"
        assert "Accueil" in mail.outbox[0].body

    def test_a_lead_may_take_a_role_but_already_belongs_to_the_initiative(self, member):
        role = RoleFactory(count=2)
        lead = role.initiative.proposer
        with pytest.raises(ValidationError, match="Vous portez cette initiative"):
            initiative_join(actor=lead, initiative=role.initiative)
        assert not Participation.objects.exists()
        initiative_join(actor=lead, initiative=role.initiative, role=role)
        assert Participation.objects.get().role == role

    def test_a_finished_initiative_takes_no_one(self, member):
        initiative = InitiativeFactory(status=InitiativeStatus.DONE)
        with pytest.raises(ValidationError, match="n’accueille plus"):
            initiative_join(actor=member, initiative=initiative)

    def test_a_role_of_another_initiative_is_refused(self, member):
        role = RoleFactory()
        with pytest.raises(ValidationError, match="n’appartient pas"):
            initiative_join(actor=member, initiative=InitiativeFactory(), role=role)

    def test_removing_a_role_keeps_its_people_in_the_initiative(self, member):
        role = RoleFactory()
        initiative_join(actor=member, initiative=role.initiative, role=role)
        with pytest.raises(PermissionDenied):
            role_remove(actor=member, role=role)
        role_remove(actor=role.initiative.proposer, role=role)
        assert Participation.objects.get().role is None

    def test_opening_a_role_is_for_leads_and_checks_its_count(self, member):
        initiative = InitiativeFactory(lead=member)
        with pytest.raises(PermissionDenied):
            role_add(actor=MemberFactory(), initiative=initiative, label="Accueil", count=2)
        with pytest.raises(ValidationError) as caught:
            role_add(actor=member, initiative=initiative, label="", count=0)
        assert set(caught.value.message_dict) == {"label", "count"}
        role = role_add(actor=member, initiative=initiative, label="Accueil", count=2)
        assert (role.label, role.count, role.taken) == ("Accueil", 2, 0)


class TestSupportsCommentsUpdates:
    def test_supporting_is_once_per_member_and_can_be_withdrawn(self, member):
        initiative = InitiativeFactory()
        initiative_support(actor=member, initiative=initiative)
        with pytest.raises(ValidationError, match="soutenez déjà"):
            initiative_support(actor=member, initiative=initiative)
        initiative_unsupport(actor=member, initiative=initiative)
        with pytest.raises(ValidationError, match="ne souteniez pas"):
            initiative_unsupport(actor=member, initiative=initiative)
        assert not Support.objects.exists()
        assert ledger(member) == [("supported", 1), ("supported", -1)]

    def test_a_lead_does_not_support_their_own_initiative(self, member):
        initiative = InitiativeFactory(lead=member)
        co_lead = MemberFactory()
        initiative_colead_add(actor=member, initiative=initiative, member=co_lead)
        for lead in (member, co_lead):
            with pytest.raises(ValidationError, match="Vous portez cette initiative"):
                initiative_support(actor=lead, initiative=initiative)
        assert not Support.objects.exists()
        assert ledger(member, ContributionKind.SUPPORTED) == []

    def test_a_mention_is_recorded_in_the_comment_transaction_and_mailed_after_commit(
        self, member, django_capture_on_commit_callbacks
    ):
        mentioned = MemberFactory(betagouv_id="camille.dupont")
        initiative = InitiativeFactory()
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            comment_add(
                actor=member, initiative=initiative, body="Qu’en penses-tu @camille.dupont ?"
            )
            # Still inside the transaction: a crash now loses the comment and its mention
            # together, never the mention alone.
            notification = Notification.objects.get(member=mentioned)
        assert notification.kind == "initiatives.mentioned"
        assert notification.url.endswith(f"#commentaire-{Comment.objects.get().pk}")
        assert mail.outbox == []
        for callback in callbacks:
            callback()
        assert [message.to for message in mail.outbox] == [[mentioned.email]]

    def test_a_comment_rolled_back_leaves_no_mention(self, member):
        mentioned = MemberFactory(betagouv_id="camille.dupont")
        initiative = InitiativeFactory()

        def comment_then_fail():
            with transaction.atomic():
                comment_add(actor=member, initiative=initiative, body="@camille.dupont")
                raise RuntimeError("the request failed after the service")

        with pytest.raises(RuntimeError):
            comment_then_fail()
        assert not Notification.objects.filter(member=mentioned).exists()

    def test_an_edit_only_notifies_newly_mentioned_members(
        self, member, django_capture_on_commit_callbacks
    ):
        first = MemberFactory(betagouv_id="lea.martin")
        second = MemberFactory(betagouv_id="hugo.petit")
        with django_capture_on_commit_callbacks(execute=True):
            comment = comment_add(
                actor=member, initiative=InitiativeFactory(), body="Avec @lea.martin"
            )
        with django_capture_on_commit_callbacks(execute=True):
            comment_edit(actor=member, comment=comment, body="Avec @lea.martin et @hugo.petit")
        assert Notification.objects.filter(member=first).count() == 1
        assert Notification.objects.filter(member=second).count() == 1

    def test_only_the_author_edits_or_deletes_a_comment(self, member):
        comment = CommentFactory(author=member)
        other = MemberFactory()
        with pytest.raises(PermissionDenied):
            comment_edit(actor=other, comment=comment, body="Piraté")
        with pytest.raises(PermissionDenied):
            comment_delete(actor=other, comment=comment)
        with pytest.raises(ValidationError, match="vide"):
            comment_edit(actor=member, comment=comment, body="  ")
        comment_delete(actor=member, comment=comment)
        assert not Comment.objects.exists()
        assert ledger(member) == [("commented", -1)]

    def test_progress_posts_are_for_leads(self, member, animator):
        initiative = InitiativeFactory(lead=member)
        with pytest.raises(PermissionDenied):
            update_post(actor=animator, initiative=initiative, body="Ça avance.")
        update_post(actor=member, initiative=initiative, body="Ça avance.")
        assert ("updated", 1) in ledger(member)


class TestLeads:
    def test_a_co_lead_is_told_and_recorded(self, member, django_capture_on_commit_callbacks):
        initiative = InitiativeFactory()
        with django_capture_on_commit_callbacks(execute=True):
            initiative_colead_add(actor=initiative.proposer, initiative=initiative, member=member)
        assert initiative.is_led_by(member)
        assert Notification.objects.get(member=member).kind == "initiatives.co_lead_added"
        with pytest.raises(ValidationError, match="porte déjà"):
            initiative_colead_add(actor=initiative.proposer, initiative=initiative, member=member)
        initiative_colead_remove(actor=member, initiative=initiative, member=member)
        assert ledger(member) == [("co_led", 1), ("co_led", -1)]

    def test_the_proposer_cannot_be_removed_and_outsiders_cannot_add(self, member):
        initiative = InitiativeFactory()
        with pytest.raises(PermissionDenied):
            initiative_colead_add(actor=member, initiative=initiative, member=member)
        with pytest.raises(ValidationError, match="reste porteuse"):
            initiative_colead_remove(
                actor=initiative.proposer, initiative=initiative, member=initiative.proposer
            )


class TestModeration:
    def test_hiding_resolves_reports_logs_and_tells_the_author(
        self, member, animator, django_capture_on_commit_callbacks
    ):
        initiative = InitiativeFactory()
        report_create(
            actor=member, target_type=ReportTarget.INITIATIVE, target=initiative, reason="Pub."
        )
        with pytest.raises(ValidationError, match="déjà signalé"):
            report_create(
                actor=member, target_type=ReportTarget.INITIATIVE, target=initiative, reason="Re."
            )
        with pytest.raises(PermissionDenied):
            content_hide(
                actor=member, target_type=ReportTarget.INITIATIVE, target=initiative, note="x"
            )
        with pytest.raises(ValidationError, match="note"):
            content_hide(
                actor=animator, target_type=ReportTarget.INITIATIVE, target=initiative, note=""
            )
        with django_capture_on_commit_callbacks(execute=True):
            content_hide(
                actor=animator,
                target_type=ReportTarget.INITIATIVE,
                target=initiative,
                note="Publicité.",
            )
        initiative.refresh_from_db()
        assert initiative.hidden
        assert Report.objects.get().resolved_by == animator
        action = ModerationAction.objects.get()
        assert (action.action, action.note, action.actor) == (
            "initiative.hidden",
            "Publicité.",
            animator,
        )
        told = Notification.objects.get(member=initiative.proposer)
        assert told.kind == "initiatives.content_hidden"
        assert told.subject.startswith("Contenu masqué par l’équipe d’animation : « ")
        content_restore(
            actor=animator, target_type=ReportTarget.INITIATIVE, target=initiative, note="Erreur."
        )
        initiative.refresh_from_db()
        assert not initiative.hidden
        assert list(ModerationAction.objects.values_list("action", flat=True)) == [
            "initiative.restored",
            "initiative.hidden",
        ]

    def test_no_one_reports_what_they_lead_or_wrote(self, member):
        own = [
            (ReportTarget.INITIATIVE, InitiativeFactory(lead=member), "Vous portez cette"),
            (ReportTarget.NEED, NeedFactory(author=member), "Vous avez exprimé ce besoin"),
            (ReportTarget.COMMENT, CommentFactory(author=member), "C’est votre commentaire"),
        ]
        for target_type, target, message in own:
            with pytest.raises(PermissionDenied, match=message):
                report_create(actor=member, target_type=target_type, target=target, reason="Test.")
        assert not Report.objects.exists()
        someone_else = MemberFactory()
        for target_type, target, _message in own:
            report_create(
                actor=someone_else, target_type=target_type, target=target, reason="Hors sujet."
            )
        assert Report.objects.count() == 3

    def test_a_report_can_be_dismissed_once(self, member, animator):
        comment = CommentFactory()
        report = report_create(
            actor=member, target_type=ReportTarget.COMMENT, target=comment, reason="Hors sujet."
        )
        with pytest.raises(PermissionDenied):
            report_dismiss(actor=member, report=report)
        report_dismiss(actor=animator, report=report, note="Ça va.")
        with pytest.raises(ValidationError, match="déjà été traité"):
            report_dismiss(actor=animator, report=report)
        assert ModerationAction.objects.get().action == "report.dismissed"


def test_a_whole_story_leaves_a_complete_ledger(animator):
    """What health metrics will read: one row per act, with the actor's context."""
    newcomer, lead, helper = MemberFactory(), MemberFactory(), MemberFactory()
    need = need_raise(actor=newcomer, title="Les nouveaux se sentent perdus")
    need_support(actor=helper, need=need)
    initiative = initiative_propose(
        actor=lead,
        title="Parcours d’accueil",
        kind=InitiativeKind.PROCESS,
        summary="Un parrain ou une marraine pour chaque arrivée.",
        needs=[need],
    )
    role = role_add(actor=lead, initiative=initiative, label="Parrains", count=3)
    initiative_join(actor=helper, initiative=initiative, role=role)
    initiative_support(actor=helper, initiative=initiative)
    comment_add(actor=newcomer, initiative=initiative, body="Merci !")
    initiative_colead_add(actor=lead, initiative=initiative, member=newcomer)
    update_post(actor=lead, initiative=initiative, body="Premier binôme formé.")
    initiative_status_change(
        actor=newcomer, initiative=initiative, status=InitiativeStatus.IN_PROGRESS
    )
    assert sorted(ledger(newcomer)) == sorted(
        [("raised_need", 1), ("commented", 1), ("co_led", 1), ("status_changed", 1)]
    )
    assert sorted(ledger(lead)) == sorted([("proposed", 1), ("led", 1), ("updated", 1)])
    assert sorted(ledger(helper)) == sorted(
        [("need_supported", 1), ("joined", 1), ("supported", 1)]
    )
    assert not ledger(animator)
    first = Contribution.objects.filter(member=newcomer).order_by("at", "pk").first()
    assert first.is_newcomer  # no contribution before this one
    assert first.startup is not None
    assert first.incubator == first.startup.incubator
