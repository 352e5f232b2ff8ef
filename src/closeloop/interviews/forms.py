"""Forms of the interview, scorecard and debrief pages: they parse input; services hold rules.

Times are typed as local wall-clock times in a chosen time zone (the interview's, not the
browser's), so "14:00 Europe/Berlin" means that even for a recruiter in New York.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import TYPE_CHECKING, Any

from django import forms

from closeloop.accounts.models import User
from closeloop.accounts.selectors import time_zone_options
from closeloop.interviews.models import RATING_LABELS, DebriefDecision, Recommendation, web_address
from closeloop.interviews.selectors import (
    RoundDefaults,
    debrief_advance_stages,
    debrief_attendee_choices,
    debrief_stays_for_next_round,
    interview_round_defaults_follow,
)
from closeloop.interviews.services import (
    Decision,
    Meeting,
    ScorecardInput,
    Slot,
    when_in_range_error,
)
from closeloop.lib.folding import by_name
from closeloop.lib.forms import (
    ISO_DATETIME_LOCAL,
    DateInput,
    DateTimeLocalInput,
    IdChoiceField,
    IdsChoiceField,
    form_field,
)
from closeloop.lib.ids import id_parse
from closeloop.lib.seen import SeenField
from closeloop.pipeline.models import RejectionReason

if TYPE_CHECKING:
    from closeloop.interviews.models import Debrief
    from closeloop.jobs.models import InterviewRound, Job, Stage
    from closeloop.pipeline.models import Application

LOCAL_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S")


def time_zone_choices(current: str = "") -> list[tuple[str, str]]:
    """Canonical zones to pick from, plus the zone already stored (even an old alias)."""
    return time_zone_options(current)


def parse_local(value: str, zone_name: str) -> dt.datetime | None:
    """A wall-clock time typed in `zone_name` as an aware datetime (None if unreadable)."""
    for pattern in LOCAL_FORMATS:
        try:
            naive = dt.datetime.strptime(value.strip(), pattern)
        except ValueError:
            continue
        return naive.replace(tzinfo=zoneinfo.ZoneInfo(zone_name))
    return None


def _exists_on_the_clock(moment: dt.datetime) -> bool:
    """False for a wall-clock time skipped when the clocks go forward (02:30 on the night
    Europe moves to summer time): it would be stored as another time, the meeting's end
    before its start."""
    there_and_back = moment.astimezone(dt.UTC).astimezone(moment.tzinfo)
    return there_and_back.replace(tzinfo=None) == moment.replace(tzinfo=None)


def clean_local(form: forms.Form, field: str, zone_name: str) -> dt.datetime | None:
    """Parse `field` as a wall-clock time in `zone_name`, or put a clear error on it.

    Refuses what calendars cannot hold: unreadable input, and dates near the ends of the
    calendar (year 1 or 9999), which overflow as soon as a time zone or a length is added.
    """
    try:
        moment = parse_local(form.cleaned_data.get(field) or "", zone_name)
        if moment is not None:
            moment.astimezone(dt.UTC)  # overflows at the calendar's ends
    except (OverflowError, ValueError):
        moment = None
    if moment is None:
        form.add_error(field, "Enter a valid date and time, e.g. 2026-11-24 14:00.")
        return None
    if not _exists_on_the_clock(moment):
        form.add_error(
            field,
            f"{moment:%H:%M} does not exist on {moment:%a %d %b %Y} in {zone_name}: the clocks "
            "go forward then. Pick a time after the change.",
        )
        return None
    problem = when_in_range_error(moment)
    if problem:
        form.add_error(field, problem)
        return None
    return moment


def local_value(moment: dt.datetime | None, zone_name: str) -> str:
    if moment is None:
        return ""
    return moment.astimezone(zoneinfo.ZoneInfo(zone_name)).strftime(ISO_DATETIME_LOCAL)


def panel_choices(job: Job) -> Any:
    """Who may sit on a panel: the job's interviewers, its rounds' and its hiring team."""
    ids = set(job.interviewers.values_list("pk", flat=True))
    ids |= set(job.interview_rounds.values_list("interviewers", flat=True))
    ids |= {job.hiring_manager_id, job.recruiter_id, job.coordinator_id}
    ids.discard(None)
    return User.objects.filter(pk__in=ids, is_active=True).order_by(*by_name("full_name"), "pk")


class _WhenForm(forms.Form):
    """Start (local), time zone, and the fields shared by booking and rescheduling."""

    starts_at = forms.CharField(label="Starts", widget=DateTimeLocalInput())
    time_zone = forms.ChoiceField(label="Time zone", choices=())
    duration_minutes = forms.IntegerField(
        label="Length (minutes)", min_value=10, max_value=480, required=False
    )
    interviewers = IdsChoiceField(
        label="Interviewers",
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    location = forms.CharField(label="Location", max_length=200, required=False)
    video_url = forms.CharField(
        label="Video link",
        max_length=500,
        required=False,
        help_text="https://… (leave empty for an interview in person)",
    )
    notes = forms.CharField(
        label="Notes for the interviewers",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What to probe; prefilled from the round's focus attributes.",
    )

    def __init__(self, *args: Any, job: Job, current_zone: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = current_zone or self.initial.get("time_zone", "")
        form_field(self, "time_zone", forms.ChoiceField).choices = time_zone_choices(current)
        form_field(self, "interviewers", forms.ModelChoiceField).queryset = panel_choices(job)

    def clean_video_url(self) -> str:
        url = self.cleaned_data["video_url"].strip()
        if url and not web_address(url):
            raise forms.ValidationError("Enter a link starting with https://")
        return url

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        zone = data.get("time_zone")
        raw = data.get("starts_at") or ""
        if zone and raw:
            data["starts"] = clean_local(self, "starts_at", zone)
        if not data.get("interviewers") and "interviewers" not in self.errors:
            self.add_error("interviewers", "Choose at least one interviewer.")
        if not (data.get("location") or data.get("video_url")) and not self.errors:
            self.add_error("location", "Give a location or a video link.")
        return data

    def slot(self) -> Slot:
        data = self.cleaned_data
        minutes = data.get("duration_minutes")
        return Slot(
            starts_at=data["starts"],
            time_zone=data["time_zone"],
            interviewers=list(data["interviewers"]),
            ends_at=data["starts"] + dt.timedelta(minutes=minutes) if minutes else None,
            location=data.get("location", ""),
            video_url=data.get("video_url", ""),
            notes=data.get("notes", ""),
        )


class BookForm(_WhenForm):
    """Book an interview of one round of the job's plan."""

    round: forms.ModelChoiceField[InterviewRound] = IdChoiceField(
        label="Round", queryset=None, required=False, empty_label=None
    )
    round_name = forms.CharField(
        label="Round name",
        max_length=80,
        required=False,
        help_text="The job has no interview plan yet; name this round.",
    )

    # The round whose length, panel and notes the page prefilled: picking another in the
    # Round list (the page is not reloaded) makes those left as prefilled follow it.
    prefilled_from = forms.CharField(widget=forms.HiddenInput, required=False)

    field_order = ["round", "round_name", "starts_at", "time_zone", "duration_minutes"]

    def __init__(self, *args: Any, job: Job, current_zone: str = "", **kwargs: Any) -> None:
        super().__init__(*args, job=job, current_zone=current_zone, **kwargs)
        rounds = job.interview_rounds.order_by("position")
        form_field(self, "round", forms.ModelChoiceField).queryset = rounds
        self.has_rounds = rounds.exists()
        if self.has_rounds:
            del self.fields["round_name"]
            self.fields["round"].required = True
            self.fields["round"].help_text = (
                "Another round picked here brings its own length, panel and notes to what "
                "you left as prefilled."
            )
        else:
            del self.fields["round"]
        self._rounds, self._job = rounds, job

    def clean(self) -> dict[str, Any]:
        data = self.cleaned_data
        chosen = data.get("round")
        shown_id = id_parse(data.get("prefilled_from"))
        shown = self._rounds.filter(pk=shown_id).first() if shown_id is not None else None
        if chosen is not None and shown is not None:
            typed = RoundDefaults(
                duration_minutes=data.get("duration_minutes"),
                interviewers=frozenset(person.pk for person in data.get("interviewers") or []),
                notes=data.get("notes", ""),
            )
            kept = interview_round_defaults_follow(shown=shown, chosen=chosen, typed=typed)
            if kept != typed:
                data["duration_minutes"], data["notes"] = kept.duration_minutes, kept.notes
                panel = panel_choices(self._job).filter(pk__in=kept.interviewers)
                data["interviewers"] = list(panel)
        return super().clean()


