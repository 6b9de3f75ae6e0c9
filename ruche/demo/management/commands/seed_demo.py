import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from ruche.core.registry import registry
from ruche.demo.context import DemoContext
from ruche.members.models import Member


class Command(BaseCommand):
    help = (
        "Fills an empty database with a believable demo community: members, startups, "
        "incubators, the demo personas, then every app's demo data (the seeders apps register)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help="Size of the community: about 3,500 members per unit (default 1).",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (and say so) when the database already has members.",
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed: the same seed gives the same data."
        )

    def handle(self, *, scale, if_empty, seed, **options):
        if scale < 1:
            raise CommandError("--scale must be 1 or more.")
        existing = Member.objects.count()
        if existing:
            if if_empty:
                self.stdout.write(f"The database already has {existing} members: nothing seeded.")
                return
            raise CommandError(
                f"The database already has {existing} members; seed_demo fills an empty "
                "database. Use --if-empty to skip quietly, or start from a new database."
            )
        context = DemoContext(
            rng=random.Random(seed),  # noqa: S311 (demo data, not secrets)
            scale=scale,
            now=timezone.now(),
            log=self.stdout.write,
        )
        started = time.monotonic()
        # All or nothing: a seeder that fails leaves the database empty, so the next
        # `make run` (seed_demo --if-empty) tries again instead of keeping half a community.
        with transaction.atomic():
            for seeder in registry.demo:
                seeder_started = time.monotonic()
                seeder.seed(context)
                seconds = time.monotonic() - seeder_started
                self.stdout.write(f"{seeder.name}: seeded in {seconds:.1f} s")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo community ready ({len(context.member_ids)} members, seed {seed}, "
                f"scale {scale}) in {time.monotonic() - started:.1f} s."
            )
        )
