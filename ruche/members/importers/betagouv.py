"""Imports the community's public data, as the beta.gouv.fr API v2.7 serves it, into
organisations, incubators, startups and members.

Upstream is the truth for what it publishes. Organisations, incubators and startups follow it;
so do a member's missions and previous startups. The profile fields a member can also edit on
Ruche (name, role, domaine, bio, GitHub, link, competences) take upstream's value whenever
upstream changes it, and otherwise keep the member's own edit. Ruche-only fields (interests,
languages, avatar, transverse role, staff flags, e-mail once created) are never touched.
Nothing is ever deleted: a record gone from upstream is marked with `upstream_missing_since`,
and the mark is cleared if it comes back. Members who deleted their account (or were purged
after the retention period) are remembered by the hash of their id and never imported again.

Every row is compared before writing, so a second run writes nothing; reads and writes are
batched so the whole community imports in seconds.
"""

import datetime
import html
import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from pathlib import Path
from typing import Any, Literal, overload
from urllib.parse import urljoin

import requests
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils import timezone

from ruche.core.secrets import hash_secret
from ruche.core.text import fold
from ruche.members.enums import Domaine, MissionStatus
from ruche.members.importers.report import ImportReport
from ruche.members.models import (
    Competence,
    ErasedMember,
    Incubator,
    Member,
    Mission,
    Organisation,
    Startup,
)

DEFAULT_SOURCE = "https://beta.gouv.fr/api/v2.7/"
HTTP_TIMEOUT = (10, 60)  # seconds to connect, seconds between bytes
BATCH = 500

ORGANISATIONS = "organisations.json"
INCUBATORS = "incubators.json"
STARTUPS = "startups.json"
AUTHORS = "authors.json"
FILES = (ORGANISATIONS, INCUBATORS, STARTUPS, AUTHORS)
KIND_OF_FILE = {
    ORGANISATIONS: "organisations",
    INCUBATORS: "incubators",
    STARTUPS: "startups",
    AUTHORS: "members",
}

# What a member may also edit on Ruche: upstream wins only when upstream changed it.
PROFILE_FIELDS = ("display_name", "role", "domaine", "bio", "github", "link")
MEMBER_LOADED_FIELDS = (
    "id",
    "email",
    "betagouv_id",
    *PROFILE_FIELDS,
    "search_text",
    "upstream_data",
    "upstream_missing_since",
)
DOMAINES = {fold(str(label)): value for value, label in Domaine.choices} | {
    value: value for value in Domaine.values
}
GITHUB_PREFIXES = ("https://github.com/", "http://github.com/", "https://www.github.com/")
_NOT_SEEN = object()


class ImportFailed(Exception):
    """Nothing at all can be imported."""


class SourceUnreachable(ImportFailed):
    """The source cannot be reached (network down, wrong address, not a directory)."""


class SourceError(Exception):
    """One file of the source cannot be used; the others still can."""


