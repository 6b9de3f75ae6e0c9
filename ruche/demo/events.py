"""Demo data: two years of community life in the agenda, and three months ahead. A weekly coffee
with its rota, monthly apéros, talks with invited speakers, quarterly forums, workshops and
demos, working groups meeting every two weeks; realistic registrations (busy apéros with a
waiting list, attendance marked on past events), a few cancellations and one moved coffee. Rows
are bulk-created for speed; every act goes to the Contribution ledger with the member's context
at the time of the act."""

import datetime
import functools
from typing import Any

from dateutil.easter import easter
from django.utils import timezone

from ruche.core.secrets import hash_secret, new_secret
from ruche.demo.context import DemoContext, place_of
from ruche.engagement.enums import ContributionKind, SubjectType
from ruche.engagement.services import ContributionBatch
from ruche.events.enums import EventKind, EventStatus, RsvpStatus, SpeakerStatus
from ruche.events.models import Event, EventSeries, Rsvp, Shift, ShiftSignup, Speaker
from ruche.events.recurrence import PARIS, parse_rule
from ruche.events.services.agenda import REMINDER_LEAD
from ruche.groups.enums import GroupKind, MembershipRole
from ruche.groups.models import Membership, WorkingGroup
from ruche.initiatives.models import Initiative
from ruche.members.models import Member

CHANGED_FIELDS = [
    "status",
    "cancelled_at",
    "cancellation_message",
    "sequence",
    "start",
    "end",
    "location",
]
PLACE = "DINUM, 20 avenue de Ségur, 75007 Paris"
VISIO = "https://webinaire.numerique.gouv.fr/meeting/signin/ruche"

TALKS = [
    ("Midi de l’accessibilité : le RGAA sans douleur", "Retour d’expérience d’un audit."),
    ("Causerie produit : dire non à une fonctionnalité", "Comment prioriser sans frustrer."),
    ("Midi de la data : publier ses données en open data", "Formats, licences, data.gouv.fr."),
    ("Le design system de l’État, deux ans après", "Ce qui marche, ce qui manque."),
    ("Sécurité : ce que l’ANSSI attend d’une startup d’État", "Homologation, en pratique."),
    ("Déployer dans les territoires : retours de terrain", "Trois équipes racontent."),
    ("Mesurer l’impact d’un service public numérique", "Au-delà du nombre de visites."),
    ("Écoconception : alléger nos services", "Le référentiel RGESN appliqué."),
]
WORKSHOPS = [
    (EventKind.WORKSHOP, "Atelier : écrire une fiche produit claire"),
    (EventKind.WORKSHOP, "Atelier : faciliter une rétrospective"),
    (EventKind.WORKSHOP, "Atelier : tests utilisateurs en une journée"),
    (EventKind.DEMO, "Démo : les nouveautés de Cantine Verte"),
    (EventKind.DEMO, "Démo : un formulaire accessible de bout en bout"),
    (EventKind.OTHER, "Balade à vélo entre incubateurs"),
]
SPEAKERS = [
    ("Claire Fontaine", "Chercheuse en design de services publics."),
    ("Mehdi Benali", "Responsable de la sécurité des systèmes d’information."),
    ("Sophie Nguyen", "Experte accessibilité, autrice d’un guide sur le RGAA."),
    ("Julien Marchand", "Administrateur des données dans un ministère."),
    ("Nadia Haddad", "Élue d’une communauté de communes, utilisatrice de nos services."),
    ("Thomas Girard", "Designer, ancien membre de la communauté."),
]


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=PARIS)


@functools.cache
def public_holidays(year: int) -> frozenset[datetime.date]:
    """France's public holidays: the fixed ones, and Easter Monday, Ascension, Whit Monday."""
    fixed = [(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)]
    sunday = easter(year)
    moving = [sunday + datetime.timedelta(days=days) for days in (1, 39, 50)]
    return frozenset([datetime.date(year, month, day) for month, day in fixed] + moving)


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in public_holidays(day.year)


def _working_day(day: datetime.date) -> datetime.date:
    """`day`, or the first working day after it: the community meets on working days."""
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


