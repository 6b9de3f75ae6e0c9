"""Suggestions: concrete ways for one member to take part, each with the reason it is shown to
them. Each provider reads one kind of thing in a fixed number of queries, whatever the size of
the community; the engine drops what the member declined and ranks what is left the same way
every time (score, then kind, then key). The home page's « On a besoin de vous », /sengager/
and the API all read `suggestions_for`."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ruche.core.text import fold
from ruche.events.enums import RsvpStatus
from ruche.events.models import Event, Rsvp, Shift, ShiftSignup
from ruche.groups.enums import GroupKind, JoinRequestStatus
from ruche.groups.models import JoinRequest, Membership, WorkingGroup
from ruche.initiatives.enums import OPEN_STATUSES
from ruche.initiatives.models import CallForHelp, Initiative, InitiativeLead, Need, Participation
from ruche.members.models import Member, Mission
from ruche.onboarding.enums import SuggestionAction, SuggestionKind
from ruche.onboarding.models import Decline

# How many of each kind a provider offers the ranking, and how far ahead dated things are looked.
PER_KIND = 6
AHEAD = datetime.timedelta(days=45)
# A need becomes a suggestion when this many members meet it and no initiative answers it.
NEED_THRESHOLD = 3


@dataclass(frozen=True)
class Suggestion:
    key: str
    kind: SuggestionKind
    title: str
    reason: str
    url: str
    action: SuggestionAction
    score: int
    # The object the action applies to (a role, a slot, an event, an initiative, a group, a need).
    target_id: int
    detail: str = ""

    @property
    def action_label(self) -> str:
        return str(SuggestionAction(self.action).label)


@dataclass
class Facts:
    """What the providers need to know about the member, read once."""

    member: Member
    today: datetime.date
    now: datetime.datetime
    competences: set[str]
    startup_ids: list[int]
    incubator_ids: list[int]
    declined: set[str] = field(default_factory=set)

    def colleagues_in(self, *sources, target: str) -> list[dict[int, tuple[set[int], set[int]]]]:
        """Which colleagues the rows of each source (participations, leads, memberships: each
        has a member) hold, per `target` id: (those with a mission running today in the
        member's startups, those in their incubators); every source in one query. Each row
        looks up its own member's missions (a few index reads, whatever the size of the
        incubators): the colleagues as a set read thousands of missions for a large one."""
        found: list[dict[int, tuple[set[int], set[int]]]] = [{} for _source in sources]
        if not self.startup_ids and not self.incubator_ids:
            return found
        running = Q(start__lte=self.today) & (Q(end__isnull=True) | Q(end__gte=self.today))

        def flag(where: Q) -> Max:
            return Max(Case(When(where, then=1), default=0, output_field=IntegerField()))

        # 2 when one of the row's member's running missions is in the member's startups, plus
        # 1 when one is in their incubators: one small subquery per row, kept in the SELECT
        # (a filter on it would run it again) and the zeros dropped below.
        colleague = Subquery(
            Mission.objects.filter(running, member=OuterRef("member"))
            .values("member")
            .annotate(
                code=flag(Q(startups__in=self.startup_ids)) * 2
                + flag(Q(startups__incubator_id__in=self.incubator_ids))
            )
            .values("code"),
            output_field=IntegerField(),
        )
        rows = [
            source.exclude(member=self.member)
            .annotate(source=Value(index), colleague=colleague)
            .order_by()
            .values_list("source", target, "member_id", "colleague")
            for index, source in enumerate(sources)
        ]
        union = rows[0].union(*rows[1:], all=True).order_by() if len(rows) > 1 else rows[0]
        for index, key, member_id, code in union:
            if not code:
                continue
            startup, incubator = code & 2, code & 1
            startups, incubators = found[index].setdefault(key, (set(), set()))
            if startup:
                startups.add(member_id)
            if incubator:
                incubators.add(member_id)
        return found


def facts_for(member: Member) -> Facts:
    now = timezone.now()
    today = timezone.localdate(now)
    running = Q(start__lte=today) & (Q(end__isnull=True) | Q(end__gte=today))
    startups = list(
        Mission.objects.filter(running, member=member)
        .filter(startups__isnull=False)
        .values_list("startups__pk", "startups__incubator_id")
        .distinct()
    )
    competences = {fold(name) for name in member.competences.values_list("name", flat=True)}
    if member.domaine:
        competences.add(fold(member.get_domaine_display()))
    return Facts(
        member=member,
        today=today,
        now=now,
        competences=competences,
        startup_ids=sorted({startup for startup, _incubator in startups}),
        incubator_ids=sorted({incubator for _startup, incubator in startups if incubator}),
        declined=set(Decline.objects.filter(member=member).values_list("key", flat=True)),
    )


def _matching_word(text: str, competences: set[str]) -> str:
    folded = fold(text)
    return next((c for c in sorted(competences) if c and c in folded), "")


def roles(facts: Facts) -> list[Suggestion]:
    """Open roles whose wanted skill or label matches the member's competences or domaine."""
    member = facts.member
    candidates = (
        CallForHelp.objects.filter(
            taken__lt=F("count"),
            initiative__hidden=False,
            initiative__status__in=OPEN_STATUSES,
        )
        .exclude(
            Exists(InitiativeLead.objects.filter(initiative=OuterRef("initiative"), member=member))
        )
        .exclude(
            Exists(Participation.objects.filter(initiative=OuterRef("initiative"), member=member))
        )
        .select_related("initiative")
        .order_by("-created_at", "-pk")[:60]
    )
    found = []
    for role in candidates:
        skill = role.skill or ""
        matched = _matching_word(f"{skill} {role.label}", facts.competences)
        if not matched:
            continue
        shown = skill if skill and fold(skill) in facts.competences else matched
        found.append(
            Suggestion(
                key=f"role-{role.pk}",
                kind=SuggestionKind.ROLE,
                title=role.label,
                detail=role.initiative.title,
                reason=_("vous avez la compétence %(skill)s") % {"skill": shown.capitalize()},
                url=role.initiative.get_absolute_url() + "#participation",
                action=SuggestionAction.JOIN_ROLE,
                score=60,
                target_id=role.pk,
            )
        )
    return found[:PER_KIND]


