"""The member's profile and missions, for « Mes données »."""

from ruche.core.personal_data import hand_over
from ruche.members.models import Member, Mission


def export(member: Member) -> dict:
    return {
        "email": member.email,
        "betagouv_id": member.betagouv_id,
        "display_name": member.display_name,
        "domaine": member.domaine,
        "role": member.role,
        "bio": member.bio,
        "github": member.github,
        "link": member.link,
        "contact_email": member.contact_email,
        "chat_handle": member.chat_handle,
        "history_visibility": member.history_visibility,
        "interests": member.interests,
        "languages": member.languages,
        "competences": sorted(member.competences.values_list("name", flat=True)),
        "previous_startups": sorted(member.previous_startups.values_list("slug", flat=True)),
        "transverse_role": member.transverse_role,
        "avatar": member.avatar.name or None,
        "date_joined": member.date_joined,
        "last_login": member.last_login,
        "missions": [
            {
                "start": mission.start,
                "end": mission.end,
                "status": mission.status,
                "employer": mission.employer,
                "startups": [startup.slug for startup in mission.startups.all()],
            }
            for mission in Mission.objects.filter(member=member).prefetch_related("startups")
        ],
    }


def erase(member: Member, placeholder: Member) -> None:
    """Missions are who was in the community when: health counts them. The placeholder keeps
    their dates and startups, not the employer."""
    missions = Mission.objects.filter(member=member)
    missions.update(employer="")
    hand_over(missions, "member", placeholder)
    if member.avatar:
        member.avatar.delete(save=False)
