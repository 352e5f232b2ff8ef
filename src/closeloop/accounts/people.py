"""People management, the writes: invitations, deactivation and reactivation, roles.

Every function here is an admin's act (the invitee's acceptance excepted), checks that
again itself, validates before it writes, runs in one transaction and leaves an Activity.
What other apps must do when a person leaves (their asks, links, feeds) they do from the
`accounts.hooks.person_deactivated` signal, sent inside this module's transaction.

See docs/architecture.md#people.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from closeloop.accounts.hooks import (
    Impact,
    invitation_accepted,
    person_deactivated,
    person_reactivated,
    role_removal_problems,
)
from closeloop.accounts.models import Invitation, Session, User
from closeloop.accounts.people_selectors import delegating_to, person_is_invitee
from closeloop.accounts.services import (
    PROFILE_FIELDS,
    email_send_templated,
    profile_problems,
    subdivision_canonical,
)
from closeloop.activity.services import activity_record
from closeloop.lib.sealed import seal
from closeloop.lib.seen import seen_check, seen_stamp
from closeloop.lib.text import listed
from closeloop.lib.timefmt import duration_short

ROLE_FIELDS = Invitation.ROLE_FIELDS
# What an admin sets on a person's roles page (sees_all_jobs only matters for recruiters).
ROLE_FORM_FIELDS = (*ROLE_FIELDS, "sees_all_jobs")


def invitation_lifetime() -> dt.timedelta:
    return dt.timedelta(days=int(getattr(settings, "INVITATION_DAYS", 7)))


def invitation_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_url(token: str) -> str:
    """The link in the email, always on SITE_URL (never a request's Host header)."""
    return settings.SITE_URL + reverse("people:invitation-accept", kwargs={"token": token})


# Who sends the invitation email: the outbox registers itself (notify's AppConfig.ready), so
# the invitation is queued like every message, private to its recipient. Without one it is
# sent in the request (a bare setup).
InvitationSender = Callable[..., object]
_SENDERS: list[InvitationSender] = []


def invitation_sender_register(sender: InvitationSender) -> None:
    """`sender(user=..., context=...)` queues the "invitation" email. Replaces any."""
    _SENDERS[:] = [sender]


def _admin_check(by: User) -> None:
    if not (by.is_active and by.is_admin):
        raise PermissionDenied("Only an admin manages people.")


def _send(invitation: Invitation, token: str) -> None:
    # Through the outbox the message is stored before it is sent: its token is kept sealed
    # (`lib.sealed`), opened only in the email as it leaves and on the invitee's Outbox.
    context = {
        "invitation": invitation,
        "user": invitation.user,
        "invited_by": invitation.invited_by,
        "accept_url": invitation_url(
            seal(token, audience=invitation.user_id) if _SENDERS else token
        ),
        "valid_for": duration_short(invitation.expires_at - invitation.sent_at),
        "roles": invitation.roles,
    }
    if _SENDERS:
        _SENDERS[0](user=invitation.user, context=context)
    else:
        email_send_templated(name="invitation", to=[invitation.email], context=context)


def _new_token(invitation: Invitation, now: dt.datetime) -> str:
    token = secrets.token_urlsafe(32)  # 256 bits; only the hash is kept
    invitation.token_hash = invitation_token_hash(token)
    invitation.sent_at = now
    invitation.expires_at = now + invitation_lifetime()
    return token


def _roles_clean(roles: Mapping[str, Any]) -> dict[str, bool]:
    flags = {field: bool(roles.get(field)) for field in ROLE_FIELDS}
    if not any(flags.values()):
        raise ValidationError("Choose at least one role.")
    return flags


# The calendar an admin sets on an invitation; the rest of it (working days and hours) starts
# as every account's, and the invitee is shown it all at their first sign-in.
INVITATION_CALENDAR = ("time_zone", "holiday_country", "holiday_subdivision")


def _calendar_clean(
    time_zone: str, country: str, subdivision: str, errors: dict[str, str]
) -> dict[str, str]:
    """The invitee's time zone and public holidays as stored, their problems added to
    `errors`: checked by the profile's own rules (`profile_problems`) on the profile the
    person would start with, so an invitation sets nothing the profile page would refuse."""
    country, subdivision = (country or "").strip().upper(), (subdivision or "").strip()
    would_be = User(
        time_zone=(time_zone or "").strip(),
        holiday_country=country,
        holiday_subdivision=subdivision,
    )
    profile = {name: getattr(would_be, name) for name in PROFILE_FIELDS}
    problems = profile_problems(user=would_be, data={**profile, "full_name": "-"})
    errors.update({name: problems[name] for name in INVITATION_CALENDAR if name in problems})
    return {
        "time_zone": would_be.time_zone,
        "holiday_country": country,
        "holiday_subdivision": subdivision_canonical(country, subdivision),
    }


@transaction.atomic
def invitation_create(
    *,
    by: User,
    email: str,
    full_name: str,
    roles: Mapping[str, Any],
    manager: User | None = None,
    time_zone: str = "UTC",
    holiday_country: str = "",
    holiday_subdivision: str = "",
) -> Invitation:
    """Invite a person by email with the roles they will hold; the email goes out at once.

    The person gets an inactive account with no password (so the email goes through the
    outbox), in the time zone and with the public holidays given (the profile's rules check
    them); accepting the invitation activates it. An address that already has an account,
    or a pending invitation, is refused with a message saying what to do instead.
    """
    _admin_check(by)
    email = (email or "").strip().lower()
    full_name = " ".join((full_name or "").split())
    errors: dict[str, str] = {}
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = "Enter the person's email address."
    if not full_name:
        errors["full_name"] = "Enter the person's name as colleagues know it."
    calendar = _calendar_clean(time_zone, holiday_country, holiday_subdivision, errors)
    if manager is not None and not manager.is_active:
        errors["manager"] = f"{manager} no longer has an active account; choose someone else."
    if errors:
        raise ValidationError(errors)
    flags = _roles_clean(roles)
    now = timezone.now()
    user = User.objects.select_for_update().filter(email__iexact=email).first()
    if user is not None:
        open_invitation = (
            Invitation.objects.select_for_update()
            .filter(user=user, accepted_at__isnull=True, revoked_at__isnull=True)
            .first()
        )
        joined = user.is_active or user.has_usable_password() or user.last_login is not None
        joined = joined or not user.invitations.exists()
        if open_invitation is not None and open_invitation.expires_at > now:
            raise ValidationError(
                {
                    "email": f"{email} is already invited (until "
                    f"{open_invitation.expires_at:%d %b %Y}). Send the invitation again "
                    "from the people page if the email went astray."
                }
            )
        if joined or user.invitations.filter(accepted_at__isnull=False).exists():
            state = "an account" if user.is_active else "a deactivated account"
            raise ValidationError(
                {
                    "email": f"{email} already has {state}"
                    + (
                        "; reactivate it from the people page instead."
                        if not user.is_active
                        else ": change their roles from the people page instead, or they "
                        "can reset their password from the login page."
                    )
                }
            )
        if open_invitation is not None:  # expired: this one replaces it
            open_invitation.revoked_at = now
            open_invitation.save(update_fields=["revoked_at"])
        user.full_name, user.manager = full_name, manager
        for name, value in calendar.items():
            setattr(user, name, value)
        user.save(update_fields=["full_name", "manager", *calendar])
    invitation = Invitation(email=email, full_name=full_name, invited_by=by, **flags)
    token = _new_token(invitation, now)
    invitation.created_at = now
    try:
        # Two admins inviting the same address at once: the second meets the unique email
        # (or the one open invitation per person) and is told, never a server error.
        with transaction.atomic():
            if user is None:
                user = User.objects.create_user(
                    email,
                    None,
                    full_name=full_name,
                    manager=manager,
                    is_active=False,
                    **calendar,
                )
            invitation.user = user
            invitation.save()
    except IntegrityError as error:
        raise ValidationError(
            {"email": f"{email} was invited a moment ago; see the people page."}
        ) from error
    _send(invitation, token)
    activity_record(
        kind="closeloop.user.invited",
        actor=by,
        summary=f"{by} invited {full_name} ({email}) as {', '.join(invitation.roles)}",
        data={"user": user.pk, "invitation": invitation.pk, "roles": invitation.roles},
    )
    return invitation


def _open_locked(invitation: Invitation) -> Invitation:
    locked = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("user", "invited_by")
        .filter(pk=invitation.pk)
        .first()
    )
    if locked is None or locked.accepted_at is not None:
        raise ValidationError("This invitation was accepted already; nothing to do.")
    if locked.revoked_at is not None:
        raise ValidationError("This invitation was withdrawn; invite the person again instead.")
    return locked