class RescheduleForm(_WhenForm):
    reason = forms.CharField(label="Why (told to the panel)", max_length=300, required=False)
    # What the page showed (lib.seen): a change from a page older than a change made since is
    # refused rather than moving the interview back.
    seen = SeenField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Its own ids: the interview page also holds the cancel form, whose `reason` would
        # share `id_reason` (a click on one label would focus the other form's field).
        kwargs.setdefault("auto_id", "reschedule-%s")
        super().__init__(*args, **kwargs)

    def seen_values(self) -> dict[str, Any]:
        """The values as the page's fingerprint holds them: the start as a moment."""
        return {**self.cleaned_data, "starts_at": self.cleaned_data.get("starts")}


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Why is it cancelled?",
        max_length=300,
        help_text="The panel reads this with the cancellation.",
        error_messages={"required": "Say why, so the panel knows."},
    )
    # The booking the page showed (lib.seen, the reschedule form's fingerprint): cancelling
    # an interview moved since, from a page that showed the old time, is refused.
    seen = SeenField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "cancel-%s")  # beside the reschedule form's `reason`
        super().__init__(*args, **kwargs)


RATING_CHOICES = [(str(value), f"{value} · {label}") for value, label in RATING_LABELS.items()]


class ScorecardForm(forms.Form):
    """Ratings per focus attribute (1–4), the overall recommendation and notes."""

    recommendation = forms.ChoiceField(
        label="Overall recommendation",
        choices=Recommendation.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    notes = forms.CharField(
        label="Notes",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=(
            "Evidence for your ratings. Write **bold**, *italics* and lists (lines that "
            "start with - or 1.); they show formatted."
        ),
    )

    def __init__(self, *args: Any, attributes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.attributes = attributes
        for index, attribute in enumerate(attributes):
            self.fields[f"rating_{index}"] = forms.ChoiceField(
                label=attribute, choices=RATING_CHOICES, widget=forms.RadioSelect, required=False
            )
        self.order_fields([f"rating_{i}" for i in range(len(attributes))] + ["recommendation"])

    @property
    def rating_fields(self) -> list[forms.BoundField]:
        return [self[f"rating_{index}"] for index in range(len(self.attributes))]

    @classmethod
    def initial_for(cls, card: Any, attributes: list[str]) -> dict[str, Any]:
        if card is None:
            return {}
        initial = {"recommendation": card.recommendation, "notes": card.notes}
        for index, attribute in enumerate(attributes):
            if attribute in card.ratings:
                initial[f"rating_{index}"] = str(card.ratings[attribute])
        return initial

    def scorecard_input(self) -> ScorecardInput:
        data = self.cleaned_data
        ratings = {
            attribute: data.get(f"rating_{index}")
            for index, attribute in enumerate(self.attributes)
        }
        return ScorecardInput(
            ratings=ratings,
            recommendation=data.get("recommendation") or "",
            notes=data.get("notes") or "",
        )


# The fields each decision does not use.
NOT_CHOSEN: dict[str, tuple[str, ...]] = {
    DebriefDecision.ADVANCE: ("reject_reason", "decide_again_on"),
    DebriefDecision.REJECT: ("to_stage", "decide_again_on"),
    DebriefDecision.HOLD: ("to_stage", "reject_reason"),
}


class AdvanceStageField(IdChoiceField):
    """The stages a debrief may advance to; the candidate's own, offered only for the next
    round, says so."""

    next_round_stage_id: int | None = None

    def label_from_instance(self, obj: Any) -> str:
        if obj.pk == self.next_round_stage_id:
            return f"The next round ({obj.name})"
        return str(obj.name)


class DecideForm(forms.Form):
    """The HM's decision after the debrief."""

    decision = forms.ChoiceField(
        label="Decision",
        choices=DebriefDecision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose advance, reject or hold."},
    )
    to_stage: forms.ModelChoiceField[Stage] = AdvanceStageField(
        label="Advance to", queryset=None, required=False, empty_label=None
    )
    reject_reason = forms.ChoiceField(
        label="Reason for rejecting",
        choices=[("", "Choose a reason"), *RejectionReason.choices],
        required=False,
    )
    decide_again_on = forms.DateField(
        label="Decide again by",
        required=False,
        widget=DateInput(),
        help_text="You are reminded before that day and the escalation contact after it; "
        "empty: within the agreed time for a decision on hold.",
        error_messages={"invalid": "Enter the day as a date, such as 2026-12-14."},
    )
    rationale = forms.CharField(
        label="Rationale",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Why: what the scorecards showed against the must-haves.",
        error_messages={"required": "Write the rationale: why this decision."},
    )
    attendees = IdsChoiceField(
        label="Who took part",
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, debrief: Debrief, **kwargs: Any) -> None:
        # Its own ids: the debrief page also holds the meeting form, with its own attendees.
        kwargs.setdefault("auto_id", "decide-%s")
        super().__init__(*args, **kwargs)
        application = debrief.application
        to_stage = form_field(self, "to_stage", AdvanceStageField)
        to_stage.queryset = debrief_advance_stages(debrief=debrief)
        if debrief_stays_for_next_round(debrief=debrief):
            to_stage.next_round_stage_id = application.stage_id
        form_field(self, "attendees", forms.ModelChoiceField).queryset = debrief_attendee_choices(
            application=application
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        # The other decisions' fields are hidden in the browser but still posted: ignore them
        # (neither refused nor stored).
        for name in NOT_CHOSEN.get(data.get("decision") or "", ()):
            self.errors.pop(name, None)
            data[name] = "" if name == "reject_reason" else None
        if data.get("decision") == DebriefDecision.REJECT and not data.get("reject_reason"):
            self.add_error("reject_reason", "Choose the reason for rejecting.")
        return data

    def as_decision(self) -> Decision:
        data = self.cleaned_data
        return Decision(
            decision=data["decision"],
            rationale=data["rationale"],
            reject_reason=data.get("reject_reason") or "",
            to_stage=data.get("to_stage"),
            attendees=list(data.get("attendees") or []),
            decide_again_on=data.get("decide_again_on"),
        )


class MeetingForm(forms.Form):
    """Book the debrief meeting (an invitation with an .ics goes to the attendees)."""

    meets_at = forms.CharField(label="Meets", widget=DateTimeLocalInput())
    time_zone = forms.ChoiceField(label="Time zone", choices=())
    minutes = forms.IntegerField(label="Length (minutes)", min_value=10, max_value=240, initial=30)
    location = forms.CharField(label="Where", max_length=200, required=False)
    attendees = IdsChoiceField(
        label="Attendees",
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    # What the page showed (lib.seen): a change from a page older than a change made since is
    # refused rather than moving the meeting back.
    seen = SeenField()

    def __init__(
        self, *args: Any, application: Application, current_zone: str = "", **kwargs: Any
    ) -> None:
        kwargs.setdefault("auto_id", "meeting-%s")  # beside the decide form's attendees
        super().__init__(*args, **kwargs)
        current = current_zone or self.initial.get("time_zone", "")
        form_field(self, "time_zone", forms.ChoiceField).choices = time_zone_choices(current)
        form_field(self, "attendees", forms.ModelChoiceField).queryset = debrief_attendee_choices(
            application=application
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("time_zone") and data.get("meets_at"):
            data["moment"] = clean_local(self, "meets_at", data["time_zone"])
        return data

    def seen_values(self) -> dict[str, Any]:
        """The values as the page's fingerprint holds them: the time as a moment."""
        return {**self.cleaned_data, "meets_at": self.cleaned_data.get("moment")}

    def meeting(self) -> Meeting:
        data = self.cleaned_data
        return Meeting(
            meets_at=data["moment"],
            minutes=data["minutes"],
            time_zone=data["time_zone"],
            location=data.get("location") or "",
        )


class InformedForm(forms.Form):
    note = forms.CharField(
        label="What did you tell them? (optional)", max_length=2000, required=False
    )
