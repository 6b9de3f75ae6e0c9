from django.apps import AppConfig


class DemoConfig(AppConfig):
    """seed_demo's believable community. The top layer: it uses every app's models and
    services, and no domain app imports it."""

    name = "ruche.demo"
    label = "demo"

    def ready(self):
        from ruche.core.registry import DemoSeeder, registry
        from ruche.demo import events, groups, health, initiatives, members, onboarding

        # Members first: the others sample the members and startups it creates. Health last:
        # its snapshots read what every other seeder wrote.
        for order, name, seed in (
            (0, "members", members.seed),
            (20, "initiatives", initiatives.seed),
            (25, "groups", groups.seed),
            (30, "events", events.seed),
            (50, "onboarding", onboarding.seed),
            (90, "health", health.seed),
        ):
            registry.add_demo_seeder(DemoSeeder(name=name, seed=seed, order=order))