class _Agenda:
    """Builds events, then their organisers, registrations, slots and ledger acts."""

    def __init__(self, context: DemoContext, pool: list[int], place: str = ""):
        self.context = context
        # Named after its local community, except the first (see `place_of`).
        self.place = place
        self.rng = context.rng
        self.now = context.now
        self.pool = pool
        self.events: list[Event] = []
        self.organisers: dict[int, list[int]] = {}
        self.series_of: dict[int, EventSeries] = {}

    def event(self, *, organisers, **fields) -> Event:
        created = fields.pop("created_at", None) or max(
            fields["start"] - datetime.timedelta(days=self.rng.randint(10, 45)),
            self.now - datetime.timedelta(days=760),
        )
        if self.place:
            fields["title"] = f"{fields['title']} — {self.place}"
        # Any: it carries `demo_organisers` (and `demo_series`) for the seeders after this one.
        event: Any = Event(created_by_id=organisers[0], created_at=min(created, self.now), **fields)
        self.events.append(event)
        event.demo_organisers = organisers
        return event

    def series(self, *, rrule: str, first: datetime.datetime, duration, organisers, **fields):
        rule = parse_rule(rrule, start=first)
        dates = rule.occurrences(first)
        created_at = min(dates[0] - datetime.timedelta(days=20), self.now)
        series: Any = EventSeries(  # carries `demo_occurrences`
            rrule=rule.as_text(),
            dtstart=dates[0],
            created_by_id=organisers[0],
            created_at=created_at,
        )
        series.demo_occurrences = [
            self.event(
                organisers=organisers,
                start=date,
                end=date + duration,
                recurrence_id=date,
                created_at=created_at,
                **fields,
            )
            for date in dates
        ]
        for occurrence in series.demo_occurrences:
            occurrence.demo_series = series
        return series


def _members_sample(rng, pool, count, exclude=()):
    candidates = [m for m in pool if m not in exclude]
    return rng.sample(candidates, min(count, len(candidates)))


def seed(context: DemoContext) -> None:
    """The agenda of each local community (see `place_of`): scale N has N coffees a week, N
    apéros a month and so on, each with its own members, so registrations, slots and ledger
    rows grow in proportion."""
    pool = context.member_pool("events", minimum=10)
    if not pool:
        return
    groups_by_unit = context.shared.get("group_ids_by_unit") or [context.shared.get("group_ids")]
    context.shared["event_ids"] = []
    for unit in range(context.whole_scale):
        group_ids = groups_by_unit[unit] if unit < len(groups_by_unit) else []
        _seed_place(context, pool, unit, group_ids or [])


def _seed_place(context: DemoContext, everyone: list[int], unit: int, group_ids: list[int]):
    rng = context.rng
    pool = rng.sample(everyone, min(len(everyone), 400))
    personas = context.personas if unit == 0 else {}
    for key in ("member", "newcomer", "animation"):
        if personas.get(key) and personas[key] not in pool:
            pool.append(personas[key])
    animators = list(context.animation_team_ids) or pool[:3]
    agenda = _Agenda(context, pool, place_of(unit))
    today = timezone.localdate(context.now)
    begin = today - datetime.timedelta(days=730)
    horizon = today + datetime.timedelta(days=90)

    coffee, apero = _plan_series(agenda, animators, personas, begin, horizon)
    talks = _plan_talks(agenda, begin, horizon, 1)
    forums = _plan_forums(agenda, animators, begin, horizon)
    group_series, group_members = _plan_group_meetings(agenda, begin, horizon, group_ids)
    _plan_workshops(agenda, begin, horizon, 1)
    series_list = [coffee, apero, *group_series]
    _save_events(agenda, series_list)
    ledger = ContributionBatch(set(pool) | set(animators) | group_members)
    _record_organisers(agenda, ledger)
    _cancel_and_move(agenda, talks, series_list)
    rsvps = _register(agenda, ledger, personas.get("member"))
    shifts = _plan_rota(coffee, forums)
    signups = _volunteer(agenda, shifts, ledger, personas.get("newcomer"))
    speakers = _invite_speakers(agenda, talks, ledger)
    _link_initiatives(agenda, talks)
    written = ledger.write()
    context.shared["event_ids"] += [event.pk for event in agenda.events]
    context.log(
        f"events{' — ' + agenda.place if agenda.place else ''}: {len(agenda.events)} events "
        f"({len(series_list)} series), {len(rsvps)} registrations, {len(shifts)} volunteer "
        f"slots, {len(signups)} sign-ups, {len(speakers)} speakers, {written} ledger rows"
    )


