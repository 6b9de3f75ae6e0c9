"""What health writes (its own snapshots and alert settings, nothing else) and how the dashboard
reads figures: from the snapshots of calendar periods, or computed on demand and cached for a
chosen span or a period no snapshot holds yet."""

import datetime
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ruche.engagement.models import Contribution
from ruche.health.enums import PeriodKind, SegmentKind, SeniorityBand
from ruche.health.gather import gather
from ruche.health.metrics import (
    EVERYONE,
    Context,
    PeriodData,
    SegmentFilter,
    Slice,
    arrivals_of,
    bands_of,
    compute,
    figures,
)
from ruche.health.models import DEFAULT_TRANSVERSE_THRESHOLD, AlertSettings, Snapshot
from ruche.health.periods import Period
from ruche.health.segments import ALL, MIN_MEMBERS, OTHERS, SegmentKey, others_label
from ruche.members.enums import Domaine
from ruche.members.models import Member

logger = logging.getLogger(__name__)

# Calendar periods kept as snapshots, most recent first, by kind.
HISTORY = {PeriodKind.MONTH: 24, PeriodKind.QUARTER: 8, PeriodKind.YEAR: 3}
# A period's figures can still move this long after it ends: a newcomer of its last day is
# measurable at 90 days, then their retention 90 days after their first act.
SETTLING_DAYS = 181
COMPUTED_CACHE_SECONDS = 60 * 60


# --- Segments -----------------------------------------------------------------------------------


def segment_label(key: SegmentKey, stored: str = "") -> str:
    """A segment's name in the reader's language (an incubator keeps its own name)."""
    if key.kind == SegmentKind.ALL:
        return str(SegmentKind.ALL.label)
    if key.is_others:
        return str(others_label(key.kind))
    if key.kind == SegmentKind.DOMAINE and key.value in Domaine.values:
        return str(Domaine(key.value).label)
    if key.kind == SegmentKind.SENIORITY:
        return str(SeniorityBand(key.value).label)
    return stored or key.value


KINDS = (SegmentKind.INCUBATOR, SegmentKind.DOMAINE, SegmentKind.SENIORITY)


Slices = dict[str, defaultdict[object, Slice]]


def _slices(data: PeriodData, bands: dict[int, str | None]) -> Slices:
    """{segment kind: {value: Slice}}, each item of the period put in the slice of every value
    its contexts belong to: one pass over the period's data, not one per segment. It gives
    what `slice_of` gives for a single value (tests/health check they agree)."""
    slices: Slices = {kind: defaultdict(Slice) for kind in KINDS}
    by_incubator = slices[SegmentKind.INCUBATOR]
    by_domaine = slices[SegmentKind.DOMAINE]
    by_band = slices[SegmentKind.SENIORITY]
    for a in data.acts:
        if a.incubator_id is not None:
            by_incubator[a.incubator_id].acts.append(a)
        if a.domaine:
            by_domaine[a.domaine].acts.append(a)
        band = bands.get(a.member_id)
        if band is not None:
            by_band[band].acts.append(a)
    arrivals = arrivals_of(data)
    for p in data.population:
        parts = [by_incubator[incubator] for incubator in p.incubator_ids]
        if p.domaine:
            parts.append(by_domaine[p.domaine])
        band = bands.get(p.member_id)
        if band is not None:
            parts.append(by_band[band])
        steps = arrivals.get(p.member_id)
        for part in parts:
            part.population.append(p)
            if steps is not None:
                part.arrivals.append(steps)

    def values(kind: str, contexts: Iterable[Context]) -> set[object]:
        found: set[object]
        if kind == SegmentKind.INCUBATOR:
            found = {context.incubator_id for context in contexts}
        elif kind == SegmentKind.DOMAINE:
            found = {context.domaine for context in contexts}
        else:
            found = {bands.get(context.member_id) for context in contexts}
        return found - {None, ""}

    for kind in KINDS:
        by_value = slices[kind]
        for items, contexts_of, name in (
            (data.teams, lambda team: team.active, "teams"),
            (data.carried, lambda item: item.leads, "carried"),
            (data.needs, lambda need: [need.raiser] if need.raiser else [], "needs"),
            (data.community_takers, lambda context: [context], "takers"),
            (data.events_held, lambda event: event.people, "events"),
        ):
            for item in items:
                for value in values(kind, contexts_of(item)):
                    getattr(by_value[value], name).append(item)
    return slices


