"""Forms of the jobs pages: they parse and label input; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse

from closeloop.accounts.models import User
from closeloop.accounts.people_fields import PeopleTypedMixin, PersonChoiceField, person_label
from closeloop.accounts.selectors import people_typed
from closeloop.followups.forms import JobServiceLevelFields
from closeloop.followups.policies import ServiceLevels, job_kinds
from closeloop.jobs.hooks import EndingEffect, job_ending_effects, job_ending_words
from closeloop.jobs.models import Job, JobOutcome, JobStatus, MoveOwner
from closeloop.jobs.selectors import (
    JOB_ROLE_PEOPLE,
    job_agreement_in_force,
    job_role_people,
    people_emails,
)
from closeloop.jobs.services import ENDED, ENDING_CONFIRM_FIELD
from closeloop.lib.forms import IdsChoiceField, form_field
from closeloop.lib.ids import id_parse
from closeloop.lib.seen import SeenField
from closeloop.lib.text import PlainTextMixin

# The job's own fields the services take as `data` (interviewers travel separately).
JOB_DATA_FIELDS = (
    "title",
    "team",
    "location",
    "remote",
    "headcount",
    "status",
    "outcome",
    "must_haves",
    "recruiter",
    "hiring_manager",
    "coordinator",
    "escalation_contact",
)


class PeopleChoiceField(PeopleTypedMixin, IdsChoiceField):
    """Several people, each shown by name and email: ticked in a list, or in a big
    organisation those chosen ticked and more typed (`type_in`)."""

    def label_from_instance(self, obj: Any) -> str:
        return person_label(obj)


class ServiceErrorsMixin:
    """Show a service's ValidationError next to the field it names, or above the form."""

    def add_service_error(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)  # type: ignore[attr-defined]
            return
        for name, errors in error.error_dict.items():
            field = name if name in self.fields else None  # type: ignore[attr-defined]
            self.add_error(field, errors)  # type: ignore[attr-defined]


