from ruche.notifications.models import Notification
from tests.helpers import assert_constant_queries


def test_the_notification_list_runs_the_same_queries_for_10_or_200(member_client, member):
    def add(count):
        Notification.objects.bulk_create(
            Notification(member=member, kind="test", subject=f"Nouvelle {i}", url="/")
            for i in range(count)
        )

    assert_constant_queries(member_client, "/notifications/", add)
