"""Saved views of a job's candidate list: a person's named filters, kept as the list's query
string, so a saved view is just a link (and sharing the address shares the filters).

Each person sees and deletes only their own; another's saved view answers 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, QueryDict

from closeloop.pipeline.list_query import list_query_read
from closeloop.pipeline.models import SavedView, saved_view_name_key

if TYPE_CHECKING:
    from closeloop.accounts.models import User
    from closeloop.jobs.models import Job

SAVED_VIEWS_PER_JOB = 20
SAVED_VIEW_NAME_MAX = 60
# What a list address may carry (the page number is left out: a view is its filters).
LIST_KEYS = ("view", "sort", "stage", "status", "move", "waiting", "source", "interviewer", "tag")
QUERY_MAX = 500


# How a left-out value is named in a sentence ("Left out what the list cannot use: stage
# “999”.").
LIST_KEY_WORDS = {
    "sort": "sort",
    "stage": "stage",
    "status": "status",
    "move": "whose move",
    "waiting": "in stage longer than",
    "source": "source",
    "interviewer": "interviewer",
    "tag": "tag",
}


def _list_pairs(query: str) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for key, value in parse_qsl(str(query).lstrip("?"), keep_blank_values=False):
        if key in LIST_KEYS and key not in seen and key != "view":
            seen[key] = value[:100]
    return [("view", "list"), *((key, seen[key]) for key in LIST_KEYS if key in seen)]


def list_query_clean(query: str) -> str:
    """The list's query string with only the list's own keys (each once, at most 100
    characters), always `view=list` first: where a bulk action returns to. The list itself
    checks each value when it is read (a saved view's are checked before: `list_query_checked`)."""
    return urlencode(_list_pairs(query))[:QUERY_MAX]


@dataclass(frozen=True)
class CheckedQuery:
    """A list's query string as a saved view keeps it, and the values left out of it (each
    as a sentence names it: 'stage “999”')."""

    query: str
    left_out: list[str]


def list_query_checked(*, user: User, job: Job, query: str) -> CheckedQuery:
    """`query` as a saved view keeps it: the list's own keys (`list_query_clean`), without
    any value the list would not use, as the list reads it for `user` (`list_query_read`:
    one rule for both)."""
    pairs = _list_pairs(query)
    asked, _form, _filters = list_query_read(user=user, job=job, query=QueryDict(urlencode(pairs)))
    kept = [(key, value) for key, value in pairs if key not in asked.refused]
    left_out = [f"{LIST_KEY_WORDS[key]} “{value}”" for key, value in pairs if key in asked.refused]
    return CheckedQuery(query=urlencode(kept)[:QUERY_MAX], left_out=left_out)


def saved_views_for(*, user: User, job: Job) -> list[SavedView]:
    """The user's saved views of the job's list, by name."""
    return list(SavedView.objects.filter(owner=user, job=job).order_by("name", "pk"))


def saved_view_get(*, user: User, pk: int) -> SavedView:
    """One of the user's own saved views, or 404 (another's is not theirs to know of)."""
    found = SavedView.objects.filter(owner=user, pk=pk).select_related("job").first()
    if found is None:
        raise Http404("No such saved view.")
    return found


@dataclass(frozen=True)
class SavedViewCreated:
    """A view just saved, and the values of its query left out (`CheckedQuery.left_out`), for
    the confirmation to name."""

    view: SavedView
    left_out: list[str]


@transaction.atomic
def saved_view_create(*, owner: User, job: Job, name: str, query: str) -> SavedViewCreated:
    """Save the list's filters (`query`, checked as the list reads them: `list_query_checked`
    leaves out what the list would not use, and the result says what) under `name` for
    `owner` on `job`. A name is used
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
    checked = list_query_checked(user=owner, job=job, query=query)
    view = SavedView(owner=owner, job=job, name=name, query=checked.query)
    try:
        # A save of the same name from another tab at the same moment meets the unique index.
        with transaction.atomic():
            view.save()
    except IntegrityError:
        raise _name_taken(name) from None
    return SavedViewCreated(view=view, left_out=checked.left_out)


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
