"""Events: publishing and changing them, registrations with a waiting list, volunteer slots,
invited speakers, personal calendar feeds and reminders. One module per aggregate; callers use
this package (`from ruche.events import services`)."""

from ruche.events.services.agenda import (
    calendar_feed_create,
    calendar_feed_member,
    calendar_feed_revoke,
    events_tomorrow_announce,
    preferences_for,
    preferences_update,
    reminders_send,
)
from ruche.events.services.common import can_manage, can_view, event_context
from ruche.events.services.events import event_cancel, event_create, event_update
from ruche.events.services.registrations import (
    rsvp_attendance_set,
    rsvp_cancel,
    rsvp_register,
)
from ruche.events.services.shifts import (
    shift_create,
    shift_delete,
    shift_signup,
    shift_swap_accept,
    shift_swap_offer,
    shift_withdraw,
)
from ruche.events.services.speakers import (
    speaker_answer,
    speaker_find,
    speaker_invite,
    speaker_reinvite,
    speaker_remove,
)

__all__ = [
    "calendar_feed_create",
    "calendar_feed_member",
    "calendar_feed_revoke",
    "can_manage",
    "can_view",
    "event_cancel",
    "event_context",
    "event_create",
    "event_update",
    "events_tomorrow_announce",
    "preferences_for",
    "preferences_update",
    "reminders_send",
    "rsvp_attendance_set",
    "rsvp_cancel",
    "rsvp_register",
    "shift_create",
    "shift_delete",
    "shift_signup",
    "shift_swap_accept",
    "shift_swap_offer",
    "shift_withdraw",
    "speaker_answer",
    "speaker_find",
    "speaker_invite",
    "speaker_reinvite",
    "speaker_remove",
]
