from tests.permissions import Case


def _notification_of(person_attribute):
    def kwargs(world):
        from ruche.notifications.models import Notification

        notification = world.once(
            f"notification-{person_attribute}",
            lambda w: Notification.objects.create(
                member=getattr(w, person_attribute), kind="test", subject="Bonjour", url="/"
            ),
        )
        return {"pk": notification.pk}

    return kwargs


CASES = [
    Case("notifications:list", anonymous=302, member=200, admin=200),
    # A notification opens (and is marked read) for its recipient only.
    Case(
        "notifications:open",
        method="post",
        kwargs=_notification_of("owner"),
        anonymous=302,
        member=404,
        admin=404,
    ),
    Case(
        "notifications:open",
        method="post",
        kwargs=_notification_of("member"),
        anonymous=302,
        member=302,
        animator=404,
        admin=404,
    ),
    Case("notifications:mark-all-read", method="post", anonymous=302, member=302, admin=302),
    Case("notifications:mark-all-read", anonymous=302, member=405, admin=405),
    # Each member's own preferences: nobody else's are reachable.
    Case("notifications:preferences", anonymous=302, member=200, admin=200),
    Case(
        "notifications:preferences",
        method="post",
        data=lambda w: {"digest": ""},
        anonymous=302,
        member=302,
        admin=302,
    ),
    Case("notifications:preferences", method="put", anonymous=302, member=405, admin=405),
]
