"""An interviewer's My queue rows lead where she acts: the interview's briefing while it is
ahead, its scorecard form once it has begun and her scorecard is owed. Rows whose move is
not an interview of hers (the recruiter's view of the same candidate) keep leading to the
application's page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from interview_helpers import end, score

from closeloop.interviews.models import Interview

QUEUE = reverse("pipeline:queue")


@pytest.fixture
def alone(world, interview):
    """Carla's booked Technical interview is the only one she has: the world's unbooked
    one (ivy's, on Tuesday) would be a second interview of ivy's to lead to."""
    Interview.objects.filter(application=world.interviewed, round__isnull=True).delete()
    return interview


def row_links(html: str, name: str = "Carla Candidate") -> list[str]:
    """Where each row naming the candidate leads, in the page's order."""
    return re.findall(rf'class="queue-candidate" href="([^"]+)">{name}<', html)


def queue_of(client, person) -> str:
    client.force_login(person)
    return client.get(QUEUE).content.decode()


def briefing(interview) -> str:
    return reverse("interviews:interview-detail", args=[interview.pk])


def test_an_interview_ahead_leads_to_its_briefing(client, world, alone):
    html = queue_of(client, world.ivy)
    # "Waiting for your interview", then "Your interviews in the next 14 days".
    assert row_links(html) == [briefing(alone), briefing(alone)]


def test_an_interview_begun_leads_to_the_scorecard_form(client, clock, world, alone):
    clock.move_to(alone.starts_at + dt.timedelta(minutes=30))
    html = queue_of(client, world.ivy)
    assert row_links(html)[0] == briefing(alone) + "#scorecard"


def test_a_scorecard_owed_after_the_interview_leads_to_the_form(client, clock, world, alone):
    end(clock, alone)  # completed by the worker: the scorecard asks are open
    html = queue_of(client, world.ivy)
    assert row_links(html) == [briefing(alone) + "#scorecard"]


def test_once_her_scorecard_is_in_a_row_left_leads_to_the_application(
    client, clock, world, alone, jonas
):
    """jonas's card is still missing: Carla stays in his queue, at his scorecard form."""
    end(clock, alone)
    score(alone, world.ivy)
    assert row_links(queue_of(client, jonas)) == [briefing(alone) + "#scorecard"]
    assert row_links(queue_of(client, world.ivy)) == []


def test_the_hiring_team_s_rows_still_lead_to_the_application(client, clock, world, alone):
    application = reverse("pipeline:application-detail", args=[world.interviewed.pk])
    assert row_links(queue_of(client, world.rita)) == [application]
    end(clock, alone)
    assert row_links(queue_of(client, world.rita)) == [application]


def test_the_list_of_all_her_rows_leads_there_too(client, world, alone):
    client.force_login(world.ivy)
    url = reverse("pipeline:queue-list", args=["your-interviews"])
    html = client.get(url).content.decode()
    assert row_links(html) == [briefing(alone)]
