"""Forms of the candidate and application pages: they parse input; services hold the rules."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from closeloop.jobs.models import Job, Stage
from closeloop.lib.files import validate_resume
from closeloop.lib.forms import IdChoiceField, form_field
from closeloop.lib.seen import SeenField
from closeloop.lib.text import CURRENCY_CODE_MESSAGE, PlainTextMixin, is_currency_code
from closeloop.pipeline.models import (
    CALIBRATION_NOTE_MAX,
    Closeness,
    RejectionReason,
    Source,
    Submission,
    WithdrawalReason,
)
from closeloop.pipeline.selectors import (
    MOVE_SIDES,
    ListFilterChoices,
    ListFilters,
    QueueScope,
)
from closeloop.pipeline.services import Calibration

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from closeloop.pipeline.bulk import BulkActions

LINK_VALIDATOR = URLValidator(schemes=["http", "https"])
MAX_LINKS = 10


def _choices_with_prompt(choices: list[tuple[str, str]], prompt: str) -> list[tuple[str, str]]:
    return [("", prompt), *choices]


class CandidateForm(PlainTextMixin, forms.Form):
    """A candidate's details, for adding them to a job and for editing them later."""

    full_name = forms.CharField(label="Full name", max_length=150)
    email = forms.EmailField(
        label="Email",
        required=False,
        help_text="Used to spot duplicates: two candidates never share an address.",
    )
    phone = forms.CharField(label="Phone", max_length=40, required=False)
    location = forms.CharField(label="Location", max_length=120, required=False)
    current_title = forms.CharField(label="Current title", max_length=150, required=False)
    current_company = forms.CharField(label="Current company", max_length=150, required=False)
    links = forms.CharField(
        label="Links",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="LinkedIn, GitHub, portfolio… one per line, starting with https://",
    )
    expected_compensation = forms.IntegerField(
        label="Expected compensation",
        required=False,
        min_value=0,
        max_value=2_000_000_000,
        help_text="Yearly, in the currency beside it.",
    )
    # No max_length: a browser would cut "pounds" to "pou" silently; `clean_…` refuses it.
    compensation_currency = forms.CharField(
        label="Currency",
        initial="EUR",
        required=False,
        help_text="Three-letter code, e.g. EUR, GBP, USD.",
    )
    source = forms.ChoiceField(label="Source", choices=Source.choices, initial=Source.SOURCED)
    resume = forms.FileField(
        label="Résumé",
        required=False,
        help_text="PDF or Word (.docx).",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx"}),
    )
    # What the edit page showed (lib.seen): a save from a page older than a save made since
    # is refused rather than undoing it. Empty on the add page.
    seen = SeenField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # These are the candidate's details: the browser must not fill in the recruiter's own.
        for field in self.fields.values():
            field.widget.attrs.setdefault("autocomplete", "off")

    def clean_full_name(self) -> str:
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise ValidationError("Enter the candidate's name.")
        return name

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean_links(self) -> str:
        lines = [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]
        if len(lines) > MAX_LINKS:
            raise ValidationError(f"Keep it to {MAX_LINKS} links.")
        for line in lines:
            try:
                LINK_VALIDATOR(line)
            except ValidationError:
                raise ValidationError(
                    f"“{line[:80]}” is not a web address; start each link with https://"
                ) from None
        return "\n".join(lines)

    def clean_compensation_currency(self) -> str:
        code = self.cleaned_data["compensation_currency"].strip().upper()
        if code and not is_currency_code(code):
            raise ValidationError(CURRENCY_CODE_MESSAGE)
        return code

    def clean_resume(self) -> Any:
        upload = self.cleaned_data.get("resume")
        if upload:
            # Raises a ValidationError that says what is wrong (type, size, content).
            validate_resume(upload)
        return upload or None

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("expected_compensation") is not None and not cleaned.get(
            "compensation_currency"
        ):
            self.add_error("compensation_currency", "Say which currency the figure is in.")
        return cleaned

    def candidate_data(self) -> dict[str, Any]:
        """The cleaned fields the services store on the Candidate (the résumé goes apart)."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in ("resume", "seen", "add_anyway")
        }


class CandidateAddForm(CandidateForm):
    """The add page's form: the candidate's details, and the confirmation that someone with
    the same name already on the job is another person (shown once the add is refused)."""

    add_anyway = forms.BooleanField(
        label="Add anyway: this is a different person",
        required=False,
    )


class SubmitForm(forms.Form):
    """The recruiter's pitch to the HM, against the job's must-haves."""

    pitch = forms.CharField(
        label="Pitch",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Why this person, in a few sentences: this is what the hiring manager reads.",
        max_length=5000,
    )
    must_haves_met = forms.MultipleChoiceField(
        label="Must-haves this candidate meets",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, job: Job, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "must_haves_met", forms.ChoiceField).choices = [
            (m, m) for m in job.must_have_list
        ]
        if not job.must_have_list:
            self.fields["must_haves_met"].help_text = "The job lists no must-haves yet."


class MoveForm(forms.Form):
    """Move an active application to another stage of its job."""

    to_stage = IdChoiceField(
        label="Move to stage", queryset=Stage.objects.none(), empty_label="Choose a stage"
    )
    reason = forms.CharField(
        label="Why (optional)", required=False, max_length=2000, widget=forms.TextInput
    )

    def __init__(
        self, *args: Any, job: Job, stages: QuerySet[Stage] | None = None, **kwargs: Any
    ) -> None:
        """`stages`: those offered (the application's `application_move_stages`); a posted
        form takes any stage of the job, and the move itself says why one is refused."""
        super().__init__(*args, **kwargs)
        offered = stages if stages is not None else job.stages.order_by("position")
        form_field(self, "to_stage", forms.ModelChoiceField).queryset = offered


class RejectForm(forms.Form):
    """Close the application as rejected, with a structured reason."""

    reason = forms.ChoiceField(
        label="Reason",
        choices=_choices_with_prompt(RejectionReason.choices, "Choose a reason"),
        required=False,
    )
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required when the reason is “Other”.",
    )


class WithdrawForm(forms.Form):
    """Record that the candidate withdrew."""

    reason = forms.ChoiceField(
        label="Candidate's reason",
        choices=_choices_with_prompt(WithdrawalReason.choices, "Choose a reason"),
        required=False,
    )
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label="Why reopen (optional)", required=False, max_length=2000, widget=forms.TextInput
    )


class CalibrationFields(PlainTextMixin, forms.Form):
    """What the decider says with every decision (calibration), on the application page and
    on the one-click confirmation pages: how close the profile was (one tap, required),
    which must-haves it meets (the recruiter's ticks filled in, to confirm or change), and in
    the job's calibration round a sentence. `calibration_setup` fits them to the job."""

    closeness = forms.TypedChoiceField(
        label="How close was this profile to what you need?",
        choices=Closeness.choices,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "cl-segmented"}),
        error_messages={"required": "Say how close the profile was: one tap."},
    )
    hm_must_haves_met = forms.MultipleChoiceField(
        label="Must-haves it meets (untick what it misses)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    calibration_note = forms.CharField(
        label="Why close, or why not? (optional)",
        required=False,
        max_length=CALIBRATION_NOTE_MAX,
        widget=forms.TextInput,
    )

    def calibration_setup(self, job: Job | None, submission: Submission | None) -> None:
        """Offer the must-haves the submission was pitched against (the recruiter's ticks
        first) and ask for the sentence when the submission is in the job's calibration round."""
        listed = job.must_have_list if job is not None else []
        if job is not None and submission is not None:
            listed = submission.must_haves_pitched(job)
        form_field(self, "hm_must_haves_met", forms.ChoiceField).choices = [(m, m) for m in listed]
        if not listed:
            del self.fields["hm_must_haves_met"]
        if submission is None:
            return
        if listed:
            self.fields["hm_must_haves_met"].initial = list(submission.must_haves_met)
        if submission.in_calibration_round:
            note = self.fields["calibration_note"]
            note.required = True
            note.label = "In a sentence: why close, or why not?"
            note.help_text = (
                "This is one of the job's first submissions (its calibration round): "
                "the recruiter reads your answers side by side."
            )
            note.error_messages["required"] = (
                "This submission is in the calibration round: say in a sentence why."
            )

    def calibration(self) -> Calibration:
        return calibration_from(self.cleaned_data)


