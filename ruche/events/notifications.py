"""What the events app tells people, and its sections of the weekly digest (discovered by
ruche.notifications at start-up)."""

from django.utils.translation import gettext_lazy as _

from ruche.events import digest
from ruche.events.services.speakers import speaker_invitation_mint
from ruche.notifications.enums import Category
from ruche.notifications.registry import (
    DigestSection,
    NotificationKind,
    register,
    register_digest_section,
)

register(
    NotificationKind(
        name="events.rsvp_promoted",
        subject=_("Une place s’est libérée : vous êtes inscrit·e à « {title} »"),
        email_template="events/email/rsvp_promoted.txt",
        category=Category.EVENTS,
        # Cannot be switched off: a member must not miss it.
        always=True,
    )
)
register(
    NotificationKind(
        name="events.rsvp_waitlisted",
        subject=_("« {title} » a moins de places : vous êtes en liste d’attente"),
        email_template="events/email/rsvp_waitlisted.txt",
        category=Category.EVENTS,
    )
)
register(
    NotificationKind(
        name="events.changed",
        subject=_("« {title} » change de date ou de lieu"),
        email_template="events/email/event_changed.txt",
        category=Category.EVENTS,
    )
)
register(
    NotificationKind(
        name="events.cancelled",
        subject=_("Annulation : « {title} »"),
        email_template="events/email/event_cancelled.txt",
        category=Category.EVENTS,
        # Cannot be switched off: a member must not miss it.
        always=True,
    )
)
register(
    NotificationKind(
        name="events.reminder",
        subject=_("Rappel : « {title} », {when}"),
        email_template="events/email/reminder.txt",
        category=Category.EVENTS,
    )
)
register(
    NotificationKind(
        name="events.shift_reminder",
        subject=_("Rappel : votre créneau « {label} », {when}"),
        email_template="events/email/shift_reminder.txt",
        category=Category.ROTA,
    )
)
register(
    NotificationKind(
        name="events.speaker_invitation",
        subject=_("Invitation à intervenir : « {title} »"),
        email_template="events/email/speaker_invitation.txt",
        in_app=False,
        category=Category.EVENTS,
        # Cannot be switched off: a member must not miss it.
        always=True,
        # The speaker's private link is minted when the e-mail is written.
        at_send=speaker_invitation_mint,
    )
)
register(
    NotificationKind(
        name="events.speaker_answered",
        subject=_("{name} a répondu à votre invitation pour « {title} »"),
        email_template="events/email/speaker_answered.txt",
        category=Category.EVENTS,
    )
)
register(
    NotificationKind(
        name="events.shift_swap_taken",
        subject=_("{name} reprend votre créneau « {label} »"),
        email_template="events/email/shift_swap_taken.txt",
        category=Category.ROTA,
    )
)
register(
    NotificationKind(
        name="events.new_public_event",
        subject=_("Nouvel événement : « {title} », {when}"),
        email_template="events/email/new_public_event.txt",
        category=Category.NEWS,
    )
)
register_digest_section(
    DigestSection(
        name="events.my_events",
        order=10,
        template="events/email/digest_my_events.txt",
        html_template="events/email/digest_my_events.html",
        category=Category.EVENTS,
        prepare=digest.my_events_prepare,
        build=digest.my_events_build,
    )
)
register_digest_section(
    DigestSection(
        name="events.open_shifts",
        order=20,
        template="events/email/digest_open_shifts.txt",
        html_template="events/email/digest_open_shifts.html",
        category=Category.ROTA,
        community=True,
        prepare=digest.open_shifts_prepare,
        build=digest.open_shifts_build,
    )
)
register_digest_section(
    DigestSection(
        name="events.places_left",
        order=25,
        template="events/email/digest_places_left.txt",
        html_template="events/email/digest_places_left.html",
        prepare=digest.places_left_prepare,
        build=digest.places_left_build,
        category=Category.NEWS,
        community=True,
    )
)
