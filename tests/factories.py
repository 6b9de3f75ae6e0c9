import datetime

import factory
from django.utils import timezone

from ruche.members.enums import Domaine, MissionStatus
from ruche.members.models import Incubator, Member, Mission, Organisation, Startup


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"organisation-{n}")
    name = factory.Sequence(lambda n: f"Direction numéro {n}")


class IncubatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Incubator
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"incubateur-{n}")
    title = factory.Sequence(lambda n: f"Incubateur {n}")


class StartupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Startup
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"startup-{n}")
    name = factory.Sequence(lambda n: f"Startup {n}")
    pitch = "Simplifier une démarche administrative."
    incubator = factory.SubFactory(IncubatorFactory)


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member
        skip_postgeneration_save = True

    betagouv_id = factory.Sequence(lambda n: f"prenom.nom{n}")
    email = factory.LazyAttribute(lambda m: f"{m.betagouv_id}@beta.gouv.fr")
    display_name = factory.Sequence(lambda n: f"Prénom Nom{n}")
    domaine = Domaine.DEVELOPPEMENT
    role = "Développeur·se"

    @factory.post_generation
    def mission(self, create, extracted, **kwargs):
        """A running mission by default, started a year ago; pass mission=False for none."""
        if not create or extracted is False:
            return
        MissionFactory(member=self, **kwargs)


class MissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mission
        skip_postgeneration_save = True

    member = factory.SubFactory(MemberFactory, mission=False)
    start = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=365))
    end = None
    status = MissionStatus.INDEPENDENT
    employer = "Une entreprise"

    @factory.post_generation
    def startups(self, create, extracted, **kwargs):
        if not create:
            return
        self.startups.set(extracted if extracted is not None else [StartupFactory()])
