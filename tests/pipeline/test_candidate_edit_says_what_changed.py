"""The timeline says what an edit of a candidate changed, in the words of the form ("phone",
"résumé") and with the values; the values go with the event's detail, which an erasure
empties, so an erased candidate's timeline keeps none of them."""

from __future__ import annotations

from django.urls import reverse
from pipeline_helpers import fresh, pdf_upload

from closeloop.activity.models import Activity
from closeloop.pipeline.privacy import candidate_erase
from closeloop.pipeline.services import candidate_update

OLD_PHONE, NEW_PHONE = "+44 20 7946 0018", "+44 20 7946 0999"


def carla_with_a_phone_and_a_resume(world):
    carla = world.interviewed.candidate
    candidate_update(
        candidate=carla,
        by=world.rita,
        data={"phone": OLD_PHONE},
        resume=pdf_upload("Carla_Candidate_CV.pdf"),
    )
    return fresh(carla)


def timeline(client, candidate) -> str:
    return client.get(reverse("pipeline:candidate-detail", args=[candidate.pk])).content.decode()


def test_the_timeline_says_the_phone_changed_from_what_to_what(world, login):
    carla = carla_with_a_phone_and_a_resume(world)
    candidate_update(candidate=carla, by=world.rita, data={"phone": NEW_PHONE})
    page = timeline(login(world.rita), carla)
    assert "Rita Recruiter changed the phone" in page
    assert f"from {OLD_PHONE} to {NEW_PHONE}" in page
    assert "updated phone" not in page


def test_the_timeline_says_the_resume_was_replaced_and_which_it_was(world, login):
    carla = carla_with_a_phone_and_a_resume(world)
    candidate_update(
        candidate=carla, by=world.rita, data={}, resume=pdf_upload("Carla_Candidate_CV_2.pdf")
    )
    event = Activity.objects.filter(kind="closeloop.candidate.updated").latest("pk")
    assert event.summary == "Rita Recruiter replaced the résumé"
    assert "was Carla_Candidate_CV.pdf" in event.detail
    assert "updated resume" not in timeline(login(world.rita), carla)


def test_several_changes_read_as_one_sentence(world, login):
    carla = carla_with_a_phone_and_a_resume(world)
    candidate_update(
        candidate=carla,
        by=world.rita,
        data={"phone": NEW_PHONE, "current_company": "Globex"},
        resume=pdf_upload("Carla_Candidate_CV_2.pdf"),
    )
    event = Activity.objects.filter(kind="closeloop.candidate.updated").latest("pk")
    assert event.summary == (
        "Rita Recruiter changed the phone and current company, and replaced the résumé"
    )


def test_the_pay_they_expect_is_named_without_its_figure(world, login):
    """The timeline's readers include interviewers, who are not shown the pay."""
    carla = carla_with_a_phone_and_a_resume(world)
    candidate_update(candidate=carla, by=world.rita, data={"expected_compensation": 91000})
    event = Activity.objects.filter(kind="closeloop.candidate.updated").latest("pk")
    assert event.summary == "Rita Recruiter changed the expected compensation"
    assert "91" not in event.summary + event.detail


def test_an_erased_candidate_keeps_no_old_value_in_the_timeline(world, login):
    carla = carla_with_a_phone_and_a_resume(world)
    candidate_update(
        candidate=carla,
        by=world.rita,
        data={"phone": NEW_PHONE},
        resume=pdf_upload("Carla_Candidate_CV_2.pdf"),
    )
    candidate_erase(candidate=carla, by=world.ada, reason="Asked to be forgotten")
    said = " ".join(
        f"{event.summary} {event.detail} {event.data}"
        for event in Activity.objects.filter(candidate=carla)
    )
    for value in (OLD_PHONE, NEW_PHONE, "Carla_Candidate_CV", "7946"):
        assert value not in said


def test_the_source_and_links_are_said_as_people_read_them(world, login):
    carla = carla_with_a_phone_and_a_resume(world)
    candidate_update(
        candidate=carla,
        by=world.rita,
        data={"source": "referral", "links": "https://example.com/carla"},
    )
    event = Activity.objects.filter(kind="closeloop.candidate.updated").latest("pk")
    assert event.summary == "Rita Recruiter changed the links and source"
    assert "Links: added https://example.com/carla" in event.detail
    assert "Source: from " in event.detail and " to Referral" in event.detail
