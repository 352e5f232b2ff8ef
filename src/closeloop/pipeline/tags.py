"""Tags on candidates: the services that add and remove them, and who may.

A tag is the organisation's (`Tag`, one per name whatever its case: `tag_name_key`); a
candidate carries it on every job they are on. The hiring team of any of the candidate's jobs
tags them; interviewers only read tags. Erasing a candidate deletes their tags (pipeline.privacy).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from closeloop.activity.services import activity_record
from closeloop.pipeline.models import Candidate, CandidateTag, Tag, tag_name_key
from closeloop.pipeline.selectors import candidate_on_team

if TYPE_CHECKING:
    from closeloop.accounts.models import User

TAG_NAME_MAX = 40


def tag_name_clean(name: str) -> str:
    """A tag's name as stored: spaces collapsed; refused when empty or too long."""
    cleaned = " ".join(str(name).split())
    if not cleaned:
        raise ValidationError({"name": "Type the tag's name."})
    if len(cleaned) > TAG_NAME_MAX:
        raise ValidationError({"name": f"Keep a tag to {TAG_NAME_MAX} characters."})
    return cleaned


def candidate_can_tag(*, user: User, candidate: Candidate) -> bool:
    """The hiring team of one of the candidate's jobs (or an admin); nobody tags an erased
    candidate, who is an anonymous record."""
    return candidate.erased_at is None and candidate_on_team(user=user, candidate=candidate)


def candidate_tags(*, candidate: Candidate) -> list[Tag]:
    """The candidate's tags by name."""
    return list(Tag.objects.filter(candidate_links__candidate=candidate).order_by("name", "pk"))


def _tag_for(name: str, by: User) -> Tag:
    """The tag of that name in any case (`tag_name_key`: "STRASSE" finds "Straße"), made
    when new. A concurrent maker of the same name hits the unique index; its tag is then
    read back."""
    key = tag_name_key(name)
    found = Tag.objects.filter(name_key=key).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Tag.objects.create(name=name, created_by=by)
    except IntegrityError:
        return Tag.objects.get(name_key=key)


def _refuse_unless_taggable(candidate: Candidate, by: User) -> None:
    if candidate.erased_at is not None:
        raise ValidationError("This candidate was erased: their record takes no tags.")
    if not candidate_on_team(user=by, candidate=candidate):
        raise PermissionDenied("Only the hiring team tags candidates.")


class TagPut(NamedTuple):
    """The tag as stored (its first spelling: "ÜBERSEE" puts "Übersee") and whether the
    candidate gained it (False: they had it already), so a confirmation says what happened."""

    tag: Tag
    added: bool


@transaction.atomic
def candidate_tag_put(*, candidate: Candidate, by: User, name: str) -> TagPut:
    """Put the tag `name` on the candidate (made when new); a tag already there stays as it
    is. Recorded on the candidate's timeline when added."""
    name = tag_name_clean(name)
    _refuse_unless_taggable(candidate, by)
    tag = _tag_for(name, by)
    _, added = CandidateTag.objects.get_or_create(
        candidate=candidate, tag=tag, defaults={"added_by": by}
    )
    if added:
        activity_record(
            kind="closeloop.candidate.tagged",
            actor=by,
            candidate=candidate,
            summary=f"{by} tagged {candidate.full_name} “{tag.name}”",
            data={"tag": tag.name},
            team_only=True,
        )
    return TagPut(tag, added)


def candidate_tag_add(*, candidate: Candidate, by: User, name: str) -> Tag:
    """`candidate_tag_put`, for a caller that needs only the tag."""
    return candidate_tag_put(candidate=candidate, by=by, name=name).tag


@transaction.atomic
def candidate_tag_remove(*, candidate: Candidate, by: User, tag: Tag) -> None:
    """Take the tag off the candidate (the tag itself stays for others)."""
    _refuse_unless_taggable(candidate, by)
    removed, _ = CandidateTag.objects.filter(candidate=candidate, tag=tag).delete()
    if removed:
        activity_record(
            kind="closeloop.candidate.untagged",
            actor=by,
            candidate=candidate,
            summary=f"{by} removed the tag “{tag.name}” from {candidate.full_name}",
            data={"tag": tag.name},
            team_only=True,
        )
