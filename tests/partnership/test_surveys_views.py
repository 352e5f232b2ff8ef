"""The survey, check-in and history pages, per persona: the job's recruiter, its HM and admins
read them; anyone else, and any guessed id, gets a 404. Blind answers stay out of the HTML."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from surveys_world import close_job

from closeloop.jobs.models import StageKind
from closeloop.lib.timefmt import absolute
from closeloop.partnership.surveys.models import QualityCheckin, SurveyAnswer
from closeloop.partnership.surveys.services import checkins_open_due, survey_answer
from closeloop.pipeline.services import application_move

SECRET = "Hank-only-thoughts"


@pytest.fixture
def history(world, clock):
    """Carla hired (her 30-day check-in open), then the job closed as failed; hank answered."""
    hired = world.job.stages.get(kind=StageKind.HIRED)
    application_move(application=world.interviewed, by=world.rita, to_stage=hired)
    clock.shift(dt.timedelta(days=30, minutes=1))
    checkins_open_due()
    survey = close_job(world, "failed")
    survey_answer(survey=survey, by=world.hank, again="no", what_to_change=SECRET)
    return survey, QualityCheckin.objects.get(days=30)


def _urls(survey, checkin, world):
    return [
        reverse("partnership:surveys-survey", args=[survey.pk]),
        reverse("partnership:surveys-checkin", args=[checkin.pk]),
        reverse("partnership:surveys-job-history", args=[world.job.pk]),
    ]


@pytest.mark.parametrize("who", ["rita", "hank", "ada"])
def test_the_team_and_admins_read_the_pages(login, world, history, who):
    client = login(getattr(world, who))
    for url in _urls(*history, world):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["olga", "ivy"])
def test_anyone_else_gets_a_404(login, world, history, who):
    client = login(getattr(world, who))
    for url in _urls(*history, world):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"again": "yes", "rating": 3, "hire_again": "yes"}).status_code in (
            404,
            405,
        )
    assert not SurveyAnswer.objects.filter(person=getattr(world, who)).exists()


@pytest.mark.parametrize("who", ["rita", "hank", "olga", "ada"])
def test_guessed_ids_get_a_404(login, world, history, who):
    client = login(getattr(world, who))
    for name in ("survey", "checkin", "job-history", "person-history"):
        url = reverse(f"partnership:surveys-{name}", args=[987654])
        assert client.get(url).status_code == 404


def test_the_other_sides_answer_is_not_in_the_page_until_revealed(login, world, history):
    survey, _ = history
    url = reverse("partnership:surveys-survey", args=[survey.pk])
    for who in (world.rita, world.ada):
        page = login(who).get(url).content.decode()
        assert SECRET not in page and "Hidden until both sides" in page
    job_page = login(world.rita).get(
        reverse("partnership:surveys-job-history", args=[world.job.pk])
    )
    assert SECRET not in job_page.content.decode()
    assert SECRET in login(world.hank).get(url).content.decode()  # hank reads his own


def test_rita_answers_on_the_page_and_both_are_revealed(login, world, history):
    survey, _ = history
    client = login(world.rita)
    url = reverse("partnership:surveys-survey", args=[survey.pk])
    response = client.post(url, {"again": "maybe", "what_worked": "Clear brief"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert SECRET in page and "Clear brief" in page
    assert "Send my answer" not in page and "Save changes" not in page  # final now


def test_a_bad_answer_is_shown_and_changes_nothing(login, world, history):
    survey, _ = history
    client = login(world.rita)
    url = reverse("partnership:surveys-survey", args=[survey.pk])
    response = client.post(url, {"again": "perhaps"})
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    response = client.post(url, {"again": "yes", "what_worked": "x" * 1001})
    assert response.status_code == 400 and "Keep it to 1000" in response.content.decode()
    assert not SurveyAnswer.objects.filter(person=world.rita).exists()


def test_every_problem_of_the_survey_form_is_said_at_once(login, world, history):
    """No yes/maybe/no and 1,001 characters in "What worked?": both are marked, not only the
    first; the box carries the limit for the browser; a line break counts once."""
    survey, _ = history
    client = login(world.rita)
    url = reverse("partnership:surveys-survey", args=[survey.pk])
    page = client.get(url).content.decode()
    assert page.count('maxlength="1000"') == 2
    response = client.post(url, {"what_worked": "x" * 1001, "what_to_change": "Fine"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Choose yes, maybe or no." in page
    assert "Keep it to 1000 characters (this is 1001); shorten it a little." in page
    assert not SurveyAnswer.objects.filter(person=world.rita).exists()
    # 500 lines typed in the box are 999 characters to the browser, sent with CRLF.
    response = client.post(url, {"again": "yes", "what_worked": "\r\n".join(["x"] * 500)})
    assert response.status_code == 302
    assert len(SurveyAnswer.objects.get(person=world.rita).what_worked) == 999


def test_a_check_ins_note_too_long_is_said_with_the_missing_rating(login, world, history):
    _, checkin = history
    url = reverse("partnership:surveys-checkin", args=[checkin.pk])
    response = login(world.hank).post(url, {"hire_again": "yes", "note": "x" * 501})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Choose how the hire is doing." in page and "Keep it to 500 characters" in page


def test_the_hm_answers_the_check_in_on_a_phone_sized_form(login, world, history):
    _, checkin = history
    url = reverse("partnership:surveys-checkin", args=[checkin.pk])
    page = login(world.rita).get(url).content.decode()
    assert "Not answered yet" in page and "<form" not in page.split("</header>")[-1]
    client = login(world.hank)
    assert client.post(url, {"rating": 9, "hire_again": "yes"}).status_code == 400
    response = client.post(url, {"rating": 4, "hire_again": "yes", "note": "Owns on-call"})
    assert response.status_code == 302
    page = login(world.rita).get(url).content.decode()
    assert "Excellent" in page and "Owns on-call" in page


def test_a_corrected_check_in_keeps_when_it_was_answered_and_says_when_it_changed(
    login, world, history, clock
):
    """Changing one field overwrote the answer's time ("Answered by you Tue 01 Dec 17:30"
    became today's), with no word of a change; the survey page says "changed <time>"."""
    _, checkin = history
    url = reverse("partnership:surveys-checkin", args=[checkin.pk])
    client = login(world.hank)
    client.post(url, {"rating": 3, "hire_again": "yes"})
    first = QualityCheckin.objects.get(pk=checkin.pk).answered_at
    clock.shift(dt.timedelta(days=5, hours=2))
    client.post(url, {"rating": 3, "hire_again": "maybe"})
    corrected = QualityCheckin.objects.get(pk=checkin.pk)
    assert corrected.answered_at == first and corrected.hire_again == "maybe"
    said = " ".join(client.get(url).content.decode().split())
    zone = world.hank.zone
    assert (
        f"Answered by you {absolute(first, zone)}, changed {absolute(timezone.now(), zone)}."
    ) in said


