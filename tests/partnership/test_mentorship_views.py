"""Mentorship pages as each persona sees them: the two people and admins read a mentorship,
its sessions, goals and action items; anyone else (and every guessed id) gets 404. Bad input
comes back with a message and changes nothing."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from mentorship_data import active_mentorship, past_ask, slow_reviews

from closeloop.lib.timefmt import absolute
from closeloop.partnership.mentorship import services
from closeloop.partnership.mentorship.models import (
    MentoringAction,
    MentoringGoal,
    Mentorship,
    WorkingCard,
)


@pytest.fixture
def world(clock, world):
    return world


@pytest.fixture
def pairing(world):
    """olga (HM of another job) mentors hank; a goal, a session, an action item."""
    mentorship = active_mentorship(world.olga, world.hank, by=world.ada)
    goal = services.goal_add(mentorship=mentorship, by=world.olga, text="Reviews in 2 days")
    session = mentorship.sessions.get()
    item = services.action_add(
        session=session, by=world.olga, owner=world.hank, description="Block review time",
        due_on=dt.date(2026, 11, 27),
    )  # fmt: skip
    return mentorship, goal, session, item


def _pages(pairing):
    mentorship, _goal, session, item = pairing
    return [
        reverse("partnership:mentorship-detail", args=[mentorship.pk]),
        reverse("partnership:mentorship-session", args=[session.pk]),
        reverse("partnership:mentorship-action", args=[item.pk]),
    ]


def _posts(pairing):
    mentorship, goal, session, item = pairing
    return [
        (reverse("partnership:mentorship-end", args=[mentorship.pk]), {}),
        (reverse("partnership:mentorship-goal-add", args=[mentorship.pk]), {"text": "Sneak"}),
        (reverse("partnership:mentorship-goal-reached", args=[goal.pk]), {}),
        (reverse("partnership:mentorship-session-notes", args=[session.pk]), {"notes": "Sneak"}),
        (reverse("partnership:mentorship-action-done", args=[item.pk]), {}),
    ]


@pytest.mark.parametrize("persona", ["olga", "hank", "ada"])
def test_the_two_people_and_admins_read_every_page(world, login, pairing, persona):
    client = login(getattr(world, persona))
    for url in _pages(pairing):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("persona", ["rita", "ivy"])
def test_anyone_else_gets_404_on_every_page_and_every_post(world, login, pairing, persona):
    client = login(getattr(world, persona))
    for url in _pages(pairing):
        assert client.get(url).status_code == 404, url
    for url, data in _posts(pairing):
        assert client.post(url, data).status_code == 404, url
    mentorship = Mentorship.objects.get()
    assert mentorship.status == "active" and mentorship.goals.count() == 1


def test_guessed_ids_answer_404(world, login, pairing):
    client = login(world.olga)
    for name in ("mentorship-detail", "mentorship-session", "mentorship-action"):
        assert client.get(reverse(f"partnership:{name}", args=[987654])).status_code == 404


def test_an_admin_reads_but_cannot_write_the_pairs_goals(world, login, pairing):
    mentorship = pairing[0]
    client = login(world.ada)
    response = client.post(
        reverse("partnership:mentorship-goal-add", args=[mentorship.pk]), {"text": "Mine"}
    )
    assert response.status_code == 400
    assert MentoringGoal.objects.filter(text="Mine").count() == 0
    assert "Only the mentor and the mentee" in response.content.decode()


def test_a_refused_form_comes_back_with_what_was_typed_and_the_problem_beside_it(
    world, login, pairing
):
    """Each form of the pairing and session pages: nothing saved, nothing typed lost."""
    mentorship, _goal, session, _item = pairing
    client = login(world.olga)
    action = client.post(
        reverse("partnership:mentorship-session-action-add", args=[session.pk]),
        {"description": "Shadow two intake calls", "owner": world.hank.pk, "due_on": "2026-11-02"},
    )
    body = action.content.decode()
    assert action.status_code == 400
    assert "The action item was not added." in body and "The due date is in the past." in body
    assert 'value="Shadow two intake calls"' in body and 'value="2026-11-02"' in body
    assert not MentoringAction.objects.filter(description__startswith="Shadow").exists()
    moved = client.post(
        reverse("partnership:mentorship-schedule", args=[mentorship.pk]),
        {"starts_at": "2026-11-30"},
    )
    assert moved.status_code == 400
    assert 'value="2026-11-30"' in moved.content.decode()
    assert "Give a date and a time." in moved.content.decode()
    proposed = client.post(
        reverse("partnership:mentorship-propose"),
        {"mentee": world.olga.pk, "cadence_days": "21", "note": "Let us pair on intakes"},
    )
    body = proposed.content.decode()
    assert proposed.status_code == 400 and "not yourself" in body
    assert "Let us pair on intakes" in body and '<option value="21" selected>' in body
    assert Mentorship.objects.count() == 1


def test_the_mentors_page_shows_the_prompt_with_a_summary_when_the_job_is_not_theirs(
    world, login, pairing
):
    slow_reviews(world)
    body = login(world.olga).get(_pages(pairing)[0]).content.decode()
    assert "Reviews slower than agreed" in body
    assert "Sam Sourced" not in body and f"/applications/{world.sourced.pk}/" not in body
    # The session's agenda carries the same prompts.
    assert (
        "Reviews slower than agreed" in login(world.olga).get(_pages(pairing)[1]).content.decode()
    )


def test_the_mentee_accepts_from_the_page(world, login):
    mentorship = services.mentorship_propose(mentor=world.rita, mentee=world.hank, by=world.rita)
    client = login(world.hank)
    page = client.get(reverse("partnership:mentorship-detail", args=[mentorship.pk]))
    assert "Will you accept Rita as your mentor?" in page.content.decode()
    client.post(reverse("partnership:mentorship-accept", args=[mentorship.pk]))
    mentorship.refresh_from_db()
    assert mentorship.status == "active" and mentorship.sessions.count() == 1
    # rita cannot answer for hank: the message says why, nothing changes.
    other = services.mentorship_propose(mentor=world.rita, mentee=world.ivy, by=world.rita)
    response = login(world.rita).post(
        reverse("partnership:mentorship-accept", args=[other.pk]), follow=True
    )
    assert "Only the proposed mentee can answer" in response.content.decode()
    assert Mentorship.objects.get(pk=other.pk).status == "proposed"


def test_proposing_from_the_list_page_with_bad_input_changes_nothing(world, login):
    client = login(world.rita)
    url = reverse("partnership:mentorship-propose")
    response = client.post(url, {"mentee": "²", "cadence_days": "14"}, follow=True)
    assert "Nothing was proposed." in response.content.decode()
    response = client.post(url, {"mentee": world.rita.pk, "cadence_days": "14"}, follow=True)
    assert "not yourself" in response.content.decode()
    # A non-admin always proposes themself as the mentor, whatever the form says.
    client.post(url, {"mentor": world.ivy.pk, "mentee": world.hank.pk, "cadence_days": "14"})
    assert list(Mentorship.objects.values_list("mentor", "mentee")) == [
        (world.rita.pk, world.hank.pk)
    ]


def test_the_list_page_shows_suggested_pairs_to_admins_only(world, login):
    assert (
        "Suggested pairs"
        in login(world.ada).get(reverse("partnership:mentorship-list")).content.decode()
    )
    assert (
        "Suggested pairs"
        not in login(world.rita).get(reverse("partnership:mentorship-list")).content.decode()
    )


def test_the_suggestions_say_who_is_left_out_and_why(world, login):
    """hank reviews late against olga's record in time, but a mentorship for him is proposed
    already: no pair is suggested, and the page says he was left out for that, not that
    nobody's record is weaker than a colleague's."""
    for days in (5, 10, 15, 20):
        past_ask(world.olga, "review_submission", days_ago=days, late_days=-1)
        past_ask(world.hank, "review_submission", days_ago=days, late_days=2)
    services.mentorship_propose(mentor=world.rita, mentee=world.hank, by=world.ada)
    page = login(world.ada).get(reverse("partnership:mentorship-list")).content.decode()
    assert "nobody's record is clearly weaker" not in page
    assert (
        "Hank Manager is not suggested for reviewing submissions in time "
        "(0% answered in time (0 of 4, last 90 days)): has a mentorship proposed already."
    ) in page
    mentorship = Mentorship.objects.get(mentee=world.hank)
    services.mentorship_accept(mentorship=mentorship, by=world.hank)
    page = login(world.ada).get(reverse("partnership:mentorship-list")).content.decode()
    assert "Hank Manager is not suggested for reviewing" in page
    assert "has a mentor already." in page


def test_the_card_is_edited_on_the_profile_and_shown_on_the_job_and_intake_pages(world, login):
    hank = login(world.hank)
    assert "Working with me" in hank.get(reverse("accounts:profile")).content.decode()
    hank.post(
        reverse("partnership:mentorship-card-save"),
        {"best_times": "Mornings", "channel": "Chat", "looks_for": "Ownership", "feedback": ""},
    )
    assert WorkingCard.objects.get(user=world.hank).looks_for == "Ownership"
    rita = login(world.rita)
    for url in (
        reverse("jobs:job-detail", args=[world.job.pk]),
        reverse("intake:overview", args=[world.job.pk]),
    ):
        body = rita.get(url).content.decode()
        assert "Ownership" in body and "Hiring manager" in body, url
    # olga does not hire with hank: the job is not hers, so neither is the card.
    assert login(world.olga).get(reverse("jobs:job-detail", args=[world.job.pk])).status_code == 404


def test_a_card_with_control_characters_is_refused_whole(world, login):
    client = login(world.hank)
    response = client.post(
        reverse("partnership:mentorship-card-save"),
        {"best_times": "Mornings", "channel": "Chat\x00"},
        follow=True,
    )
    assert "Your card was not saved." in response.content.decode()
    assert not WorkingCard.objects.exists()


def test_a_refused_card_comes_back_with_what_was_typed_and_why(world, login):
    """It redirected to the profile, whose boxes showed the card as saved: what was typed
    was lost. Now the profile comes back (400) with the typed lines and the problem beside
    its box."""
    client = login(world.hank)
    url = reverse("partnership:mentorship-card-save")
    assert client.post(url, {"best_times": "Mornings", "channel": "Chat"}).status_code == 302
    response = client.post(
        url, {"best_times": "Afternoons after two", "channel": "x" * 301, "looks_for": "Grit"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Your card was not saved." in html
    assert 'value="Afternoons after two"' in html and "Grit" in html
    assert "at most 300 characters (it has 301)" in html
    assert 'id="working-with-me"' in html
    card = WorkingCard.objects.get(user=world.hank)
    assert (card.best_times, card.channel, card.looks_for) == ("Mornings", "Chat", "")


def test_a_session_moved_to_a_sunday_morning_is_moved_and_says_who_is_off(world, login, pairing):
    mentorship = pairing[0]
    response = login(world.olga).post(
        reverse("partnership:mentorship-schedule", args=[mentorship.pk]),
        {"starts_at": "2026-12-06T07:00"},
        follow=True,
    )
    body = response.content.decode()
    assert "Next session set" in body
    assert "Sun 06 Dec is not a working day for you." in body
    assert "Move it again if it does not suit you both." in body


def test_a_time_the_clocks_skip_is_refused_as_for_interviews(world, login, pairing):
    """02:30 does not exist in Berlin on 28 Mar 2027: stored, it read 02:30 in the email and
    03:30 in the calendar. Refused, the session stays where it was."""
    mentorship = pairing[0]
    world.olga.time_zone = "Europe/Berlin"
    world.olga.save()
    before = list(mentorship.sessions.values_list("starts_at", flat=True))
    response = login(world.olga).post(
        reverse("partnership:mentorship-schedule", args=[mentorship.pk]),
        {"starts_at": "2027-03-28T02:30"},
    )
    assert response.status_code == 400
    assert "happens twice or not at all in Europe/Berlin" in response.content.decode()
    assert list(mentorship.sessions.values_list("starts_at", flat=True)) == before


def test_adding_an_action_item_says_when_it_is_due_and_whose_queue_it_is_in(world, login, pairing):
    """A Saturday moves to the owner's Monday, and the message says so; an item the author
    owes herself is in "your" queue."""
    _mentorship, _goal, session, _item = pairing
    client = login(world.olga)
    url = reverse("partnership:mentorship-session-action-add", args=[session.pk])

    def added(owner, due_on):
        data = {"description": f"Item due {due_on}", "owner": owner.pk, "due_on": due_on}
        response = client.post(url, data, follow=True)
        return " ".join(str(message) for message in response.context["messages"])

    assert added(world.olga, "2026-11-28") == (
        "Action item added for you, due Mon 30 Nov, your first working day after Sat 28 Nov; "
        "it is in your queue."
    )
    assert MentoringAction.objects.get(description="Item due 2026-11-28").due_on == dt.date(
        2026, 11, 30
    )
    assert added(world.hank, "2026-11-27") == (
        "Action item added for Hank Manager, due Fri 27 Nov; it is in their queue."
    )


def _options(page: str, name: str) -> set[int]:
    """The people a select of the page offers, by id."""
    select = re.search(rf'<select name="{name}".*?</select>', page, re.S)
    assert select is not None
    return {int(pk) for pk in re.findall(r'<option value="(\d+)"', select[0])}


def test_offering_to_mentor_never_offers_yourself_or_someone_you_mentor(world, login):
    services.mentorship_propose(mentor=world.rita, mentee=world.hank, by=world.rita)
    page = login(world.rita).get(reverse("partnership:mentorship-list")).content.decode()
    offered = _options(page, "mentee")
    assert world.rita.pk not in offered and world.hank.pk not in offered  # offered already
    assert {world.ivy.pk, world.olga.pk, world.ada.pk} <= offered
    response = login(world.rita).post(
        reverse("partnership:mentorship-propose"), {"mentee": world.hank.pk, "cadence_days": "14"}
    )
    assert response.status_code == 400 and "nor someone you mentor already" in (
        response.content.decode()
    )
    assert Mentorship.objects.count() == 1


def test_an_admin_proposing_a_pair_may_name_anyone_active_on_either_side(world, login):
    page = login(world.ada).get(reverse("partnership:mentorship-list")).content.decode()
    everyone = {world.rita.pk, world.hank.pk, world.ivy.pk, world.olga.pk, world.ada.pk}
    assert _options(page, "mentor") == everyone == _options(page, "mentee")


def test_a_reverse_pair_is_refused_on_the_form_with_words(world, login):
    """An admin proposing Hank as Rita's mentor while Rita mentors Hank is told why on the
    form; Hank offering to mentor Rita is not offered her, and told why if he names her."""
    Mentorship.objects.create(mentor=world.rita, mentee=world.hank, status="active")
    url = reverse("partnership:mentorship-propose")
    response = login(world.ada).post(
        url, {"mentor": world.hank.pk, "mentee": world.rita.pk, "cadence_days": "14"}
    )
    body = response.content.decode()
    assert response.status_code == 400 and "Nothing was proposed." in body
    assert "Rita Recruiter already mentors Hank Manager" in body
    page = login(world.hank).get(reverse("partnership:mentorship-list")).content.decode()
    assert world.rita.pk not in _options(page, "mentee")
    response = login(world.hank).post(url, {"mentee": world.rita.pk, "cadence_days": "14"})
    assert response.status_code == 400 and "nor someone who mentors you" in (
        response.content.decode()
    )
    assert Mentorship.objects.count() == 1


def test_a_held_session_shows_no_live_prompts_and_says_why(world, login, pairing, clock):
    """A past session's page listed prompts with evidence from after it (a pulse revealed
    a week later): live prompts read the data as it is now, so a held session shows none."""
    _mentorship, _goal, session, _item = pairing
    clock.move_to(session.starts_at + dt.timedelta(minutes=5))
    services.session_held(session=session, by=world.olga)
    clock.move_to(session.starts_at + dt.timedelta(days=7))
    slow_reviews(world)  # late reviews after the session
    body = login(world.olga).get(_pages(pairing)[1]).content.decode()
    assert "Reviews slower than agreed" not in body
    assert "a session held shows none" in body and "Today's prompts" in body
    # The mentorship's page and the next session's still carry them.
    detail = login(world.olga).get(_pages(pairing)[0]).content.decode()
    assert "Reviews slower than agreed" in detail
    following = session.mentorship.sessions.exclude(pk=session.pk).get()
    page = login(world.olga).get(reverse("partnership:mentorship-session", args=[following.pk]))
    assert "Reviews slower than agreed" in page.content.decode()


def test_each_status_is_dated_once_and_the_page_says_when_it_was_accepted(world, login, clock):
    """The lists read "Proposed proposed Sun 06 Dec 21:10" (the badge, then the word again),
    and the mentorship's page gave the proposal's date but never the acceptance's."""
    proposed = services.mentorship_propose(mentor=world.rita, mentee=world.hank, by=world.ada)
    waiting = services.mentorship_propose(mentor=world.rita, mentee=world.ivy, by=world.ada)
    clock.shift(dt.timedelta(days=1, hours=2))
    services.mentorship_accept(mentorship=proposed, by=world.hank)
    proposed.refresh_from_db()
    client = login(world.ada)
    listed = " ".join(client.get(reverse("partnership:mentorship-list")).content.decode().split())
    assert "proposed " not in listed.replace("Proposed ", "")  # only the badge says it
    waiting.refresh_from_db()
    dated = absolute(waiting.proposed_at, world.ada.zone)
    assert f'Proposed</span> <span class="muted">{dated}</span>' in listed
    page = client.get(reverse("partnership:mentorship-detail", args=[proposed.pk]))
    said = " ".join(page.content.decode().split())
    accepted = absolute(proposed.answered_at, world.ada.zone)
    assert f"<dt>Accepted</dt><dd>{accepted} by Hank Manager</dd>" in said