def _plan_series(agenda, animators, personas, begin, horizon) -> tuple[EventSeries, EventSeries]:
    """A weekly coffee on Tuesdays, with a rota, run by the animation team; monthly apéros,
    first Thursday, open to all."""
    rng = agenda.rng
    animation = personas.get("animation") or animators[0]
    first_tuesday = begin + datetime.timedelta(days=(1 - begin.weekday()) % 7)
    coffee = agenda.series(
        rrule=f"FREQ=WEEKLY;BYDAY=TU;UNTIL={horizon:%Y%m%d}",
        first=_at(first_tuesday, 9),
        duration=datetime.timedelta(hours=1),
        organisers=[animation, *rng.sample(animators, min(1, len(animators)))],
        title="Café du mardi",
        kind=EventKind.CAFE,
        description=(
            "Un café, des croissants et les nouvelles de la semaine. Venez comme vous êtes, "
            "nouvelles et nouveaux arrivants bienvenus !\n\nLe café est préparé par des "
            "bénévoles : un créneau vous tente ? Inscrivez-vous plus bas."
        ),
        location=PLACE,
        is_public=False,
    )
    first_month = begin.replace(day=1) + datetime.timedelta(days=32)
    first_month = first_month.replace(day=1)
    apero_day = first_month + datetime.timedelta(days=(3 - first_month.weekday()) % 7)
    apero = agenda.series(
        rrule=f"FREQ=MONTHLY;BYDAY=1TH;UNTIL={horizon:%Y%m%d}",
        first=_at(apero_day, 18, 30),
        duration=datetime.timedelta(hours=2, minutes=30),
        organisers=rng.sample(animators, min(2, len(animators))),
        title="Apéro de la communauté",
        kind=EventKind.APERO,
        description="Le rendez-vous mensuel de toute la communauté beta.gouv. Boissons offertes.",
        location=PLACE,
        capacity=60,
        is_public=True,
    )
    return coffee, apero


def _plan_talks(agenda, begin, horizon, scale) -> list[Event]:
    """Talks twice a month (more at a larger scale)."""
    rng, pool = agenda.rng, agenda.pool
    talks = []
    day = begin + datetime.timedelta(days=10)
    index = 0
    while day < horizon:
        for _ in range(scale):
            title, summary = TALKS[index % len(TALKS)]
            index += 1
            start = _at(_working_day(day + datetime.timedelta(days=rng.randint(0, 4))), 12, 30)
            talks.append(
                agenda.event(
                    organisers=_members_sample(rng, pool, rng.randint(1, 2)),
                    title=title,
                    kind=EventKind.TALK,
                    description=f"{summary}\n\nQuestions bienvenues, en salle ou dans le chat.",
                    start=start,
                    end=start + datetime.timedelta(hours=1),
                    location=PLACE if rng.random() < 0.6 else "",
                    online_url=VISIO,
                    capacity=rng.choice([None, 40, 80]),
                    is_public=True,
                )
            )
        day += datetime.timedelta(days=15)
    return talks


def _plan_forums(agenda, animators, begin, horizon) -> list[Event]:
    """A forum every quarter."""
    forums = []
    day = begin + datetime.timedelta(days=40)
    while day < horizon:
        start = _at(_working_day(day), 9, 30)
        forums.append(
            agenda.event(
                organisers=agenda.rng.sample(animators, min(3, len(animators))),
                title=f"Forum de la communauté — {start:%m/%Y}",
                kind=EventKind.FORUM,
                description=(
                    "Une journée pour partager ce qui marche, ce qui coince, et décider ensemble "
                    "des chantiers du trimestre. Programme en ateliers."
                ),
                start=start,
                end=start + datetime.timedelta(hours=8),
                location=PLACE,
                capacity=200,
                is_public=True,
            )
        )
        day += datetime.timedelta(days=91)
    return forums


