"""Forms of two-step sign-in: a code at sign-in or enrolment, and the proof to change it."""

from __future__ import annotations

from django import forms

from closeloop.lib.text import PlainTextMixin


class CodeForm(PlainTextMixin, forms.Form):
    """A 6-digit code from the app (or, at sign-in, a recovery code)."""

    code = forms.CharField(
        label="Code",
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )


class ProofForm(forms.Form):
    """Your password, or a current code from your app (people who only use SSO)."""

    proof = forms.CharField(
        label="Your password or a current code from your app",
        max_length=200,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
