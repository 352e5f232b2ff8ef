"""The demo's mentorship (issue 13, items 4 to 6): Sofia mentors Hank with goals, past
sessions and a next one, and her page shows a prompt about Hank's slow reviews linking to
the evidence; Daniel's proposal waits for Grace; cards reach the job page."""

from __future__ import annotations

from demo_fixtures import *  # noqa: F403  (the seeded demo: seeded, demo)
from django.urls import reverse
from django.utils import timezone

from closeloop.accounts.models import User
from closeloop.followups.models import Ask, AskStatus
from closeloop.jobs.models import Job
from closeloop.partnership.mentorship.models import Mentorship, WorkingCard


def _person(name):
    return User.objects.get(email=f"{name}@example.com")


def test_sofia_mentors_hank_with_goals_past_sessions_and_the_next_one(demo):
    mentorship = Mentorship.objects.get(mentor=_person("sofia"), mentee=_person("hank"))
    assert mentorship.status == "active"
    assert mentorship.goals.exclude(figure="").count() == 1
    now = timezone.now()
    sessions = list(mentorship.sessions.order_by("starts_at"))
    assert [s.held_at is not None for s in sessions] == [True, True, False]
    assert all(s.notes for s in sessions[:2]) and sessions[2].starts_at > now
    assert Ask.objects.filter(kind="mentoring_action", status=AskStatus.DONE).count() >= 2


def test_sofias_page_shows_hanks_slow_reviews_with_links_to_the_evidence(demo, client):
    mentorship = Mentorship.objects.get(mentor=_person("sofia"), mentee=_person("hank"))
    client.force_login(_person("sofia"))
    body = client.get(reverse("partnership:mentorship-detail", args=[mentorship.pk])).content
    text = body.decode()
    assert "Reviews slower than agreed" in text
    assert 'href="/applications/' in text


def test_a_proposal_waits_for_grace_and_cards_reach_the_job_page(demo, client):
    proposal = Mentorship.objects.get(mentee=_person("grace"))
    assert proposal.status == "proposed"
    assert Ask.objects.get(kind="accept_mentorship", status=AskStatus.OPEN).owner == _person(
        "grace"
    )
    assert (
        WorkingCard.objects.filter(user__email__in=["rita@example.com", "hank@example.com"]).count()
        == 2
    )
    job = Job.objects.filter(recruiter=_person("rita"), hiring_manager=_person("hank")).first()
    client.force_login(_person("rita"))
    assert "Working with" in client.get(reverse("jobs:job-detail", args=[job.pk])).content.decode()