def test_the_job_page_shows_the_panel_to_the_team_only(login, world, history):
    url = reverse("jobs:job-detail", args=[world.job.pk])
    for who in (world.rita, world.hank, world.ada):
        assert "How the search went" in login(who).get(url).content.decode()
    # ivy interviews on the job and sees its page, but not the survey panel.
    page = login(world.ivy).get(url).content.decode()
    assert "How the search went" not in page


def test_a_person_page_lists_what_the_viewer_may_read(login, world, history):
    url = reverse("partnership:surveys-person-history", args=[world.hank.pk])
    for who in (world.hank, world.rita, world.ada):
        response = login(who).get(url)
        assert response.status_code == 200 and "Backend Engineer" in response.content.decode()
        checkins = login(who).get(url + "?list=checkins").content.decode()
        assert "Carla Candidate" in checkins
    for who in (world.olga, world.ivy):
        assert login(who).get(url).status_code == 404
    # olga's own page is hers to open, and shows nothing of hank's searches.
    own = login(world.olga).get(reverse("partnership:surveys-person-history", args=[world.olga.pk]))
    assert own.status_code == 200 and "Backend Engineer" not in own.content.decode()


def test_the_job_page_has_no_panel_before_a_close_or_a_hire(login, world, clock):
    page = login(world.rita).get(reverse("jobs:job-detail", args=[world.job.pk])).content.decode()
    assert "How the search went" not in page


