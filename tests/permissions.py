"""The shape of a permission case. Each tests/<app>/permissions.py exposes `CASES`, a list of
`Case`; tests/test_permissions.py checks that every URL pattern of the site has at least one
case and runs each case as an anonymous visitor, a member, an animation-team member and an
admin.

Statuses: an int, or a tuple of acceptable ints. A page that needs sign-in answers 302 (to the
sign-in page) to anonymous visitors; an API endpoint answers 401.

Adding an app's cases
---------------------
Create tests/<app>/permissions.py (the folder needs an __init__.py) with a module-level
`CASES = [Case(...), ...]`; it is collected by itself. Every named URL pattern needs at least one
case, and every method of an API route (GET and POST of /api/v1/initiatives are two) needs its
own, with `api=True` so the request carries `Authorization: Bearer <token of the role>`.
Patterns of Django's admin (except admin:index) and static/media serving are left out.

    from tests.permissions import Case

    def _initiative(world):
        # world.once builds the object once for the case's URL and data
        initiative = world.once("initiative", lambda w: InitiativeFactory(lead=w.owner))
        return {"pk": initiative.pk}

    CASES = [
        Case("initiatives:initiative-list", anonymous=302, member=200, admin=200),
        # the lead is world.owner; `member` is someone else, so an ordinary member is refused
        Case("initiatives:initiative-status", method="post", kwargs=_initiative,
             data=lambda w: {"status": "in_progress"},
             anonymous=302, member=403, animator=302, admin=302),
        Case("api:initiative_list", api=True, anonymous=401, member=200, admin=200),
        Case("api:initiative_list", method="post", api=True, data=lambda w: {...},
             anonymous=401, member=201, admin=201),
    ]

Each (case, role) runs in its own test with a fresh `World` (owner, member, animator, admin;
the animator has a transverse role, the admin is superuser), so a POST that changes or deletes
something does not affect the other roles. Describe the side an object belongs to with
`world.owner` (leads, organises, owns it) and keep `member` for an unrelated member; add a
second case with the object owned by `world.member` to cover what its owner may do. `query`
is appended to the URL ("q=x&page=2"); for a GET, `data` is sent as query parameters. A GET
that answers 302 to an anonymous visitor must send them to the sign-in page with ?next=.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class World:
    """The people a case can refer to when it builds its URL or data. `owner` is a member who
    leads/organises/owns whatever the case creates; `member` is another, ordinary member."""

    owner: object
    member: object
    animator: object
    admin: object
    cache: dict = field(default_factory=dict)

    def once(self, key: str, build: Callable):
        """Builds an object once per world (cases of one pattern share it)."""
        if key not in self.cache:
            self.cache[key] = build(self)
        return self.cache[key]


@dataclass
class Case:
    url_name: str
    anonymous: int | tuple
    member: int | tuple
    admin: int | tuple
    # Defaults to `member` when not given.
    animator: int | tuple | None = None
    kwargs: Callable[[World], dict] | None = None
    method: str = "get"
    data: Callable[[World], dict] | None = None
    # Sent as an API call: Authorization: Bearer <token of the role> instead of a session.
    api: bool = False
    query: str = ""