def _plan_group_meetings(agenda, begin, horizon, group_ids) -> tuple[list[EventSeries], set[int]]:
    """Every working group of this place meets every two weeks at lunchtime, online; its leads
    organise and its members come. One group meets in the open (public)."""
    members: dict[int, list[int]] = {}
    leads: dict[int, list[int]] = {}
    for group_id, member_id, role in Membership.objects.filter(group_id__in=group_ids).values_list(
        "group_id", "member_id", "role"
    ):
        (leads if role == MembershipRole.LEAD else members).setdefault(group_id, []).append(
            member_id
        )
    series_list = []
    groups = WorkingGroup.objects.filter(pk__in=group_ids).order_by("pk")
    for index, group in enumerate(groups):
        if not leads.get(group.pk):
            continue
        weekday = index % 3 + 1  # Tuesday, Wednesday or Thursday
        start = max(begin, timezone.localdate(group.created_at))
        first = start + datetime.timedelta(days=(weekday - start.weekday()) % 7)
        byday = ["MO", "TU", "WE", "TH", "FR"][weekday]
        noun = "club" if group.kind == GroupKind.CLUB else "groupe"
        series = agenda.series(
            rrule=f"FREQ=WEEKLY;INTERVAL=2;BYDAY={byday};UNTIL={horizon:%Y%m%d}",
            first=_at(first, 12, 30),
            duration=datetime.timedelta(hours=1),
            organisers=leads[group.pk],
            title=f"{group.name} — rencontre du {noun}",
            kind=EventKind.GROUP_MEETING,
            description=f"{group.description}\n\nOrdre du jour partagé la veille.",
            online_url=VISIO,
            is_public=index == 2,
            group_id=group.pk,
        )
        for occurrence in series.demo_occurrences:
            occurrence.demo_attendees = members.get(group.pk, [])
        series_list.append(series)
    involved = {m for ids in [*members.values(), *leads.values()] for m in ids}
    return series_list, involved


def _plan_workshops(agenda, begin, horizon, scale) -> None:
    """Workshops and demos here and there; then every event gets a place or a link."""
    rng, pool, context = agenda.rng, agenda.pool, agenda.context
    for _ in range(24 * scale):
        kind, title = rng.choice(WORKSHOPS)
        day = begin + datetime.timedelta(days=rng.randint(0, (horizon - begin).days - 1))
        start = _at(_working_day(day), rng.choice([10, 14, 16]))
        agenda.event(
            organisers=_members_sample(rng, pool, rng.randint(1, 3)),
            title=title,
            kind=kind,
            description="Places limitées pour que chacun·e puisse participer.",
            start=start,
            end=start + datetime.timedelta(hours=2),
            location=PLACE if rng.random() < 0.7 else "",
            online_url=VISIO if rng.random() < 0.5 else "",
            capacity=rng.choice([12, 15, 20]),
            is_public=rng.random() < 0.3,
            incubator_id=rng.choice(context.incubator_ids) if context.incubator_ids else None,
        )
    for event in agenda.events:
        if not event.location and not event.online_url:
            event.location = PLACE