class JobForm(JobServiceLevelFields, PlainTextMixin, ServiceErrorsMixin, forms.ModelForm):
    """Create or edit a job: details, status and the hiring team."""

    recruiter = PersonChoiceField(queryset=None, help_text="Owns the pipeline.")
    hiring_manager = PersonChoiceField(queryset=None, label="Hiring manager")
    coordinator = PersonChoiceField(
        queryset=None,
        required=False,
        empty_label="Nobody",
        help_text="Optional: schedules interviews.",
    )
    escalation_contact = PersonChoiceField(
        queryset=None,
        required=False,
        empty_label="Nobody",
        help_text="Hears about asks that wait too long (usually the HM's manager).",
    )
    interviewers = PeopleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Interviewers see only the candidates they interview.",
    )
    headcount = forms.IntegerField(min_value=1, max_value=500, initial=1)
    outcome = forms.ChoiceField(
        choices=[("", "—"), (JobOutcome.CANCELLED, "Cancelled"), (JobOutcome.FAILED, "Failed")],
        required=False,
        label="How the search ended",
        help_text="When you close a job: cancelled (no longer needed) or failed (could not be "
        "filled). A Filled job was filled.",
    )
    # What the edit page showed (lib.seen): a save from a page older than a save made since
    # is refused rather than undoing it. Empty on the new-job page.
    seen = SeenField()

    class Meta:
        model = Job
        fields = (*JOB_DATA_FIELDS, "interviewers")
        labels = {"remote": "Remote work is possible", "must_haves": "Must-haves"}
        help_texts = {
            "must_haves": "One per line: what every submission is measured against.",
            "remote": "",
        }
        widgets = {"must_haves": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, reader: User | None = None, **kwargs: Any) -> None:
        """`reader`: who edits the job (what ending it would do is said to them)."""
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        job = self.instance
        for role in JOB_ROLE_PEOPLE:
            form_field(self, role, PersonChoiceField).queryset = job_role_people(
                role=role, keep=[getattr(job, f"{role}_id")]
            )
        current = list(job.interviewers.values_list("pk", flat=True)) if job.pk else []
        form_field(self, "interviewers", PeopleChoiceField).queryset = job_role_people(
            role="interviewers", keep=current
        )
        # A big organisation types its people: a list of everyone would make the form huge.
        if people_typed():
            for role in JOB_ROLE_PEOPLE:
                suggest = f"{reverse('jobs:people-suggest')}?role={role}"
                form_field(self, role, PersonChoiceField).type_in(suggest)
            self._initial_emails()
            interviewers = form_field(self, "interviewers", PeopleChoiceField)
            suggest = f"{reverse('jobs:people-suggest')}?role=interviewers"
            interviewers.type_in(suggest, who="who interviews")
            interviewers.help_text = (
                "Interviewers see only the candidates they interview. Untick to remove; add "
                "more by name or email."
            )
        self._ending_confirm_add(job, reader)
        # Once an intake is signed, the fields it owns (AGREEMENT_FIELDS: the must-haves and
        # service levels) change by amending it (and both sides re-signing), not here.
        self.agreement: Any = job_agreement_in_force(job=job)
        if self.agreement is not None:
            del self.fields["must_haves"]
            return
        self.service_level_fields_add(self.instance.service_levels or {}, note_disabled=True)

    def service_level_fields(self) -> list[forms.BoundField]:
        if self.agreement is not None:
            return []
        return super().service_level_fields()

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("status") == JobStatus.CLOSED and not data.get("outcome"):
            self.add_error("outcome", "Say how the search ended: cancelled or failed.")
        if self.agreement is not None:
            return data
        self.service_levels_check()
        return data

    def _post_clean(self) -> None:
        # The services validate and save the job; the form only parses input, so the job
        # being edited is not changed behind the service's back.
        pass

    def _initial_emails(self) -> None:
        """The people the job names now, shown by email in their typed fields: one query
        for the four (each field would otherwise look its own up)."""
        ids = {role: id_parse(self.initial.get(role)) for role in JOB_ROLE_PEOPLE}
        emails = people_emails(pk for pk in ids.values() if pk is not None)
        for role, pk in ids.items():
            if pk in emails:
                self.initial[role] = emails[pk]

    def _ending_confirm_add(self, job: Job, reader: User | None) -> None:
        """A job still running whose end would close more than itself (its active
        candidates, open action items) gets a box to confirm that, saying what it would do;
        job_update refuses an ending without it."""
        self.ending_effects: list[EndingEffect] = []
        if job.pk and job.status not in ENDED:
            self.ending_effects = job_ending_effects(job, reader=reader)
        if self.ending_effects:
            self.fields[ENDING_CONFIRM_FIELD] = forms.BooleanField(
                required=False,
                label="When I set it Filled or Closed, "
                f"{job_ending_words(self.ending_effects)} too",
                help_text=" ".join(effect.ahead for effect in self.ending_effects),
            )

    def ending_answer(self) -> bool | None:
        """The box's answer for job_update (None when the form has no box: nothing to end)."""
        if ENDING_CONFIRM_FIELD not in self.fields:
            return None
        return bool(self.cleaned_data.get(ENDING_CONFIRM_FIELD))

    def job_data(self) -> dict[str, Any]:
        """What the services take as `data`."""
        data = {name: self.cleaned_data[name] for name in JOB_DATA_FIELDS if name in self.fields}
        if self.agreement is not None:
            return data
        return {**data, "service_levels": self._service_levels()}

    def _service_levels(self) -> ServiceLevels:
        """The job's agreed times: these boxes, plus what the intake agreed for other kinds."""
        job = self.instance
        stored = ServiceLevels.stored(job.service_levels, owner=f"job {job.pk}")
        return stored.without(job_kinds()) | self.service_levels_entered()


class StageForm(PlainTextMixin, ServiceErrorsMixin, forms.Form):
    """Rename a stage, or say whose move it is while a candidate sits in it."""

    name = forms.CharField(max_length=60, label="Stage name")
    move_owner = forms.ChoiceField(choices=MoveOwner.choices, label="Whose move")
    # What the stage's row showed (lib.seen): a save from a page older than a save made
    # since is refused rather than undoing it. Empty in the form that adds a stage.
    seen = SeenField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class StageMoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "Up"), ("down", "Down")])
    # The order of the plan the page showed (lib.seen): Up and Down move past the neighbour
    # shown, so a page older than a reorder is refused.
    seen = SeenField()

    @property
    def step(self) -> int:
        return -1 if self.cleaned_data["direction"] == "up" else 1
