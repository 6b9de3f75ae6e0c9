"""What the groups app offers the notifications app (discovered at start-up): a group's own chat
room can be a channel scoped to that group. A group's decision is announced with
`ruche.notifications.announcements.announce(topic=Topic.GROUP_DECISION, …, group_id=…)`, in the
transaction that records it."""

from ruche.groups.models import WorkingGroup
from ruche.notifications.enums import Scope
from ruche.notifications.registry import ScopeChoices, register_scope_choices

register_scope_choices(
    ScopeChoices(
        scope=Scope.GROUP,
        choices=lambda: list(WorkingGroup.objects.order_by("name").values_list("pk", "name")),
    )
)