@transaction.atomic
def invitation_resend(*, invitation: Invitation, by: User) -> Invitation:
    """Send the invitation again with a new link (valid for the full period again); the
    link sent before stops working."""
    _admin_check(by)
    invitation = _open_locked(invitation)
    token = _new_token(invitation, timezone.now())
    invitation.save(update_fields=["token_hash", "sent_at", "expires_at"])
    _send(invitation, token)
    activity_record(
        kind="closeloop.user.invitation_resent",
        actor=by,
        summary=f"{by} sent {invitation.email} a new invitation link",
        data={"user": invitation.user_id, "invitation": invitation.pk},
    )
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by: User) -> Invitation:
    """Withdraw an invitation: its link stops working; the address may be invited again."""
    _admin_check(by)
    invitation = _open_locked(invitation)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    activity_record(
        kind="closeloop.user.invitation_revoked",
        actor=by,
        summary=f"{by} withdrew the invitation of {invitation.email}",
        data={"user": invitation.user_id, "invitation": invitation.pk},
    )
    return invitation


class InvitationUnusable(Exception):
    """The link cannot be used; `reason` says why in words a person understands."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def invitation_lookup(*, token: str, now: dt.datetime | None = None) -> Invitation:
    """The invitation a link's token opens, or InvitationUnusable with the reason."""
    now = now or timezone.now()
    if not token or len(token) > 128:
        raise InvitationUnusable("This invitation link is not valid. Check it was not cut short.")
    invitation = (
        Invitation.objects.select_related("user", "invited_by")
        .filter(token_hash=invitation_token_hash(token))
        .first()
    )
    if invitation is None:
        raise InvitationUnusable(
            "This invitation link is not valid: it may have been cut short, or a newer "
            "invitation replaced it. Use the latest email, or ask your Closeloop admin."
        )
    if invitation.accepted_at is not None:
        raise InvitationUnusable(
            "This invitation was accepted already. Log in with your email and password."
        )
    if invitation.revoked_at is not None:
        raise InvitationUnusable(
            "This invitation was withdrawn. Ask your Closeloop admin if you should have access."
        )
    if invitation.expires_at <= now:
        raise InvitationUnusable(
            "This invitation has expired. Ask your Closeloop admin to send it again."
        )
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, password: str | None) -> User:
    """Accept the invitation: the password (by the project's rules) is set, the roles turned
    on, the account activated. `password=None` is for a sign-in that proves the address
    another way (single sign-on): the account then has no usable password.

    Works once: a second acceptance, a revoked or an expired invitation is refused.
    """
    now = timezone.now()
    locked = _open_locked(invitation)
    if locked.expires_at <= now:
        raise ValidationError(
            "This invitation has expired. Ask your Closeloop admin to send it again."
        )
    user = locked.user
    for field, held in locked.role_flags().items():
        setattr(user, field, held)
    if password is not None:
        validate_password(password, user)
        user.set_password(password)
    user.is_active = True
    user.save()
    won = Invitation.objects.filter(pk=locked.pk, accepted_at__isnull=True).update(accepted_at=now)
    if won != 1:  # pragma: no cover - the row is locked above
        raise ValidationError("This invitation was accepted already; nothing to do.")
    invitation_accepted.send(sender=User, user=user, at=now)
    activity_record(
        kind="closeloop.user.joined",
        actor=user,
        summary=f"{user} accepted the invitation and joined as {', '.join(locked.roles)}",
        data={"user": user.pk, "invitation": locked.pk, "roles": locked.roles},
    )
    return user


