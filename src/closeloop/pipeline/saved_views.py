"""Saved views of a job's candidate list: a person's named filters, kept as the list's query
string, so a saved view is just a link (and sharing the address shares the filters).

Each person sees and deletes only their own; another's saved view answers 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404

from closeloop.pipeline.models import SavedView, saved_view_name_key

if TYPE_CHECKING:
    from closeloop.accounts.models import User
    from closeloop.jobs.models import Job

SAVED_VIEWS_PER_JOB = 20
SAVED_VIEW_NAME_MAX = 60
# What a list address may carry (the page number is left out: a view is its filters).
LIST_KEYS = ("view", "sort", "stage", "status", "move", "waiting", "source", "interviewer", "tag")
QUERY_MAX = 500


def list_query_clean(query: str) -> str:
    """The list's query string with only the list's own keys (each once, at most 100
    characters), always `view=list` first: what a saved view stores and where a bulk action
    returns to. The list itself checks each value when it is read."""
    seen: dict[str, str] = {}
    for key, value in parse_qsl(str(query).lstrip("?"), keep_blank_values=False):
        if key in LIST_KEYS and key not in seen and key != "view":
            seen[key] = value[:100]
    pairs = [("view", "list"), *((key, seen[key]) for key in LIST_KEYS if key in seen)]
    return urlencode(pairs)[:QUERY_MAX]


def saved_views_for(*, user: User, job: Job) -> list[SavedView]:
    """The user's saved views of the job's list, by name."""
    return list(SavedView.objects.filter(owner=user, job=job).order_by("name", "pk"))


def saved_view_get(*, user: User, pk: int) -> SavedView:
    """One of the user's own saved views, or 404 (another's is not theirs to know of)."""
    found = SavedView.objects.filter(owner=user, pk=pk).select_related("job").first()
    if found is None:
        raise Http404("No such saved view.")
    return found


@transaction.atomic
def saved_view_create(*, owner: User, job: Job, name: str, query: str) -> SavedView:
    """Save the list's filters (`query`) under `name` for `owner` on `job`. A name is used
    once per person and job, whatever its case ("Überfällig" is "überfällig":
    `saved_view_name_key`); a person keeps at most 20 per job."""
    name = " ".join(str(name).split())
    if not name:
        raise ValidationError({"name": "Name the view."})
    if len(name) > SAVED_VIEW_NAME_MAX:
        raise ValidationError({"name": f"Keep the name to {SAVED_VIEW_NAME_MAX} characters."})
    mine = SavedView.objects.select_for_update().filter(owner=owner, job=job)
    same = mine.filter(name_key=saved_view_name_key(name)).first()
    if same is not None:
        raise _name_taken(same.name)
    if mine.count() >= SAVED_VIEWS_PER_JOB:
        raise ValidationError(
            f"You have {SAVED_VIEWS_PER_JOB} saved views on this job; delete one to save another."
        )
    view = SavedView(owner=owner, job=job, name=name, query=list_query_clean(query))
    try:
        # A save of the same name from another tab at the same moment meets the unique index.
        with transaction.atomic():
            view.save()
    except IntegrityError:
        raise _name_taken(name) from None
    return view


def _name_taken(name: str) -> ValidationError:
    return ValidationError(
        {"name": f"You already have a view named “{name}” on this job (a name counts once, "
                 "whatever its capitals); choose another name or delete that view."}
    )  # fmt: skip


@transaction.atomic
def saved_view_delete(*, saved_view: SavedView, by: User) -> None:
    """Delete one of `by`'s saved views (another's is refused as not found)."""
    deleted, _ = SavedView.objects.filter(pk=saved_view.pk, owner=by).delete()
    if not deleted:
        raise PermissionDenied("Only its owner deletes a saved view.")
