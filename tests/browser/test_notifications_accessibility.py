"""The notification pages, filled with data, pass the accessibility checks: preferences, the
filtered list, « Mon récapitulatif », the unsubscribe page (signed out), the animation team's
channel pages (forms in error included); and the HTML e-mail itself passes axe-core."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from ruche.members.models import Incubator
from ruche.notifications.emails import unsubscribe_token
from ruche.notifications.enums import DeliveryStatus, Scope, Topic, Transport
from ruche.notifications.models import Announcement, Channel, Delivery
from ruche.notifications.services import notify
from tests.browser.a11y import accessibility_problems, axe_violations
from tests.helpers import build_community

pytestmark = pytest.mark.browser


def _channels():
    webhook = Channel.objects.create(
        name="Mattermost de l’incubateur",
        transport=Transport.WEBHOOK,
        topics=[Topic.NEW_INITIATIVE, Topic.CALL_FOR_HELP],
        scope=Scope.INCUBATOR,
        incubator=Incubator.objects.first(),
        failing_since=timezone.now(),
        failure_warned_at=timezone.now(),
    )
    announcement = Announcement.objects.create(
        topic=Topic.NEW_INITIATIVE,
        text="Nouvelle initiative : Café des devs — http://127.0.0.1:8000/initiatives/1/",
        markdown="x",
        html="x",
    )
    failed = Announcement.objects.create(
        topic=Topic.CALL_FOR_HELP, text="Appel à l’aide : Maquettes", markdown="x", html="x"
    )
    for message, status, error in [
        (announcement, DeliveryStatus.SENT, ""),
        (failed, DeliveryStatus.FAILED, "HTTP 403: token revoked"),
    ]:
        Delivery.objects.create(
            announcement=message,
            channel=webhook,
            transport=webhook.transport,
            status=status,
            attempts=7 if error else 1,
            error=error,
            next_attempt_at=timezone.now(),
        )
    return webhook


def test_notification_pages_pass_the_accessibility_rules(page, page_problems, client, sign_in):
    community = build_community()
    member = community.personas["member"]
    animator = community.personas["animation"]
    channel = _channels()
    problems = []

    def check(paths):
        for path in paths:
            response = page.goto(path)
            assert response.status in (200, 400), f"{path} answered {response.status}"
            problems.extend(accessibility_problems(page))
            page_problems.check()

    check(
        [
            reverse("notifications:unsubscribe", args=[unsubscribe_token(member.pk, "news")]),
            reverse("notifications:unsubscribe", args=["faux"]),
        ]
    )
    sign_in(member)
    check(
        [
            reverse("notifications:preferences"),
            reverse("notifications:list") + "?categorie=rota",
            reverse("notifications:digest"),
        ]
    )
    sign_in(animator)
    check(
        [
            reverse("notifications:channel-list"),
            reverse("notifications:channel-create"),
            reverse("notifications:channel-detail", args=[channel.pk]),
            reverse("notifications:channel-edit", args=[channel.pk]),
            reverse("notifications:digest"),
        ]
    )
    page.goto(reverse("notifications:channel-create"))
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Le formulaire contient des erreurs")).to_have_count(1)
    problems.extend(accessibility_problems(page))
    assert not problems, "Accessibility problems:\n" + "\n".join(problems)


def test_the_html_email_passes_axe(page, db, django_capture_on_commit_callbacks):
    community = build_community()
    member = community.personas["member"]
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            member,
            "initiatives.participant_joined",
            {"member_name": "Inès", "title": "Café du jeudi", "role": "", "url": "/initiatives/1/"},
        )

    html = mail.outbox[-1].alternatives[0].content
    page.set_content(html)

    assert page.evaluate("document.documentElement.lang") == "fr"
    assert page.locator("h1").count() == 1
    assert not axe_violations(page)
