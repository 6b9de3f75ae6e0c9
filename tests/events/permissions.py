"""Who may open each page and call each API route of the events app. `owner` organises the
events built here; `member` is someone else; the animation team and admins manage any event."""

import datetime

from tests.permissions import Case

SECRET = "un-secret-de-test-pour-l-intervenant-0123456789"


def _event(world, *, public=True, past=False, series=False):
    def build(w):
        from ruche.events.services.events import event_create
        from tests.events.factories import EventFactory, in_days

        if series:
            start = in_days(8, hour=9)
            return event_create(
                actor=w.owner,
                title="Café du mardi",
                kind="cafe",
                start=start,
                end=start + datetime.timedelta(hours=1),
                location="Ségur",
                is_public=True,
                recurrence="FREQ=WEEKLY;COUNT=3",
            )
        start = in_days(-3 if past else 7)
        return EventFactory(created_by=w.owner, is_public=public, start=start)

    return world.once(f"event-{public}-{past}-{series}", build)


def event(**options):
    return lambda w: {"pk": _event(w, **options).pk}


def _registered(w):
    """The owner's event, with `member` registered."""
    from ruche.events.services.registrations import rsvp_register

    event = _event(w)
    w.once("rsvp", lambda w: rsvp_register(actor=w.member, event=event))
    return event


def _group(w):
    from tests.groups.factories import MembershipFactory

    return w.once("group", lambda w: MembershipFactory(member=w.owner).group)


def _shift(w):
    from tests.events.factories import ShiftFactory

    return w.once("shift", lambda w: ShiftFactory(event=_event(w), capacity=3))


def _held_shift(w):
    """A slot `member` holds."""
    from ruche.events.services.shifts import shift_signup

    shift = _shift(w)
    w.once("signup-member", lambda w: shift_signup(actor=w.member, shift=shift))
    return shift


def _offered_signup(w):
    """The owner's place on a slot, offered to anyone."""
    from ruche.events.services.shifts import shift_signup, shift_swap_offer

    shift = _shift(w)

    def build(w):
        shift_signup(actor=w.owner, shift=shift)
        return shift_swap_offer(actor=w.owner, shift=shift)

    return w.once("offered", build)


def _speaker(w):
    from ruche.core.secrets import hash_secret
    from ruche.events.models import Speaker

    return w.once(
        "speaker",
        lambda w: Speaker.objects.create(
            event=_event(w),
            name="Ada Lovelace",
            email="ada@example.org",
            token_hash=hash_secret(SECRET),
            invited_by=w.owner,
        ),
    )


def _feed_secret(w):
    from ruche.events.services.agenda import calendar_feed_create

    return w.once("feed", lambda w: calendar_feed_create(actor=w.owner))


def _new_event(world):
    start = (datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=20)).replace(
        microsecond=0
    )
    return {
        "title": "Apéro de printemps",
        "kind": "apero",
        "start": start.strftime("%Y-%m-%dT%H:%M"),
        "end": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "location": "Ségur",
    }


def _edited_event(world):
    from django.utils import timezone

    event = _event(world)
    return {
        "title": "Apéro renommé",
        "kind": event.kind,
        "start": timezone.localtime(event.start).strftime("%Y-%m-%dT%H:%M"),
        "end": timezone.localtime(event.end).strftime("%Y-%m-%dT%H:%M"),
        "location": event.location,
    }


MANAGE = {"anonymous": 302, "member": 403, "animator": 200, "admin": 200}
MANAGE_POST = {"anonymous": 302, "member": 403, "animator": 302, "admin": 302}
OPEN = {"anonymous": 200, "member": 200, "admin": 200}
MEMBERS = {"anonymous": 302, "member": 200, "admin": 200}
POST = {"method": "post", "anonymous": 302, "member": 302, "admin": 302}

