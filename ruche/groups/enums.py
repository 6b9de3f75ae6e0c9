from django.db import models
from django.utils.translation import gettext_lazy as _


class GroupKind(models.TextChoices):
    GROUP = "group", _("groupe de travail")
    CLUB = "club", _("club")


class MembershipRole(models.TextChoices):
    LEAD = "lead", _("animation du groupe")
    MEMBER = "member", _("membre")
