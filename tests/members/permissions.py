from tests.permissions import Case


def _startup(world):
    from tests.factories import StartupFactory

    return {"slug": world.once("startup", lambda w: StartupFactory()).slug}


def _incubator(world):
    from tests.factories import IncubatorFactory

    return {"slug": world.once("incubator", lambda w: IncubatorFactory()).slug}


def _with_avatar(world):
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "orange").save(buffer, "PNG")
    world.owner.avatar.save("portrait.png", ContentFile(buffer.getvalue()))
    return world.owner


def _profile(world):
    return {
        "display_name": "Nouveau nom",
        "domaine": "design",
        "role": "Designer",
        "competences_text": "Django, facilitation",
    }


CASES = [
    Case("members:member-list", anonymous=302, member=200, admin=200),
    Case(
        "members:member-list",
        query="q=porteuse&status=active",
        anonymous=302,
        member=200,
        admin=200,
    ),
    Case(
        "members:member-detail",
        kwargs=lambda w: {"pk": w.owner.pk},
        anonymous=302,
        member=200,
        admin=200,
    ),
    Case("members:member-detail", kwargs=lambda w: {"pk": 0}, anonymous=302, member=404, admin=404),
    Case(
        "members:member-avatar",
        kwargs=lambda w: {"pk": w.once("avatar", _with_avatar).pk},
        anonymous=302,
        member=200,
        admin=200,
    ),
    Case(
        "members:member-avatar",
        kwargs=lambda w: {"pk": w.owner.pk},
        anonymous=302,
        member=404,
        admin=404,
    ),
    # Each member edits their own profile: the page has no member in its URL.
    Case("members:profile-edit", anonymous=302, member=200, admin=200),
    Case(
        "members:profile-edit",
        method="post",
        data=_profile,
        anonymous=302,
        member=302,
        admin=302,
    ),
    Case("members:startup-list", anonymous=302, member=200, admin=200),
    Case("members:startup-detail", kwargs=_startup, anonymous=302, member=200, admin=200),
    Case("members:incubator-list", anonymous=302, member=200, admin=200),
    Case("members:incubator-detail", kwargs=_incubator, anonymous=302, member=200, admin=200),
]

# The members app's API routes (ruche/members/api.py): a personal token, never a session.
API = {"anonymous": 401, "member": 200, "admin": 200, "api": True}
CASES += [
    Case("api:me", **API),
    Case("api:me", anonymous=401, member=401, admin=401),  # a session cookie is not enough
    Case("api:member_list", query="q=porteuse", **API),
    Case("api:member_detail", kwargs=lambda w: {"member_id": w.owner.pk}, **API),
    Case(
        "api:member_detail",
        kwargs=lambda w: {"member_id": 0},
        api=True,
        anonymous=401,
        member=404,
        admin=404,
    ),
    Case("api:startup_list", **API),
    Case("api:incubator_list", **API),
]
