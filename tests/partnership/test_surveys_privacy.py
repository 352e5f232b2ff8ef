"""Erasing a hired candidate empties the check-in sentences about them and takes their name
out of survey answers; the ratings stay (they count something)."""

from __future__ import annotations

import datetime as dt

from surveys_world import close_job

from closeloop.jobs.models import StageKind
from closeloop.partnership.surveys.models import QualityCheckin, SurveyAnswer
from closeloop.partnership.surveys.services import checkin_answer, checkins_open_due, survey_answer
from closeloop.pipeline.privacy import candidate_erase
from closeloop.pipeline.services import application_move


def test_erasing_a_hire_takes_them_out_of_check_ins_and_surveys(world, clock):
    hired = world.job.stages.get(kind=StageKind.HIRED)
    application_move(application=world.interviewed, by=world.rita, to_stage=hired)
    clock.shift(dt.timedelta(days=30, minutes=1))
    checkins_open_due()
    checkin = QualityCheckin.objects.get(days=30)
    checkin_answer(checkin=checkin, by=world.hank, rating=4, hire_again="yes", note="Carla rocks")
    survey = close_job(world, "cancelled")
    survey_answer(survey=survey, by=world.rita, again="yes", what_worked="Carla Candidate, hired")
    candidate_erase(candidate=world.interviewed.candidate, by=world.ada, reason="Asked to")
    checkin.refresh_from_db()
    assert (checkin.note, checkin.rating, checkin.hire_again) == ("", 4, "yes")
    assert "Carla" not in SurveyAnswer.objects.get().what_worked
