from tests.permissions import Case

CATEGORIES = ["initiatives", "events", "rota", "groups", "mentions", "calls", "news"]


def _channel(world):
    from ruche.notifications.models import Channel

    channel = world.once(
        "channel",
        lambda w: Channel.objects.create(
            name="Tchap", transport="webhook", topics=["new_initiative"]
        ),
    )
    return {"pk": channel.pk}


def _failed_delivery(world):
    from django.utils import timezone

    from ruche.notifications.models import Announcement, Channel, Delivery

    def build(w):
        channel = Channel.objects.create(name="Tchap", transport="webhook", topics=[])
        announcement = Announcement.objects.create(
            topic="new_initiative", text="t", markdown="t", html="t"
        )
        return Delivery.objects.create(
            announcement=announcement,
            channel=channel,
            transport="webhook",
            status="failed",
            next_attempt_at=timezone.now(),
        )

    return {"pk": world.once("delivery", build).pk}


def _unsubscribe_token(world):
    from ruche.notifications.emails import unsubscribe_token

    return {"token": unsubscribe_token(world.member.pk, "news")}


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
        data=lambda w: {
            **dict.fromkeys(CATEGORIES, "email"),
            "digest_frequency": "weekly",
        },
        anonymous=302,
        member=302,
        admin=302,
    ),
    Case("notifications:preferences", method="put", anonymous=302, member=405, admin=405),
    Case("notifications:digest", anonymous=302, member=200, admin=200),
    # The community part is the animation team's, for the newsletter.
    Case("notifications:digest-community", anonymous=302, member=403, animator=200, admin=403),
    # The signed link is the proof: no session needed, nothing changes on a GET.
    Case("notifications:unsubscribe", kwargs=_unsubscribe_token, anonymous=200, member=200,
         admin=200),
    Case("notifications:unsubscribe", method="post", kwargs=_unsubscribe_token, anonymous=200,
         member=200, admin=200),
    Case("notifications:unsubscribe", method="put", kwargs=_unsubscribe_token, anonymous=405,
         member=405, admin=405),
    Case("notifications:channel-list", anonymous=302, member=403, animator=200, admin=403),
    Case("notifications:channel-create", anonymous=302, member=403, animator=200, admin=403),
    Case(
        "notifications:channel-create",
        method="post",
        data=lambda w: {
            "name": "Mattermost", "transport": "webhook", "secret": "https://chat.example/h/1",
            "topics": ["new_initiative"], "scope": "community",
        },
        anonymous=302, member=403, animator=302, admin=403,
    ),
    Case("notifications:channel-detail", kwargs=_channel, anonymous=302, member=403,
         animator=200, admin=403),
    Case("notifications:channel-edit", kwargs=_channel, anonymous=302, member=403, animator=200,
         admin=403),
    Case("notifications:channel-edit", method="post", kwargs=_channel,
         data=lambda w: {"name": "Tchap", "topics": ["new_initiative"], "scope": "community",
                         "secret": "https://chat.example/h/2"},
         anonymous=302, member=403, animator=302, admin=403),
    Case("notifications:channel-toggle", method="post", kwargs=_channel, anonymous=302,
         member=403, animator=302, admin=403),
    Case("notifications:channel-toggle", kwargs=_channel, anonymous=302, member=405,
         admin=405),
    Case("notifications:delivery-retry", method="post", kwargs=_failed_delivery, anonymous=302,
         member=403, animator=302, admin=403),
]  # fmt: skip