def test_the_history_pages_run_as_many_queries_for_one_survey_as_for_many(
    login, world, history, clock
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from closeloop.partnership.surveys.services import checkins_plan, survey_open

    client = login(world.hank)
    urls = [
        reverse("partnership:surveys-job-history", args=[world.job.pk]),
        reverse("partnership:surveys-person-history", args=[world.hank.pk]),
        reverse("partnership:surveys-person-history", args=[world.hank.pk]) + "?list=checkins",
    ]

    def counts() -> list[int]:
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    before = counts()
    for _ in range(5):
        clock.shift(60)
        survey_open(job=world.job, by=world.rita, outcome="cancelled")
    checkins_plan(application=world.sourced)
    assert counts() == before


def test_a_cancelled_searchs_history_does_not_promise_a_hire(login, world, clock):
    close_job(world, "cancelled")
    url = reverse("partnership:surveys-job-history", args=[world.job.pk])
    page = login(world.rita).get(url).content.decode()
    assert "No hire yet" not in page
    assert "No check-in: the search was cancelled, so there is no hire to ask about." in page


def test_a_searchs_history_while_it_runs_says_no_hire_yet(login, world, clock):
    url = reverse("partnership:surveys-job-history", args=[world.job.pk])
    assert "No hire yet" in login(world.rita).get(url).content.decode()


def test_the_panel_counts_the_check_ins_asked_and_says_when_the_next_opens(login, world, history):
    """The 90-day check-in is not due for two months: "1 of 2 answered" read as one missing."""
    _, checkin = history
    login(world.hank).post(
        reverse("partnership:surveys-checkin", args=[checkin.pk]),
        {"rating": 4, "hire_again": "yes"},
    )
    later = QualityCheckin.objects.get(days=90)
    page = login(world.rita).get(reverse("jobs:job-detail", args=[world.job.pk])).content.decode()
    assert "1 of 2 answered" not in page
    assert "Quality-of-hire check-ins: 1 asked so far, 1 answered; the next, the 90-day" in page
    assert f"opens {absolute(later.due_at, world.rita.zone)}" in page


def test_a_check_in_not_open_yet_says_when_it_opens(login, world, history):
    later = QualityCheckin.objects.get(days=90)
    url = reverse("partnership:surveys-checkin", args=[later.pk])
    page = login(world.rita).get(url).content.decode()
    assert "Not answered yet" not in page
    opens = absolute(later.due_at, world.rita.zone)
    assert f"Not open yet: it opens {opens}, when Hank Manager is asked." in page
    own = login(world.hank).get(url).content.decode()
    assert "when you are asked" in own


def _text(client, url: str) -> str:
    import html

    return " ".join(html.unescape(client.get(url).content.decode()).split())


def test_hank_reads_his_own_searches_and_check_in_as_yours(login, world, history):
    """Hank's own history page and the check-in asked of him speak to him; Rita reads his
    name on both."""
    _, checkin = history
    mine = reverse("partnership:surveys-person-history", args=[world.hank.pk])
    hanks, ritas = _text(login(world.hank), mine), _text(login(world.rita), mine)
    assert "<h1>How your searches went</h1>" in hanks and "how their searches" not in hanks
    assert "The end-of-search surveys you took part in and the check-ins on the hires of your" in (
        hanks
    )
    assert 'aria-label="Your answer"' in hanks and '>You</a> <span class="muted">·' in hanks
    assert "<h1>Hank Manager: how their searches went</h1>" in ritas
    assert ">Hank Manager</a>" in ritas
    url = reverse("partnership:surveys-checkin", args=[checkin.pk])
    login(world.hank).post(url, {"rating": 4, "hire_again": "yes"})
    hanks, ritas = _text(login(world.hank), url), _text(login(world.rita), url)
    assert "asked of you," in hanks and "Answered by you " in hanks
    assert "Hank Manager" not in hanks.split("<main")[1].split("</main>")[0]
    assert "asked of Hank Manager," in ritas and "Answered by Hank Manager " in ritas


def test_the_surveys_window_names_the_zone_it_closes_in(login, world, history):
    """The window closes for both sides at once: each reads it in their own zone, named, as
    the pulse's window is ("window closes Fri 18 Dec 18:00" said nothing of whose 18:00)."""
    survey, _ = history
    world.hank.time_zone = "Europe/Berlin"
    world.hank.save(update_fields=["time_zone"])
    closes = f"{absolute(survey.window_ends_at, world.hank.zone)} (Europe/Berlin)"
    client = login(world.hank)
    survey_page = client.get(reverse("partnership:surveys-survey", args=[survey.pk]))
    page = " ".join(survey_page.content.decode().split())
    assert f"the window closes {closes}:" in page
    history_page = client.get(reverse("partnership:surveys-job-history", args=[world.job.pk]))
    assert f"blind until {closes}" in history_page.content.decode()


def test_only_the_two_sides_are_told_they_can_change_their_answer(login, world, history):
    """Before the reveal, rita (a side, with her form) may change hers; ada, an admin who
    is neither side, has no answer and no form, so the page does not offer her one."""
    survey, _checkin = history
    url = reverse("partnership:surveys-survey", args=[survey.pk])
    rita_page = login(world.rita).get(url).content.decode()
    assert "Blind until both sides have answered" in rita_page
    assert "You can change yours until then." in rita_page
    ada_page = login(world.ada).get(url).content.decode()
    assert "Blind until both sides have answered" in ada_page
    assert "You can change yours" not in ada_page and 'name="again"' not in ada_page
