import datetime
import zoneinfo

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ruche.core.registry import registry
from ruche.notifications import digest as services
from ruche.notifications import registry as notification_registry
from ruche.notifications.models import DigestDelivery, Notification
from ruche.notifications.registry import DigestSection, register_digest_section
from ruche.notifications.services import preferences_update
from tests.factories import MemberFactory
from tests.helpers import run_at_once
from tests.notifications.helpers import templates_in_memory

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
# 4 January 2027 is a Monday.
MONDAY_8 = datetime.datetime(2027, 1, 4, 8, 0, tzinfo=PARIS)
SECTION_TEMPLATE = "tests/digest_news.txt"


def _news_build(member, now, prepared):
    """Something to say to whoever `prepared` names."""
    if member.pk not in prepared["for"]:
        return None
    return {"line": f"Une nouvelle pour {member.get_short_name()} & les autres"}


@pytest.fixture
def news():
    """A digest section of the tests' own, saying one line to the members listed in it; the
    apps' sections stay registered and have nothing to say in these tests."""
    told = {"for": set(), "prepared": 0}

    def prepare(now):
        told["prepared"] += 1
        return told

    register_digest_section(
        DigestSection(
            name="tests.news",
            order=0,
            template=SECTION_TEMPLATE,
            build=_news_build,
            prepare=prepare,
        )
    )
    yield told
    notification_registry._sections.pop("tests.news")


@pytest.fixture(autouse=True)
def _section_template(settings):
    templates_in_memory(settings, {SECTION_TEMPLATE: "Les nouvelles\n{{ section.line }}\n"})


def reader(**fields):
    """A member who has signed in before."""
    return MemberFactory(last_login=MONDAY_8 - datetime.timedelta(days=30), **fields)


def send(django_capture_on_commit_callbacks, now=MONDAY_8) -> int:
    with django_capture_on_commit_callbacks(execute=True):
        return services.digest_send(now=now)


def test_the_digest_leaves_once_a_week(news, django_capture_on_commit_callbacks, settings):
    member = reader(display_name="Inès Martin")
    news["for"].add(member.pk)

    assert send(django_capture_on_commit_callbacks) == 1
    assert send(django_capture_on_commit_callbacks, MONDAY_8 + datetime.timedelta(hours=3)) == 0

    [message] = mail.outbox
    assert message.to == [member.email]
    assert message.subject == "[Ruche] Votre récapitulatif de la semaine du 4 janvier"
    assert "Bonjour Inès," in message.body
    assert "Les nouvelles\nUne nouvelle pour Inès & les autres" in message.body
    assert f"{settings.BASE_URL}/notifications/preferences/" in message.body
    assert DigestDelivery.objects.get().week == datetime.date(2027, 1, 4)
    assert not Notification.objects.in_app().exists()


def test_the_next_week_brings_the_next_digest(news, django_capture_on_commit_callbacks):
    news["for"].add(reader().pk)

    assert send(django_capture_on_commit_callbacks) == 1
    assert send(django_capture_on_commit_callbacks, MONDAY_8 + datetime.timedelta(days=7)) == 1
    assert len(mail.outbox) == 2


def test_the_first_of_the_month_reads_as_french_writes_it(news, django_capture_on_commit_callbacks):
    news["for"].add(reader().pk)
    first_of_february = MONDAY_8 + datetime.timedelta(weeks=4)

    send(django_capture_on_commit_callbacks, first_of_february)

    assert mail.outbox[0].subject == "[Ruche] Votre récapitulatif de la semaine du 1er février"


@pytest.mark.parametrize(
    "moment",
    [
        MONDAY_8 - datetime.timedelta(minutes=1),
        MONDAY_8 - datetime.timedelta(days=1),
        # A worker stopped all Monday: the week is skipped rather than sent days late.
        MONDAY_8 + datetime.timedelta(days=1),
        MONDAY_8 + datetime.timedelta(days=4),
    ],
)
def test_nothing_leaves_outside_monday_from_8_am_paris_time(news, moment):
    news["for"].add(reader().pk)

    assert services.digest_send(now=moment) == 0
    assert news["prepared"] == 0