def calibration_from(data: dict[str, Any]) -> Calibration:
    """The calibration in a valid `CalibrationFields` form's data (the one-click handlers
    get the data, not the form)."""
    return Calibration(
        closeness=data["closeness"],
        must_haves_met=tuple(data.get("hm_must_haves_met") or ()),
        note=data.get("calibration_note") or "",
    )


class DecideForm(CalibrationFields):
    """The HM's answer to the current submission: advance, or pass with a reason, with
    their calibration."""

    submission = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        choices=[("advanced", "Advance"), ("passed", "Pass")], widget=forms.HiddenInput
    )
    reason = forms.ChoiceField(
        label="Reason for passing",
        choices=_choices_with_prompt(RejectionReason.choices, "Choose a reason"),
        required=False,
    )
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self,
        *args: Any,
        job: Job | None = None,
        submission: Submission | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.calibration_setup(job, submission)
        # One form for both answers (its buttons say which): the reason is for passing.
        self.fields[
            "note"
        ].help_text = "Optional when you advance; required when you pass for “Other”."
        if job is not None and (job.must_have_list or job.deal_breaker_list):
            form_field(self, "reason", forms.ChoiceField).choices = pass_reason_choices(job)

    def citation(self) -> tuple[str, str] | None:
        """(kind, criterion) when the pass cites the agreement or says "other" in words."""
        return pass_citation(self.cleaned_data.get("reason") or "", self.cleaned_data.get("note"))