def _colleague_reason(startup_count: int, incubator_count: int, *, group: bool = False) -> str:
    if startup_count:
        text = (
            ngettext(
                "%(count)d personne de votre startup en fait partie",
                "%(count)d personnes de votre startup en font partie",
                startup_count,
            )
            if group
            else ngettext(
                "%(count)d personne de votre startup y participe",
                "%(count)d personnes de votre startup y participent",
                startup_count,
            )
        )
        return text % {"count": startup_count}
    text = (
        ngettext(
            "%(count)d personne de votre incubateur en fait partie",
            "%(count)d personnes de votre incubateur en font partie",
            incubator_count,
        )
        if group
        else ngettext(
            "%(count)d personne de votre incubateur y participe",
            "%(count)d personnes de votre incubateur y participent",
            incubator_count,
        )
    )
    return text % {"count": incubator_count}


def _some(ids) -> list[int]:
    """`ids` for an IN filter, read even when there are none (no id is 0): the page runs as many
    queries in a small community as in a large one."""
    return sorted(ids) or [0]


def initiatives(facts: Facts) -> list[Suggestion]:
    """Initiatives under way where colleagues of the member's startup or incubator take part."""
    # Only the rows of initiatives that can be suggested: each row costs a subquery.
    open_ones = {"initiative__hidden": False, "initiative__status__in": OPEN_STATUSES}
    participants, leads = facts.colleagues_in(
        Participation.objects.filter(**open_ones),
        InitiativeLead.objects.filter(**open_ones),
        target="initiative_id",
    )
    member = facts.member
    candidates = (
        Initiative.objects.visible()
        .filter(status__in=OPEN_STATUSES, pk__in=_some(participants.keys() | leads.keys()))
        .exclude(Exists(InitiativeLead.objects.filter(initiative=OuterRef("pk"), member=member)))
        .exclude(Exists(Participation.objects.filter(initiative=OuterRef("pk"), member=member)))
        .only("pk", "title", "summary")
    )
    counted = []
    for initiative in candidates:
        in_startup, in_incubator = participants.get(initiative.pk, (set(), set()))
        counted.append((len(in_startup), len(in_incubator), initiative))
    counted.sort(key=lambda row: (-row[0], -row[1], -row[2].pk))
    found = []
    for startup_count, incubator_count, initiative in counted[:PER_KIND]:
        if not startup_count and not incubator_count:
            # Colleagues lead it without joining a role: count them as one.
            incubator_count = 1
        found.append(
            Suggestion(
                key=f"initiative-{initiative.pk}",
                kind=SuggestionKind.INITIATIVE,
                title=initiative.title,
                detail=initiative.summary,
                reason=_colleague_reason(startup_count, incubator_count),
                url=initiative.get_absolute_url(),
                action=SuggestionAction.JOIN_INITIATIVE,
                score=40 + min(startup_count * 5 + incubator_count, 15),
                target_id=initiative.pk,
            )
        )
    return found


