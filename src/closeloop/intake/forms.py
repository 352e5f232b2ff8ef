"""Forms of the guided intake: each step parses and labels its input; the services decide."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from closeloop.accounts.people_fields import PersonChoiceField, people_suggest_url
from closeloop.accounts.selectors import people_typed, time_zone_options
from closeloop.followups.forms import JobServiceLevelFields
from closeloop.intake.models import DEFAULT_PULSE_WEEKS, IntakeTemplate, PulseCadence
from closeloop.jobs.forms import PeopleChoiceField, ServiceErrorsMixin
from closeloop.lib.folding import by_name
from closeloop.lib.forms import DateInput, TimeInput, form_field
from closeloop.lib.seen import SeenField
from closeloop.lib.text import PlainTextMixin

if TYPE_CHECKING:
    from closeloop.intake.models import IntakeVersion

STEPS = [
    ("role", "Role & pay"),
    ("requirements", "Requirements"),
    ("plan", "Interview plan"),
    ("cadence", "Service levels & cadence"),
    ("review", "Review & propose"),
]
STEP_NAMES = dict(STEPS)


class StepForm(PlainTextMixin, ServiceErrorsMixin, forms.Form):
    """A step of the guided form, filled from a draft and turned back into service data."""

    # What the step's page showed of the draft (lib.seen; the view fills it in): a save from
    # a page older than a save made since is refused rather than undoing it.
    seen = SeenField()

    def __init__(self, *args: Any, version: IntakeVersion, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        if "data" not in kwargs and not args:
            kwargs.setdefault("initial", self.initial_from(version))
        super().__init__(*args, **kwargs)
        self.version = version

    def initial_from(self, version: IntakeVersion) -> dict[str, Any]:
        return {name: getattr(version, name) for name in self.base_fields if name != "seen"}

    def step_data(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "seen"}


class RoleForm(StepForm):
    title = forms.CharField(max_length=200)
    team = forms.CharField(max_length=120, required=False)
    location = forms.CharField(max_length=120, required=False)
    remote = forms.BooleanField(required=False, label="Remote work is possible")
    headcount = forms.IntegerField(min_value=1, max_value=500, label="People to hire")
    compensation_min = forms.IntegerField(
        min_value=0, max_value=100_000_000, required=False, label="Pay from"
    )
    compensation_max = forms.IntegerField(
        min_value=0, max_value=100_000_000, required=False, label="Pay up to"
    )
    # No max_length: a browser would cut "pounds" to "pou" silently; the service refuses it.
    compensation_currency = forms.CharField(
        required=False,
        label="Currency",
        help_text="Three letters, e.g. EUR. Yearly base pay.",
    )
    target_fill_date = forms.DateField(
        required=False,
        label="Target fill date",
        help_text="When an offer should be accepted.",
        widget=DateInput(),
    )
    target_start_date = forms.DateField(
        required=False,
        label="Target start date",
        help_text="The new person's first day.",
        widget=DateInput(),
    )

    def clean_compensation_currency(self) -> str:
        return self.cleaned_data["compensation_currency"].strip().upper()


MUST_HAVE_REQUIRED = "Write at least one must-have: submissions are measured against it."


def _lines_field(label: str, help_text: str, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": MUST_HAVE_REQUIRED},
    )


class RequirementsForm(StepForm):
    must_haves = _lines_field(
        "Must-haves", "One per line. Every submission is pitched against these.", required=True
    )
    nice_to_haves = _lines_field("Nice-to-haves", "One per line.")
    deal_breakers = _lines_field(
        "Deal-breakers", "One per line: what rules a candidate out whatever else they bring."
    )


class RoundForm(PlainTextMixin, forms.Form):
    """One round of the interview plan; a row left blank is ignored."""

    name = forms.CharField(max_length=80, required=False, label="Round")
    duration_minutes = forms.IntegerField(
        required=False, min_value=15, max_value=480, label="Minutes", initial=45
    )
    focus = forms.CharField(
        required=False,
        max_length=1000,
        label="Focus attributes",
        help_text="One per line: what this round probes and scores.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    interviewers = PeopleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, people: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        form_field(self, "interviewers", forms.ModelChoiceField).queryset = people

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not (data.get("name") or data.get("focus") or data.get("interviewers"))

    def round_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        focus = [line.strip() for line in (data.get("focus") or "").splitlines() if line.strip()]
        return {
            "name": (data.get("name") or "").strip(),
            "duration_minutes": data.get("duration_minutes"),
            "focus_attributes": focus,
            "interviewers": sorted(person.pk for person in data.get("interviewers") or []),
        }


class BaseRoundFormSet(forms.BaseFormSet):
    def __init__(self, *args: Any, people: Any = None, **kwargs: Any) -> None:
        self.people = people
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "people": self.people}

    def plan(self) -> list[dict[str, Any]]:
        """The rounds in the order given (the "order" boxes), blank and deleted rows left out."""
        kept = [
            form
            for form in self.forms
            if not form.is_blank() and not form.cleaned_data.get("DELETE")
        ]
        kept.sort(key=lambda form: form.cleaned_data.get("ORDER") or 999)
        return [form.round_data() for form in kept]


# formset_factory makes a subclass of `formset`; its stub only promises a BaseFormSet.
RoundFormSet = cast(
    type[BaseRoundFormSet],
    forms.formset_factory(
        RoundForm, formset=BaseRoundFormSet, extra=0, can_delete=True, can_order=True, max_num=8
    ),
)


def plan_people(version: IntakeVersion) -> Any:
    """Who may be put on a round: the job's interviewers, its HM, and anyone already planned."""
    job = version.job
    planned = {pk for step in version.interview_plan or [] for pk in step.get("interviewers") or []}
    panel = Q(interviewer_jobs=job) | Q(pk=job.hiring_manager_id)
    return (
        get_user_model()
        .objects.filter((panel & Q(is_active=True)) | Q(pk__in=planned))
        .distinct()
        .order_by(*by_name("full_name"), "pk")
    )