# A pass reason that cites the agreement: "must:<must-have>" or "deal:<deal-breaker>".
CITATION_PREFIXES = {"must:": "must_have", "deal:": "deal_breaker"}


def pass_citation(reason: str, note: str | None) -> tuple[str, str] | None:
    """(kind, criterion) when a pass reason (`pass_reason_choices`) cites the agreement or
    says "other" in words; None for another structured reason."""
    for prefix, kind in CITATION_PREFIXES.items():
        if reason.startswith(prefix):
            return kind, reason.removeprefix(prefix)
    if reason == RejectionReason.OTHER:
        return "other", note or ""
    return None


def pass_reason_choices(job: Job) -> list[Any]:
    """The job's must-haves and deal-breakers first, then the other structured reasons (a
    pass for one of those is "not in the agreement" and shows as drift on the job page)."""
    groups: list[Any] = [("", "Choose a reason")]
    if job.must_have_list:
        groups.append(("Misses a must-have", [(f"must:{m}", m) for m in job.must_have_list]))
    if job.deal_breaker_list:
        groups.append(("Hits a deal-breaker", [(f"deal:{d}", d) for d in job.deal_breaker_list]))
    # "Missing a must-have skill" stays for passes that do not say which (links, older pages).
    groups.append(("Another reason", list(RejectionReason.choices)))
    return groups