def _group_counts(facts: Facts) -> dict[int, tuple[int, int, int]]:
    """Per group: members from the member's startups, from their incubators, and (clubs only)
    members of the member's domaine."""
    (colleagues,) = facts.colleagues_in(Membership.objects.all(), target="group_id")
    counts = {key: (len(s), len(i), 0) for key, (s, i) in colleagues.items()}
    member = facts.member
    if member.domaine:
        same_domaine = (
            # Each club membership looks up its member: walking the domaine's members would
            # read thousands of them for a large domaine.
            Membership.objects.filter(
                Exists(Member.objects.filter(pk=OuterRef("member"), domaine=member.domaine)),
                group__kind=GroupKind.CLUB,
            )
            .exclude(member=member)
            .values("group_id")
            .annotate(count=Count("pk"))
            .values_list("group_id", "count")
        )
        for key, count in same_domaine:
            startup_count, incubator_count, _domaine = counts.get(key, (0, 0, 0))
            counts[key] = (startup_count, incubator_count, count)
    return counts


def groups(facts: Facts) -> list[Suggestion]:
    """Groups where colleagues take part, and clubs where members of the member's domaine are."""
    member = facts.member
    counts = {key: found for key, found in _group_counts(facts).items() if any(found)}
    candidates = (
        WorkingGroup.objects.active()
        .filter(pk__in=_some(counts))
        .exclude(Exists(Membership.objects.filter(group=OuterRef("pk"), member=member)))
        .exclude(
            Exists(
                JoinRequest.objects.filter(
                    group=OuterRef("pk"), member=member, status=JoinRequestStatus.PENDING
                )
            )
        )
        .only("pk", "name", "slug", "kind")
    )
    ranked = sorted(candidates, key=lambda group: (*(-n for n in counts[group.pk]), group.pk))
    found = []
    for group in ranked[:PER_KIND]:
        startup_count, incubator_count, domaine_count = counts[group.pk]
        if startup_count or incubator_count:
            reason = _colleague_reason(startup_count, incubator_count, group=True)
            score = 38 + min(startup_count * 5 + incubator_count, 15)
        else:
            reason = ngettext(
                "un club de votre domaine : %(count)d membre %(domaine)s y est",
                "un club de votre domaine : %(count)d membres %(domaine)s y sont",
                domaine_count,
            ) % {"count": domaine_count, "domaine": member.get_domaine_display()}
            score = 35 + min(domaine_count, 10)
        found.append(
            Suggestion(
                key=f"group-{group.pk}",
                kind=SuggestionKind.GROUP,
                title=group.name,
                detail=group.get_kind_display(),
                reason=reason,
                url=group.get_absolute_url(),
                action=SuggestionAction.JOIN_GROUP,
                score=score,
                target_id=group.pk,
            )
        )
    return found


