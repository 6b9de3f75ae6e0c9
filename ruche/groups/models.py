"""Working groups and clubs: members who meet over time on one subject (gender equality,
welcoming newcomers, relations between incubators…). This holds what the other apps already
rely on — a group, who belongs to it and who leads it — so an event can belong to a group and
a member's calendar can follow their groups' meetings."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ruche.groups.enums import GroupKind, MembershipRole


class WorkingGroupQuerySet(models.QuerySet):
    def active(self):
        return self.filter(archived_at__isnull=True)

    def of_member(self, member):
        """The groups the member belongs to (none when signed out)."""
        if member is None or not member.is_authenticated:
            return self.none()
        return self.filter(memberships__member=member)


class WorkingGroup(models.Model):
    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("adresse"), max_length=80, unique=True)
    kind = models.CharField(
        _("type"), max_length=10, choices=GroupKind.choices, default=GroupKind.GROUP
    )
    description = models.TextField(_("description"), blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Membership",
        verbose_name=_("membres"),
        related_name="working_groups",
    )
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    archived_at = models.DateTimeField(_("archivé le"), null=True, blank=True)

    objects = WorkingGroupQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("groupe de travail")
        verbose_name_plural = _("groupes de travail")

    def __str__(self):
        return self.name

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class Membership(models.Model):
    group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("groupe"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("membre"),
        on_delete=models.CASCADE,
        related_name="group_memberships",
    )
    role = models.CharField(
        _("rôle"), max_length=10, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    joined_at = models.DateTimeField(_("depuis le"), default=timezone.now)

    class Meta:
        verbose_name = _("appartenance à un groupe")
        verbose_name_plural = _("appartenances aux groupes")
        constraints = [
            models.UniqueConstraint(fields=["group", "member"], name="membership_once_per_group")
        ]
        indexes = [models.Index(fields=["member", "group"])]

    def __str__(self):
        return f"{self.member} · {self.group}"
