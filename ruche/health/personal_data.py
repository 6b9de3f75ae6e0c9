"""Who last changed the health alert's settings, for « Mes données »."""

from ruche.core.personal_data import hand_over, rows
from ruche.health.models import AlertSettings
from ruche.members.models import Member


def export(member: Member) -> dict:
    return {
        "alert_settings_updated": rows(
            AlertSettings.objects.filter(updated_by=member), "transverse_threshold", "updated_at"
        )
    }


def erase(member: Member, placeholder: Member) -> None:
    hand_over(AlertSettings.objects.filter(updated_by=member), "updated_by", placeholder)