def events(facts: Facts) -> list[Suggestion]:
    """Coming events with places left that the member is not registered for nor organising."""
    member = facts.member
    rows = (
        Event.objects.scheduled()
        .filter(start__gte=facts.now, start__lte=facts.now + AHEAD)
        .exclude(organisers=member)
        .exclude(
            Exists(
                Rsvp.objects.filter(
                    event=OuterRef("pk"),
                    member=member,
                    status__in=[RsvpStatus.CONFIRMED, RsvpStatus.WAITLISTED],
                )
            )
        )
        .with_rsvp_counts()
        .filter(Q(capacity__isnull=True) | Q(capacity__gt=F("confirmed_count")))
        .order_by("start", "pk")[:PER_KIND]
    )
    found = []
    for event in rows:
        if event.capacity is None:
            reason, score = _("il reste de la place"), 20
        else:
            left = event.capacity - event.confirmed_count
            reason = ngettext("il reste %(count)d place", "il reste %(count)d places", left) % {
                "count": left
            }
            score = 30 if left <= 5 else 22
        found.append(
            Suggestion(
                key=f"event-{event.pk}",
                kind=SuggestionKind.EVENT,
                title=event.title,
                detail=_date(event.start),
                reason=reason,
                url=event.get_absolute_url(),
                action=SuggestionAction.REGISTER,
                score=score,
                target_id=event.pk,
            )
        )
    return found


def _date(moment: datetime.datetime) -> str:
    return date_format(timezone.localtime(moment), "l j F, H:i")


def shifts(facts: Facts) -> list[Suggestion]:
    """Coming volunteer slots with room, the empty ones first."""
    member = facts.member
    rows = (
        Shift.objects.upcoming(facts.now)
        .filter(start__lte=facts.now + AHEAD)
        .with_free_places()
        .exclude(Exists(ShiftSignup.objects.filter(shift=OuterRef("pk"), member=member)))
        .exclude(event__organisers=member)
        .select_related("event")
        .order_by("taken", "start", "pk")[:PER_KIND]
    )
    found = []
    for shift in rows:
        if shift.taken == 0:
            reason, score = _("personne n’a encore pris ce créneau"), 50
        else:
            missing = shift.capacity - shift.taken
            reason = ngettext(
                "il manque encore %(count)d personne",
                "il manque encore %(count)d personnes",
                missing,
            ) % {"count": missing}
            score = 32
        found.append(
            Suggestion(
                key=f"shift-{shift.pk}",
                kind=SuggestionKind.SHIFT,
                title=f"{shift.label} — {shift.event.title}",
                detail=_date(shift.start),
                reason=reason,
                url=shift.event.get_absolute_url() + "#creneaux",
                action=SuggestionAction.TAKE_SLOT,
                score=score,
                target_id=shift.pk,
            )
        )
    return found


def needs(facts: Facts) -> list[Suggestion]:
    """Needs many members meet that no initiative answers yet."""
    rows = (
        Need.objects.visible()
        .unresolved()
        .with_counts()
        .filter(support_count__gte=NEED_THRESHOLD, initiative_count=0)
        .order_by("-support_count", "-pk")[:PER_KIND]
    )
    found = []
    for need in rows:
        found.append(
            Suggestion(
                key=f"need-{need.pk}",
                kind=SuggestionKind.NEED,
                title=need.title,
                reason=ngettext(
                    "%(count)d personne rencontre ce besoin et aucune initiative n’y répond",
                    "%(count)d personnes rencontrent ce besoin et aucune initiative n’y répond",
                    need.support_count,
                )
                % {"count": need.support_count},
                url=need.get_absolute_url(),
                action=SuggestionAction.PROPOSE,
                score=25 + min(need.support_count, 20),
                target_id=need.pk,
            )
        )
    return found


# Other apps may add theirs (a provider takes Facts and returns suggestions).
PROVIDERS: list[Callable[[Facts], list[Suggestion]]] = [
    roles,
    initiatives,
    groups,
    events,
    shifts,
    needs,
]
KIND_ORDER = list(SuggestionKind)


def rank(found, declined: set[str]) -> list[Suggestion]:
    kept = {s.key: s for s in found if s.key not in declined}
    return sorted(kept.values(), key=lambda s: (-s.score, KIND_ORDER.index(s.kind), s.key))


def suggestions_for(member: Member, limit: int | None = None) -> list[Suggestion]:
    facts = facts_for(member)
    found = [suggestion for provider in PROVIDERS for suggestion in provider(facts)]
    ranked = rank(found, facts.declined)
    return ranked[:limit] if limit else ranked


def parse_key(key: str) -> tuple[SuggestionKind, int] | None:
    kind, _sep, pk = key.partition("-")
    if kind not in SuggestionKind.values or not pk.isdigit() or len(pk) > 18:
        return None
    return SuggestionKind(kind), int(pk)