class QuestionForm(forms.Form):
    """The HM asks the recruiter something about the current submission."""

    submission = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(
        label="Your question for the recruiter",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label="Your answer", max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


class MergeForm(forms.Form):
    """Fold this candidate record into another one that already has the address."""

    into = forms.IntegerField(widget=forms.HiddenInput)
    same_person = forms.BooleanField(
        label="I have compared the two records: they are the same person",
        error_messages={"required": "Tick the box to confirm the two records are one person."},
    )


# The confirmation pages of the review's one-click links (pipeline/one_click.py).


class LinkForm(CalibrationFields):
    """A confirmation page's form: the calibration first, fitted to the link's submission
    (`pipeline.one_click._form_kwargs`), then the action's own fields."""

    def __init__(
        self,
        *args: Any,
        job: Job | None = None,
        submission: Submission | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.calibration_setup(job, submission)


class LinkAdvanceForm(LinkForm):
    note = forms.CharField(
        label="Note for the recruiter (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LinkPassForm(LinkForm):
    reason = forms.ChoiceField(
        label="Why are you passing?", choices=[("", "Choose a reason"), *RejectionReason.choices]
    )
    note = forms.CharField(
        label="Note (required for “Other”)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, job: Job | None = None, **kwargs: Any) -> None:
        super().__init__(*args, job=job, **kwargs)
        # The same reasons as the application page: the agreement's criteria first, so a
        # pass from an email cites them too (and is not drift).
        if job is not None and (job.must_have_list or job.deal_breaker_list):
            form_field(self, "reason", forms.ChoiceField).choices = pass_reason_choices(job)

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        if data.get("reason") == RejectionReason.OTHER and not (data.get("note") or "").strip():
            self.add_error("note", "Say why in the note when the reason is “Other”.")
        return data


class LinkQuestionForm(forms.Form):
    text = forms.CharField(
        label="Your question for the recruiter",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class CandidateUpdatedForm(forms.Form):
    note = forms.CharField(
        label="What did you tell the candidate?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class QueueFilterForm(forms.Form):
    """My queue's filters: one job, one kind of follow-up, overdue only. A value that is not
    one of the choices is no filter (the whole queue), never an error."""

    job = forms.TypedChoiceField(label="Job", coerce=int, required=False, empty_value=None)
    kind = forms.ChoiceField(label="Kind", required=False)
    overdue = forms.BooleanField(label="Overdue only", required=False)

    def __init__(
        self, *args: Any, jobs: list[Job], kinds: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # The jobs are read once by the caller: the choices, the check and the page use them.
        job_choices = [("", "Every job"), *((job.pk, job.title) for job in jobs)]
        self.fields["job"].choices = job_choices  # type: ignore[attr-defined]
        self.fields["kind"].choices = [("", "Every kind"), *kinds]  # type: ignore[attr-defined]
        self.has_jobs = bool(jobs)
        self.jobs = jobs
        self.titles = {job.pk: job.title for job in jobs}

    def _value(self, name: str) -> Any:
        # Each filter on its own: one unreadable value drops that filter, not the others.
        field = self.fields[name]
        try:
            return field.clean(field.widget.value_from_datadict(self.data, self.files, name))
        except ValidationError:
            return None

    def scope(self) -> QueueScope:
        return QueueScope(
            job_id=self._value("job"),
            kind=self._value("kind") or "",
            overdue=bool(self._value("overdue")),
        )

    def job_title(self) -> str:
        return self.titles.get(self.scope().job_id or 0, "")

    def kind_label(self) -> str:
        return dict(self.fields["kind"].choices).get(self.scope().kind, "")  # type: ignore[attr-defined]


# The job list's filters (`?view=list&…`): what each says when its value is unusable, and
# what it falls back to. One bad value drops that filter only, with a notice; never an error.
FILTER_FALLBACKS = {
    "move": "is not someone this job's candidates wait on; showing everyone's moves",
    "waiting": "is not a number of business days from 1 to 365; showing every wait",
    "source": "is not a source; showing every source",
    "interviewer": "is not an interviewer on this job; showing every interviewer",
    "tag": "is not a tag of this job's candidates; showing every tag",
}
MAX_WAITING_DAYS = 365


def _person_choices(
    people: list[Any], covers: dict[int, str] | None = None
) -> list[tuple[str, str]]:
    """(id, name) per person; "name, covering for …" for a delegate holding moves."""
    covers = covers or {}
    return [
        (
            str(person.pk),
            ", ".join(filter(None, (person.full_name or person.email, covers.get(person.pk)))),
        )
        for person in people
    ]


class PipelineFilterForm(forms.Form):
    """The filters of a job's candidate list, read from the query string. The choices are
    the job's own (`job_list_filter_choices`), so a value from another job is no filter."""

    move = forms.ChoiceField(label="Whose move", required=False)
    waiting = forms.IntegerField(
        label="In stage longer than",
        required=False,
        min_value=1,
        max_value=MAX_WAITING_DAYS,
        help_text="business days",
        widget=forms.NumberInput(attrs={"size": 4, "placeholder": "days"}),
    )
    source = forms.ChoiceField(
        label="Source", required=False, choices=[("", "Any source"), *Source.choices]
    )
    interviewer = forms.ChoiceField(label="Interviewer", required=False)
    tag = forms.ChoiceField(label="Tag", required=False)

    def __init__(self, *args: Any, choices: ListFilterChoices, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "pipeline-%s")
        super().__init__(*args, **kwargs)
        people = _person_choices(choices.people, choices.covers)
        form_field(self, "move", forms.ChoiceField).choices = [
            ("", "Anyone's"),
            ("By side", list(MOVE_SIDES.items())),
            *([("By person", people)] if people else []),
        ]
        form_field(self, "interviewer", forms.ChoiceField).choices = [
            ("", "Any interviewer"),
            *_person_choices(choices.interviewers),
        ]
        form_field(self, "tag", forms.ChoiceField).choices = [
            ("", "Any tag"),
            *((str(tag.pk), tag.name) for tag in choices.tags),
        ]

    def _values(self) -> dict[str, Any]:
        """Each filter's value, or None when it is missing or unusable."""
        if not hasattr(self, "_checked"):
            self.is_valid()
            self._checked = {
                name: None if name in self.errors else self.cleaned_data.get(name)
                for name in self.fields
            }
        return self._checked

    def notices(self) -> list[str]:
        """A sentence for each value that could not be used (the list shows without it)."""
        said = []
        for name in self.errors:
            typed = str(self.data.get(name, ""))[:40]
            said.append(f"“{typed}” {FILTER_FALLBACKS[name]}.")
        return said

    def filters(self) -> ListFilters:
        values = self._values()
        move = values["move"] or ""
        return ListFilters(
            move=move if move in MOVE_SIDES else "",
            person_id=int(move) if move.isdigit() else None,
            waiting_days=values["waiting"],
            source=values["source"] or "",
            interviewer_id=int(values["interviewer"]) if values["interviewer"] else None,
            tag_id=int(values["tag"]) if values["tag"] else None,
        )

    def pairs(self) -> list[tuple[str, str]]:
        """The usable filters as query-string pairs, in the form's order (for the sort
        headers, the pages and saved views: they keep the filters)."""
        values = self._values()
        return [(name, str(values[name])) for name in self.fields if values[name]]


class SavedViewForm(forms.Form):
    """Save the list's current filters under a name (the query comes from the page)."""

    name = forms.CharField(
        label="Save these filters as",
        max_length=60,
        widget=forms.TextInput(attrs={"placeholder": "e.g. Waiting on hank", "size": 18}),
        error_messages={
            "required": "Give the view a name.",
            "max_length": "Keep the name to %(limit_value)d characters (it has %(show_value)d).",
        },
    )
    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "saved-view-%s")
        super().__init__(*args, **kwargs)


class TagAddForm(forms.Form):
    name = forms.CharField(
        label="Add a tag",
        max_length=40,
        widget=forms.TextInput(attrs={"placeholder": "e.g. relocating", "size": 16}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "tag-%s")
        super().__init__(*args, **kwargs)


def _too_long(what: str) -> dict[str, str]:
    """A field's "too long" message: "A tag is at most 40 characters; this one has 41." """
    return {
        "max_length": f"{what} is at most %(limit_value)d characters; this one has %(show_value)d."
    }


class BulkActionForm(forms.Form):
    """One bulk action on the candidates ticked in the job's list, with what it needs.

    The ticked rows come as `applications` (one per checkbox, read by the view), or, with
    "every candidate on this page" ticked, as the page's ids in `page_ids`: plain HTML, no
    script needed. `next` is the list's address to return to.
    """

    # Each problem is said in one sentence of its own (the refusal lists them after "Nothing
    # was changed."): a value refused here is not also said to be missing (`clean`).
    action = forms.ChoiceField(label="Action")
    to_stage = IdChoiceField(
        label="Stage",
        queryset=Stage.objects.none(),
        required=False,
        empty_label="Choose a stage",
        error_messages={
            "invalid_choice": "That is not a stage of this job; choose one of its stages."
        },
    )
    reason = forms.ChoiceField(
        label="Reason",
        choices=_choices_with_prompt(RejectionReason.choices, "Choose a reason"),
        required=False,
        error_messages={
            "invalid_choice": "That is not a reason for rejecting; choose one of the list."
        },
    )
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=2000,
        error_messages=_too_long("A note"),
    )
    tag = forms.CharField(
        label="Tag",
        required=False,
        max_length=40,
        error_messages=_too_long("A tag"),
    )
    snooze_reason = forms.CharField(
        label="Why snooze?",
        required=False,
        max_length=300,
        error_messages=_too_long("The reason for snoozing"),
    )
    all_on_page = forms.BooleanField(label="Every candidate on this page", required=False)
    page_ids = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20_000)
    next = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)

    def __init__(self, *args: Any, job: Job, actions: BulkActions, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "bulk-%s")
        super().__init__(*args, **kwargs)
        labels = dict(BULK_ACTION_LABELS)
        form_field(self, "action", forms.ChoiceField).choices = [
            ("", "Choose an action"),
            *((key, label) for key, label in labels.items() if actions.allows(key)),
        ]
        form_field(self, "to_stage", forms.ModelChoiceField).queryset = job.stages.order_by(
            "position"
        )

    def clean_action(self) -> str:
        return str(self.cleaned_data.get("action") or "")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        needs = {
            "move": ("to_stage", "Choose the stage to move them to."),
            "reject": ("reason", "Choose the reason for rejecting."),
            "tag": ("tag", "Type the tag to add."),
            "snooze": ("snooze_reason", "Say why you snooze, so the recruiter knows."),
        }
        action = data.get("action") or ""
        field, missing = needs.get(action, ("", ""))
        # A value the field refused ("A tag is at most 40 characters") is not also missing.
        if field and field not in self.errors and not str(data.get(field) or "").strip():
            self.add_error(field, missing)
        if (
            action == "reject"
            and data.get("reason") == RejectionReason.OTHER
            and not (data.get("note") or "").strip()
        ):
            self.add_error("note", "Say why in the note when the reason is “Other”.")
        return data

    def selected(self, ticked: list[str]) -> list[str]:
        """The ids acted on: the page's when "every candidate on this page" is ticked."""
        if self.cleaned_data.get("all_on_page"):
            return [each for each in self.cleaned_data.get("page_ids", "").split(",") if each]
        return ticked


# The bulk actions in the order the form offers them (pipeline.bulk checks who may).
BULK_ACTION_LABELS = (
    ("move", "Move to a stage"),
    ("reject", "Reject"),
    ("updated", "Mark candidates updated"),
    ("tag", "Add a tag"),
    ("snooze", "Snooze my asks"),
)
