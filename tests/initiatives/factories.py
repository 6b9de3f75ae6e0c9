import factory

from ruche.initiatives.enums import InitiativeKind, InitiativeStatus, LeadRole
from ruche.initiatives.models import (
    CallForHelp,
    Comment,
    Initiative,
    InitiativeLead,
    Need,
    StatusChange,
)
from tests.factories import MemberFactory


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Need

    title = factory.Sequence(lambda n: f"Un problème rencontré numéro {n}")
    description = "On le rencontre chaque semaine."
    author = factory.SubFactory(MemberFactory)


class InitiativeFactory(factory.django.DjangoModelFactory):
    """An initiative with its proposer as lead (pass lead=… to choose them) and the first step
    of its timeline. Rows go straight in: tests of the services call the services."""

    class Meta:
        model = Initiative
        skip_postgeneration_save = True

    class Params:
        lead = factory.SubFactory(MemberFactory)

    title = factory.Sequence(lambda n: f"Initiative numéro {n}")
    kind = InitiativeKind.EVENT
    summary = "Se retrouver entre membres de la communauté."
    description = "Le détail de l’initiative."
    status = InitiativeStatus.IDEA
    proposer = factory.SelfAttribute("lead")

    @factory.post_generation
    def _lead_link(self, create, extracted, **kwargs):
        if not create or self.proposer is None:
            return
        InitiativeLead.objects.create(initiative=self, member=self.proposer, role=LeadRole.PROPOSER)
        StatusChange.objects.create(
            initiative=self, actor=self.proposer, at=self.created_at, to_status=self.status
        )

    @factory.post_generation
    def needs(self, create, extracted, **kwargs):
        if create and extracted:
            self.needs.set(extracted)


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CallForHelp

    initiative = factory.SubFactory(InitiativeFactory)
    label = factory.Sequence(lambda n: f"Rôle {n}")
    count = 2


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    initiative = factory.SubFactory(InitiativeFactory)
    author = factory.SubFactory(MemberFactory)
    body = "Bonne idée !"
