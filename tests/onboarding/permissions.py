"""Who may open each page of « S'engager », thanks and declared time. `owner` organises the
event built here and owns the time declaration; `member` is someone else."""

from tests.permissions import Case


def _shift_key(world):
    from tests.events.factories import ShiftFactory

    shift = world.once("shift", lambda w: ShiftFactory(event__created_by=w.owner))
    return {"key": f"shift-{shift.pk}"}


def _room(world):
    from ruche.onboarding.models import ChatRoom

    room = world.once(
        "room",
        lambda w: ChatRoom.objects.create(
            name="Général", purpose="Tout", url="https://matrix.to/#/#general:example.org"
        ),
    )
    return {"pk": room.pk}


def _owner(world):
    return {"pk": world.owner.pk}


def _thanks(world):
    from ruche.engagement.services import record

    world.once(
        "organised",
        lambda w: record(member=w.owner, kind="organised", subject_type="event", subject_id=7),
    )
    return {"subject": "event-7", "message": "Merci !"}


def _declaration_of(who):
    def build(world):
        from django.utils import timezone

        from ruche.engagement.services import time_declare

        declaration = world.once(
            f"time-{who}",
            lambda w: time_declare(
                actor=getattr(w, who), day=timezone.localdate(), minutes=60, what="Atelier"
            ),
        )
        return {"pk": declaration.pk}

    return build


def _time_data(world):
    from django.utils import timezone

    return {"day": timezone.localdate().isoformat(), "hours": 3, "minutes": 0, "what": "Forum"}


ROOM_DATA = {
    "name": "Accessibilité",
    "purpose": "Parler a11y",
    "url": "https://matrix.to/#/#a",
    "position": 0,
}

CASES = [
    Case("onboarding:engage", anonymous=302, member=200, admin=200),
    Case(
        "onboarding:suggestion-take",
        method="post",
        kwargs=_shift_key,
        anonymous=302,
        member=302,
        admin=302,
    ),
    Case(
        "onboarding:suggestion-decline",
        method="post",
        kwargs=_shift_key,
        anonymous=302,
        member=302,
        admin=302,
    ),
    Case("onboarding:first-steps-dismiss", method="post", anonymous=302, member=302, admin=302),
    Case("onboarding:chat-rooms", anonymous=302, member=200, admin=200),
    Case(
        "onboarding:chat-rooms",
        method="post",
        data=lambda w: ROOM_DATA,
        anonymous=302,
        member=403,
        animator=302,
        admin=302,
    ),
    Case(
        "onboarding:chat-room-delete",
        method="post",
        kwargs=_room,
        anonymous=302,
        member=403,
        animator=302,
        admin=302,
    ),
    Case(
        "onboarding:thanks-create",
        method="post",
        kwargs=_owner,
        data=_thanks,
        anonymous=302,
        member=302,
        admin=302,
    ),
    Case("onboarding:time", anonymous=302, member=200, admin=200),
    Case(
        "onboarding:time",
        method="post",
        data=_time_data,
        anonymous=302,
        member=302,
        admin=302,
    ),
    Case("onboarding:time-export", anonymous=302, member=200, admin=200),
    Case("onboarding:time-statement", anonymous=302, member=200, admin=200),
    # Someone else's declaration is as good as absent.
    Case(
        "onboarding:time-delete",
        method="post",
        kwargs=_declaration_of("owner"),
        anonymous=302,
        member=404,
        admin=404,
    ),
    Case(
        "onboarding:time-delete",
        method="post",
        kwargs=_declaration_of("member"),
        anonymous=302,
        member=302,
        animator=404,
        admin=404,
    ),
]

API = {"api": True, "anonymous": 401}


def _api_time(world):
    from django.utils import timezone

    return {"day": timezone.localdate().isoformat(), "minutes": 60, "what": "Atelier"}


def _api_thanks(world):
    _thanks(world)
    return {"member": world.owner.pk, "subject_type": "event", "subject_id": 7}


def _api_declaration(world):
    return {"declaration_id": _declaration_of("member")(world)["pk"]}


def _api_shift_key(world):
    return _shift_key(world)


CASES += [
    Case("api:suggestion_list", member=200, admin=200, **API),
    Case(
        "api:suggestion_decline",
        method="post",
        kwargs=_api_shift_key,
        member=204,
        admin=204,
        **API,
    ),
    Case("api:time_list", member=200, admin=200, **API),
    Case("api:time_list", method="post", data=_api_time, member=201, admin=201, **API),
    Case(
        "api:time_detail",
        method="delete",
        kwargs=_api_declaration,
        member=204,
        animator=404,
        admin=404,
        **API,
    ),
    Case("api:thanks_create", method="post", data=_api_thanks, member=201, admin=201, **API),
]