def test_monday_8_am_is_paris_time_whatever_the_clock_of_the_server(news):
    news["for"].add(reader().pk)
    utc_7_30 = datetime.datetime(2027, 1, 4, 7, 30, tzinfo=datetime.UTC)  # 8:30 in Paris

    assert services.digest_send(now=utc_7_30) == 1


def test_only_members_who_want_it_and_can_read_it_get_it(news, django_capture_on_commit_callbacks):
    wants = reader()
    alumnus = reader(mission__end=datetime.date(2026, 6, 30))
    switched_off = reader()
    preferences_update(actor=switched_off, digest_frequency="off")
    switched_back_on = reader()
    preferences_update(actor=switched_back_on, digest_frequency="off")
    preferences_update(actor=switched_back_on, digest_frequency="weekly")
    never_came = MemberFactory(last_login=None)
    no_address = reader(email="")
    closed = reader(is_active=False)
    everyone = [wants, alumnus, switched_off, switched_back_on, never_came, no_address, closed]
    news["for"].update(person.pk for person in everyone)

    assert send(django_capture_on_commit_callbacks) == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [wants.email, alumnus.email, switched_back_on.email]
    )


def test_a_member_with_nothing_to_read_gets_nothing_and_is_not_rebuilt(
    news, django_capture_on_commit_callbacks
):
    quiet = reader()
    told = reader()
    news["for"].add(told.pk)

    assert send(django_capture_on_commit_callbacks) == 1
    assert [m.to for m in mail.outbox] == [[told.email]]
    assert DigestDelivery.objects.get(member=quiet).notification is None

    news["for"].add(quiet.pk)  # news that comes up later waits for next Monday
    assert send(django_capture_on_commit_callbacks, MONDAY_8 + datetime.timedelta(hours=1)) == 0


def test_a_member_another_worker_has_just_done_is_skipped(news, django_capture_on_commit_callbacks):
    member = reader()
    news["for"].add(member.pk)

    def build_while_another_worker_commits(member, now, prepared):
        DigestDelivery.objects.create(member=member, week=now.date())
        return _news_build(member, now, prepared)

    register_digest_section(
        DigestSection(
            name="tests.news",
            order=0,
            template=SECTION_TEMPLATE,
            build=build_while_another_worker_commits,
            prepare=lambda now: news,
        )
    )

    assert send(django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []
    assert not Notification.objects.exists()
    assert DigestDelivery.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_at_the_same_time_send_each_digest_once(news):
    members = [reader() for _ in range(20)]
    news["for"].update(member.pk for member in members)
    sent = run_at_once([lambda: services.digest_send(now=MONDAY_8)] * 2)

    assert len(sent) == 2  # neither worker failed
    assert sum(sent) == len(members)
    assert Notification.objects.count() == len(members)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.email for m in members)


def test_sections_are_prepared_once_however_many_members(news):
    news["for"].update(reader().pk for _ in range(3))

    services.digest_send(now=MONDAY_8)

    assert news["prepared"] == 1


def test_each_more_member_costs_the_same_few_queries(news):
    def queries(recipients):
        DigestDelivery.objects.all().delete()
        news["for"].update(reader().pk for _ in range(recipients - len(news["for"])))
        with CaptureQueriesContext(connection) as captured:
            services.digest_send(now=MONDAY_8)
        return len(captured)

    one, three, five = queries(1), queries(3), queries(5)
    assert five - three == three - one


def test_the_digest_job_is_registered_with_the_worker():
    job = next(job for job in registry.periodic if job.name == "notifications.digest")
    assert job.run is services.digest_send
    assert job.every_seconds <= 3600
