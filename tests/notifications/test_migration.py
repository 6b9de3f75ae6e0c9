"""The move to delivery rows and categories keeps what was stored: each e-mail still to send
becomes a due delivery, a sent one a sent delivery; a digest switched off stays off."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("notifications", "0003_notification_to_an_address")]
AFTER = [("notifications", "0004_deliveries_categories_channels")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_stored_emails_and_the_digest_choice_survive_the_migration():
    from tests.factories import MemberFactory

    member = MemberFactory()
    old = _migrate(BEFORE)
    try:
        Notification = old.get_model("notifications", "Notification")
        Preferences = old.get_model("notifications", "NotificationPreferences")
        common = {"member_id": member.pk, "context": {}, "subject": "Sujet"}
        waiting = Notification.objects.create(
            kind="events.cancelled", email_status="pending", **common
        )
        sent = Notification.objects.create(
            kind="initiatives.mentioned", email_status="sent", emailed_at=timezone.now(), **common
        )
        quiet = Notification.objects.create(kind="events.changed", email_status="none", **common)
        Preferences.objects.create(member_id=member.pk, digest=False)

        new = _migrate(AFTER)
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())  # every app at its last

    Delivery = new.get_model("notifications", "Delivery")
    Notification = new.get_model("notifications", "Notification")
    assert Delivery.objects.get(notification_id=waiting.pk).status == "pending"
    assert Delivery.objects.get(notification_id=sent.pk).status == "sent"
    assert not Delivery.objects.filter(notification_id=quiet.pk).exists()
    assert Notification.objects.get(pk=sent.pk).category == "mentions"
    assert Notification.objects.get(pk=waiting.pk).category == "events"
    preferences = new.get_model("notifications", "NotificationPreferences").objects.get()
    assert preferences.digest_frequency == "off"