def _admins_locked(by: User) -> list[int]:
    """The active admins' ids, locked in one order before any other row, so two admins
    demoting or deactivating each other at once queue instead of deadlocking, and the
    second sees the first's change: nobody is left without an admin. `by` must still be
    one of them (the first may have just demoted them)."""
    admins = list(
        User.objects.select_for_update()
        .filter(is_active=True, is_admin=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if by.pk not in admins:
        raise PermissionDenied("Only an admin manages people.")
    return admins


LAST_ADMIN = (
    "{person} is the last active admin: make someone else an admin first, or nobody could "
    "manage people any more."
)


@transaction.atomic
def user_deactivate(*, user: User, by: User) -> User:
    """Switch a person's account off: they cannot log in (any way), their sessions end, and
    the apps above end the rest (`person_deactivated`: asks move, links and feeds die).
    Their name stays in history. Never yourself, never the last active admin."""
    _admin_check(by)
    if user.pk == by.pk:
        raise ValidationError("You cannot deactivate yourself; ask another admin.")
    admins = _admins_locked(by)
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        raise ValidationError(f"{user} is deactivated already.")
    if user.is_admin and admins == [user.pk]:
        raise ValidationError(LAST_ADMIN.format(person=user))
    now = timezone.now()
    user.is_active = False
    user.save(update_fields=["is_active"])
    ended, _ = Session.objects.filter(user=user).delete()
    person_deactivated.send(sender=User, user=user, by=by, at=now)
    # Nobody keeps a deactivated delegate: their absences would be covered by no one while
    # the profile said otherwise, and their next save of it would be refused.
    delegating = list(delegating_to(user).values_list("pk", flat=True))
    User.objects.filter(pk__in=delegating).update(delegate=None)
    activity_record(
        kind="closeloop.user.deactivated",
        actor=by,
        summary=f"{by} deactivated {user}",
        data={"user": user.pk, "sessions_ended": ended, "delegate_of": delegating},
    )
    return user


def deactivation_delegates_impact(*, user: User, by: User) -> list[Impact]:
    """The deactivation page's line about whose delegate the person is: those people have
    none afterwards, until they name another."""
    people = list(delegating_to(user))
    if not people:
        return []
    whose = listed(str(person) for person in people)
    return [
        Impact(
            f"{user} is the delegate of {whose}: "
            f"{'they have' if len(people) > 1 else 'that person has'} no delegate afterwards, "
            "so what reaches them while they are out of office escalates at once.",
            action="Ask them to name another delegate on their profile.",
        )
    ]


@dataclass(frozen=True)
class Reactivated:
    """A reactivated person and what came back with them, in sentences for the admin (the
    `person_reactivated` receivers' answers: "17 asks Sofia Lindqvist held for them went
    back to Hank Hill, and both were told")."""

    user: User
    notes: list[str]


@transaction.atomic
def user_reactivate(*, user: User, by: User) -> Reactivated:
    """Switch a deactivated account on again: the asks held for them come back
    (`person_reactivated`); links and feeds stay revoked (the person makes new ones)."""
    _admin_check(by)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active:
        raise ValidationError(f"{user} is active already.")
    if person_is_invitee(user):
        raise ValidationError(
            f"{user} has not accepted their invitation yet; send it again instead."
        )
    user.is_active = True
    user.save(update_fields=["is_active"])
    answers = person_reactivated.send(sender=User, user=user, by=by, at=timezone.now())
    notes = [line for _receiver, lines in answers for line in lines or []]
    activity_record(
        kind="closeloop.user.reactivated",
        actor=by,
        summary=f"{by} reactivated {user}",
        data={"user": user.pk},
    )
    return Reactivated(user, notes)


SEES_ALL_JOBS_RECRUITERS = (
    "Sees every job is for recruiters only: tick Recruiter as well, or untick it "
    "(admins see every job already; hiring managers and interviewers see their own jobs)."
)

# What the roles page edits, and how its refusals name them: the page's fingerprint
# (docs/architecture.md#where-rules-live).
ROLES_EDITED_LABELS = {
    "is_admin": "admin", "is_recruiter": "recruiter", "is_hiring_manager": "hiring manager",
    "is_interviewer": "interviewer", "sees_all_jobs": "sees every job",
}  # fmt: skip


def user_roles_seen(user: User) -> str:
    """The fingerprint of what the roles page shows (`user_roles_update` checks it)."""
    return seen_stamp({name: getattr(user, name) for name in ROLES_EDITED_LABELS})


@transaction.atomic
def user_roles_update(
    *, user: User, by: User, roles: Mapping[str, Any], seen: str | None = None
) -> User:
    """Set a person's roles (and whether a recruiter sees every job). At least one role;
    the last active admin keeps theirs.

    `seen`: the roles page's fingerprint (`user_roles_seen`). When a role was given or taken
    since that page was rendered, nothing is saved (`SavedSince`): the page would undo that
    change. None checks nothing (a script's call)."""
    _admin_check(by)
    flags = _roles_clean(roles)
    flags["sees_all_jobs"] = bool(roles.get("sees_all_jobs"))
    admins = _admins_locked(by)
    user = User.objects.select_for_update().get(pk=user.pk)
    seen_check(
        seen=seen,
        values={name: getattr(user, name) for name in ROLES_EDITED_LABELS},
        what=f"{user}'s roles",
        labels=ROLES_EDITED_LABELS,
    )
    if flags["sees_all_jobs"] and not flags["is_recruiter"]:
        # Only a recruiter's reach widens with it (jobs.selectors.user_sees_everything):
        # admins see every job already, hiring managers and interviewers their own jobs only.
        raise ValidationError({"sees_all_jobs": SEES_ALL_JOBS_RECRUITERS})
    if user.is_active and user.is_admin and not flags["is_admin"] and admins == [user.pk]:
        raise ValidationError({"is_admin": LAST_ADMIN.format(person=user)})
    before = {field: getattr(user, field) for field in flags}
    removed = {field for field, held in flags.items() if before[field] and not held}
    if removed and (problems := role_removal_problems(user=user, removed=removed)):
        raise ValidationError({field: [problem] for field, problem in problems.items()})
    for field, held in flags.items():
        setattr(user, field, held)
    user.save(update_fields=list(flags))
    if flags != before:
        activity_record(
            kind="closeloop.user.roles_changed",
            actor=by,
            summary=f"{by} changed {user}'s roles: {', '.join(user.roles)}",
            data={"user": user.pk, "roles": user.roles, "sees_all_jobs": user.sees_all_jobs},
        )
    return user