def _hidden(members_by_value: dict[object, set[int]]) -> set[object]:
    """The values too small to show. Should they hold fewer than MIN_MEMBERS members between
    them, the smallest shown values join them until they do: otherwise the whole community
    minus the segments shown would give the small ones' figures."""
    by_size = sorted(members_by_value, key=lambda value: (len(members_by_value[value]), str(value)))
    hidden = {value for value in by_size if len(members_by_value[value]) < MIN_MEMBERS}
    people = set().union(*(members_by_value[value] for value in hidden))
    for value in by_size:
        if not hidden or len(people) >= MIN_MEMBERS:
            break
        if value not in hidden:
            hidden.add(value)
            people |= members_by_value[value]
    return hidden


def figures_by_segment(data: PeriodData) -> dict[str, dict[str, Any]]:
    """{segment key: {"label", "figures"}} for the whole community and every segment of the
    period with at least MIN_MEMBERS members; smaller ones are put together in « autres »,
    which is shown only when it reaches MIN_MEMBERS itself (see `_hidden`)."""
    bands = bands_of(data)
    slices = _slices(data, bands)
    result = {ALL: {"label": "", "figures": compute(data, EVERYONE)}}
    for kind in KINDS:
        members = {value: part.members for value, part in slices[kind].items()}
        hidden = _hidden(members)
        for value, part in sorted(slices[kind].items(), key=lambda item: str(item[0])):
            if value in hidden:
                continue
            if kind == SegmentKind.INCUBATOR:
                slug, label = data.incubators[value]
                key = SegmentKey(kind, slug)
            else:
                key, label = SegmentKey(kind, str(value)), ""
            result[str(key)] = {"label": label, "figures": figures(data, part)}
        if len(set().union(*(members[value] for value in hidden))) >= MIN_MEMBERS:
            segment = SegmentFilter(kind, frozenset(hidden), bands)
            result[f"{kind}:{OTHERS}"] = {"label": "", "figures": compute(data, segment)}
    return result


# --- Snapshots ----------------------------------------------------------------------------------


def snapshot_period(period: Period, *, now: datetime.datetime | None = None) -> int:
    """Computes one calendar period for every segment and replaces its snapshots; returns how
    many segments it holds. Safe to run twice: the second run writes the same rows."""
    now = now or timezone.now()
    by_segment = figures_by_segment(gather(period, now=now))
    rows = [
        Snapshot(
            period=period.kind,
            start=period.start,
            end=period.end,
            segment=key,
            label=entry["label"],
            figures=entry["figures"],
            computed_at=now,
        )
        for key, entry in by_segment.items()
    ]
    with transaction.atomic():
        Snapshot.objects.filter(period=period.kind, start=period.start).delete()
        Snapshot.objects.bulk_create(rows, batch_size=200)
    return len(rows)


def snapshots_due(now: datetime.datetime) -> list[Period]:
    """The calendar periods of HISTORY to compute today: those never computed, and those still
    settling that were not computed yet today."""
    today = timezone.localdate(now)
    periods = [
        period
        for kind, count in HISTORY.items()
        for period in Period.containing(kind, today).recent(count)
    ]
    computed = {
        (kind, start): timezone.localdate(at)
        for kind, start, at in Snapshot.objects.filter(
            segment=ALL, start__gte=min(p.start for p in periods)
        ).values_list("period", "start", "computed_at")
    }
    due = []
    for period in periods:
        last = computed.get((period.kind, period.start))
        settling = last is not None and last <= period.end + datetime.timedelta(days=SETTLING_DAYS)
        if last is None or (settling and last < today):
            due.append(period)
    return due


def snapshots_refresh(*, now: datetime.datetime | None = None) -> list[Period]:
    """Periodic (hourly; it computes each period at most once a day): the daily snapshots."""
    now = now or timezone.now()
    due = snapshots_due(now)
    for period in due:
        snapshot_period(period, now=now)
    if due:
        logger.info("Health: %d period(s) computed", len(due))
    return due


# --- Reading ------------------------------------------------------------------------------------


@dataclass
class Reading:
    """The figures of one period for one segment, and where they come from. `figures` is None
    when the segment has too few members in the period to be shown."""

    period: Period
    segment: SegmentKey
    label: str
    figures: dict[str, Any] | None
    computed_at: datetime.datetime | None
    from_snapshot: bool
    # (key, label) of every segment shown for this period.
    segments: list[tuple[str, str]] = field(default_factory=list)


def _computed(period: Period, now: datetime.datetime) -> dict[str, Any]:
    """Every segment of a period no snapshot holds, computed on demand and cached (the newest
    ledger row is part of the key, so a new contribution is seen at once)."""
    latest = Contribution.objects.order_by("-pk").values_list("pk", flat=True).first()
    key = f"health:figures:{period.kind}:{period.start}:{period.end}:{latest}"
    computed = cache.get_or_set(
        key,
        lambda: {"at": now, "segments": figures_by_segment(gather(period, now=now))},
        COMPUTED_CACHE_SECONDS,
    )
    return cast(dict[str, Any], computed)