def _save_events(agenda, series_list) -> None:
    """Saves the series, then every event and its organisers."""
    EventSeries.objects.bulk_create(series_list)
    for series in series_list:
        for occurrence in series.demo_occurrences:
            occurrence.series = series
    Event.objects.bulk_create(agenda.events, batch_size=500)
    Through = Event.organisers.through
    Through.objects.bulk_create(
        [
            Through(event_id=event.pk, member_id=member_id)
            for event in agenda.events
            for member_id in dict.fromkeys(event.demo_organisers)
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )


def _record_organisers(agenda, ledger) -> None:
    """One ledger act per organiser of an event, or of a whole series."""
    for event in agenda.events:
        series = getattr(event, "demo_series", None)
        if series is not None and event is not series.demo_occurrences[0]:
            continue
        details = (
            {"series": series.pk, "occurrences": len(series.demo_occurrences)} if series else {}
        )
        for member_id in dict.fromkeys(event.demo_organisers):
            ledger.add(
                member_id,
                ContributionKind.ORGANISED,
                SubjectType.EVENT,
                event.pk,
                event.created_at,
                details=details,
            )


def _cancel(event, message: str) -> None:
    event.status = EventStatus.CANCELLED
    event.cancelled_at = event.start - datetime.timedelta(days=2)
    event.cancellation_message = message
    event.sequence += 1


def _cancel_and_move(agenda, talks, series_list) -> None:
    """A few cancellations, one coffee moved to the Wednesday, and no meeting of a series on a
    public holiday (the community does not meet on those days)."""
    rng, now = agenda.rng, agenda.now
    coffee = series_list[0]
    changed = rng.sample([e for e in talks if e.start < now], min(3, len(talks)))
    changed += [o for o in coffee.demo_occurrences if o.start > now][2:3]
    for event in changed:
        _cancel(event, "Désolé, l’intervenante est malade : on reprogramme bientôt.")
    upcoming_coffees = [
        o
        for o in coffee.demo_occurrences
        if o.start > now and is_working_day(o.start.astimezone(PARIS).date())
    ]
    moved = next(
        (
            o
            for o in upcoming_coffees[4:]
            if is_working_day(o.start.astimezone(PARIS).date() + datetime.timedelta(days=1))
        ),
        None,
    )
    if moved is not None:
        moved.start += datetime.timedelta(days=1)
        moved.end += datetime.timedelta(days=1)
        moved.location = "Incubateur des territoires, 2e étage (exceptionnellement)"
        moved.sequence += 1
        changed.append(moved)
    for series in series_list:
        for occurrence in series.demo_occurrences:
            day = occurrence.start.astimezone(PARIS).date()
            if occurrence.status != EventStatus.CANCELLED and not is_working_day(day):
                _cancel(occurrence, "Jour férié : on se retrouve la fois suivante.")
                changed.append(occurrence)
    Event.objects.bulk_update(changed, CHANGED_FIELDS)
    EventSeries.objects.filter(pk=coffee.pk).update(sequence=2)


def _wanted(rng, event) -> int:
    """How many people register for an event of that kind, once the date has come."""
    if event.kind == EventKind.CAFE:
        return rng.randint(5, 15)
    if event.kind == EventKind.APERO:
        return rng.randint(35, 75)
    if event.kind == EventKind.FORUM:
        return rng.randint(90, 180)
    if event.kind == EventKind.TALK:
        return rng.randint(10, 70)
    return rng.randint(4, 22)


def _register(agenda, ledger, me) -> list[Rsvp]:
    """Registrations, in order of arrival up to the capacity, then on the waiting list;
    attendance marked on past events."""
    rng, now, pool = agenda.rng, agenda.now, agenda.pool
    rsvps = []
    for event in agenda.events:
        wanted = _wanted(rng, event)
        if event.start > now:
            # Registrations grow as the date comes closer.
            days_left = (event.start - now).days
            wanted = int(wanted * max(0.15, 1 - days_left / 60))
        # A group's meetings draw on its members; other events on the whole pool.
        candidates = getattr(event, "demo_attendees", pool)
        people = _members_sample(rng, candidates, wanted, exclude=event.demo_organisers)
        if (
            me
            and me in candidates
            and me not in people
            and event.start > now
            and rng.random() < 0.25
        ):
            people.append(me)
        opened = event.created_at
        closes = min(event.start, now)
        arrivals = sorted(opened + (closes - opened) * rng.random() for _ in range(len(people)))
        confirmed = 0
        for number, (member_id, at) in enumerate(zip(people, arrivals, strict=True), start=1):
            has_room = event.capacity is None or confirmed < event.capacity
            confirmed += has_room
            attended = None
            if has_room and event.end < now and event.status == EventStatus.SCHEDULED:
                attended = rng.random() < 0.8
            rsvps.append(
                Rsvp(
                    event=event,
                    member_id=member_id,
                    status=RsvpStatus.CONFIRMED if has_room else RsvpStatus.WAITLISTED,
                    queue_number=number,
                    registered_at=at,
                    confirmed_at=at if has_room else None,
                    attended=attended,
                    # Reminders already due count as sent: the first `make run` must not
                    # print a burst of reminder e-mails over the sign-in instructions.
                    reminded_at=event.start - REMINDER_LEAD
                    if has_room and event.start - REMINDER_LEAD <= now
                    else None,
                )
            )
            if has_room:
                ledger.add(member_id, ContributionKind.REGISTERED, SubjectType.EVENT, event.pk, at)
            if attended:
                ledger.add(
                    member_id, ContributionKind.ATTENDED, SubjectType.EVENT, event.pk, event.end
                )
        event.queue_counter = len(people)
    Rsvp.objects.bulk_create(rsvps, batch_size=1000)
    Event.objects.bulk_update(agenda.events, ["queue_counter"], batch_size=500)
    return rsvps


def _plan_rota(coffee, forums) -> list[Shift]:
    """The coffee rota: preparing (2 people) and tidying up (1); welcoming at forums (3)."""
    shifts = []
    for occurrence in coffee.demo_occurrences:
        shifts.append(
            Shift(
                event=occurrence,
                label="Préparer le café",
                capacity=2,
                start=occurrence.start - datetime.timedelta(minutes=15),
                end=occurrence.start + datetime.timedelta(minutes=15),
                created_at=occurrence.created_at,
            )
        )
        shifts.append(
            Shift(
                event=occurrence,
                label="Ranger la salle",
                capacity=1,
                start=occurrence.end,
                end=occurrence.end + datetime.timedelta(minutes=15),
                created_at=occurrence.created_at,
            )
        )
    for forum in forums:
        shifts.append(
            Shift(
                event=forum,
                label="Accueillir les participant·es",
                capacity=3,
                start=forum.start - datetime.timedelta(minutes=30),
                end=forum.start + datetime.timedelta(minutes=30),
                created_at=forum.created_at,
            )
        )
    Shift.objects.bulk_create(shifts, batch_size=500)
    return shifts


def _volunteer(agenda, shifts, ledger, newcomer) -> list[ShiftSignup]:
    """Slots filled in the past, partly ahead, so that the home page has slots to offer."""
    rng, now, pool = agenda.rng, agenda.now, agenda.pool
    signups = []
    for shift in shifts:
        if shift.event.status == EventStatus.CANCELLED:
            continue
        ahead = shift.start > now
        fill = shift.capacity if not ahead else rng.randint(0, shift.capacity)
        if ahead and (shift.start - now).days < 10:
            fill = min(fill, shift.capacity - 1)  # leave a place to take close to the date
        volunteers = _members_sample(rng, pool, fill)
        if newcomer and ahead and fill < shift.capacity and rng.random() < 0.08:
            volunteers.append(newcomer)
        for member_id in volunteers:
            at = shift.start - datetime.timedelta(days=rng.randint(1, 14))
            at = min(at, now)
            signups.append(
                ShiftSignup(
                    shift=shift,
                    member_id=member_id,
                    created_at=at,
                    reminded_at=shift.event.start - REMINDER_LEAD
                    if shift.event.start - REMINDER_LEAD <= now
                    else None,
                    swap_offered_at=now if ahead and rng.random() < 0.05 else None,
                )
            )
            ledger.add(
                member_id,
                ContributionKind.VOLUNTEERED,
                SubjectType.SHIFT,
                shift.pk,
                at,
                details={"event": shift.event_id, "label": shift.label},
            )
    ShiftSignup.objects.bulk_create(signups, batch_size=1000, ignore_conflicts=True)
    return signups


def _invite_speakers(agenda, talks, ledger) -> list[Speaker]:
    """Invited speakers: mostly from outside, sometimes members."""
    rng, now, pool = agenda.rng, agenda.now, agenda.pool
    speakers: list[Speaker] = []
    for talk in talks:
        for _ in range(rng.choice([1, 1, 2])):
            inviter = talk.demo_organisers[0]
            invited_at = talk.created_at
            if rng.random() < 0.25:
                member = Member.objects.filter(pk=rng.choice(pool)).only("email", "display_name")
                member = member.first()
                name, email, bio, member_id = member.display_name, member.email, "", member.pk
            else:
                name, bio = rng.choice(SPEAKERS)
                email = f"{name.lower().replace(' ', '.')}@example.org"
                member_id = None
            if any(s.event_id == talk.pk and s.email == email for s in speakers):
                continue
            answered = talk.start < now or rng.random() < 0.7
            status = (
                (SpeakerStatus.CONFIRMED if rng.random() < 0.9 else SpeakerStatus.DECLINED)
                if answered
                else SpeakerStatus.INVITED
            )
            speakers.append(
                Speaker(
                    event=talk,
                    name=name,
                    email=email,
                    bio=bio,
                    talk_title=talk.title.split(" : ")[-1],
                    member_id=member_id,
                    status=status,
                    token_hash=hash_secret(new_secret()),
                    invited_by_id=inviter,
                    invited_at=invited_at,
                    responded_at=invited_at + datetime.timedelta(days=2) if answered else None,
                )
            )
            if member_id and status == SpeakerStatus.CONFIRMED:
                ledger.add(
                    member_id,
                    ContributionKind.SPOKE,
                    SubjectType.EVENT,
                    talk.pk,
                    invited_at + datetime.timedelta(days=2),
                )
    Speaker.objects.bulk_create(speakers, batch_size=500)
    return speakers


def _link_initiatives(agenda, talks) -> None:
    """Some events belong to initiatives of kind "event", when that seeder left some."""
    initiative_ids = agenda.context.shared.get("initiative_ids") or []
    if not initiative_ids:
        return
    event_initiatives = list(
        Initiative.objects.filter(pk__in=initiative_ids, kind="event").values_list("pk", flat=True)
    )
    if event_initiatives:
        linked = agenda.rng.sample(talks, min(len(talks), 6))
        for event in linked:
            event.initiative_id = agenda.rng.choice(event_initiatives)
        Event.objects.bulk_update(linked, ["initiative"])