CASES = [
    Case("events:event-list", **OPEN),
    Case("events:event-list", query="kind=apero&audience=public&incubator=x", **OPEN),
    Case("events:event-past", **OPEN),
    Case("events:month-current", **OPEN),
    Case("events:event-month", kwargs=lambda w: {"year": 2027, "month": 2}, **OPEN),
    Case(
        "events:event-month",
        kwargs=lambda w: {"year": 2027, "month": 13},
        anonymous=404,
        member=404,
        admin=404,
    ),
    Case("events:subscribe", **OPEN),
    Case("events:event-feed", **OPEN),
    Case("events:public-calendar", **OPEN),
    # A group's calendar holds its public events only: anyone may subscribe.
    Case("events:group-calendar", kwargs=lambda w: {"slug": _group(w).slug}, **OPEN),
    # The secret in the URL is the credential: calendar clients do not sign in.
    Case(
        "events:personal-calendar",
        kwargs=lambda w: {"secret": _feed_secret(w)},
        **OPEN,
    ),
    Case(
        "events:personal-calendar",
        kwargs=lambda w: {"secret": "inconnu"},
        anonymous=404,
        member=404,
        admin=404,
    ),
    Case("events:event-create", **MEMBERS),
    Case("events:event-create", data=_new_event, **POST),
    Case("events:event-detail", kwargs=event(), **OPEN),
    Case("events:event-detail", kwargs=event(public=False), **MEMBERS),
    Case("events:event-detail", kwargs=lambda w: {"pk": 0}, anonymous=404, member=404, admin=404),
    Case("events:event-ics", kwargs=event(), **OPEN),
    Case("events:event-ics", kwargs=event(public=False), **MEMBERS),
    Case("events:series-ics", kwargs=event(series=True), **OPEN),
    Case("events:series-ics", kwargs=event(), anonymous=404, member=404, admin=404),
    Case("events:event-edit", kwargs=event(), **MANAGE),
    Case("events:event-edit", kwargs=event(), method="post", data=_edited_event, **MANAGE_POST),
    Case("events:event-cancel", kwargs=event(), **MANAGE),
    Case("events:event-cancel", kwargs=event(), method="post", **MANAGE_POST),
    Case("events:event-registrations", kwargs=event(), **MANAGE),
    Case(
        "events:event-registrations",
        kwargs=event(past=True),
        method="post",
        data=lambda w: {"present": []},
        **MANAGE_POST,
    ),
    Case("events:event-registrations-csv", kwargs=event(), **MANAGE),
    Case("events:event-speakers", kwargs=event(), **MANAGE),
    Case(
        "events:event-speakers",
        kwargs=event(),
        method="post",
        data=lambda w: {"name": "Ada Lovelace", "email": "ada@example.org"},
        **MANAGE_POST,
    ),
    Case(
        "events:speaker-reinvite",
        kwargs=lambda w: {"pk": _event(w).pk, "speaker_pk": _speaker(w).pk},
        method="post",
        **MANAGE_POST,
    ),
    Case(
        "events:speaker-remove",
        kwargs=lambda w: {"pk": _event(w).pk, "speaker_pk": _speaker(w).pk},
        method="post",
        **MANAGE_POST,
    ),
    # The invited person answers through their private link, signed in or not.
    Case("events:speaker-answer", kwargs=lambda w: {"secret": _speaker(w) and SECRET}, **OPEN),
    Case(
        "events:speaker-answer",
        kwargs=lambda w: {"secret": _speaker(w) and SECRET},
        method="post",
        data=lambda w: {"answer": "yes", "bio": "Pionnière."},
        anonymous=302,
        member=302,
        admin=302,
    ),
    Case(
        "events:speaker-answer",
        kwargs=lambda w: {"secret": "faux"},
        anonymous=404,
        member=404,
        admin=404,
    ),
    Case("events:event-shifts", kwargs=event(), **MANAGE),
    Case(
        "events:event-shifts",
        kwargs=event(),
        method="post",
        data=lambda w: {
            "label": "Accueil",
            "capacity": 2,
            "start_time": "17:30",
            "end_time": "18:00",
        },
        **MANAGE_POST,
    ),
    Case("events:rsvp-register", kwargs=event(), **POST),
    Case("events:rsvp-register", kwargs=event(), anonymous=302, member=405, admin=405),
    Case("events:rsvp-cancel", kwargs=lambda w: {"pk": _registered(w).pk}, **POST),
    Case("events:shift-signup", kwargs=lambda w: {"pk": _shift(w).pk}, **POST),
    Case("events:shift-withdraw", kwargs=lambda w: {"pk": _held_shift(w).pk}, **POST),
    Case("events:shift-swap-offer", kwargs=lambda w: {"pk": _held_shift(w).pk}, **POST),
    Case("events:shift-swap-accept", kwargs=lambda w: {"pk": _offered_signup(w).pk}, **POST),
    Case(
        "events:shift-delete",
        kwargs=lambda w: {"pk": _shift(w).pk},
        method="post",
        **MANAGE_POST,
    ),
    Case("events:my-agenda", **MEMBERS),
    Case("events:my-agenda", data=lambda w: {"reminders": ""}, **POST),
    Case("events:feed-create", method="post", anonymous=302, member=200, admin=200),
    Case("events:feed-create", anonymous=302, member=405, admin=405),
    Case("events:feed-revoke", **POST),
]


def _api_event(w):
    start = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=20)
    return {
        "title": "Démo de Cantine Verte",
        "kind": "demo",
        "start": start.isoformat(),
        "end": (start + datetime.timedelta(hours=1)).isoformat(),
        "online_url": "https://webinaire.numerique.gouv.fr/demo",
        "capacity": 30,
        "public": True,
    }


API = {"api": True, "anonymous": 401}
CASES += [
    Case("api:event_list", member=200, admin=200, **API),
    Case(
        "api:event_list",
        query="kind=apero&q=apéro&from=2020-01-01T00:00:00Z",
        member=200,
        admin=200,
        **API,
    ),
    Case("api:event_list", method="post", data=_api_event, member=201, admin=201, **API),
    Case(
        "api:event_detail",
        kwargs=lambda w: {"event_id": _event(w).pk},
        member=200,
        admin=200,
        **API,
    ),
    Case(
        "api:event_detail",
        kwargs=lambda w: {"event_id": _event(w).pk},
        method="patch",
        data=lambda w: {"title": "Apéro renommé"},
        member=403,
        animator=200,
        admin=200,
        **API,
    ),
    Case(
        "api:event_rsvp",
        kwargs=lambda w: {"event_id": _event(w).pk},
        method="post",
        member=200,
        admin=200,
        **API,
    ),
    # Only `member` is registered: the others have nothing to cancel.
    Case(
        "api:event_rsvp",
        kwargs=lambda w: {"event_id": _registered(w).pk},
        method="delete",
        member=204,
        animator=400,
        admin=400,
        **API,
    ),
    Case(
        "api:shift_list",
        kwargs=lambda w: {"event_id": _shift(w).event_id},
        member=200,
        admin=200,
        **API,
    ),
    Case(
        "api:shift_signup",
        kwargs=lambda w: {"shift_id": _shift(w).pk},
        method="post",
        member=201,
        admin=201,
        **API,
    ),
    Case(
        "api:shift_signup",
        kwargs=lambda w: {"shift_id": _held_shift(w).pk},
        method="delete",
        member=204,
        animator=400,
        admin=400,
        **API,
    ),
]
