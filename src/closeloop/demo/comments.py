"""The demo's comments and mentions, posted through the comments service.

On *Senior Backend Engineer* rita asks hank about remote days on the job's page, hank asks
rita a question on a submitted candidate, and rita notes a competing offer on another: the
mentions reach each person's Inbox (with its unread count) the way a live mention does.
The comments are dated over the last working day, as a team's thread would be.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from closeloop.activity.models import Activity
from closeloop.comments.models import Comment
from closeloop.comments.selectors import comment_subject_of
from closeloop.comments.services import comment_add
from closeloop.jobs.models import StageKind
from closeloop.pipeline.models import ApplicationStatus

JOB = "backend"
HOUR = dt.timedelta(hours=1)


def _post(obj: Any, by: Any, body: str, at: dt.datetime) -> Comment:
    comment = comment_add(subject=comment_subject_of(obj), by=by, body=body)
    # Said earlier today or yesterday, not at the second of seeding.
    Comment.objects.filter(pk=comment.pk).update(created_at=at)
    Activity.objects.filter(kind="closeloop.comment.added", data__comment=comment.pk).update(at=at)
    return comment


def seed(org: Any) -> dict[str, int]:
    ctx = org.jobs[JOB]
    rita, hank, job = ctx.recruiter, ctx.hm, ctx.job
    handle = {person: person.email.split("@")[0] for person in (rita, hank)}
    submitted = list(
        job.applications.filter(
            status=ApplicationStatus.ACTIVE, stage__kind=StageKind.SUBMITTED
        ).select_related("candidate")[:2]
    )
    # Said at work, earlier today or on the last working day, newest last (org.worked).
    now = org.now
    said = [org.worked(now - dt.timedelta(hours=3), rita)]
    said.insert(0, min(org.worked(now - dt.timedelta(hours=5), hank), said[0] - 2 * HOUR))
    said.insert(0, min(org.worked(now - dt.timedelta(hours=26), rita), said[0] - 3 * HOUR))
    posted = [
        _post(
            job,
            rita,
            f"@{handle[hank]} the two Berlin candidates both asked about remote days. "
            "Can we confirm two days a week before Thursday's calls?",
            said[0],
        )
    ]
    if submitted:
        first = submitted[0]
        posted.append(
            _post(
                first,
                hank,
                f"@{handle[rita]} strong on Python. Before I decide: has "
                f"{first.candidate.full_name.split()[0]} run PostgreSQL at our scale?",
                said[1],
            )
        )
    if len(submitted) > 1:
        second = submitted[1]
        posted.append(
            _post(
                second,
                rita,
                f"{second.candidate.full_name.split()[0]} has another offer with a deadline "
                "next Friday; a decision this week keeps us in the race.",
                said[2],
            )
        )
    return {"comments": len(posted)}
