"""The survey from the email: the invitation carries one-click "work together again" answers;
the confirmation page offers the two text questions; only a POST acts, as the recipient."""

from __future__ import annotations

import pytest
from surveys_world import close_job, links_in

from closeloop.followups.engine import asks_advance, notices_compose
from closeloop.followups.models import Ask, AskStatus
from closeloop.notify.models import Message
from closeloop.partnership.surveys.models import SurveyAnswer
from closeloop.partnership.surveys.services import survey_answer


@pytest.fixture
def survey(world, clock):
    survey = close_job(world, "cancelled")
    asks_advance()
    notices_compose()
    return survey


def _invitation(person):
    """The survey's invitation (closing the job also called off the candidates' interviews,
    in messages of their own)."""
    return Message.objects.get(recipient=person, template="nudge")


def _links(person):
    return links_in(_invitation(person))


def test_both_sides_get_the_invitation_with_the_answers(world, survey):
    for person in (world.rita, world.hank):
        message = _invitation(person)
        assert "end-of-search survey of Backend Engineer" in message.body_text
        assert set(_links(person)) == {
            "Work together again: Yes",
            "Work together again: Maybe",
            "Work together again: No",
            "Snooze 1 business day",
        }


def test_get_confirms_and_offers_the_text_fields_and_changes_nothing(client, world, survey):
    response = client.get(_links(world.hank)["Work together again: Maybe"])
    page = response.content.decode()
    assert response.status_code == 200
    assert "What worked?" in page and "What would you change next time?" in page
    assert "<strong>Backend Engineer</strong> (cancelled)" in page  # the search's outcome
    assert not SurveyAnswer.objects.exists()


def test_post_answers_as_the_recipient_with_the_text(client, world, survey):
    response = client.post(
        _links(world.hank)["Work together again: Maybe"],
        {"what_worked": "Quick slates", "what_to_change": ""},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "your answer is saved" in page
    assert f"/surveys/{survey.pk}/" in page
    answer = SurveyAnswer.objects.get()
    assert (answer.person, answer.side, answer.again) == (world.hank, "hiring_manager", "maybe")
    assert answer.what_worked == "Quick slates"
    ask = Ask.objects.get(kind="answer_survey", owner=world.hank)
    assert ask.status == AskStatus.DONE and ask.closed_via == "email"
    assert not client.session.get("_auth_user_id")


def test_overlong_text_is_refused_and_the_link_still_works(client, world, survey):
    link = _links(world.hank)["Work together again: Yes"]
    response = client.post(link, {"what_worked": "x" * 1001})
    # The confirmation page comes back with the problem beside the box; the link is unused.
    assert response.status_code == 400
    assert "Keep it to 1000 characters (this is 1001)" in response.content.decode()
    assert not SurveyAnswer.objects.exists()
    assert client.post(link, {"what_worked": "Fine"}).status_code == 200
    assert SurveyAnswer.objects.get().what_worked == "Fine"


def test_a_link_after_the_reveal_is_refused(client, world, survey):
    link = _links(world.hank)["Work together again: No"]
    survey_answer(survey=survey, by=world.hank, again="yes")
    survey_answer(survey=survey, by=world.rita, again="yes")
    response = client.post(link, {})
    assert response.status_code == 410
    assert SurveyAnswer.objects.get(side="hiring_manager").again == "yes"


def test_after_a_snooze_the_other_buttons_do_not_call_the_survey_answered(client, world, survey):
    links = _links(world.hank)
    client.post(links["Snooze 1 business day"], {"reason": "Travelling"})
    page = client.get(links["Work together again: Yes"])
    html = page.content.decode()
    assert page.status_code == 410
    assert "<h1>Already used from this email</h1>" in html
    assert "You chose <strong>Snooze 1 business day</strong>" in html
    assert "This request is still open; another button of this email was used" in html
    assert "already answered" not in html.lower()


def test_a_used_link_opened_by_someone_else_signed_in_shows_no_answer(client, world, survey):
    """The survey is blind: Hank's forwarded link, used, told Ivy (signed in) what he chose."""
    link = _links(world.hank)["Work together again: No"]
    client.post(link, {"what_worked": "", "what_to_change": ""})
    client.force_login(world.ivy)
    said = " ".join(client.get(link).content.decode().split())
    assert "Work together again: No" not in said
    assert "This browser is signed in as Ivy Interviewer, but this link was sent to" in said
    client.logout()
    assert "Work together again: No" in client.get(link).content.decode()


def test_a_link_opened_by_someone_else_names_whose_answer_it_is(client, world, survey):
    """Ivy, signed in, opens Hank's forwarded survey link: "your answer" would be hers."""
    link = _links(world.hank)["Work together again: No"]
    client.force_login(world.ivy)
    said = " ".join(client.get(link).content.decode().split())
    assert "Your answer stays hidden" not in said
    assert "Hank Manager’s answer stays hidden from the other side" in said
    done = client.post(link, {"what_worked": "", "what_to_change": ""})
    said = " ".join(done.content.decode().split())
    assert "Thank you: Hank Manager’s answer is saved" in said
    assert "Until then Hank Manager can change it" in said
