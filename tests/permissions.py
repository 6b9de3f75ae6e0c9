"""The shape of a permission case. Each tests/<app>/permissions.py exposes `CASES`, a list of
`Case`; tests/test_permissions.py checks that every URL pattern of the site has at least one
case and runs each case as an anonymous visitor, a member, an animation-team member and an
admin.

Statuses: an int, or a tuple of acceptable ints. A page that needs sign-in answers 302 (to the
sign-in page) to anonymous visitors; an API endpoint answers 401.
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
