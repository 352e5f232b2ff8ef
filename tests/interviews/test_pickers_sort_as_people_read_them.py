"""The interviewers offered when booking an interview, and the panel on its page, are listed
by name as people read them ("Åsa" among the a's, "émile" before "Zoe": lib.folding)."""

from __future__ import annotations

import re

from django.urls import reverse

from closeloop.accounts.models import User
from closeloop.interviews.forms import panel_choices

NAMES = ["Zoe Zimmer", "émile Zola", "Åsa Ek", "bob brown"]
IN_ORDER = ["Åsa Ek", "bob brown", "émile Zola", "Hank Manager", "Ivy Interviewer"]


def interviewers(world) -> list[User]:
    made = [
        User.objects.create_user(f"panel{n}@example.com", None, full_name=name, is_interviewer=True)
        for n, name in enumerate(NAMES)
    ]
    world.job.interviewers.add(*made)
    return made


def test_the_booking_page_offers_interviewers_by_name_as_people_read_them(world, login):
    interviewers(world)
    response = login(world.rita).get(
        reverse("interviews:interview-book", args=[world.interviewed.pk])
    )
    assert response.status_code == 200
    form = response.text[response.text.index('name="interviewers"') - 2000 :]
    offered = re.findall(r'name="interviewers" value="\d+"[^>]*>\s*([^<]+?)\s*</label>', form)
    offered = [name for name in offered if name in NAMES or name in IN_ORDER]
    assert offered[:5] == IN_ORDER
    assert [str(person) for person in panel_choices(world.job)][:5] == IN_ORDER


def test_the_interview_page_lists_its_panel_that_way(world, login):
    made = interviewers(world)
    interview = world.interviewed.interviews.get()
    interview.interviewers.add(*made)
    response = login(world.rita).get(reverse("interviews:interview-detail", args=[interview.pk]))
    assert response.status_code == 200
    texts = [text.strip() for text in re.findall(r">([^<>]+)<", response.text)]
    shown = [text for text in texts if text in NAMES]
    assert shown[:4] == ["Åsa Ek", "bob brown", "émile Zola", "Zoe Zimmer"]
