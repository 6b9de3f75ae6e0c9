import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import connections, models
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ruche.core.text import fold
from ruche.members import trigrams
from ruche.members.enums import STARTUP_PHASES, Domaine, HistoryVisibility, MissionStatus

NEWCOMER_DAYS = 90


class Organisation(models.Model):
    slug = models.CharField(_("identifiant"), max_length=150, unique=True)
    name = models.CharField(_("nom"), max_length=300)
    acronym = models.CharField(_("sigle"), max_length=50, blank=True)
    domaine_ministeriel = models.CharField(_("domaine ministériel"), max_length=100, blank=True)
    kind = models.CharField(_("type"), max_length=100, blank=True)
    upstream_missing_since = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")

    def __str__(self) -> str:
        return self.acronym or self.name


class Incubator(models.Model):
    slug = models.CharField(_("identifiant"), max_length=150, unique=True)
    title = models.CharField(_("nom"), max_length=300)
    owner = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="incubators",
    )  # fmt: skip
    contact = models.CharField(_("contact"), max_length=300, blank=True)
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    website = models.URLField(_("site web"), max_length=500, blank=True)
    github = models.URLField(_("dépôt de code"), max_length=500, blank=True)
    upstream_missing_since = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["title"]
        verbose_name = _("incubateur")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("members:incubator-detail", args=[self.slug])


