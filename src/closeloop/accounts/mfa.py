"""Multi-factor authentication: a TOTP app per person, and ten one-time recovery codes.

django-otp keeps the devices (`TOTPDevice`, `StaticDevice` with its `StaticToken`s) and their
checks: a TOTP code is refused at or before the last step already used (no replay), a
recovery code is deleted when used, and every device backs off exponentially after wrong
codes (1, 2, 4… seconds). These functions are the only writers of those rows; the sign-in
flow that asks for the code lives in `accounts.signin`. See README, "Two-step sign-in".
"""

from __future__ import annotations

import datetime as dt
import re
from base64 import b32encode
from dataclasses import dataclass
from typing import TYPE_CHECKING

import segno
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from closeloop.activity.services import activity_record

if TYPE_CHECKING:
    from django.http import HttpRequest

    from closeloop.accounts.models import User

RECOVERY_CODE_COUNT = 10
APP_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"

# django-otp doubles a device's wait after each wrong code with no upper bound: someone who
# knows the password could, from many addresses, make the real code wait for days. A device
# whose last wrong code is older than this starts afresh, which caps the wait (the next
# doubling past it is never reached) at a few minutes.
THROTTLE_FORGET_AFTER = dt.timedelta(minutes=15)

_DIGITS = re.compile(r"^\d{6}$")
_RECOVERY = re.compile(r"^[a-z2-7]{8}$")


def mfa_device(user: User) -> TOTPDevice | None:
    """The person's confirmed TOTP app, or None when they have not enrolled."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def mfa_enrolled(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def mfa_required_for(user: User) -> bool:
    """Whether this person must have a second factor before using the app."""
    return bool(settings.MFA_REQUIRED_FOR_ADMINS) and (
        user.is_admin or user.is_staff or user.is_superuser
    )


def mfa_pending_device(user: User) -> TOTPDevice | None:
    """The app being set up (shown as a QR code until a first code confirms it)."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def mfa_recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def mfa_secret_text(device: TOTPDevice) -> str:
    """The secret as an app expects it typed: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def mfa_qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG QR code (no script, no image request)."""
    code = segno.make(device.config_url, error="m", micro=False)
    # 5 px per module with the standard 4-module quiet zone: about 5 cm on a screen, which
    # phone cameras read at arm's length; a white background also on a dark page.
    return str(code.svg_inline(scale=5, border=4, dark="#000", light="#fff"))


def _forget_old_failures(device: TOTPDevice | StaticDevice) -> None:
    failed_at = device.throttling_failure_timestamp
    if failed_at is not None and timezone.now() - failed_at > THROTTLE_FORGET_AFTER:
        device.throttle_reset(commit=True)


def _normal(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").lower()


def mfa_enrolment_start(*, user: User) -> TOTPDevice:
    """A new secret to scan; it protects nothing until a code from it confirms it."""
    if mfa_enrolled(user):
        raise ValidationError(
            "Two-step sign-in is already on. Remove the current app first to set up another."
        )
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)


@transaction.atomic
def mfa_enrolment_confirm(*, user: User, code: str) -> list[str]:
    """Turn the app on with a first code from it; returns the new recovery codes."""
    device = mfa_pending_device(user)
    if device is None or mfa_enrolled(user):
        raise ValidationError("There is no app being set up: start again.")
    code = _normal(code)
    _forget_old_failures(device)
    allowed, data = device.verify_is_allowed()
    if not allowed:
        raise ValidationError(_wait_message(data))
    if not _DIGITS.match(code) or not device.verify_token(code):
        raise ValidationError(
            "That code does not match. Type the 6 digits your app shows now; if it still "
            "fails, check that your phone's clock is set automatically."
        )
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _recovery_codes_issue(user)
    activity_record(
        kind="closeloop.user.mfa_enabled",
        actor=user,
        summary=f"{user} turned on two-step sign-in",
        data={"user": user.pk},
    )
    return codes


def _recovery_codes_issue(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes: list[str] = []
    while len(codes) < RECOVERY_CODE_COUNT:
        token = StaticToken.random_token()
        if token not in codes:
            codes.append(token)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=t) for t in codes)
    return codes


