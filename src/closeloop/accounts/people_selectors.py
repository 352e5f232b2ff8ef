"""People management, the reads: the people page's list and the rows an admin acts on.

Only admins manage people: anyone else gets a 404 here, whatever the id.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Case, Exists, OuterRef, Prefetch, Q, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from closeloop.accounts.hooks import person_counts
from closeloop.accounts.models import Invitation, Role, User
from closeloop.lib.folding import by_name

if TYPE_CHECKING:
    from django.db.models import QuerySet


class Status:
    ACTIVE = "active"
    INVITED = "invited"
    LAPSED = "lapsed"  # invited, but the invitation expired or was withdrawn
    DEACTIVATED = "deactivated"


STATUS_CHOICES = [
    (Status.ACTIVE, "Active"),
    (Status.INVITED, "Invited"),
    (Status.LAPSED, "Invitation expired or withdrawn"),
    (Status.DEACTIVATED, "Deactivated"),
]
ROLE_CHOICES = [(role.value, role.label) for role in Role]
ROLE_FLAG: dict[str, str] = {
    Role.ADMIN.value: "is_admin",
    Role.RECRUITER.value: "is_recruiter",
    Role.HIRING_MANAGER.value: "is_hiring_manager",
    Role.INTERVIEWER.value: "is_interviewer",
}


def people_admin_check(user: User) -> None:
    """People management is for active admins; anyone else sees no such page."""
    if not (user.is_active and user.is_admin):
        raise Http404("No such page.")


def _status_annotation() -> Case:
    now = timezone.now()
    invitations = Invitation.objects.filter(user=OuterRef("pk"))
    open_now = invitations.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
    )
    return Case(
        When(is_active=True, then=Value(Status.ACTIVE)),
        When(Exists(open_now), then=Value(Status.INVITED)),
        When(
            Exists(invitations) & ~Exists(invitations.filter(accepted_at__isnull=False)),
            then=Value(Status.LAPSED),
        ),
        default=Value(Status.DEACTIVATED),
    )


def people_list(
    *, user: User, role: str = "", status: str = "", search: str = ""
) -> QuerySet[User]:
    """Everyone, with their status (active, invited, lapsed, deactivated), the counts the
    apps above register (open asks owed) and their open invitation: one query for the page,
    one for the invitations on it, whatever its length."""
    people_admin_check(user)
    rows = User.objects.annotate(status=_status_annotation())
    for count in person_counts():
        rows = rows.annotate(**{count.name: Coalesce(count.build(), 0)})
        if count.aside is not None:
            rows = rows.annotate(**{count.aside_name: Coalesce(count.aside(), 0)})
    flag = ROLE_FLAG.get(role)
    if flag:
        invited_as = Invitation.objects.filter(
            user=OuterRef("pk"), accepted_at__isnull=True, revoked_at__isnull=True, **{flag: True}
        )
        rows = rows.filter(Q(**{flag: True}) | Exists(invited_as))
    if status in dict(STATUS_CHOICES):
        rows = rows.filter(status=status)
    search = " ".join(search.split())
    if search:
        rows = rows.filter(Q(full_name__icontains=search) | Q(email__icontains=search))
    open_invitations = Invitation.objects.filter(accepted_at__isnull=True, revoked_at__isnull=True)
    return (
        rows.select_related("manager")
        .prefetch_related(Prefetch("invitations", open_invitations, to_attr="open_invitations"))
        .order_by(*by_name("full_name"), "email", "pk")
    )


def person_get_for_admin(*, user: User, pk: int) -> User:
    people_admin_check(user)
    person = User.objects.select_related("manager", "delegate").filter(pk=pk).first()
    if person is None:
        raise Http404("No such person.")
    return person


def person_is_invitee(person: User) -> bool:
    """Invited and never joined: such an account is managed through its invitation."""
    invitations = person.invitations.all()
    return invitations.exists() and not invitations.filter(accepted_at__isnull=False).exists()


def person_deactivation_problem(*, person: User, by: User) -> str:
    """Why `by` cannot deactivate `person` ("" when they can), in words for the page."""
    if person_is_invitee(person):
        return f"{person} has not joined yet: withdraw their invitation instead."
    if not person.is_active:
        return f"{person} is deactivated already."
    if person.pk == by.pk:
        return "You cannot deactivate yourself; ask another admin."
    return ""


def delegating_to(person: User) -> QuerySet[User]:
    """The active people who named `person` their delegate (their profile's *Delegate*)."""
    return User.objects.filter(delegate=person, is_active=True).order_by(
        *by_name("full_name"), "email"
    )


def person_reactivation_problem(*, person: User) -> str:
    """Why `person` cannot be reactivated ("" when they can), in words for the page: the
    refusals of `user_reactivate`."""
    if person.is_active:
        return f"{person} is active already."
    if person_is_invitee(person):
        return f"{person} has not accepted their invitation yet; send it again instead."
    return ""


def invitation_get_for_admin(*, user: User, pk: int) -> Invitation:
    people_admin_check(user)
    invitation = Invitation.objects.select_related("user", "invited_by").filter(pk=pk).first()
    if invitation is None:
        raise Http404("No such invitation.")
    return invitation


def manager_choices() -> QuerySet[User]:
    """Who can be a new person's manager: any active person."""
    return User.objects.filter(is_active=True).order_by(*by_name("full_name"), "email")
