"""The debrief page names its reader "you": rita reads "Informed on … by you", hank his own
decision "by you"; each reads the other by name."""

from __future__ import annotations

import html

from interview_helpers import end, score

from closeloop.interviews.models import Debrief
from closeloop.interviews.services import Decision, debrief_candidate_informed, debrief_decide


def test_each_reads_their_own_part_as_you(world, login, clock, interview, jonas):
    end(clock, interview)
    score(interview, world.ivy)
    score(interview, jonas)
    debrief = Debrief.objects.get()
    debrief_decide(
        debrief=debrief, by=world.hank, decision=Decision("reject", "Weak.", reject_reason="skills")
    )
    debrief_candidate_informed(debrief=Debrief.objects.get(), by=world.rita)

    def page(person) -> str:
        got = login(person).get(f"/debriefs/{debrief.pk}/")
        return " ".join(html.unescape(got.content.decode()).split())

    ritas, hanks = page(world.rita), page(world.hank)
    assert 'cl-small">by you</div>' in ritas and "by Rita Recruiter" not in ritas
    assert 'cl-small">by Hank Manager ·' in ritas
    assert 'cl-small">by you ·' in hanks and 'cl-small">by Rita Recruiter</div>' in hanks