class DirectorySource:
    """A directory holding the API's four files, e.g. a saved snapshot."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        if not self.path.is_dir():
            raise SourceUnreachable(f"{self.path} is neither a directory nor an http(s) URL.")

    def __str__(self) -> str:
        return str(self.path)

    def load(self, name: str):
        try:
            data = (self.path / name).read_bytes()
        except FileNotFoundError:
            raise SourceError("file not found") from None
        except OSError as error:
            raise SourceError(f"cannot be read ({error.strerror})") from None
        return _parse_json(data)


class UrlSource:
    """The live API: each file is fetched from the base URL."""

    def __init__(self, base_url: str):
        self.base_url = base_url if base_url.endswith("/") else f"{base_url}/"

    def __str__(self) -> str:
        return self.base_url

    def load(self, name: str):
        url = urljoin(self.base_url, name)
        try:
            response = requests.get(
                url, timeout=HTTP_TIMEOUT, headers={"Accept": "application/json"}
            )
        except (requests.ConnectionError, requests.Timeout) as error:
            raise SourceUnreachable(f"Cannot reach {url}: {error}") from None
        except requests.RequestException as error:
            raise SourceError(f"download failed ({error})") from None
        if response.status_code != 200:
            raise SourceError(f"{url} answered HTTP {response.status_code}")
        return _parse_json(response.content)


def open_source(spec: str) -> DirectorySource | UrlSource:
    if spec.startswith(("http://", "https://")):
        return UrlSource(spec)
    return DirectorySource(spec)


def _parse_json(data: bytes):
    try:
        return json.loads(data)
    except ValueError as error:
        raise SourceError(f"is not valid JSON ({error})") from None


class SkipRecord(Exception):
    """The record cannot be imported at all (nothing identifies it, or it has no name)."""


class Fields:
    """Reads one upstream record. A field of the wrong shape is reported and left empty rather
    than failing the record: only what a record cannot exist without makes it skipped."""

    _url = URLValidator()

    def __init__(self, report: ImportReport, file: str, subject: str, data: dict):
        self.report = report
        self.file = file
        self.subject = subject
        self.data = data

    def note(self, message: str, consequence: str) -> None:
        self.report.problem(self.file, self.subject, message, consequence)

    def text(self, key, max_length=None, *, required=False, data=None, label=None) -> str:
        value = (self.data if data is None else data).get(key)
        label = label or f'"{key}"'
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise SkipRecord(f"{label} is missing")
            return ""
        if not isinstance(value, str):
            if required:
                raise SkipRecord(f"{label} is not text")
            self.note(f"{label} is not text", "left empty")
            return ""
        value = value.strip()
        if max_length and len(value) > max_length:
            self.note(f"{label} is longer than {max_length} characters", "cut short")
            value = value[:max_length].rstrip()
        return value

    def url(self, key: str, max_length: int) -> str:
        # Some upstream addresses arrive HTML-escaped ("https:&#x2F;&#x2F;…").
        value = html.unescape(self.text(key))
        if not value:
            return ""
        if len(value) > max_length:
            self.note(f'"{key}" is longer than {max_length} characters', "left empty")
            return ""
        try:
            self._url(value)
        except ValidationError:
            self.note(f'"{key}" is not a web address ({value})', "left empty")
            return ""
        return value

    def objects(self, key: str, noun: str) -> Iterator[tuple[str, dict]]:
        """The objects of a list field, each with its label for notes ("mission 2"). A field
        that is not a list, or an item that is not an object, is reported and skipped."""
        value = self.data.get(key)
        if value is None or value == "":
            return
        if not isinstance(value, list):
            self.note(f'"{key}" is not a list', f"no {noun} imported")
            return
        for number, item in enumerate(value, 1):
            label = f"{noun} {number}"
            if isinstance(item, dict):
                yield label, item
            else:
                self.note(f"{label} is not an object", f"{noun} skipped")

    def strings(self, key: str, max_length: int, *, data=None, label=None) -> list[str]:
        """A list of short texts, without blanks or duplicates (ignoring case)."""
        value = (self.data if data is None else data).get(key)
        label = label or f'"{key}"'
        if value is None or value == "":
            return []
        if not isinstance(value, list):
            self.note(f"{label} is not a list", "ignored")
            return []
        items, seen = [], set()
        for number, item in enumerate(value, 1):
            if not isinstance(item, str):
                self.note(f"{label} item {number} is not text", "item ignored")
                continue
            item = item.strip()
            if len(item) > max_length:
                self.note(f"{label} item {number} is longer than {max_length} characters", "cut")
                item = item[:max_length].rstrip()
            if item and item.casefold() not in seen:
                seen.add(item.casefold())
                items.append(item)
        return items

    @overload
    def date(
        self, item: dict, key: str, label: str, *, required: Literal[True]
    ) -> datetime.date: ...
    @overload
    def date(self, item: dict, key: str, label: str, *, required: bool) -> datetime.date | None: ...
    def date(self, item: dict, key: str, label: str, *, required: bool) -> datetime.date | None:
        """Raises ValueError with the reason when the date is unusable."""
        value = item.get(key)
        if value is None or value == "":
            if required:
                raise ValueError(f"{label} has no {key} date")
            return None
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise ValueError(f'{label} {key} date "{value}" is not a date (YYYY-MM-DD)')


class BetagouvImport:
    """One run of the import. `progress(kind, done, total)` is called as records are read."""

    def __init__(
        self,
        source: DirectorySource | UrlSource,
        *,
        email_domain: str,
        progress: Callable[[str, int, int], None] | None = None,
        dry_run: bool = False,
        now: datetime.datetime | None = None,
    ):
        self.source = source
        self.email_domain = email_domain.strip().lower()
        self.progress = progress or (lambda kind, done, total: None)
        self.dry_run = dry_run
        self.now = now or timezone.now()
        self.report = ImportReport(dry_run=dry_run)

    def run(self) -> ImportReport:
        started = time.monotonic()
        rows = {name: self._load(name) for name in FILES}
        if all(value is None for value in rows.values()):
            raise ImportFailed(
                f"Nothing could be imported from {self.source}:\n  "
                + "\n  ".join(self.report.problems)
            )
        # A dry run does all the work in one transaction and rolls it back.
        with transaction.atomic() if self.dry_run else nullcontext():
            organisation_ids = self._organisations(rows[ORGANISATIONS])
            incubator_ids = self._incubators(rows[INCUBATORS], organisation_ids)
            startup_ids = self._startups(rows[STARTUPS], incubator_ids)
            self._members(rows[AUTHORS], startup_ids)
            if self.dry_run:
                transaction.set_rollback(True)
        self.report.seconds = time.monotonic() - started
        return self.report

    # Loading -------------------------------------------------------------------------------

    def _load(self, name: str) -> list[tuple[str | None, object]] | None:
        """The file's records as (id given by the container or None, record), or None when
        the file cannot be used (reported)."""
        kind = KIND_OF_FILE[name]
        try:
            payload = self.source.load(name)
        except SourceError as error:
            self._unusable(name, str(error))
            return None
        if name == INCUBATORS:
            if not isinstance(payload, dict):
                self._unusable(name, "is not an object keyed by incubator id")
                return None
            return list(payload.items())
        if name == STARTUPS:
            if not isinstance(payload, dict) or not isinstance(payload.get("data"), list):
                self._unusable(name, 'has no "data" list of startups')
                return None
            payload = payload["data"]
        if not isinstance(payload, list):
            self._unusable(name, f"is not a list of {kind}")
            return None
        return [(None, record) for record in payload]

    def _unusable(self, name: str, reason: str) -> None:
        kind = KIND_OF_FILE[name]
        self.report.problem(name, "", reason, f"{kind} not imported")
        self.report.counts[kind].not_read = True
        return None

    def _read(
        self, file: str, items: list, noun: str, read_one: Callable[[Fields, str], dict]
    ) -> tuple[dict[str, dict], set[str]]:
        """Reads every record; returns the valid ones by id, and every id seen (a broken
        record that still names itself is present upstream, so it is not marked missing)."""
        kind = KIND_OF_FILE[file]
        counts = self.report.counts[kind]
        records, seen = {}, set()
        total = len(items)
        for position, (key, data) in enumerate(items, 1):
            self.progress(kind, position, total)
            subject = f"{noun} {position}"
            slug = key if key is not None else (data.get("id") if isinstance(data, dict) else None)
            if isinstance(slug, str) and slug.strip() and len(slug.strip()) <= 150:
                slug = slug.strip()
                subject = f'{noun} "{slug}"'
            elif not isinstance(data, dict):
                slug = None
            else:
                reason = '"id" is missing' if not slug else '"id" is not a short text'
                self.report.problem(file, subject, reason, f"{noun} skipped")
                counts.skipped += 1
                continue
            if not isinstance(data, dict):
                self.report.problem(file, subject, "is not an object", f"{noun} skipped")
                counts.skipped += 1
                if slug:
                    seen.add(slug)
                continue
            if slug in seen:
                self.report.problem(
                    file, subject, "appears more than once", f"later copy of the {noun} skipped"
                )
                counts.skipped += 1
                continue
            assert isinstance(slug, str)  # the other branches skipped the record
            seen.add(slug)
            try:
                records[slug] = read_one(Fields(self.report, file, subject, data), slug)
            except SkipRecord as reason:
                self.report.problem(file, subject, str(reason), f"{noun} skipped")
                counts.skipped += 1
        return records, seen

    # Organisations, incubators, startups ------------------------------------------------------

    def _organisations(self, items) -> dict[str, int]:
        def read(f: Fields, slug: str) -> dict:
            return {
                "name": f.text("name", 300, required=True),
                "acronym": f.text("acronym", 50),
                "domaine_ministeriel": f.text("domaine_ministeriel", 100),
                "kind": f.text("type", 100),
            }

        return self._sync_slugged("organisations", Organisation, ORGANISATIONS, items, read)

    def _incubators(self, items, organisation_ids: dict[str, int]) -> dict[str, int]:
        def read(f: Fields, slug: str) -> dict:
            owner = f.text("owner", 300)
            owner_slug = owner.rstrip("/").rsplit("/", 1)[-1]
            owner_id = organisation_ids.get(owner_slug) if owner_slug else None
            if owner_slug and owner_id is None:
                f.note(f'owner "{owner}" is not a known organisation', "imported without owner")
            return {
                "title": f.text("title", 300, required=True),
                "owner_id": owner_id,
                "contact": f.text("contact", 300),
                "address": f.text("address", 300),
                "website": f.url("website", 500),
                "github": f.url("github", 500),
            }

        return self._sync_slugged("incubators", Incubator, INCUBATORS, items, read)

    def _startups(self, items, incubator_ids: dict[str, int]) -> dict[str, int]:
        def read(f: Fields, slug: str) -> dict:
            attributes = f.data.get("attributes")
            if not isinstance(attributes, dict):
                raise SkipRecord('"attributes" is missing')
            a = Fields(self.report, f.file, f.subject, attributes)
            phases = self._phases(a)
            current = max(phases, key=lambda phase: phase["start"], default=None)
            return {
                "name": a.text("name", 300, required=True),
                "pitch": a.text("pitch"),
                "link": a.url("link", 500),
                "repository": a.url("repository", 500),
                "contact": a.text("contact", 300),
                "incubator_id": self._incubator_of(f, incubator_ids),
                "phase": current["name"] if current else "",
                "phases": phases,
                "thematiques": a.strings("thematiques", 100),
                "technos": a.strings("technos", 100),
                "accessibility_status": a.text("accessibility_status", 100),
            }

        return self._sync_slugged("startups", Startup, STARTUPS, items, read)

    @staticmethod
    def _incubator_of(f: Fields, incubator_ids: dict[str, int]) -> int | None:
        try:
            ref = f.data["relationships"]["incubator"]["data"]["id"]
        except (KeyError, TypeError):
            ref = None
        if not isinstance(ref, str) or not ref:
            f.note("names no incubator", "imported without incubator")
            return None
        if ref not in incubator_ids:
            f.note(f'incubator "{ref}" is unknown', "imported without incubator")
            return None
        return incubator_ids[ref]

    @staticmethod
    def _phases(a: Fields) -> list[dict]:
        phases = []
        for label, item in a.objects("phases", "phase"):
            try:
                name = a.text("name", 50, data=item, label=f"{label} name", required=True)
                start = a.date(item, "start", label, required=True)
                end = a.date(item, "end", label, required=False)
            except (SkipRecord, ValueError) as error:
                a.note(str(error), "phase skipped")
                continue
            phases.append(
                {"name": name, "start": start.isoformat(), "end": end.isoformat() if end else None}
            )
        return phases

    def _sync_slugged(self, kind, model, file, items, read) -> dict[str, int]:
        """Creates, updates and marks missing the rows of a model keyed by `slug`; returns
        slug → primary key of every row, for the kinds that refer to this one."""
        if items is None:
            return dict(model.objects.values_list("slug", "pk"))
        noun = kind.removesuffix("s")
        records, seen = self._read(file, items, noun, read)
        counts = self.report.counts[kind]
        existing = {obj.slug: obj for obj in model.objects.all()}
        created, changed, changed_fields = [], [], set()
        for slug, values in records.items():
            obj = existing.get(slug)
            if obj is None:
                created.append(model(slug=slug, **values))
                continue
            fields = {name for name, value in values.items() if getattr(obj, name) != value}
            for name in fields:
                setattr(obj, name, values[name])
            if obj.upstream_missing_since is not None:
                obj.upstream_missing_since = None
                fields.add("upstream_missing_since")
            if fields:
                changed.append(obj)
                changed_fields |= fields
            else:
                counts.unchanged += 1
        missing = [
            obj.pk
            for slug, obj in existing.items()
            if slug not in seen and obj.upstream_missing_since is None
        ]
        with transaction.atomic():
            model.objects.bulk_create(created, batch_size=BATCH)
            if changed:
                model.objects.bulk_update(changed, sorted(changed_fields), batch_size=BATCH)
            for chunk in _chunks(missing):
                model.objects.filter(pk__in=chunk).update(upstream_missing_since=self.now)
        counts.created += len(created)
        counts.updated += len(changed)
        counts.marked_missing += len(missing)
        return {slug: obj.pk for slug, obj in existing.items()} | {
            obj.slug: obj.pk for obj in created
        }

    # Members -------------------------------------------------------------------------------

    def _members(self, items, startup_ids: dict[str, int]) -> None:
        if items is None:
            return
        records, seen = self._read(
            AUTHORS, items, "member", lambda f, slug: self._read_member(f, slug, startup_ids)
        )
        counts = self.report.counts["members"]
        counts.skipped += self._drop_erased(records)
        existing = {
            member.betagouv_id: member
            for member in Member.objects.filter(betagouv_id__isnull=False).only(
                *MEMBER_LOADED_FIELDS
            )
        }
        adopted = self._adopt_by_email(records, existing)

        created, changed, changed_fields = [], [], set()
        relations: list[tuple[Member, dict, dict | None]] = []
        for slug, record in records.items():
            member = existing.get(slug)
            if member is None:
                member = Member(
                    betagouv_id=slug,
                    email=self._email(slug),
                    password=make_password(None),
                    upstream_data=record,
                    **{name: record[name] for name in PROFILE_FIELDS},
                )
                member.search_text = member.build_search_text()
                created.append(member)
                relations.append((member, record, None))
                continue
            if (
                member.upstream_data == record
                and member.upstream_missing_since is None
                and member.pk not in adopted
            ):
                counts.unchanged += 1
                continue
            previous = member.upstream_data or {}
            changed_fields |= self._member_update(member, record, adopted=member.pk in adopted)
            if previous != record:
                relations.append((member, record, previous))
            changed.append(member)
        missing = [
            member.pk
            for slug, member in existing.items()
            if slug not in seen and member.upstream_missing_since is None
        ]
        with transaction.atomic():
            Member.objects.bulk_create(created, batch_size=BATCH)
            if changed:
                Member.objects.bulk_update(changed, sorted(changed_fields), batch_size=BATCH)
            self._sync_member_relations(relations, startup_ids)
            for chunk in _chunks(missing):
                Member.objects.filter(pk__in=chunk).update(upstream_missing_since=self.now)
        counts.created += len(created)
        counts.updated += len(changed)
        counts.marked_missing += len(missing)

    @staticmethod
    def _drop_erased(records: dict) -> int:
        """Leaves out the members who deleted their account (they stay deleted, and are not
        counted as a problem); returns how many."""
        erased = set(ErasedMember.objects.values_list("betagouv_id_hash", flat=True))
        gone = [slug for slug in records if hash_secret(slug) in erased]
        for slug in gone:
            del records[slug]
        return len(gone)

    @staticmethod
    def _member_update(member: Member, record: dict, *, adopted: bool) -> set[str]:
        """Applies upstream's record to a known member; returns the fields it changed. A field
        the member changed here is kept until upstream changes it too."""
        previous = member.upstream_data or {}
        fields = {"betagouv_id"} if adopted else set()
        for name in PROFILE_FIELDS:
            value = record[name]
            if previous.get(name, _NOT_SEEN) != value and getattr(member, name) != value:
                setattr(member, name, value)
                fields.add(name)
        if fields & {"display_name", "role", "betagouv_id"}:
            member.search_text = member.build_search_text()
            fields.add("search_text")
        if member.upstream_missing_since is not None:
            member.upstream_missing_since = None
            fields.add("upstream_missing_since")
        if previous != record:
            member.upstream_data = record
            fields.add("upstream_data")
        return fields

    def _email(self, slug: str) -> str:
        return f"{slug}@{self.email_domain}".lower()

    def _adopt_by_email(self, records: dict, existing: dict) -> set[int]:
        """A new upstream member whose address already exists on Ruche is that member (invited
        by hand before the import knew them); if the address belongs to another imported
        member, the record is skipped."""
        by_email = {self._email(slug): slug for slug in records if slug not in existing}
        adopted = set()
        for chunk in _chunks(list(by_email)):
            for member in Member.objects.filter(email__in=chunk).only(*MEMBER_LOADED_FIELDS):
                slug = by_email[member.email]
                if member.betagouv_id is None:
                    member.betagouv_id = slug
                    existing[slug] = member
                    adopted.add(member.pk)
                else:
                    self.report.problem(
                        AUTHORS,
                        f'member "{slug}"',
                        f'the address {member.email} belongs to member "{member.betagouv_id}"',
                        "member skipped",
                    )
                    self.report.counts["members"].skipped += 1
                    del records[slug]
        return adopted

    def _read_member(self, f: Fields, slug: str, startup_ids: dict[str, int]) -> dict:
        try:
            validate_email(self._email(slug))
        except ValidationError:
            raise SkipRecord(f'"id" cannot make an e-mail address ({slug})') from None
        max_length = Member._meta.get_field("betagouv_id").max_length
        if max_length is not None and len(slug) > max_length:
            raise SkipRecord('"id" is too long')
        display_name = f.text("fullname", 150)
        if not display_name:
            f.note('"fullname" is missing', "the id is shown as name")
            display_name = slug
        return {
            "display_name": display_name,
            "role": f.text("role", 300),
            "domaine": self._domaine(f),
            "bio": f.text("bio"),
            "github": self._github(f),
            "link": f.url("link", 500),
            "competences": f.strings("competences", 100),
            "previously": self._startup_slugs(
                f, f.strings("previously", 150), '"previously"', startup_ids
            ),
            "missions": self._missions(f, startup_ids),
        }

    @staticmethod
    def _domaine(f: Fields) -> str:
        value = f.text("domaine", 100)
        if not value:
            return ""
        domaine = DOMAINES.get(fold(value))
        if domaine is None:
            f.note(f'domaine "{value}" is unknown', "left empty")
            return ""
        return domaine

    @staticmethod
    def _github(f: Fields) -> str:
        value = f.text("github")
        for prefix in GITHUB_PREFIXES:
            value = value.removeprefix(prefix)
        handle = value.strip("/@ ")
        if not handle:
            return ""
        if len(handle) > 39 or not all(c.isascii() and (c.isalnum() or c == "-") for c in handle):
            f.note(f'"github" is not a GitHub account name ({value})', "left empty")
            return ""
        return handle

    @staticmethod
    def _startup_slugs(f: Fields, slugs: Iterable[str], label: str, startup_ids) -> list[str]:
        known = []
        for slug in slugs:
            if slug in startup_ids:
                known.append(slug)
            else:
                f.note(f'{label} names unknown startup "{slug}"', "link skipped")
        return known

    def _missions(self, f: Fields, startup_ids: dict[str, int]) -> list[dict]:
        missions = []
        for label, item in f.objects("missions", "mission"):
            try:
                start = f.date(item, "start", label, required=True)
                end = f.date(item, "end", label, required=False)
            except ValueError as error:
                f.note(str(error), "mission skipped")
                continue
            if end is not None and end < start:
                f.note(f"{label} ends before it starts", "mission skipped")
                continue
            status = f.text("status", 20, data=item, label=f"{label} status")
            if status and status not in MissionStatus.values:
                f.note(f'{label} status "{status}" is unknown', "status left empty")
                status = ""
            missions.append(
                {
                    "start": start.isoformat(),
                    "end": end.isoformat() if end else None,
                    "status": status,
                    "employer": f.text("employer", 300, data=item, label=f"{label} employer"),
                    "startups": self._startup_slugs(
                        f,
                        f.strings("startups", 150, data=item, label=f"{label} startups"),
                        label,
                        startup_ids,
                    ),
                }
            )
        return missions

    def _sync_member_relations(self, relations: list, startup_ids: dict[str, int]) -> None:
        """Competences, previous startups and missions of the members created or changed.
        `relations` holds (member, record, previous record or None for a new member)."""
        if not relations:
            return
        known = [member.pk for member, _record, previous in relations if previous is not None]
        competence_ids = self._competence_ids(
            name
            for _member, record, previous in relations
            if previous is None or previous.get("competences") != record["competences"]
            for name in record["competences"]
        )
        competence_targets, previous_targets, mission_targets = {}, {}, {}
        for member, record, previous in relations:
            # A competence list edited on Ruche stands until upstream changes its own.
            if previous is None or previous.get("competences") != record["competences"]:
                competence_targets[member.pk] = {
                    competence_ids[name.casefold()] for name in record["competences"]
                }
            previous_targets[member.pk] = {startup_ids[slug] for slug in record["previously"]}
            mission_targets[member.pk] = record["missions"]

        self._sync_links(Member.competences.through, "competence_id", known, competence_targets)
        self._sync_links(Member.previous_startups.through, "startup_id", known, previous_targets)
        self._sync_missions(known, mission_targets, startup_ids)

    @staticmethod
    def _competence_ids(names: Iterable[str]) -> dict[str, int]:
        """casefolded name → Competence pk, creating the competences not known yet."""
        ids: dict[str, int] = {}
        for competence_id, name in Competence.objects.order_by("pk").values_list("pk", "name"):
            ids.setdefault(name.casefold(), competence_id)
        new: dict[str, Competence] = {}
        for name in names:
            if name.casefold() not in ids:
                new.setdefault(name.casefold(), Competence(name=name))
        for competence in Competence.objects.bulk_create(new.values(), batch_size=BATCH):
            ids[competence.name.casefold()] = competence.pk
        return ids

    @staticmethod
    def _sync_links(through, target_field: str, known: list[int], targets: dict[int, set]):
        """Makes the member's rows of an M2M `through` table be exactly `targets[member]`."""
        current: defaultdict[int, dict[int, int]] = defaultdict(dict)  # member → target → row
        for chunk in _chunks([pk for pk in known if pk in targets]):
            rows = through.objects.filter(member_id__in=chunk).values_list(
                "pk", "member_id", target_field
            )
            for row_id, member_id, target_id in rows:
                current[member_id][target_id] = row_id
        stale: list[int] = []
        new: list[Any] = []
        for member_id, wanted in targets.items():
            have = current.get(member_id, {})
            stale.extend(row_id for target_id, row_id in have.items() if target_id not in wanted)
            new.extend(
                through(member_id=member_id, **{target_field: target_id})
                for target_id in sorted(wanted - have.keys())
            )
        for chunk in _chunks(stale):
            through.objects.filter(pk__in=chunk).delete()
        through.objects.bulk_create(new, batch_size=BATCH)

    @staticmethod
    def _sync_missions(known: list[int], targets: dict[int, list[dict]], startup_ids) -> None:
        """Keeps the missions that match upstream exactly, deletes the others and creates the
        new ones, so unchanged missions keep their ids."""
        startup_links = Mission.startups.through
        current = _current_missions(known)
        stale: list[int] = []
        new: list[tuple[Mission, list[int]]] = []
        for member_id, missions in targets.items():
            have = current.get(member_id, {})
            for mission in missions:
                ids = sorted({startup_ids[slug] for slug in mission["startups"]})
                mission_key = _mission_key(
                    mission["start"], mission["end"], mission["status"], mission["employer"], ids
                )
                if have.get(mission_key):
                    have[mission_key].pop()
                    continue
                new.append(
                    (
                        Mission(
                            member_id=member_id,
                            start=datetime.date.fromisoformat(mission["start"]),
                            end=datetime.date.fromisoformat(mission["end"])
                            if mission["end"]
                            else None,
                            status=mission["status"],
                            employer=mission["employer"],
                        ),
                        ids,
                    )
                )
            stale.extend(pk for pks in have.values() for pk in pks)
        for chunk in _chunks(stale):
            Mission.objects.filter(pk__in=chunk).delete()
        Mission.objects.bulk_create([mission for mission, _ids in new], batch_size=BATCH)
        startup_links.objects.bulk_create(
            [
                startup_links(mission_id=mission.pk, startup_id=startup_id)
                for mission, ids in new
                for startup_id in ids
            ],
            batch_size=BATCH,
        )


def _mission_key(start, end, status, employer, startups) -> tuple:
    return (str(start), str(end) if end else None, status, employer, tuple(startups))


def _current_missions(known: list[int]) -> dict:
    """member pk → mission key → the pks of their missions of that key, as stored."""
    startup_links = Mission.startups.through
    current: defaultdict[int, defaultdict[tuple, list[int]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for chunk in _chunks(known):
        missions = list(
            Mission.objects.filter(member_id__in=chunk).values_list(
                "pk", "member_id", "start", "end", "status", "employer"
            )
        )
        links = defaultdict(list)
        for mission_chunk in _chunks([row[0] for row in missions]):
            for mission_id, startup_id in startup_links.objects.filter(
                mission_id__in=mission_chunk
            ).values_list("mission_id", "startup_id"):
                links[mission_id].append(startup_id)
        for pk, member_id, start, end, status, employer in missions:
            mission_key = _mission_key(start, end, status, employer, sorted(links[pk]))
            current[member_id][mission_key].append(pk)
    return current


def _chunks(items: list, size: int = BATCH) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
