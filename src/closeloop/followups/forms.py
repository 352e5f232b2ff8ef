"""Forms for answering asks: from a one-click link's confirmation page, or in the app."""

from __future__ import annotations

from django import forms

from closeloop.pipeline.models import RejectionReason


class AdvanceForm(forms.Form):
    note = forms.CharField(
        label="Note for the recruiter (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PassForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why are you passing?", choices=[("", "Choose a reason"), *RejectionReason.choices]
    )
    note = forms.CharField(
        label="Note (required for “Other”)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("reason") == RejectionReason.OTHER and not (data.get("note") or "").strip():
            self.add_error("note", "Say why in the note when the reason is “Other”.")
        return data


class QuestionForm(forms.Form):
    text = forms.CharField(
        label="Your question for the recruiter",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class SnoozeForm(forms.Form):
    reason = forms.CharField(
        label="Why snooze? (the recruiter sees this)",
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": "e.g. travelling until tomorrow"}),
    )


class CandidateUpdatedForm(forms.Form):
    note = forms.CharField(
        label="What did you tell the candidate?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


FORMS = {"advance": AdvanceForm, "pass": PassForm, "question": QuestionForm, "snooze": SnoozeForm}
