"""Writes about people: their profile (the calendar the follow-up engine works in) and passwords.

Each write validates everything before it changes anything, and leaves an Activity row behind,
so a recruiter asking "why did my reminders move to Mondays?" finds the answer in the log.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from closeloop.accounts.hooks import CALENDAR_FIELDS, calendar_changed
from closeloop.accounts.models import Session, User
from closeloop.accounts.passwords import reset_token_generator
from closeloop.accounts.selectors import (
    WEEKDAYS,
    holiday_countries,
    holiday_subdivisions,
    time_zone_names,
)
from closeloop.accounts.sessions import DEVICE, SIGNED_IN_AT, device_label
from closeloop.activity.models import Activity
from closeloop.activity.services import activity_record
from closeloop.lib.sealed import seal
from closeloop.lib.seen import seen_check, seen_stamp
from closeloop.lib.text import listed
from closeloop.lib.timefmt import absolute, duration_short

log = logging.getLogger("closeloop.accounts")

# A second reset email to the same person within this interval is not sent.
RESET_EMAIL_INTERVAL = dt.timedelta(minutes=2)
# Session key: {address: ISO time} of the reset links this browser asked for lately.
RESET_ASKED = "closeloop_reset_asked"

# The profile fields a person edits themselves; roles and manager are set by admins.
PROFILE_FIELDS = (
    "full_name",
    "title",
    *CALENDAR_FIELDS,  # the working calendar: a change to them is announced (`calendar_changed`)
    "out_of_office_from",
    "out_of_office_until",
    "delegate",
    "notify_channel",
    "batch_window_minutes",
)
# What an admin edits on a person's calendar page (People, *Calendar*): their working calendar
# and out of office, nothing else of the profile.
CALENDAR_PAGE_FIELDS = (*CALENDAR_FIELDS, "out_of_office_from", "out_of_office_until")
FIELD_LABELS = {
    "full_name": "name",
    "title": "title",
    "time_zone": "time zone",
    "work_days": "working days",
    "work_start": "working hours",
    "work_end": "working hours",
    "holiday_country": "public holidays",
    "holiday_subdivision": "public holidays",
    "out_of_office_from": "out of office",
    "out_of_office_until": "out of office",
    "delegate": "delegate",
    "notify_channel": "notifications",
    "batch_window_minutes": "notifications",
}


def _normalise(data: dict[str, Any]) -> dict[str, Any]:
    """Trim text, upper-case the country, and sort the working days."""
    clean = dict(data)
    for name in ("full_name", "title", "time_zone", "holiday_country", "holiday_subdivision"):
        clean[name] = (clean.get(name) or "").strip()
    clean["holiday_country"] = clean["holiday_country"].upper()
    clean["work_days"] = sorted({int(day) for day in clean.get("work_days") or []})
    clean["notify_channel"] = clean.get("notify_channel") or "email"
    clean["batch_window_minutes"] = int(clean.get("batch_window_minutes") or 0)
    return clean


def _calendar_errors(data: dict[str, Any]) -> dict[str, str]:
    """Problems with the time zone, working week and holidays, by field."""
    errors: dict[str, str] = {}
    if not data["full_name"]:
        errors["full_name"] = "Enter your name as colleagues know it."
    if data["time_zone"] not in time_zone_names():
        errors["time_zone"] = (
            f"“{data['time_zone']}” is not a known time zone (e.g. Europe/London)."
        )
    if not data["work_days"] or any(day not in range(7) for day in data["work_days"]):
        errors["work_days"] = "Choose at least one working day."
    start, end = data.get("work_start"), data.get("work_end")
    if not start or not end:
        errors["work_end"] = "Give the start and the end of your working day."
    elif start >= end:
        errors["work_end"] = "The working day must end after it starts."
    errors.update(_holiday_errors(data["holiday_country"], data["holiday_subdivision"]))
    return errors


def _holiday_errors(country: str, subdivision: str) -> dict[str, str]:
    if not country:
        return {"holiday_subdivision": "Choose the country first."} if subdivision else {}
    if country not in holiday_countries():
        return {
            "holiday_country": f"“{country}” is not a country with a public-holiday calendar; "
            "choose one from the list (ISO code, e.g. GB or DE)."
        }
    known = holiday_subdivisions(country)
    if subdivision and subdivision.upper() not in {code.upper() for code in known}:
        return {
            "holiday_subdivision": f"“{subdivision}” is not a region of "
            f"{holiday_countries()[country]}. {_regions_known(known)}."
        }
    return {}


def _regions_known(known: dict[str, str]) -> str:
    """The regions one may enter, in the library's order: each code with its name ("BY
    (Bayern)"), then the few calendars whose code is their own name (Augsburg, a city with a
    holiday of its own; France's school zones), said to be written in full rather than mixed
    in among the codes, where "Augsburg" would read as a name whose code is missing."""
    coded = [f"{code} ({name})" for code, name in known.items() if name != code]
    in_full = listed(code for code, name in known.items() if name == code)
    if coded and in_full:
        return f"Known regions: {', '.join(coded)}; also, written in full: {in_full}"
    if in_full:
        return f"Known regions, written in full: {in_full}"
    return f"Known regions: {', '.join(coded) or 'none'}"


def subdivision_canonical(country: str, subdivision: str) -> str:
    """The subdivision spelled as the holidays package spells it ("eng" → "ENG")."""
    if not subdivision:
        return ""
    for code in holiday_subdivisions(country):
        if code.upper() == subdivision.upper():
            return code
    return subdivision


# Longer than any leave, short enough that a year typed as 9999 is caught.
ABSENCE_LONGEST = dt.timedelta(days=2 * 366)


def _absence_errors(user: User, data: dict[str, Any]) -> dict[str, str]:
    """Problems with the out-of-office window and the delegate, by field."""
    errors: dict[str, str] = {}
    start, end = data.get("out_of_office_from"), data.get("out_of_office_until")
    now = timezone.now()
    # Checked when changed only; and an absence on record that is over since may come back
    # as typed (read in a new time zone, say) on the next save.
    changed = (start, end) != (user.out_of_office_from, user.out_of_office_until)
    was_over = user.out_of_office_until is not None and user.out_of_office_until <= now
    if bool(start) != bool(end):
        errors["out_of_office_until"] = "Give both the start of the absence and the return."
    elif start and end and start >= end:
        errors["out_of_office_until"] = "The return must come after the start of the absence."
    elif changed and not was_over and end and end <= now:
        errors["out_of_office_until"] = (
            "That absence is over already: nothing would be covered. Give a return still ahead."
        )
    elif changed and end and end > now + ABSENCE_LONGEST:
        errors["out_of_office_until"] = "Give a return within two years."
    delegate = data.get("delegate")
    if delegate is not None and delegate.pk == user.pk:
        errors["delegate"] = "You cannot be your own delegate; choose a colleague."
    elif delegate is not None and not delegate.is_active:
        errors["delegate"] = f"{delegate} no longer has an active account; choose someone else."
    elif delegate is not None and start and end and _covers_each_other(user, delegate, start, end):
        errors["delegate"] = (
            f"{delegate} is away then too, with you as their delegate: nobody would cover "
            "either of you. Choose someone who is in."
        )
    return errors


def _covers_each_other(user: User, delegate: User, start: dt.datetime, end: dt.datetime) -> bool:
    """The delegate is away during the absence and has the user as their own delegate."""
    away_from, back_on = delegate.out_of_office_from, delegate.out_of_office_until
    overlaps = away_from is not None and back_on is not None and away_from < end and start < back_on
    return overlaps and delegate.delegate_id == user.pk


def profile_problems(*, user: User, data: dict[str, Any]) -> dict[str, str]:
    """What is wrong with `data` as `user`'s profile, by field ({} when nothing): the rules
    `user_update_profile` applies, for a form that saves a person another way (the admin)."""
    data = _normalise({name: data.get(name) for name in PROFILE_FIELDS})
    return {**_calendar_errors(data), **_absence_errors(user, data)}


def _changed_labels(user: User, data: dict[str, Any]) -> list[str]:
    labels: list[str] = []
    for name in PROFILE_FIELDS:
        if getattr(user, name) != data[name] and FIELD_LABELS[name] not in labels:
            labels.append(FIELD_LABELS[name])
    return labels


@dataclass(frozen=True)
class ProfileSaved:
    """A saved profile and what moved with its calendar, in sentences for whoever saved it
    (the `calendar_changed` receivers' answers: "2 open follow-ups you owe were re-timed …")."""

    user: User
    notes: list[str]


def calendar_announce(*, user: User, by: User, before: dict[str, Any]) -> list[str]:
    """Tell the apps above that `user`'s working calendar changed from `before` (the stored
    values of CALENDAR_FIELDS until this save); returns their sentences for `by`. Nothing
    is sent when no calendar field changed."""
    changed = tuple(name for name in CALENDAR_FIELDS if getattr(user, name) != before[name])
    if not changed:
        return []
    answers = calendar_changed.send(sender=User, user=user, by=by, changed=changed, before=before)
    return [line for _receiver, lines in answers for line in lines or []]


@transaction.atomic
def user_update_profile(*, user: User, by: User, data: dict[str, Any]) -> ProfileSaved:
    """Change a person's name, title and working calendar.

    `data` holds the keys of PROFILE_FIELDS (aware datetimes, `time` objects, a User or None for
    the delegate). Raises ValidationError keyed by field and changes nothing when any value is
    wrong; records `closeloop.user.profile_updated` when something changed. A changed working
    calendar is announced (`calendar_changed`): the result's `notes` say what moved with it.
    """
    if by.pk != user.pk and not (by.is_active and by.is_admin):
        raise PermissionDenied("Only the person themselves or an admin edits a profile.")
    if errors := profile_problems(user=user, data=data):
        raise ValidationError(errors)
    data = _normalise({name: data.get(name) for name in PROFILE_FIELDS})
    data["holiday_subdivision"] = subdivision_canonical(
        data["holiday_country"], data["holiday_subdivision"]
    )
    changed = _changed_labels(user, data)
    before = {name: getattr(user, name) for name in CALENDAR_FIELDS}
    was = {name: getattr(user, name) for name in CALENDAR_PAGE_FIELDS}
    for name in PROFILE_FIELDS:
        setattr(user, name, data[name])
    user.full_clean(exclude=["password", "email"])
    user.save()
    notes = calendar_announce(user=user, by=by, before=before)
    if changed:
        whose = "their" if by.pk == user.pk else f"{user}'s"
        activity_record(
            kind="closeloop.user.profile_updated",
            actor=by,
            summary=f"{by} updated {whose} profile: {', '.join(changed)}",
            data={"user": user.pk, "changed": changed},
        )
    if by.pk != user.pk:
        _tell_of_calendar_change(user=user, by=by, was=was)
    return ProfileSaved(user, notes)


def _calendar_shown(user: User, name: str) -> Any:
    """A calendar value as people read it: a time of the absence in the person's zone, the
    working days by name."""
    value = getattr(user, name)
    if isinstance(value, dt.datetime):
        return absolute(value, user.zone)
    if name == "work_days":
        return _days(value or [])
    return value


def user_calendar_seen(user: User) -> str:
    """The fingerprint of what the admin's calendar page shows (`user_update_calendar`
    checks it)."""
    return seen_stamp({name: getattr(user, name) for name in CALENDAR_PAGE_FIELDS})


@transaction.atomic
def user_update_calendar(
    *, user: User, by: User, data: dict[str, Any], seen: str | None = None
) -> ProfileSaved:
    """Change only `user`'s working calendar and out of office (the keys of
    CALENDAR_PAGE_FIELDS in `data`; an admin's page per person): every other field of the
    profile stays as stored. Saved by `user_update_profile`, so the same rules refuse, the
    same `calendar_changed` moves what is placed in their time, and they are told of it.

    `seen`: the page's fingerprint (`user_calendar_seen`). When the person (or another
    admin) changed their calendar since the page was rendered, nothing is saved
    (`SavedSince`): the page would put back what they had just changed."""
    user = User.objects.select_for_update(of=("self",)).select_related("delegate").get(pk=user.pk)
    seen_check(
        seen=seen,
        values={name: getattr(user, name) for name in CALENDAR_PAGE_FIELDS},
        what=f"{user}'s calendar",
        labels=FIELD_LABELS,
        shown=lambda name: _calendar_shown(user, name),
    )
    profile: dict[str, Any] = {name: getattr(user, name) for name in PROFILE_FIELDS}
    profile.update({name: data[name] for name in CALENDAR_PAGE_FIELDS if name in data})
    try:
        return user_update_profile(user=user, by=by, data=profile)
    except ValidationError as error:
        errors = getattr(error, "error_dict", None)
        if errors is None or "delegate" not in errors:
            raise
        # The delegate is not on the calendar page: say what stops it in words for whoever
        # edits it, beside the absence when the absence is what collides.
        delegate = user.delegate
        others = {field: problems for field, problems in errors.items() if field != "delegate"}
        if delegate is not None and not delegate.is_active:
            others[NON_FIELD_ERRORS] = [
                f"{user}'s delegate, {delegate}, no longer has an active account: {user} "
                "chooses another on their profile (or clears it) before their calendar can "
                "be saved."
            ]
        else:
            others["out_of_office_until"] = [
                f"{delegate}, {user}'s delegate, is away then too, with {user} as their "
                "delegate: nobody would cover either. Choose other dates, or let "
                f"{user} choose another delegate first."
            ]
        raise ValidationError(others) from None


# Who tells a person that someone else changed their working calendar: the outbox registers
# itself (notify's AppConfig.ready), so the message waits for their working hours like any.
# Without one nothing is sent (a bare setup).
CalendarChangeSender = Callable[..., object]
_CALENDAR_SENDERS: list[CalendarChangeSender] = []


def calendar_change_sender_register(sender: CalendarChangeSender) -> None:
    """`sender(user=..., context=...)` queues the "calendar-changed" message. Replaces any."""
    _CALENDAR_SENDERS[:] = [sender]


def _tell_of_calendar_change(*, user: User, by: User, was: dict[str, Any]) -> None:
    """`by` changed `user`'s working calendar or out of office: one message to `user`
    saying who and what ("Time zone: Europe/Berlin (was UTC)"). Nothing when neither
    changed."""
    changes = calendar_change_lines(user=user, was=was)
    if not changes or not _CALENDAR_SENDERS:
        return
    context = {
        "by": by,
        "changes": changes,
        "profile_url": settings.SITE_URL + reverse("accounts:profile") + "#calendar",
    }
    _CALENDAR_SENDERS[0](user=user, context=context)


def _days(days: list[int]) -> str:
    names = dict(WEEKDAYS)
    return ", ".join(names[day] for day in sorted(days) if day in names) or "none"


def _holidays(country: str, subdivision: str) -> str:
    if not country:
        return "none"
    name = holiday_countries().get(country, country)
    return f"{name}, {subdivision}" if subdivision else name


def _absence(start: dt.datetime | None, end: dt.datetime | None, zone: dt.tzinfo) -> str:
    if start is None or end is None:
        return "none"
    return f"from {absolute(start, zone)} to {absolute(end, zone)}"


def calendar_change_lines(*, user: User, was: dict[str, Any]) -> list[str]:
    """What changed in `user`'s working calendar and out of office since `was` (the stored
    values of CALENDAR_PAGE_FIELDS before the save), one line each, times in their zone."""
    now = {name: getattr(user, name) for name in CALENDAR_PAGE_FIELDS}
    zone = user.zone
    shown = {
        "Time zone": lambda v: v["time_zone"],
        "Working days": lambda v: _days(v["work_days"]),
        "Working hours": lambda v: f"{v['work_start']:%H:%M}–{v['work_end']:%H:%M}",
        "Public holidays": lambda v: _holidays(v["holiday_country"], v["holiday_subdivision"]),
        "Out of office": lambda v: _absence(
            v["out_of_office_from"], v["out_of_office_until"], zone
        ),
    }
    lines = []
    for label, words in shown.items():
        after, before = words(now), words(was)
        if after != before:
            lines.append(f"{label}: {after} (was {before})")
    return lines


def user_password_changed(*, user: User, by_reset: bool = False) -> None:
    """Leave an audit row when a password changes (never the password itself).

    A reset by email proves the person owns the address, so it also lifts a login lockout
    that someone guessing at their password caused (the lockout page promises this).
    """
    if by_reset:
        axes_reset(username=user.email)
    how = "reset their password by email" if by_reset else "changed their password"
    activity_record(
        kind="closeloop.user.password_changed",
        actor=user,
        summary=f"{user} {how}",
        data={"user": user.pk, "by_reset": by_reset},
    )


def email_send_templated(*, name: str, to: list[str], context: dict[str, Any]) -> None:
    """Send `emails/<name>-subject.txt`, `-body.txt` and the `-body.html` alternative."""
    context = {"SITE_URL": settings.SITE_URL, **context}
    subject: str = render_to_string(f"emails/{name}-subject.txt", context)
    subject = " ".join(subject.split())  # a header must be one line
    text = render_to_string(f"emails/{name}-body.txt", context)
    html = render_to_string(f"emails/{name}-body.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, to)
    message.attach_alternative(html, "text/html")
    message.send()


def user_password_reset_url(
    *,
    user: User,
    token_generator: PasswordResetTokenGenerator = reset_token_generator,
    sealed: bool = False,
) -> str:
    """The one-time reset link, always on SITE_URL: never the Host header a request claimed.

    `sealed` for a link that is stored before it is sent (the outbox): its token is then
    kept sealed (`lib.sealed`) and opened only in the email as it leaves.
    """
    token = token_generator.make_token(user)
    path = reverse(
        "accounts:password-reset-confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": seal(token, audience=user.pk) if sealed else token,
        },
    )
    return f"{settings.SITE_URL}{path}"


# Who sends the reset email: the outbox registers itself (notify's AppConfig.ready), so a
# reset is queued like every other message and the page answers alike whether or not the
# address has an account. Without one, the email is sent in the request (a bare setup).
PasswordResetSender = Callable[..., object]
_RESET_SENDERS: list[PasswordResetSender] = []


def password_reset_sender_register(sender: PasswordResetSender) -> None:
    """`sender(user=..., context=...)` queues the "password-reset" email. Replaces any."""
    _RESET_SENDERS[:] = [sender]


def user_send_password_reset(
    *, user: User, token_generator: PasswordResetTokenGenerator = reset_token_generator
) -> bool:
    """Email the person a link to choose a new password; False when nothing was sent.

    The reset form is public, so anyone could make it mail a person over and over: at most
    one email per RESET_EMAIL_INTERVAL per person, each leaving an audit row. A mail server
    that fails is logged, never shown: the page must look the same either way.
    """
    recent = Activity.objects.filter(
        kind="closeloop.user.password_reset_requested",
        data__user=user.pk,
        at__gte=timezone.now() - RESET_EMAIL_INTERVAL,
    )
    if recent.exists():
        return False
    context = {
        "user": user,
        "reset_url": user_password_reset_url(
            user=user, token_generator=token_generator, sealed=bool(_RESET_SENDERS)
        ),
        "valid_for": duration_short(dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)),
    }
    try:
        if _RESET_SENDERS:
            _RESET_SENDERS[0](user=user, context=context)
        else:
            email_send_templated(name="password-reset", to=[user.email], context=context)
    except Exception:
        log.exception("could not send the password reset email to user %s", user.pk)
        return False
    activity_record(
        kind="closeloop.user.password_reset_requested",
        summary=f"A password reset link was emailed to {user}",
        data={"user": user.pk},
    )
    return True


