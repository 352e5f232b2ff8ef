"""Answering a pulse from the email: one link per overall score, a confirmation page first
(GET changes nothing) where all three scores can be adjusted, then the POST answers."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

from django.urls import reverse
from django.utils import timezone
from pulses_fixtures import *  # noqa: F403  (the pulse fixtures: world on the clock, pulse)

from closeloop.followups.engine import asks_advance, notices_compose
from closeloop.followups.models import Ask, AskStatus
from closeloop.followups.one_click import one_click_links
from closeloop.lib.sealed import unseal_text
from closeloop.notify.models import Message
from closeloop.partnership.pulses.models import PulseAnswer, PulseRound
from closeloop.partnership.pulses.services import pulse_answer_save, pulse_rounds_close_due


def _links(world, pulse, who, side):
    """The score links of `who`'s ask, by label, as paths with their tokens unsealed."""
    ask = Ask.objects.get(subject=f"pulse:{pulse.pk}:{side}")
    links = one_click_links(ask=ask, recipient=who, now=timezone.now())
    return {
        link.label: urlsplit(unseal_text(link.url, audience=who.pk, unusable="dead")).path
        for link in links
    }


def test_the_invitation_email_carries_five_score_links(world, pulse):
    asks_advance()
    notices_compose()
    message = Message.objects.get(recipient=world.hank, template="nudge")
    assert "working with Rita Recruiter" in message.body_text
    for label in ("1 – poor", "2", "3 – fine", "4", "5 – excellent"):
        assert f"  {label}: " in message.body_text
    assert Message.objects.filter(recipient=world.rita, template="nudge").exists()


def test_a_score_link_shows_the_prefilled_scores_and_changes_nothing_until_confirmed(
    world, pulse, client
):
    path = _links(world, pulse, world.hank, "hiring_manager")["4"]
    page = client.get(path)
    assert page.status_code == 200
    html = page.content.decode()
    assert "How is working with Rita Recruiter?" in html
    checked = re.findall(r'<input type="radio" name="(score_\d)" value="(\d)"[^>]* checked', html)
    assert checked == [("score_1", "4"), ("score_2", "4"), ("score_3", "4")]
    assert "Quality of the slate" in html and "Pace" in html
    assert not PulseAnswer.objects.exists()
    done = client.post(path, {"score_1": 4, "score_2": 2, "score_3": 5, "comment": "Pace!"})
    assert done.status_code == 200
    assert "your pulse is saved" in done.content.decode()
    # Rita is named, not "they": she sees it once both have answered.
    said = " ".join(done.content.decode().split())
    assert "Rita sees your answer only once you have both answered or the window closes" in said
    assert "they have" not in said
    assert "Pace!" in done.content.decode()
    answer = PulseAnswer.objects.get()
    assert (answer.scores, answer.comment, answer.via) == ((4, 2, 5), "Pace!", "email")
    ask = Ask.objects.get(subject=f"pulse:{pulse.pk}:hiring_manager")
    assert ask.status == AskStatus.DONE and ask.closed_via == "email"


def test_bad_scores_on_the_confirmation_page_change_nothing_and_keep_the_link(world, pulse, client):
    path = _links(world, pulse, world.hank, "hiring_manager")["2"]
    refused = client.post(path, {"score_1": 9, "score_2": 2, "score_3": 2})
    assert refused.status_code == 400
    assert not PulseAnswer.objects.exists()
    assert client.post(path, {"score_1": 2, "score_2": 2, "score_3": 2}).status_code == 200


def test_a_link_after_the_reveal_is_refused_and_changes_nothing(world, pulse, client, clock):
    path = _links(world, pulse, world.hank, "hiring_manager")["5 – excellent"]
    pulse_answer_save(round_=pulse, by=world.rita, scores=[3, 3, 3])
    # A short window, so the link (72 hours) outlives it.
    PulseRound.objects.filter(pk=pulse.pk).update(closes_at=timezone.now() + dt.timedelta(hours=1))
    clock.move_to(timezone.now() + dt.timedelta(hours=1))
    pulse_rounds_close_due()  # hank never answered: the window closes and reveals
    page = client.get(path)
    assert page.status_code == 410 and "final" in page.content.decode()
    assert client.post(path, {"score_1": 5, "score_2": 5, "score_3": 5}).status_code == 410
    assert not PulseAnswer.objects.filter(side="hiring_manager").exists()


def test_answering_in_the_app_kills_the_links(world, pulse, client):
    path = _links(world, pulse, world.hank, "hiring_manager")["2"]
    pulse_answer_save(round_=pulse, by=world.hank, scores=[3, 3, 3])
    assert client.post(path, {"score_1": 2, "score_2": 2, "score_3": 2}).status_code == 410
    assert PulseAnswer.objects.get().scores == (3, 3, 3)


def test_only_the_side_itself_gets_buttons(world, pulse):
    ask = Ask.objects.get(subject=f"pulse:{pulse.pk}:hiring_manager")
    assert one_click_links(ask=ask, recipient=world.rita, now=timezone.now()) == []
    assert one_click_links(ask=ask, recipient=world.ada, now=timezone.now()) == []


def test_a_used_link_reports_the_answer_as_saved_not_the_score_clicked(world, pulse, client):
    links = _links(world, pulse, world.hank, "hiring_manager")
    client.post(links["4"], {"score_1": 4, "score_2": 4, "score_3": 2})
    for label in ("4", "5 – excellent"):  # the link pressed, and a sibling it revoked
        page = client.get(links[label])
        html = page.content.decode()
        assert page.status_code == 410 and "Already answered from this email" in html
        assert "You chose" not in html
        scores = re.findall(r"<dt>([^<]+)</dt><dd><span[^>]*>(\d)</span>", html)
        assert scores == [("Quality of the slate", "4"), ("Communication", "4"), ("Pace", "2")]


