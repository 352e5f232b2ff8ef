"""People: one user per person, with roles and the calendar the follow-up engine works in."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.sessions.base_session import AbstractBaseSession, BaseSessionManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.module_loading import import_string

from closeloop.lib.folding import by_name


def validate_time_zone(value: str) -> None:
    """Refuse a time zone name the IANA database does not know."""
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"“{value}” is not a known time zone (e.g. Europe/London).")


def default_work_days() -> list[int]:
    return [0, 1, 2, 3, 4]  # Monday–Friday, Python weekday numbers


class Role(models.TextChoices):
    ADMIN = "admin", "Admin"
    RECRUITER = "recruiter", "Recruiter"
    HIRING_MANAGER = "hiring_manager", "Hiring manager"
    INTERVIEWER = "interviewer", "Interviewer"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("is_admin", True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        # Email login is case-insensitive: "Hank@Example.com" is hank.
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Roles are flags because one person may hold several.

    See docs/architecture.md#vocabulary.
    """

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150)
    title = models.CharField(max_length=150, blank=True)

    is_admin = models.BooleanField(
        "admin", default=False, help_text="Talent-acquisition lead/ops: sees everything."
    )
    is_recruiter = models.BooleanField("recruiter", default=False)
    is_hiring_manager = models.BooleanField("hiring manager", default=False)
    is_interviewer = models.BooleanField("interviewer", default=False)
    sees_all_jobs = models.BooleanField(
        default=False,
        help_text="Set by an admin: this recruiter sees every job, not only their own.",
    )

    # The owner's calendar: due times are computed in it.
    # See docs/architecture.md#the-follow-up-engine.
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    work_start = models.TimeField(default=dt.time(9, 0))
    work_end = models.TimeField(default=dt.time(17, 0))
    work_days = models.JSONField(
        default=default_work_days, help_text="Weekday numbers, Monday = 0."
    )
    holiday_country = models.CharField(
        max_length=2, blank=True, help_text="ISO country code, e.g. GB."
    )
    # 40: a few regions are written in full ("São Paulo Capital", "South Canterbury").
    holiday_subdivision = models.CharField(max_length=40, blank=True, help_text="e.g. ENG, CA, BY.")
    manager = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
        help_text="Receives escalations for this person.",
    )
    out_of_office_from = models.DateTimeField(null=True, blank=True)
    out_of_office_until = models.DateTimeField(null=True, blank=True)
    delegate = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="delegators",
        help_text="Takes over this person's asks while they are out of office.",
    )

    notify_channel = models.CharField(
        max_length=16,
        choices=[("email", "Email"), ("in_app", "In the app only")],
        default="email",
        help_text="Where reminders and escalations reach you.",
    )
    batch_window_minutes = models.PositiveSmallIntegerField(
        default=120,
        help_text="At most one reminder message per this many minutes; the rest are batched.",
    )

    # The single sign-on identity this person signed in with first ("<issuer> <subject>"):
    # later sign-ins must come from it, so an address the provider hands to someone else
    # never opens this account (accounts.sso).
    sso_identity = models.CharField(max_length=400, blank=True, default="", db_default="")
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="May open the Django admin.")
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        # As people read names ("Åsa" among the a's, "émile" before "Zoe": lib.folding), so
        # every list and picker of people that names no order of its own reads that way.
        ordering = [*by_name("full_name"), "pk"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.email.strip().lower()
        if self.work_start and self.work_end and self.work_start >= self.work_end:
            raise ValidationError({"work_end": "The working day must end after it starts."})
        if not self.work_days or any(d not in range(7) for d in self.work_days):
            raise ValidationError({"work_days": "Choose at least one working day."})
        if (
            self.out_of_office_from
            and self.out_of_office_until
            and self.out_of_office_from >= self.out_of_office_until
        ):
            raise ValidationError(
                {"out_of_office_until": "Out of office must end after it starts."}
            )
        if self.delegate_id and self.delegate_id == self.pk:
            raise ValidationError({"delegate": "A person cannot be their own delegate."})
        if self.manager_id and self.manager_id == self.pk:
            raise ValidationError({"manager": "A person cannot be their own manager."})

    @property
    def short_name(self) -> str:
        return (self.full_name or self.email).split(" ")[0]

    @property
    def roles(self) -> list[str]:
        """The role labels this person holds, for display."""
        flags = [
            (self.is_admin, Role.ADMIN),
            (self.is_recruiter, Role.RECRUITER),
            (self.is_hiring_manager, Role.HIRING_MANAGER),
            (self.is_interviewer, Role.INTERVIEWER),
        ]
        return [role.label for held, role in flags if held]

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def is_out_of_office(self, at: dt.datetime | None = None) -> bool:
        """True when `at` (default now) falls inside the out-of-office window."""
        at = at or timezone.now()
        start, end = self.out_of_office_from, self.out_of_office_until
        return bool(start and end and start <= at < end)


class SessionManager(BaseSessionManager):
    def get_queryset(self):
        # Reading a session reads its user in the same query (see `accounts.sessions`).
        return super().get_queryset().select_related("user")


class Session(AbstractBaseSession):
    """A signed-in browser's session, with its user as a column: one query reads both, so a
    request starts with one query instead of two. Deleting a person ends their sessions."""

    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    objects = SessionManager()  # type: ignore[misc]

    class Meta(AbstractBaseSession.Meta):
        db_table = "accounts_session"

    @classmethod
    def get_session_store_class(cls) -> type:
        return import_string(f"{settings.SESSION_ENGINE}.SessionStore")


class Invitation(models.Model):
    """An admin's invitation of a person by email, with the roles they will hold.

    The invited person has a `User` row from the start (inactive, no usable password) so the
    invitation email goes through the outbox like every message; accepting sets a password
    (or signs in through SSO), turns the roles on and activates the account. The link's token
    is 256 random bits; only its SHA-256 is stored. It expires (INVITATION_DAYS), works once
    and dies when the invitation is revoked or sent again (a new token replaces the hash).

    See docs/architecture.md#people.
    """

    email = models.EmailField()
    full_name = models.CharField(max_length=150)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    is_admin = models.BooleanField("admin", default=False)
    is_recruiter = models.BooleanField("recruiter", default=False)
    is_hiring_manager = models.BooleanField("hiring manager", default=False)
    is_interviewer = models.BooleanField("interviewer", default=False)
    invited_by = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="invitations_sent"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_user",
            ),
        ]
        indexes = [models.Index(fields=["email"])]

    def __str__(self) -> str:
        return f"Invitation of {self.email}"

    ROLE_FIELDS = ("is_admin", "is_recruiter", "is_hiring_manager", "is_interviewer")

    @property
    def roles(self) -> list[str]:
        labels = [Role.ADMIN, Role.RECRUITER, Role.HIRING_MANAGER, Role.INTERVIEWER]
        return [
            role.label
            for field, role in zip(self.ROLE_FIELDS, labels, strict=True)
            if getattr(self, field)
        ]

    def role_flags(self) -> dict[str, bool]:
        return {field: bool(getattr(self, field)) for field in self.ROLE_FIELDS}

    def is_pending(self, at: dt.datetime | None = None) -> bool:
        """Neither accepted nor revoked, and not expired."""
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > (at or timezone.now())
        )
