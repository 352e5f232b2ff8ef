"""The pulse pages per persona: who reads a job's pulse, who answers, guessed ids 404,
blindness on the page, the job-page panel, a person's received scores."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from pulses_fixtures import *  # noqa: F403  (the pulse fixtures: world on the clock, pulse)

from closeloop.jobs.services import job_update
from closeloop.lib.timefmt import absolute
from closeloop.partnership.pulses.models import PulseAnswer
from closeloop.partnership.pulses.services import pulse_answer_save

GUESSED = 987654


def _job(pk):
    return reverse("partnership:pulse-job", args=[pk])


def _answer(pk):
    return reverse("partnership:pulse-answer", args=[pk])


def _person(pk):
    return reverse("partnership:pulse-person", args=[pk])


@pytest.mark.parametrize(("persona", "status"), [
    ("rita", 200), ("hank", 200), ("ada", 200), ("ivy", 404), ("olga", 404),
])  # fmt: skip
def test_a_jobs_pulse_is_read_by_its_recruiter_hm_and_admins_only(
    world, pulse, login, persona, status
):
    client = login(getattr(world, persona))
    assert client.get(_job(world.job.pk)).status_code == status
    assert client.get(_job(GUESSED)).status_code == 404


def test_the_coordinator_reads_the_pulse_but_does_not_answer(world, pulse, login):
    world.job.coordinator = world.olga
    world.job.save()
    client = login(world.olga)
    assert client.get(_job(world.job.pk)).status_code == 200
    page = client.get(_answer(pulse.pk))
    assert page.status_code == 200 and "<form" not in page.content.decode().split("<main")[-1]
    refused = client.post(_answer(pulse.pk), {"score_1": 5, "score_2": 5, "score_3": 5})
    assert refused.status_code == 403 and "Nothing was changed" in refused.content.decode()
    assert not PulseAnswer.objects.exists()


@pytest.mark.parametrize(("persona", "status"), [
    ("rita", 200), ("hank", 200), ("ada", 200), ("ivy", 404), ("olga", 404),
])  # fmt: skip
def test_the_round_page_is_read_by_its_two_sides_and_admins(world, pulse, login, persona, status):
    client = login(getattr(world, persona))
    assert client.get(_answer(pulse.pk)).status_code == status
    assert client.get(_answer(GUESSED)).status_code == 404


def test_an_admin_reads_the_round_page_blind_until_it_is_revealed(world, pulse, login):
    """The admin opens the round from Hank's email in the Outbox ("Open in Closeloop")."""
    pulse_answer_save(round_=pulse, by=world.hank, scores=[4, 4, 4], comment="Good slate")
    client = login(world.ada)
    before = client.get(_answer(pulse.pk)).content.decode()
    assert "Good slate" not in before and "Answered. Hidden until both" in before
    pulse_answer_save(round_=pulse, by=world.rita, scores=[2, 5, 5], comment="Slow replies")
    after = client.get(_answer(pulse.pk)).content.decode()
    assert "Good slate" in after and "Slow replies" in after
    assert "Hank Manager on Rita Recruiter" in after


def test_anonymous_visitors_are_sent_to_log_in(world, pulse, client):
    for url in (_job(world.job.pk), _answer(pulse.pk), _person(world.rita.pk)):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"]


def test_hank_answers_on_the_page_and_rita_sees_only_that_he_answered(world, pulse, login):
    client = login(world.hank)
    assert "Answer your pulse" in client.get(_job(world.job.pk)).content.decode()
    page = client.get(_answer(pulse.pk))
    assert "How is working with Rita Recruiter?" in page.content.decode()
    done = client.post(
        _answer(pulse.pk), {"score_1": 5, "score_2": 1, "score_3": 4, "comment": "Secret note"}
    )
    assert done.status_code == 302
    assert PulseAnswer.objects.get().scores == (5, 1, 4)
    hank_page = client.get(_job(world.job.pk)).content.decode()
    assert "Answer your pulse" not in hank_page and "Change your answer" in hank_page
    rita_page = login(world.rita).get(_job(world.job.pk)).content.decode()
    assert "Secret note" not in rita_page and "Hidden until both have answered" in rita_page
    admin_page = login(world.ada).get(_job(world.job.pk)).content.decode()
    assert "Secret note" not in admin_page


