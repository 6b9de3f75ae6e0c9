import factory

from ruche.groups.enums import GroupKind, MembershipRole
from ruche.groups.models import Membership, WorkingGroup
from tests.factories import MemberFactory


class WorkingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingGroup

    name = factory.Sequence(lambda n: f"Groupe numéro {n}")
    slug = factory.Sequence(lambda n: f"groupe-{n}")
    kind = GroupKind.GROUP
    description = "On améliore l’accueil des nouvelles et nouveaux."


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    group = factory.SubFactory(WorkingGroupFactory)
    member = factory.SubFactory(MemberFactory)
    role = MembershipRole.MEMBER