def test_pulse_times_are_each_readers_own_with_the_zone_named(world, pulse, client, login):
    """The window closes at one moment: hank (Berlin) reads it on his link's page at 18:00,
    rita (London) on the pulse page at 17:00, and each page says whose time it is."""
    from zoneinfo import ZoneInfo

    from django.urls import reverse

    from closeloop.lib.timefmt import absolute

    world.hank.time_zone, world.rita.time_zone = "Europe/Berlin", "Europe/London"
    world.hank.save()
    world.rita.save()
    closes = pulse.closes_at
    berlin = f"{absolute(closes, ZoneInfo('Europe/Berlin'))} (Europe/Berlin)"
    london = f"{absolute(closes, ZoneInfo('Europe/London'))} (Europe/London)"
    link = _links(world, pulse, world.hank, "hiring_manager")["3 – fine"]
    assert f"the window closes ({berlin})" in client.get(link).content.decode()
    page = login(world.rita).get(reverse("partnership:pulse-job", args=[world.job.pk]))
    assert f"Open until {london}" in page.content.decode()
    answer = login(world.rita).get(reverse("partnership:pulse-answer", args=[pulse.pk]))
    assert f"open until {london}" in answer.content.decode()


def test_a_link_of_another_email_after_the_reveal_shows_the_answer_and_the_round(
    world, pulse, client
):
    """A score link of the weekly update, used once the round is revealed, said only "This
    link cannot be used" with no way on; it shows what was answered, that the round is
    revealed, and links to the round's page, as the pulse email's own link does."""
    invitation = _links(world, pulse, world.hank, "hiring_manager")
    weekly = _links(world, pulse, world.hank, "hiring_manager")  # another email's buttons
    assert invitation["4"] != weekly["4"]
    client.post(invitation["4"], {"score_1": 4, "score_2": 4, "score_3": 2})
    pulse_answer_save(round_=pulse, by=world.rita, scores=[3, 3, 3])  # the reveal
    round_page = reverse("partnership:pulse-answer", args=[pulse.pk])
    for path in (weekly["2"], invitation["5 – excellent"]):
        page = client.get(path)
        html = page.content.decode()
        assert page.status_code == 410
        assert "This link cannot be used" not in html and "Already answered" in html
        scores = re.findall(r"<dt>([^<]+)</dt><dd><span[^>]*>(\d)</span>", html)
        assert scores == [("Quality of the slate", "4"), ("Communication", "4"), ("Pace", "2")]
        assert "Round 1 was revealed" in html
        assert f'href="{round_page}"' in html
    assert PulseAnswer.objects.get(side="hiring_manager").scores == (4, 4, 2)


def test_a_link_after_a_reveal_without_your_answer_says_so_and_links_the_round(
    world, pulse, client, clock
):
    weekly = _links(world, pulse, world.hank, "hiring_manager")
    pulse_answer_save(round_=pulse, by=world.rita, scores=[3, 3, 3])
    PulseRound.objects.filter(pk=pulse.pk).update(closes_at=timezone.now() + dt.timedelta(hours=1))
    clock.move_to(timezone.now() + dt.timedelta(hours=1))
    pulse_rounds_close_due()  # hank never answered: the window closes and reveals
    html = client.get(weekly["3 – fine"]).content.decode()
    assert "This pulse round is over" in html and "You did not answer round 1" in html
    assert f'href="{reverse("partnership:pulse-answer", args=[pulse.pk])}"' in html


def test_a_used_link_opened_by_someone_else_signed_in_shows_no_answer(world, pulse, client):
    """Hank forwards his pulse email: Ivy, signed in, opening a used link of it read "Your
    pulse about Rita Recruiter" with his blind scores and comment. The answer is shown to
    its author only (signed in as him, or signed out with the link's token, which acts as
    him too); anyone else is told whose link it is."""
    links = _links(world, pulse, world.hank, "hiring_manager")
    client.post(links["4"], {"score_1": 4, "score_2": 4, "score_3": 2, "comment": "Secret"})
    client.force_login(world.ivy)
    html = client.get(links["4"]).content.decode()
    assert "Secret" not in html and "Your pulse about" not in html
    assert not re.findall(r"<dt>([^<]+)</dt><dd><span", html)
    said = " ".join(html.split())
    assert (
        "This browser is signed in as Ivy Interviewer, but this link was sent to Hank Manager:"
        " what Hank answered is not shown to anyone else"
    ) in said
    for reader in (world.hank, None):  # the author signed in, or the token signed out
        client.logout()
        if reader is not None:
            client.force_login(reader)
        html = client.get(links["4"]).content.decode()
        assert "Secret" in html and "This browser is signed in as" not in html


def test_a_link_opened_by_someone_else_names_whose_answer_it_is(world, pulse, client):
    """Rita, signed in, opens Hank's forwarded pulse link about her: the page does not tell
    her that "Rita sees your answer"; it says whose answer the button saves."""
    path = _links(world, pulse, world.hank, "hiring_manager")["4"]
    client.force_login(world.rita)
    said = " ".join(client.get(path).content.decode().split())
    assert "Rita sees your answer" not in said
    assert "You see Hank Manager’s answer only once you have both answered" in said
    assert "Confirm Hank Manager’s pulse" in said
    client.force_login(world.ivy)
    said = " ".join(
        client.post(path, {"score_1": 4, "score_2": 4, "score_3": 4}).content.decode().split()
    )
    assert "Thank you, Hank Manager’s pulse is saved" in said
    assert "Rita sees Hank Manager’s answer only once both sides have answered" in said
    assert "until then Hank Manager can change it" in said