def test_after_both_answers_both_see_both_and_the_panel_shows_them(world, pulse, login):
    pulse_answer_save(round_=pulse, by=world.hank, scores=[4, 4, 4], comment="Good slate")
    pulse_answer_save(round_=pulse, by=world.rita, scores=[2, 5, 5], comment="Slow replies")
    for who in (world.hank, world.rita):
        page = login(who).get(_job(world.job.pk)).content.decode()
        assert "Good slate" in page and "Slow replies" in page
        assert "Speed of answers for Hank Manager: 2" in page  # the flag
    job_page = login(world.rita).get(reverse("jobs:job-detail", args=[world.job.pk]))
    assert "Partnership pulse" in job_page.content.decode()
    assert "Slow replies" in job_page.content.decode()


def test_each_side_says_who_rates_whom_with_the_reader_named_you(world, pulse, login):
    """One "(you)" after "Rita Recruiter on Hank Manager" left Rita to guess who was who."""

    def headings(who) -> list[str]:
        page = login(who).get(_job(world.job.pk)).content.decode()
        return [part.split("</h4>")[0] for part in page.split("<h4>")[1:]]

    assert headings(world.rita) == ["Hank Manager on you", "You on Hank Manager"]
    assert headings(world.hank) == ["You on Rita Recruiter", "Rita Recruiter on you"]
    assert headings(world.ada) == [
        "Hank Manager on Rita Recruiter",
        "Rita Recruiter on Hank Manager",
    ]


def test_the_job_page_has_no_pulse_panel_for_an_interviewer(world, pulse, login):
    page = login(world.ivy).get(reverse("jobs:job-detail", args=[world.job.pk]))
    assert page.status_code == 200 and "Partnership pulse" not in page.content.decode()


def test_bad_input_on_the_page_is_refused_with_words_and_changes_nothing(world, pulse, login):
    client = login(world.hank)
    refused = client.post(
        _answer(pulse.pk), {"score_1": 7, "score_2": "x", "score_3": "", "comment": "a" * 2000}
    )
    assert refused.status_code == 400
    assert "Nothing was changed" in refused.content.decode()
    assert not PulseAnswer.objects.exists()


def test_a_revealed_answer_is_shown_final_and_a_post_changes_nothing(world, pulse, login):
    pulse_answer_save(round_=pulse, by=world.hank, scores=[4, 4, 4])
    pulse_answer_save(round_=pulse, by=world.rita, scores=[4, 4, 4])
    client = login(world.hank)
    assert "final" in client.get(_answer(pulse.pk)).content.decode()
    refused = client.post(_answer(pulse.pk), {"score_1": 1, "score_2": 1, "score_3": 1})
    assert refused.status_code == 400
    assert PulseAnswer.objects.get(side="hiring_manager").scores == (4, 4, 4)


@pytest.mark.parametrize(("persona", "whose", "status"), [
    ("rita", "rita", 200), ("ada", "rita", 200), ("hank", "rita", 404), ("ivy", "rita", 404),
])  # fmt: skip
def test_received_scores_are_read_by_the_person_and_admins(
    world, pulse, login, persona, whose, status
):
    pulse_answer_save(round_=pulse, by=world.hank, scores=[3, 4, 5], comment="Keep going")
    pulse_answer_save(round_=pulse, by=world.rita, scores=[3, 3, 3])
    client = login(getattr(world, persona))
    page = client.get(_person(getattr(world, whose).pk))
    assert page.status_code == status
    if status == 200:
        assert "Keep going" in page.content.decode()
    assert client.get(_person(GUESSED)).status_code == 404