class Startup(models.Model):
    slug = models.CharField(_("identifiant"), max_length=150, unique=True)
    name = models.CharField(_("nom"), max_length=300)
    pitch = models.TextField(_("pitch"), blank=True)
    link = models.URLField(_("site"), max_length=500, blank=True)
    repository = models.URLField(_("dépôt de code"), max_length=500, blank=True)
    contact = models.CharField(_("contact"), max_length=300, blank=True)
    incubator = models.ForeignKey(
        Incubator, verbose_name=_("incubateur"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="startups",
    )  # fmt: skip
    phase = models.CharField(_("phase"), max_length=50, blank=True)
    phases = models.JSONField(_("phases"), default=list, blank=True)
    thematiques = models.JSONField(_("thématiques"), default=list, blank=True)
    technos = models.JSONField(_("technologies"), default=list, blank=True)
    accessibility_status = models.CharField(_("accessibilité"), max_length=100, blank=True)
    upstream_missing_since = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("startup")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("members:startup-detail", args=[self.slug])

    def get_phase_display(self) -> "str | Promise":
        return STARTUP_PHASES.get(self.phase, self.phase)


class Competence(models.Model):
    name = models.CharField(_("nom"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("compétence")

    def __str__(self) -> str:
        return self.name


class MemberQuerySet(models.QuerySet):
    def _with_running_mission(self, on: datetime.date):
        running = Mission.objects.filter(member=OuterRef("pk"), start__lte=on).filter(
            Q(end__isnull=True) | Q(end__gte=on)
        )
        return Exists(running)

    def active(self, on: datetime.date | None = None):
        """Members with a mission running on the given day (today by default)."""
        return self.filter(self._with_running_mission(on or timezone.localdate()))

    def alumni(self, on: datetime.date | None = None):
        """Members whose missions have all ended: they keep their access."""
        on = on or timezone.localdate()
        return (
            self.filter(missions__isnull=False).exclude(self._with_running_mission(on)).distinct()
        )

    def animation_team(self):
        return self.exclude(transverse_role="")

    def search(self, text: str):
        words = fold(text).split()
        qs = self
        for word in words:
            qs = qs.filter(trigrams.contains(word, connections[self.db].vendor))
        return qs

    def with_missions(self):
        missions = Mission.objects.prefetch_related(
            Prefetch("startups", queryset=Startup.objects.select_related("incubator"))
        )
        return self.prefetch_related(Prefetch("missions", queryset=missions))

    def matching(self, *, q="", startup="", incubator="", domaine="", competence="", status=""):
        """The directory's filters; each empty one is ignored."""

        def with_mission(**lookups):
            return Exists(Mission.objects.filter(member=OuterRef("pk"), **lookups))

        qs = self.search(q) if q else self
        if startup:
            qs = qs.filter(
                with_mission(startups__slug=startup)
                | with_mission(startups__name__icontains=startup)
            )
        if incubator:
            qs = qs.filter(with_mission(startups__incubator__slug=incubator))
        if domaine:
            qs = qs.filter(domaine=domaine)
        if competence:
            chosen = Member.competences.through.objects.filter(
                member_id=OuterRef("pk"), competence__name__iexact=competence.strip()
            )
            qs = qs.filter(Exists(chosen))
        if status == "active":
            qs = qs.active()
        elif status == "alumni":
            qs = qs.alumni()
        return qs


# django-stubs cannot build a manager from_queryset() on the generic BaseUserManager.
class MemberManager(BaseUserManager.from_queryset(MemberQuerySet)):  # type: ignore[misc]
    use_in_migrations = True

    def create_user(self, email, display_name="", **extra):
        member = self.model(
            email=self.normalize_email(email).lower(), display_name=display_name, **extra
        )
        member.set_unusable_password()
        member.save(using=self._db)
        return member

    def create_superuser(self, email, display_name="", password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        member = self.create_user(email, display_name, **extra)
        if password:
            member.set_password(password)
            member.save(update_fields=["password"])
        return member


class Member(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("adresse e-mail"), unique=True)
    betagouv_id = models.CharField(
        _("identifiant beta.gouv"), max_length=150, unique=True, null=True, blank=True
    )
    display_name = models.CharField(_("nom affiché"), max_length=150)
    avatar = models.ImageField(_("photo"), upload_to="avatars/", blank=True)
    domaine = models.CharField(_("domaine"), max_length=20, choices=Domaine.choices, blank=True)
    role = models.CharField(_("rôle"), max_length=300, blank=True)
    competences = models.ManyToManyField(
        Competence, verbose_name=_("compétences"), blank=True, related_name="members"
    )
    interests = models.JSONField(_("centres d'intérêt"), default=list, blank=True)
    bio = models.TextField(_("présentation"), blank=True)
    github = models.CharField(_("compte GitHub"), max_length=39, blank=True)
    link = models.URLField(_("lien"), max_length=500, blank=True)
    # How to reach the member, both optional, shown to signed-in members only.
    contact_email = models.EmailField(_("adresse e-mail de contact"), blank=True)
    chat_handle = models.CharField(_("identifiant de messagerie"), max_length=150, blank=True)
    history_visibility = models.CharField(
        _("qui voit mon historique d’engagement"),
        max_length=10,
        choices=HistoryVisibility.choices,
        default=HistoryVisibility.MEMBERS,
    )
    languages = models.JSONField(_("langues"), default=list, blank=True)
    previous_startups = models.ManyToManyField(
        Startup, verbose_name=_("startups précédentes"), blank=True, related_name="previous_members"
    )
    transverse_role = models.CharField(
        _("rôle transverse"),
        max_length=150,
        blank=True,
        help_text=_("Par exemple « Équipe d'animation ». Vide pour la plupart des membres."),
    )
    is_staff = models.BooleanField(_("administrateur·rice"), default=False)
    is_active = models.BooleanField(
        _("compte ouvert"),
        default=True,
        help_text=_("Décocher empêche la connexion, sans supprimer le membre."),
    )
    date_joined = models.DateTimeField(_("inscrit·e le"), default=timezone.now)
    upstream_missing_since = models.DateTimeField(
        _("absent·e des données beta.gouv depuis"), null=True, blank=True, editable=False
    )
    search_text = models.TextField(editable=False, blank=True, default="")
    # The beta.gouv record as last imported: a field a member edited on Ruche keeps their edit
    # until upstream itself changes that field.
    upstream_data = models.JSONField(default=dict, blank=True, editable=False)

    objects = MemberManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        ordering = ["display_name"]
        verbose_name = _("membre")
        indexes = [
            models.Index(fields=["domaine"]),
            models.Index(fields=["display_name"]),
            # The directory lists active members by search_text (see members.views.BY_NAME):
            # its pages and count read this index, not the whole table.
            models.Index(fields=["is_active", "search_text", "id"]),
        ]

    def __str__(self) -> str:
        return self.display_name or self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = self.email.lower()
        self.search_text = self.build_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"display_name", "role", "betagouv_id"} & set(
            update_fields
        ):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def build_search_text(self) -> str:
        """What the directory's name search matches; bulk writers, which bypass save(), call
        this themselves."""
        return fold(" ".join([self.display_name, self.betagouv_id or "", self.role]))

    def get_absolute_url(self) -> str:
        return reverse("members:member-detail", args=[self.pk])

    def get_full_name(self):
        return self.display_name

    def get_short_name(self):
        return self.display_name.split(" ")[0] if self.display_name else self.email

    @property
    def is_animation_team(self) -> bool:
        return bool(self.transverse_role)

    def running_missions(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return [m for m in self.missions.all() if m.is_running(on)]

    def is_active_member(self, on: datetime.date | None = None) -> bool:
        return bool(self.running_missions(on))

    def shows_history_to(self, viewer) -> bool:
        return self.history_visibility == HistoryVisibility.MEMBERS or viewer.pk == self.pk

    def is_alumnus(self, on: datetime.date | None = None) -> bool:
        missions = list(self.missions.all())
        return bool(missions) and not self.running_missions(on)

    def first_mission_start(self) -> datetime.date | None:
        return min((m.start for m in self.missions.all()), default=None)


class Mission(models.Model):
    member = models.ForeignKey(
        Member, verbose_name=_("membre"), on_delete=models.CASCADE, related_name="missions"
    )
    start = models.DateField(_("début"))
    end = models.DateField(_("fin"), null=True, blank=True)
    status = models.CharField(_("statut"), max_length=20, choices=MissionStatus.choices, blank=True)
    employer = models.CharField(_("employeur"), max_length=300, blank=True)
    startups = models.ManyToManyField(
        Startup, verbose_name=_("startups"), blank=True, related_name="missions"
    )

    class Meta:
        ordering = ["-start"]
        verbose_name = _("mission")
        indexes = [models.Index(fields=["member", "start", "end"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="mission_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} ({self.start} → {self.end or '…'})"

    def is_running(self, on: datetime.date) -> bool:
        return self.start <= on and (self.end is None or self.end >= on)


# The one member to whom what erased members leave behind is handed (see accounts' erasure):
# their ledger rows, their public writing signed « ancien membre ». Never signs in.
PLACEHOLDER_EMAIL = "ancien-membre@ruche.invalid"
PLACEHOLDER_NAME = "Ancien membre"


class ErasedMember(models.Model):
    """A member whose account was deleted, remembered only by the hash of their beta.gouv id,
    so that the importer never brings them back."""

    betagouv_id_hash = models.CharField(max_length=64, unique=True)
    erased_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("membre effacé·e")

    def __str__(self) -> str:
        return self.betagouv_id_hash[:12]
