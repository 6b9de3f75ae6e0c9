"""The agenda at the size of a busy community: 3,000 events over two years (four weekly series of
100 dates among them) and 40,000 registrations; a working group of 100 members holds one series
and 200 other events. Times the pages and feeds through the whole Django stack (test client),
the weekly digest for every member, and registrations one after another through the service
(each locks the event row, so this is the ceiling for one event under a rush)."""

import datetime
import random
import statistics
import time

from django.conf import settings
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from ruche.events.enums import EventKind, RsvpStatus
from ruche.events.models import Event, EventSeries, Rsvp
from ruche.events.recurrence import parse_rule
from ruche.events.services.agenda import calendar_feed_create
from ruche.events.services.registrations import rsvp_register
from ruche.groups.models import Membership, WorkingGroup
from ruche.members.models import Member
from ruche.notifications import digest as notifications

SINGLE_EVENTS = 2_600
SERIES = 4
MEMBERS = 400
RUNS = 15
RUSH = 300


def build() -> tuple[list[Member], Member, WorkingGroup]:
    rng = random.Random(4)  # noqa: S311 — reproducible data, not secrets
    members = Member.objects.bulk_create(
        [
            Member(
                email=f"bench.events.{n}@beta.gouv.fr",
                display_name=f"Membre {n}",
                betagouv_id=f"bench.events.{n}",
            )
            for n in range(MEMBERS)
        ]
    )
    organiser = members[0]
    now = timezone.now()
    kinds = list(EventKind.values)
    events = []
    for n in range(SINGLE_EVENTS):
        start = now + datetime.timedelta(hours=rng.randint(-24 * 365, 24 * 365))
        events.append(
            Event(
                title=f"Événement {n}",
                kind=rng.choice(kinds),
                start=start,
                end=start + datetime.timedelta(hours=2),
                location="Ségur",
                capacity=rng.choice([None, 20, 50]),
                is_public=rng.random() < 0.5,
                created_by=organiser,
            )
        )
    for n in range(SERIES):
        first = now - datetime.timedelta(days=350 - n)
        rule = parse_rule("FREQ=WEEKLY;COUNT=100", start=first)
        dates = rule.occurrences(first)
        series = EventSeries.objects.create(
            rrule=rule.as_text(), dtstart=dates[0], created_by=organiser
        )
        events += [
            Event(
                title=f"Café {n}",
                kind=EventKind.CAFE,
                start=date,
                end=date + datetime.timedelta(hours=1),
                location="Ségur",
                is_public=True,
                created_by=organiser,
                series=series,
                recurrence_id=date,
            )
            for date in dates
        ]
    Event.objects.bulk_create(events, batch_size=2000)
    Through = Event.organisers.through
    Through.objects.bulk_create(
        [Through(event_id=e.pk, member_id=organiser.pk) for e in events], batch_size=5000
    )
    rsvps = []
    for event in events:
        people = rng.sample(members, 13)
        for number, member in enumerate(people, start=1):
            confirmed = event.capacity is None or number <= event.capacity
            rsvps.append(
                Rsvp(
                    event=event,
                    member=member,
                    queue_number=number,
                    status=RsvpStatus.CONFIRMED if confirmed else RsvpStatus.WAITLISTED,
                )
            )
    Rsvp.objects.bulk_create(rsvps, batch_size=5000)
    group = WorkingGroup.objects.create(name="Groupe du banc d’essai", slug="banc-d-essai")
    Membership.objects.bulk_create([Membership(group=group, member=m) for m in members[:100]])
    Event.objects.filter(pk__in=[e.pk for e in events[:200]]).update(group=group)
    Event.objects.filter(series__in=EventSeries.objects.order_by("pk")[:1]).update(group=group)
    return members, organiser, group


def _median_ms(client: Client, url: str) -> tuple[float, float, int]:
    """(first request, median of the next RUNS, size): the first one fills caches."""
    started = time.perf_counter()
    response = client.get(url, secure=True)
    first = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (url, response.status_code)
    timings = []
    for _run in range(RUNS):
        started = time.perf_counter()
        response = client.get(url, secure=True)
        timings.append((time.perf_counter() - started) * 1000)
    return first, statistics.median(timings), len(response.content)


def run(bench) -> None:
    # Pages render as in production, but without collectstatic's manifest.
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        _run(bench)


def _run(bench) -> None:
    with bench.measure(f"build {SINGLE_EVENTS + SERIES * 100:,} events and their registrations"):
        members, organiser, group = build()
    bench.note(f"{Event.objects.count():,} events, {Rsvp.objects.count():,} registrations")
    member = members[1]
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(member)
    secret = calendar_feed_create(actor=organiser)
    group_member_secret = calendar_feed_create(actor=member)
    cache.clear()
    today = timezone.localdate()
    pages = [
        ("agenda, first page (signed in)", reverse("events:event-list")),
        ("agenda filtered by kind", reverse("events:event-list") + "?kind=cafe"),
        ("month view", reverse("events:event-month", args=[today.year, today.month])),
        ("past events", reverse("events:event-past")),
        ("one event", Event.objects.filter(series__isnull=False).first().get_absolute_url()),
        ("public agenda (.ics)", reverse("events:public-calendar")),
        ("organiser's personal feed (.ics)", reverse("events:personal-calendar", args=[secret])),
        (
            "a group member's personal feed (.ics)",
            reverse("events:personal-calendar", args=[group_member_secret]),
        ),
        ("a working group's calendar (.ics)", reverse("events:group-calendar", args=[group.slug])),
        ("Atom feed", reverse("events:event-feed")),
    ]
    for label, url in pages:
        first, median, size = _median_ms(client, url)
        bench.note(
            f"{label}: first {first:.0f} ms, then median {median:.1f} ms over {RUNS} runs "
            f"({size / 1024:.0f} KiB)"
        )

    _digest(bench, members)

    start = timezone.now() + datetime.timedelta(days=30)
    rush = Event.objects.create(
        title="Apéro très demandé",
        kind=EventKind.APERO,
        start=start,
        end=start + datetime.timedelta(hours=2),
        location="Ségur",
        capacity=100,
        created_by=organiser,
    )
    started = time.perf_counter()
    for person in members[:RUSH]:
        rsvp_register(actor=person, event=rush)
    elapsed = time.perf_counter() - started
    bench.note(
        f"{RUSH} registrations in a row to one 100-place event: {elapsed:.2f} s "
        f"({elapsed / RUSH * 1000:.1f} ms each, ledger row included)"
    )


def _digest(bench, members) -> None:
    """The weekly digest for every member (all signed in once), at its Monday 8:30."""
    Member.objects.filter(pk__in=[m.pk for m in members]).update(last_login=timezone.now())
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    moment = datetime.datetime.combine(
        monday, datetime.time(8, 30), tzinfo=timezone.get_current_timezone()
    )
    started = time.perf_counter()
    sent = notifications.digest_send(now=moment)
    elapsed = time.perf_counter() - started
    bench.note(
        f"weekly digest: {sent} e-mails queued for {len(members)} members in {elapsed:.2f} s "
        f"({elapsed / max(len(members), 1) * 1000:.1f} ms per member)"
    )