def mfa_identity_confirmed(*, user: User, proof: str) -> bool:
    """The person's password or a current code from their app (for SSO-only people)."""
    if proof and user.has_usable_password() and user.check_password(proof):
        return True
    device = mfa_device(user)
    code = _normal(proof)
    if device is None or not _DIGITS.match(code):
        return False
    _forget_old_failures(device)
    allowed, _ = device.verify_is_allowed()
    return bool(allowed and device.verify_token(code))


NOT_PROVEN = "That is neither your password nor a current code from your app."


def _identity_require(*, user: User, proof: str, request: HttpRequest | None) -> None:
    """Refuse unless `proof` is the person's password or a current code. With the request,
    each wrong proof counts as a failed login for the login limiter (django-axes, by
    address), which then refuses further tries: a stolen session cannot be used to guess
    the password. Outside any transaction, so a refusal does not roll the count back."""
    credentials = {settings.AXES_USERNAME_FORM_FIELD: user.email}
    if request is not None and not AxesProxyHandler.is_allowed(request, credentials):
        raise ValidationError("Too many failed attempts: try again later.")
    if mfa_identity_confirmed(user=user, proof=proof):
        return
    if request is not None:
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    raise ValidationError(NOT_PROVEN)


def mfa_recovery_codes_regenerate(
    *, user: User, proof: str, request: HttpRequest | None = None
) -> list[str]:
    """New recovery codes (the old ones stop working), after the password or a code."""
    if not mfa_enrolled(user):
        raise ValidationError("Turn on two-step sign-in first.")
    _identity_require(user=user, proof=proof, request=request)
    with transaction.atomic():
        codes = _recovery_codes_issue(user)
        activity_record(
            kind="closeloop.user.mfa_codes_regenerated",
            actor=user,
            summary=f"{user} made new recovery codes",
            data={"user": user.pk},
        )
    return codes


def mfa_remove(*, user: User, proof: str, request: HttpRequest | None = None) -> None:
    """Turn two-step sign-in off: the app and the recovery codes are deleted."""
    if not mfa_enrolled(user):
        raise ValidationError("Two-step sign-in is not on.")
    _identity_require(user=user, proof=proof, request=request)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        activity_record(
            kind="closeloop.user.mfa_removed",
            actor=user,
            summary=f"{user} turned off two-step sign-in",
            data={"user": user.pk},
        )


@dataclass(frozen=True)
class MfaCheck:
    ok: bool
    message: str = ""
    recovery_used: bool = False


def _wait_message(data: dict | None) -> str:
    until = (data or {}).get("locked_until")
    seconds = 1
    if isinstance(until, dt.datetime):
        seconds = max(1, int((until - timezone.now()).total_seconds() + 0.999))
    plural = "s" if seconds != 1 else ""
    return f"Too many wrong codes: wait {seconds} second{plural} and try again."


@transaction.atomic
def mfa_verify(*, user: User, code: str) -> MfaCheck:
    """Check a code at sign-in: 6 digits from the app, or one unused recovery code.

    The device row is locked while it is checked, so two sign-ins sending the same code at
    the same moment cannot both pass (the last step used, or the used recovery code, is
    written before the other reads it).
    """
    code = _normal(code)
    if _DIGITS.match(code):
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=True)
            .order_by("pk")
            .first()
        )
        wrong = "That code does not match. Type the 6 digits your app shows now."
        if device is None:
            return MfaCheck(False, wrong)
        _forget_old_failures(device)
        allowed, data = device.verify_is_allowed()
        if not allowed:
            return MfaCheck(False, _wait_message(data))
        if device.verify_token(code):
            return MfaCheck(True)
        return MfaCheck(False, wrong)
    if _RECOVERY.match(code):
        wrong = "That recovery code is not one of yours, or it was used already."
        recovery = (
            StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        )
        if recovery is None:
            return MfaCheck(False, wrong)
        _forget_old_failures(recovery)
        allowed, data = recovery.verify_is_allowed()
        if not allowed:
            return MfaCheck(False, _wait_message(data))
        if recovery.verify_token(code):
            left = recovery.token_set.count()
            activity_record(
                kind="closeloop.user.mfa_recovery_code_used",
                actor=user,
                summary=f"{user} used a recovery code to sign in ({left} left)",
                data={"user": user.pk, "left": left},
            )
            return MfaCheck(True, recovery_used=True)
        return MfaCheck(False, wrong)
    return MfaCheck(
        False, "Type the 6 digits from your app, or one of your recovery codes (8 characters)."
    )
