"""The suggestions engine on crafted members: what is suggested, with which reason, in which
order, and what never is."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ruche.engagement.services import record
from ruche.groups.enums import GroupKind
from ruche.groups.models import Membership, WorkingGroup
from ruche.initiatives.enums import InitiativeStatus
from ruche.initiatives.models import NeedSupport, Participation
from ruche.members.enums import Domaine
from ruche.members.models import Competence
from ruche.onboarding.services import first_steps_dismiss, suggestion_decline
from ruche.onboarding.steps import first_steps, is_newcomer
from ruche.onboarding.suggestions import suggestions_for
from tests.events.factories import EventFactory, ShiftFactory, ShiftSignupFactory, register
from tests.factories import MemberFactory, MissionFactory, StartupFactory
from tests.initiatives.factories import InitiativeFactory, NeedFactory, RoleFactory

pytestmark = pytest.mark.django_db


def keys(member):
    return [s.key for s in suggestions_for(member)]


def reasons(member):
    return {s.key: s.reason for s in suggestions_for(member)}


def python_developer():
    member = MemberFactory(domaine=Domaine.DEVELOPPEMENT)
    member.competences.add(Competence.objects.create(name="Python"))
    return member


def test_an_open_role_asking_for_my_competence_is_suggested_with_why():
    member = python_developer()
    role = RoleFactory(skill="Python", label="Écrire le script d’import")
    RoleFactory(skill="Illustration", label="Dessiner l’affiche")

    assert reasons(member) == {f"role-{role.pk}": "vous avez la compétence Python"}


def test_a_role_of_an_initiative_i_already_joined_is_not_suggested():
    member = python_developer()
    role = RoleFactory(skill="Python")
    Participation.objects.create(initiative=role.initiative, member=member)

    assert f"role-{role.pk}" not in keys(member)


def test_a_role_of_an_initiative_i_lead_is_not_suggested():
    member = python_developer()
    RoleFactory(skill="Python", initiative=InitiativeFactory(lead=member))

    assert keys(member) == []


def test_a_declined_suggestion_is_not_suggested_again():
    member = python_developer()
    role = RoleFactory(skill="Python")
    other = RoleFactory(skill="python")

    suggestion_decline(actor=member, key=f"role-{role.pk}")

    assert keys(member) == [f"role-{other.pk}"]


def test_an_initiative_where_colleagues_of_my_startup_take_part_is_suggested():
    startup = StartupFactory()
    member = MemberFactory(mission=False)
    MissionFactory(member=member, startups=[startup])
    initiative = InitiativeFactory(status=InitiativeStatus.IN_PROGRESS)
    for _i in range(3):
        colleague = MemberFactory(mission=False)
        MissionFactory(member=colleague, startups=[startup])
        Participation.objects.create(initiative=initiative, member=colleague)

    assert reasons(member) == {
        f"initiative-{initiative.pk}": "3 personnes de votre startup y participent"
    }


def test_colleagues_of_my_incubator_count_too_and_a_stranger_does_not():
    startup = StartupFactory()
    member = MemberFactory(mission=False)
    MissionFactory(member=member, startups=[startup])
    neighbour = MemberFactory(mission=False)
    MissionFactory(member=neighbour, startups=[StartupFactory(incubator=startup.incubator)])
    near = InitiativeFactory()
    Participation.objects.create(initiative=near, member=neighbour)
    far = InitiativeFactory()
    Participation.objects.create(initiative=far, member=MemberFactory())

    assert reasons(member) == {
        f"initiative-{near.pk}": "1 personne de votre incubateur y participe"
    }


def test_a_closed_or_hidden_initiative_is_not_suggested_even_with_colleagues():
    startup = StartupFactory()
    member = MemberFactory(mission=False)
    MissionFactory(member=member, startups=[startup])
    colleague = MemberFactory(mission=False)
    MissionFactory(member=colleague, startups=[startup])
    done = InitiativeFactory(status=InitiativeStatus.DONE)
    hidden = InitiativeFactory(status=InitiativeStatus.IN_PROGRESS, hidden=True)
    InitiativeFactory(status=InitiativeStatus.PAUSED, lead=colleague)
    open_one = InitiativeFactory(status=InitiativeStatus.IN_PROGRESS)
    for initiative in (done, hidden, open_one):
        Participation.objects.create(initiative=initiative, member=colleague)

    assert reasons(member) == {
        f"initiative-{open_one.pk}": "1 personne de votre startup y participe"
    }


def test_an_initiative_i_already_joined_is_not_suggested_even_with_colleagues():
    startup = StartupFactory()
    member = MemberFactory(mission=False)
    MissionFactory(member=member, startups=[startup])
    colleague = MemberFactory(mission=False)
    MissionFactory(member=colleague, startups=[startup])
    initiative = InitiativeFactory()
    Participation.objects.create(initiative=initiative, member=colleague)
    Participation.objects.create(initiative=initiative, member=member)

    assert keys(member) == []


def test_a_group_where_colleagues_are_and_a_club_of_my_domaine_are_suggested():
    startup = StartupFactory()
    member = MemberFactory(mission=False, domaine=Domaine.DESIGN)
    MissionFactory(member=member, startups=[startup])
    colleague = MemberFactory(mission=False)
    MissionFactory(member=colleague, startups=[startup])
    group = WorkingGroup.objects.create(name="Égalité", slug="egalite")
    Membership.objects.create(group=group, member=colleague)
    club = WorkingGroup.objects.create(name="Club design", slug="club-design", kind=GroupKind.CLUB)
    for _i in range(2):
        Membership.objects.create(group=club, member=MemberFactory(domaine=Domaine.DESIGN))
    mine = WorkingGroup.objects.create(name="Déjà", slug="deja")
    Membership.objects.create(group=mine, member=member)
    Membership.objects.create(group=mine, member=colleague)

    assert reasons(member) == {
        f"group-{group.pk}": "1 personne de votre startup en fait partie",
        f"group-{club.pk}": "un club de votre domaine : 2 membres Design y sont",
    }


def test_coming_events_with_places_left_and_empty_slots_are_suggested():
    member = MemberFactory()
    event = EventFactory(capacity=5)
    register(event, MemberFactory())
    full = EventFactory(capacity=1)
    register(full, MemberFactory())
    mine = EventFactory()
    register(mine, member)
    empty = ShiftFactory(event=EventFactory(capacity=None))
    half = ShiftFactory(capacity=2)
    ShiftSignupFactory(shift=half)
    taken = ShiftFactory(capacity=2)
    ShiftSignupFactory(shift=taken, member=member)

    found = reasons(member)

    assert found[f"event-{event.pk}"] == "il reste 4 places"
    assert f"event-{full.pk}" not in found
    assert f"event-{mine.pk}" not in found
    assert found[f"shift-{empty.pk}"] == "personne n’a encore pris ce créneau"
    assert found[f"shift-{half.pk}"] == "il manque encore 1 personne"
    assert f"shift-{taken.pk}" not in found


def test_a_need_many_meet_with_no_initiative_is_suggested():
    member = MemberFactory()
    need = NeedFactory()
    answered = NeedFactory()
    InitiativeFactory(needs=[answered])
    for target in (need, answered):
        for _i in range(12):
            NeedSupport.objects.create(need=target, member=MemberFactory(mission=False))

    assert reasons(member) == {
        f"need-{need.pk}": "12 personnes rencontrent ce besoin et aucune initiative n’y répond"
    }


def test_the_ranking_is_the_same_every_time_the_best_fit_first():
    member = python_developer()
    event = EventFactory(capacity=None)
    shift = ShiftFactory(event=event)
    role = RoleFactory(skill="Python")

    assert keys(member) == [f"role-{role.pk}", f"shift-{shift.pk}", f"event-{event.pk}"]
    assert keys(member) == keys(member)


def _community(size: int, startup):
    for index in range(size):
        colleague = MemberFactory(mission=False)
        MissionFactory(member=colleague, startups=[startup])
        initiative = InitiativeFactory()
        Participation.objects.create(initiative=initiative, member=colleague)
        RoleFactory(initiative=initiative, skill="Python")
        event = EventFactory(capacity=10)
        ShiftFactory(event=event)
        need = NeedFactory()
        NeedSupport.objects.create(need=need, member=colleague)
        group = WorkingGroup.objects.create(name=f"G{size}-{index}", slug=f"g-{size}-{index}")
        Membership.objects.create(group=group, member=colleague)


def test_suggestions_run_a_fixed_number_of_queries_in_a_ten_times_larger_community():
    startup = StartupFactory()
    member = python_developer()
    MissionFactory(member=member, startups=[startup])
    _community(4, startup)
    suggestions_for(member)
    with CaptureQueriesContext(connection) as small:
        few = suggestions_for(member)
    _community(36, startup)
    with CaptureQueriesContext(connection) as large:
        many = suggestions_for(member)

    assert few
    assert len(many) >= len(few)
    assert len(large) == len(small) <= 12


def test_a_member_who_started_a_month_ago_is_a_newcomer():
    member = MemberFactory(mission=False)
    MissionFactory(member=member, start=timezone.localdate() - datetime.timedelta(days=30))
    record(member=member, kind="supported", subject_type="initiative", subject_id=1)

    assert is_newcomer(member)


def test_a_member_of_two_years_with_no_contribution_is_a_newcomer_until_they_act():
    member = MemberFactory()  # mission started a year ago

    assert is_newcomer(member)
    record(member=member, kind="supported", subject_type="initiative", subject_id=1)
    assert not is_newcomer(member)


def test_first_steps_tick_from_the_ledger():
    member = MemberFactory(mission=False)
    MissionFactory(member=member, start=timezone.localdate() - datetime.timedelta(days=10))
    record(member=member, kind="volunteered", subject_type="shift", subject_id=3)
    record(member=member, kind="joined", subject_type="group", subject_id=4)
    record(member=member, kind="registered", subject_type="event", subject_id=5)
    record(member=member, kind="registered", subject_type="event", subject_id=5, undo=True)

    done = {step.step: step.done for step in first_steps(member)}

    assert done == {"event": False, "club": True, "slot": True, "need": False, "competences": False}


def test_first_steps_can_be_put_away():
    member = MemberFactory(mission=False)
    assert first_steps(member)
    first_steps_dismiss(actor=member)
    assert first_steps(member) is None