@pytest.mark.parametrize(("persona", "linked", "named"), [
    ("rita", ["rita"], ["hank"]), ("hank", ["hank"], ["rita"]), ("ada", ["rita", "hank"], []),
    ("olga", [], ["rita", "hank"]),  # the coordinator reads the pulse, neither person's scores
])  # fmt: skip
def test_the_pulse_page_links_only_the_received_scores_its_reader_may_open(
    world, pulse, login, persona, linked, named
):
    world.job.coordinator = world.olga
    world.job.save()
    client = login(getattr(world, persona))
    html = client.get(_job(world.job.pk)).content.decode()
    footer = html[html.index("Received scores over every job") :]
    for name in linked:
        person = getattr(world, name)
        assert f'<a href="{_person(person.pk)}">{person.full_name}</a>' in footer
        assert client.get(_person(person.pk)).status_code == 200
    for name in named:
        person = getattr(world, name)
        assert _person(person.pk) not in footer and person.full_name in footer


def test_received_scores_link_a_jobs_pulse_only_for_a_reader_who_may_open_it(world, pulse, login):
    """hank left Backend Engineer's hiring team: his received scores still list the round,
    but no longer link to the job's pulse page, which answers him 404."""
    pulse_answer_save(round_=pulse, by=world.hank, scores=[3, 4, 5])
    pulse_answer_save(round_=pulse, by=world.rita, scores=[4, 4, 4])
    job_update(job=world.job, by=world.ada, data={"hiring_manager": world.olga})
    client = login(world.hank)
    html = client.get(_person(world.hank.pk)).content.decode()
    assert client.get(_job(world.job.pk)).status_code == 404
    assert _job(world.job.pk) not in html
    assert f'<th scope="row">{world.job.title}<div' in html
    for persona, whose in (("rita", "rita"), ("ada", "hank")):
        client = login(getattr(world, persona))
        html = client.get(_person(getattr(world, whose).pk)).content.decode()
        assert f'<a href="{_job(world.job.pk)}">{world.job.title}</a>' in html, persona
        assert client.get(_job(world.job.pk)).status_code == 200


def _side_headings(html: str) -> list[str]:
    return re.findall(r"<h2>([^<]+)</h2>", html)


def test_the_round_page_shows_both_sides_labelled_once_revealed(world, pulse, login):
    """The round's own page (the email's "Open in Closeloop") showed only the reader's own
    scores, unlabelled, after the reveal; the job page showed both."""
    pulse_answer_save(round_=pulse, by=world.hank, scores=[4, 4, 4], comment="Good slate")
    pulse_answer_save(round_=pulse, by=world.rita, scores=[2, 5, 5], comment="Slow replies")
    hank = login(world.hank).get(_answer(pulse.pk)).content.decode()
    assert _side_headings(hank) == ["You on Rita Recruiter", "Rita Recruiter on you"]
    assert "Good slate" in hank and "Slow replies" in hank
    assert "Speed of answers" in hank and "Quality of the slate" in hank
    assert "Speed of answers for Hank Manager: 2" in hank  # the flag, as on the job's page
    rita = login(world.rita).get(_answer(pulse.pk)).content.decode()
    assert _side_headings(rita) == ["Hank Manager on you", "You on Hank Manager"]
    assert "Good slate" in rita and "Slow replies" in rita


def test_before_the_reveal_the_round_page_shows_only_your_own_labelled_yours(world, pulse, login):
    pulse_answer_save(round_=pulse, by=world.hank, scores=[4, 4, 4], comment="Good slate")
    hank = login(world.hank).get(_answer(pulse.pk)).content.decode()
    assert _side_headings(hank) == ["You on Rita Recruiter"]
    assert "Rita Recruiter on you: not answered yet." in hank
    rita = login(world.rita).get(_answer(pulse.pk)).content.decode()
    assert _side_headings(rita) == ["You on Hank Manager"]
    assert "Hank Manager on you: answered, hidden until" in rita
    assert "Good slate" not in rita


def test_a_rounds_opening_names_its_zone_beside_its_closing(world, pulse, login):
    """ "Round 4 · opened Sun 06 Dec 19:10" sat beside "Open until Fri 11 Dec 17:00
    (Europe/London)": both times now say whose they are."""
    world.rita.time_zone = "Europe/London"
    world.rita.save(update_fields=["time_zone"])
    page = " ".join(login(world.rita).get(_job(world.job.pk)).content.decode().split())
    opened = absolute(pulse.opened_at, world.rita.zone)
    assert f"· opened {opened} (Europe/London)" in page
