from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnboardingConfig(AppConfig):
    name = "ruche.onboarding"
    label = "onboarding"
    verbose_name = _("S’engager")

    def ready(self):
        from ruche.core.registry import (
            AccountSection,
            HomeSection,
            NavItem,
            PageSection,
            PersonalData,
            registry,
        )
        from ruche.onboarding import home, personal_data

        registry.add_nav(
            NavItem(
                label=_("S’engager"),
                url_name="onboarding:engage",
                order=70,
                members_only=True,
            )
        )
        for name, template, build, order in (
            ("onboarding.steps", "onboarding/home/_steps.html", home.steps, 6),
            ("onboarding.needed", "onboarding/home/_needed.html", home.needed, 20),
            ("onboarding.whom", "onboarding/home/_whom.html", home.whom, 45),
        ):
            registry.add_home_section(
                HomeSection(name=name, template=template, build=build, order=order)
            )
        registry.add_account_section(
            AccountSection(
                name="onboarding.time",
                template="onboarding/_account_time.html",
                build=lambda request: {},
                order=20,
            )
        )
        registry.add_page_section(
            PageSection(
                page="members.member",
                name="onboarding.profile",
                template="onboarding/_profile.html",
                build=home.profile,
                order=10,
            )
        )
        registry.add_personal_data(
            PersonalData(
                name="onboarding",
                export=personal_data.export,
                erase=personal_data.erase,
                order=75,
            )
        )
