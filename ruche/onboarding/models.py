"""The way in: the community's chat rooms, the suggestions a member said « pas pour moi » to,
and whether they put the « Premiers pas » block away."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

CHAT_LINK_PREFIXES = ("https://",)


def validate_chat_link(value: str) -> None:
    if not value.startswith(CHAT_LINK_PREFIXES):
        raise ValidationError(
            _("Donnez un lien https (par exemple https://matrix.to/#/#salon:agent.tchap.gouv.fr).")
        )


class ChatRoom(models.Model):
    """A chat room of the whole community, listed by the animation team: what it is for and
    how to get in, the general room first. A group's own room is on the group (chat_url)."""

    name = models.CharField(_("nom"), max_length=100)
    purpose = models.CharField(_("à quoi il sert"), max_length=300)
    url = models.URLField(
        _("lien"),
        max_length=500,
        validators=[validate_chat_link],
        help_text=_("Un lien matrix.to ou https, par exemple https://matrix.to/#/#general:…"),
    )
    is_general = models.BooleanField(_("salon général"), default=False)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["-is_general", "position", "name", "pk"]
        verbose_name = _("salon de discussion")
        verbose_name_plural = _("salons de discussion")

    def __str__(self) -> str:
        return self.name


class Decline(models.Model):
    """« Pas pour moi »: a suggestion the member does not want to see again."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="declined_suggestions"
    )
    key = models.CharField(max_length=40)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "key"], name="decline_once_per_suggestion")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} ✗ {self.key}"


class FirstStepsDismissal(models.Model):
    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="first_steps_dismissal"
    )
    at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.member_id}"
