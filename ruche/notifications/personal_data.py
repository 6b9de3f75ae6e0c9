"""A member's notifications and preferences, for « Mes données »."""

from ruche.core.personal_data import rows
from ruche.members.models import Member
from ruche.notifications.models import (
    CategoryPreference,
    DigestDelivery,
    Notification,
    NotificationPreferences,
)


def export(member: Member) -> dict:
    preferences = NotificationPreferences.objects.filter(member=member).first()
    return {
        "notifications": rows(
            Notification.objects.filter(member=member),
            "kind",
            "category",
            "subject",
            "url",
            "created_at",
            "read_at",
        ),
        "digest_frequency": preferences and preferences.digest_frequency,
        "category_preferences": rows(
            CategoryPreference.objects.filter(member=member), "category", "mode"
        ),
    }


def erase(member: Member, placeholder: Member) -> None:
    # Deliveries go with their notification.
    Notification.objects.filter(member=member).delete()
    DigestDelivery.objects.filter(member=member).delete()
    CategoryPreference.objects.filter(member=member).delete()
    NotificationPreferences.objects.filter(member=member).delete()


def count(member: Member) -> int:
    return Notification.objects.filter(member=member).count()
