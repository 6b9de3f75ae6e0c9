"""What demo seeders share. `seed_demo` builds one DemoContext, then calls each registered
DemoSeeder in order (ruche/demo/apps.py): the members seeder first (structures, members,
personas), then one per part of community life."""

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field

# A larger community is several local communities: at scale N, seeders that cannot simply draw
# more (a weekly coffee, a group) repeat their part once per place, so every kind of activity
# grows in proportion. The first place is the one of scale 1.
PLACES = ["Paris", "Lyon", "Nantes", "Lille", "Bordeaux", "Marseille", "Toulouse", "Rennes"]


def place_of(unit: int) -> str:
    """The name of the `unit`-th local community (0 is the original, unnamed)."""
    if unit == 0:
        return ""
    name = PLACES[unit % len(PLACES)]
    rounds = unit // len(PLACES)
    return f"{name} {rounds + 1}" if rounds else name


@dataclass
class DemoContext:
    rng: random.Random
    scale: int
    now: datetime.datetime
    # Filled by the members seeder: primary keys, so later seeders can sample without queries.
    member_ids: list[int] = field(default_factory=list)
    active_member_ids: list[int] = field(default_factory=list)
    animation_team_ids: list[int] = field(default_factory=list)
    newcomer_ids: list[int] = field(default_factory=list)
    # persona key ("newcomer", "member", "animation", "admin") → member pk
    personas: dict[str, int] = field(default_factory=dict)
    startup_ids: list[int] = field(default_factory=list)
    incubator_ids: list[int] = field(default_factory=list)
    # Later seeders may leave what they created here for the ones after them.
    shared: dict = field(default_factory=dict)
    log: Callable[[str], None] = print

    @property
    def whole_scale(self) -> int:
        return max(int(self.scale), 1)

    def member_pool(self, seeder: str, minimum: int) -> list[int]:
        """The members a seeder draws from: the active ones, else everyone. Empty, with a word
        in the log, when there are fewer than `minimum` (the seeder then adds nothing)."""
        pool = list(self.active_member_ids or self.member_ids)
        if len(pool) < minimum:
            self.log(f"{seeder}: fewer than {minimum} members, nothing seeded")
            return []
        return pool
