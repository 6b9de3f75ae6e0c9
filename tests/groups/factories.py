import datetime

import factory
from django.utils import timezone

from ruche.groups.enums import CONSENT_OPTIONS, GroupKind, MembershipRole
from ruche.groups.models import Decision, Membership, Proposal, WorkingGroup
from tests.factories import MemberFactory


class WorkingGroupFactory(factory.django.DjangoModelFactory):
    """A group; pass lead=… to give it a lead (rows go straight in: tests of the services call
    the services)."""

    class Meta:
        model = WorkingGroup
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Groupe numéro {n}")
    slug = factory.Sequence(lambda n: f"groupe-{n}")
    kind = GroupKind.GROUP
    description = "On améliore l’accueil des nouvelles et nouveaux."
    mandate = "Écrire le guide d’accueil et l’essayer avec trois promotions."

    @factory.post_generation
    def lead(self, create, extracted, **kwargs):
        if create and extracted:
            Membership.objects.create(group=self, member=extracted, role=MembershipRole.LEAD)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    group = factory.SubFactory(WorkingGroupFactory)
    member = factory.SubFactory(MemberFactory)
    role = MembershipRole.MEMBER


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal

    group = factory.SubFactory(WorkingGroupFactory)
    author = factory.SubFactory(MemberFactory)
    question = factory.Sequence(lambda n: f"Adopte-t-on la charte numéro {n} ?")
    context = "La charte a été relue en réunion."
    options = factory.LazyFunction(lambda: list(CONSENT_OPTIONS))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    group = factory.SubFactory(WorkingGroupFactory)
    title = factory.Sequence(lambda n: f"Décision numéro {n}")
    rationale = "Parce que."
    decided_on = factory.LazyFunction(timezone.localdate)