def _reading_of(
    period: Period,
    segment: SegmentKey,
    entries: dict[str, str],
    computed_at: datetime.datetime | None,
    from_snapshot: bool,
) -> Reading:
    segments = [
        (key, segment_label(SegmentKey.parse(key), label)) for key, label in entries.items()
    ]
    return Reading(
        period=period,
        segment=segment,
        label=segment_label(segment, entries.get(str(segment), "")),
        figures=None,
        computed_at=computed_at,
        from_snapshot=from_snapshot,
        segments=segments,
    )


def read(period: Period, segment: SegmentKey, *, now: datetime.datetime | None = None) -> Reading:
    """A period's figures for a segment: from its snapshot when there is one, else computed."""
    now = now or timezone.now()
    if period.is_calendar:
        rows = list(
            Snapshot.objects.filter(period=period.kind, start=period.start)
            .order_by("segment")
            .values_list("segment", "label", "computed_at")
        )
        if rows:
            reading = _reading_of(
                period, segment, {key: label for key, label, _at in rows}, rows[0][2], True
            )
            if any(key == str(segment) for key, _label, _at in rows):
                reading.figures = Snapshot.objects.values_list("figures", flat=True).get(
                    period=period.kind, start=period.start, segment=str(segment)
                )
            return reading
    computed = _computed(period, now)
    entries = computed["segments"]
    reading = _reading_of(
        period,
        segment,
        {key: entry["label"] for key, entry in entries.items()},
        computed["at"],
        False,
    )
    entry = entries.get(str(segment))
    reading.figures = entry["figures"] if entry else None
    return reading


def series(
    kind: str, last: Period, segment: SegmentKey, count: int
) -> list[tuple[Period, dict[str, Any] | None]]:
    """[(period, figures or None)] for the `count` calendar periods of `kind` ending with the
    one holding `last`'s end, oldest first, from snapshots only (a period without one is a gap
    in the chart)."""
    periods = Period.containing(kind, last.end).recent(count)
    by_start = dict(
        Snapshot.objects.filter(
            period=kind, segment=str(segment), start__in=[p.start for p in periods]
        ).values_list("start", "figures")
    )
    return [(period, by_start.get(period.start)) for period in periods]


# --- Alert settings and the alert in force ------------------------------------------------------


def alert_settings() -> AlertSettings:
    return AlertSettings.objects.filter(pk=1).first() or AlertSettings(
        pk=1, transverse_threshold=DEFAULT_TRANSVERSE_THRESHOLD
    )


def alert_settings_require(actor: Member) -> None:
    """Only the animation team sets the alerts (and sees their settings)."""
    if not getattr(actor, "is_animation_team", False):
        raise PermissionDenied(_("Seule l’équipe d’animation peut régler les alertes."))


def alert_threshold_update(*, actor: Member, threshold: object) -> AlertSettings:
    """The animation team sets the share of initiatives and events carried by transverse roles
    above which, two months in a row, the dashboard raises an alert."""
    alert_settings_require(actor)
    try:
        value = int(str(threshold).strip().rstrip("%").strip())
    except ValueError:
        raise ValidationError(
            {"transverse_threshold": _("Indiquez un pourcentage entier, par exemple 40.")}
        ) from None
    if not 1 <= value <= 99:
        raise ValidationError(
            {"transverse_threshold": _("Le seuil doit être un pourcentage entre 1 et 99.")}
        )
    with transaction.atomic():
        settings, _created = AlertSettings.objects.select_for_update().get_or_create(pk=1)
        settings.transverse_threshold = value
        settings.updated_at = timezone.now()
        settings.updated_by = actor
        settings.save()
    return settings


def transverse_alert(*, now: datetime.datetime | None = None) -> dict[str, Any] | None:
    """The alert in force: the transverse load of the whole community stayed above the
    threshold in each of the last two complete months. None when it did not (or when their
    snapshots are not computed yet)."""
    now = now or timezone.now()
    last = Period.containing(PeriodKind.MONTH, timezone.localdate(now)).previous()
    months = [last.previous(), last]
    shares = dict(
        Snapshot.objects.filter(
            period=PeriodKind.MONTH, segment=ALL, start__in=[m.start for m in months]
        ).values_list("start", "figures__transverse_load__share")
    )
    threshold = alert_settings().transverse_threshold
    values = [shares.get(month.start) for month in months]
    above = [value for value in values if value is not None and value * 100 > threshold]
    if len(above) < len(months):
        return None
    return {
        "threshold": threshold,
        "months": [
            {"label": month.label, "percent": round(value * 100)}
            for month, value in zip(months, above, strict=True)
        ],
    }
