"""Panel seats: who sits on some interview of which application, kept from the panels.

`PanelSeat` answers "the applications (and jobs) this person interviews" for the permission
filters by index (docs/architecture.md#security-and-permissions). It holds one row per
(user, application) for as long as the user is on the panel of at least one live interview
of that application (scheduled or completed, not cancelled): someone whose only interview of
a candidate is called off loses sight of the candidate, as anyone off the panel. Every change
of a panel, or of whether an interview is live, ends here:

- the m2m API (`interview.interviewers.add/remove/set/clear`, and from the user's side):
  the booking services, Django's admin and any caller, through the m2m_changed receiver
  (`receivers.on_panel_changed`);
- an interview deleted (the admin, a cascade): its panel rows go without an m2m signal, so
  its post_delete re-syncs the application (`receivers.on_interview_deleted`);
- an interview cancelled (`services.booking._call_off`: by hand, or as its application or
  job closed) re-syncs its application;
- the admin moving an interview to another application, or changing its status, re-syncs
  what it touched (`InterviewAdmin`);
- writers that insert panel rows in bulk (the demo seed, the benchmarks' generator) call
  `panel_seats_sync` themselves.

An application's seats go with it (and a user's with them) by the foreign keys' cascade; an
application never changes job, and a candidate merge moves applications whole, so the seats
stay right through both.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from closeloop.interviews.models import Interview, InterviewStatus, PanelSeat
from closeloop.pipeline.models import Application

# Applications re-read per statement (well under SQLite's limit on query parameters).
CHUNK = 500


def panel_seats_sync(application_ids: Iterable[int]) -> None:
    """Make the seats of these applications exactly their live interviews' panels: add the
    missing seats, drop those of people no longer on any live interview of the application.

    The applications' rows are locked first (FOR NO KEY UPDATE, in id order) so two
    transactions changing panels of one application take turns: otherwise one could drop a
    seat on the strength of a read that misses the other's new panel row, and the person
    would lose sight of a candidate they interview.
    """
    ids = sorted(set(application_ids))
    for start in range(0, len(ids), CHUNK):
        _sync_chunk(ids[start : start + CHUNK])


@transaction.atomic
def _sync_chunk(ids: list[int]) -> None:
    jobs = dict(
        Application.objects.select_for_update(no_key=True)
        .filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk", "job_id")
    )
    panels = Interview.interviewers.through.objects.filter(
        interview__application_id__in=ids
    ).exclude(interview__status=InterviewStatus.CANCELLED)
    wanted = set(panels.values_list("user_id", "interview__application_id").distinct())
    held = {
        (user_id, application_id): pk
        for pk, user_id, application_id in PanelSeat.objects.filter(
            application_id__in=ids
        ).values_list("pk", "user_id", "application_id")
    }
    gone = [pk for key, pk in held.items() if key not in wanted]
    if gone:
        PanelSeat.objects.filter(pk__in=gone).delete()
    PanelSeat.objects.bulk_create(
        [
            PanelSeat(user_id=user_id, application_id=application_id, job_id=jobs[application_id])
            for user_id, application_id in sorted(wanted)
            if (user_id, application_id) not in held and application_id in jobs
        ]
    )