def password_reset_wait(*, session: Any, email: str) -> dt.timedelta | None:
    """How long this browser must wait before asking for another link to `email`, or None.

    Kept in the asking browser's session and keyed by the address as typed, never by the
    account: the answer is the same whether or not the address has one, so saying "no new
    link is sent" tells nothing to someone fishing for accounts.
    """
    asked = session.get(RESET_ASKED, {}).get(email.lower())
    if asked is None:
        return None
    wait = dt.datetime.fromisoformat(asked) + RESET_EMAIL_INTERVAL - timezone.now()
    return wait if wait > dt.timedelta(0) else None


def password_reset_asked(*, session: Any, email: str) -> None:
    """Note that this browser asked for a link to `email` now (older notes are dropped)."""
    now = timezone.now()
    asked = {
        address: at
        for address, at in session.get(RESET_ASKED, {}).items()
        if dt.datetime.fromisoformat(at) + RESET_EMAIL_INTERVAL > now
    }
    asked[email.lower()] = now.isoformat()
    session[RESET_ASKED] = asked


def session_note_sign_in(sender: object, request: Any, user: User, **kwargs: Any) -> None:
    """On sign-in (Django's user_logged_in): note when and on what device, for the person's
    list of sessions. Only a short label of the browser is kept, never its full string."""
    session = getattr(request, "session", None)
    if session is None:
        return
    session[SIGNED_IN_AT] = timezone.now().isoformat()
    session[DEVICE] = device_label(request.META.get("HTTP_USER_AGENT", ""))


def user_sessions_end(*, user: User, keep_key: str | None = None) -> int:
    """End the person's sessions but the one `keep_key` names (all of them without one):
    those browsers are signed out at their next request. Returns how many ended."""
    ended, _ = Session.objects.filter(user=user).exclude(session_key=keep_key or "").delete()
    if ended:
        activity_record(
            kind="closeloop.user.sessions_ended",
            actor=user,
            summary=f"{user} signed out {ended} other session{'' if ended == 1 else 's'}",
            data={"user": user.pk, "ended": ended},
        )
    return ended