def round_formset(version: IntakeVersion, data: Any = None) -> BaseRoundFormSet:
    people = plan_people(version)
    if data is not None:
        return RoundFormSet(data, prefix="round", people=people)
    plan = version.interview_plan or []
    initial = [
        {
            "name": step.get("name"),
            "duration_minutes": step.get("duration_minutes"),
            "focus": "\n".join(step.get("focus_attributes") or []),
            "interviewers": step.get("interviewers") or [],
            "ORDER": index,
        }
        for index, step in enumerate(plan, start=1)
    ]
    # Blank rows to add rounds: enough for a first plan, one more for an existing one.
    blanks = 2 if plan else 3
    initial += [{"duration_minutes": 45, "ORDER": len(plan) + n} for n in range(1, blanks + 1)]
    return RoundFormSet(initial=initial, prefix="round", people=people)


WEEKDAY_CHOICES = [
    ("", "No weekly touch-base"),
    *[(str(i), day) for i, day in enumerate(
        ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    )],
]  # fmt: skip


def _zone_choices(current: str = "") -> list[tuple[str, str]]:
    return [("", "Choose a time zone"), *time_zone_options(current)]


class CadenceForm(JobServiceLevelFields, StepForm):
    touchbase_weekday = forms.TypedChoiceField(
        choices=WEEKDAY_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        label="Touch-base day",
    )
    touchbase_time = forms.TimeField(required=False, label="Starts at", widget=TimeInput())
    touchbase_minutes = forms.IntegerField(min_value=10, max_value=120, label="Minutes")
    touchbase_time_zone = forms.ChoiceField(choices=(), required=False, label="Time zone")
    pulse_weeks = forms.TypedChoiceField(
        choices=PulseCadence.choices,
        coerce=int,
        # Left out of a post (a client that predates it): the default cadence.
        required=False,
        empty_value=DEFAULT_PULSE_WEEKS,  # type: ignore[arg-type]  # the stubs allow str only
        label="Partnership pulse",
        help_text="How often each side rates working with the other (1 to 5, a minute).",
    )
    escalation_contact = PersonChoiceField(
        queryset=None,
        required=False,
        empty_label="Nobody",
        help_text="Hears about asks that wait too long (usually the HM's manager).",
    )
    notes = forms.CharField(
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Anything else both sides agree on.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The agreed zone stays on offer even if it is an old alias, so re-saving keeps it.
        form_field(self, "touchbase_time_zone", forms.ChoiceField).choices = _zone_choices(
            self.version.touchbase_time_zone
        )
        current = self.version.escalation_contact_id
        contact = form_field(self, "escalation_contact", PersonChoiceField)
        contact.queryset = get_user_model().objects.filter(Q(is_active=True) | Q(pk=current))
        if people_typed():  # a big organisation types the name: a list of everyone is huge
            contact.type_in(people_suggest_url("escalation_contact"), who="active")
        self.service_level_fields_add(self.version.service_levels or {}, note_disabled=False)

    def initial_from(self, version: IntakeVersion) -> dict[str, Any]:
        initial = super().initial_from(version)
        initial["escalation_contact"] = version.escalation_contact_id
        weekday = version.touchbase_weekday
        initial["touchbase_weekday"] = "" if weekday is None else str(weekday)
        return initial

    def clean(self) -> dict[str, Any]:
        super().clean()
        self.service_levels_check()
        return self.cleaned_data

    def step_data(self) -> dict[str, Any]:
        data = {
            name: self.cleaned_data[name]
            for name in ("touchbase_weekday", "touchbase_time", "touchbase_minutes", "notes")
        }
        data["pulse_weeks"] = self.cleaned_data["pulse_weeks"]
        data["touchbase_time_zone"] = self.cleaned_data["touchbase_time_zone"]
        data["escalation_contact"] = self.cleaned_data["escalation_contact"]
        data["service_levels"] = self.service_levels_entered()
        return data


STEP_FORMS = {"role": RoleForm, "requirements": RequirementsForm, "cadence": CadenceForm}


class StartForm(forms.Form):
    """Where a new version starts from."""

    SOURCES = [
        ("blank", "A blank form (with the job's own details)"),
        ("last", "The last version"),
        ("template", "A template for the job family"),
    ]
    source = forms.ChoiceField(
        choices=SOURCES,
        widget=forms.RadioSelect,
        initial="blank",
        label="Start from",
    )
    template = forms.ModelChoiceField(
        queryset=IntakeTemplate.objects.all(),
        required=False,
        empty_label="Choose a template",
        label="Template",
    )

    def __init__(self, *args: Any, has_last: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        choices = list(self.SOURCES)
        if not has_last:
            choices = [c for c in choices if c[0] != "last"]
        if not IntakeTemplate.objects.exists():
            choices = [c for c in choices if c[0] != "template"]
            del self.fields["template"]
        form_field(self, "source", forms.ChoiceField).choices = choices
        if has_last:
            self.initial.setdefault("source", "last")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("source") == "template" and not data.get("template"):
            self.add_error("template", "Choose which template to start from.")
        return data


class SendForm(forms.Form):
    recipient = PersonChoiceField(queryset=None, label="Send to", empty_label="Choose someone")

    def __init__(self, *args: Any, people: list[Any], **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        form_field(
            self, "recipient", forms.ModelChoiceField
        ).queryset = get_user_model().objects.filter(pk__in=[p.pk for p in people])
