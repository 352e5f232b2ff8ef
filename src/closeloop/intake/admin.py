"""Admins keep intake templates per job family here; versions are read-only records."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone

from closeloop.followups.policies import ServiceLevels, job_kinds
from closeloop.intake.models import IntakeSignature, IntakeTemplate, IntakeVersion


class IntakeTemplateForm(forms.ModelForm):
    class Meta:
        model = IntakeTemplate
        fields = (
            "name", "job_family", "must_haves", "nice_to_haves", "deal_breakers",
            "interview_plan", "service_levels", "touchbase_weekday", "touchbase_time",
            "touchbase_minutes", "notes",
        )  # fmt: skip
        help_texts = {
            "interview_plan": 'e.g. [{"name": "Technical interview", "duration_minutes": 60, '
            '"focus_attributes": ["Python", "Testing"], "interviewers": []}]',
            "service_levels": 'e.g. {"review_submission": 1, "submit_scorecard": 1}',
            "touchbase_weekday": "0 = Monday … 4 = Friday; empty = no weekly touch-base.",
        }

    def clean_interview_plan(self) -> Any:
        plan = self.cleaned_data["interview_plan"] or []
        if not isinstance(plan, list):
            raise ValidationError("A list of rounds.")
        for index, step in enumerate(plan, start=1):
            if not isinstance(step, dict) or not str(step.get("name") or "").strip():
                raise ValidationError(f"Round {index} needs a name.")
            minutes = step.get("duration_minutes")
            if not isinstance(minutes, int) or not 15 <= minutes <= 480:
                raise ValidationError(f"Round {index} needs a duration of 15 to 480 minutes.")
        return plan

    def clean_service_levels(self) -> Any:
        levels = self.cleaned_data["service_levels"] or {}
        if not isinstance(levels, dict) or set(levels) - set(job_kinds()):
            raise ValidationError(f"Only these kinds: {', '.join(job_kinds())}.")
        try:
            return ServiceLevels.parse(levels).as_json()
        except ValidationError as error:
            raise ValidationError(error.message_dict["service_levels"]) from None


@admin.register(IntakeTemplate)
class IntakeTemplateAdmin(admin.ModelAdmin):
    form = IntakeTemplateForm
    list_display = ("name", "job_family", "updated_at")
    search_fields = ("name", "job_family")

    def save_model(self, request: Any, obj: IntakeTemplate, form: Any, change: bool) -> None:
        obj.updated_at = timezone.now()
        super().save_model(request, obj, form, change)


class SignatureInline(admin.TabularInline):
    model = IntakeSignature
    extra = 0
    can_delete = False
    readonly_fields = ("side", "signed_by", "signed_at")

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(IntakeVersion)
class IntakeVersionAdmin(admin.ModelAdmin):
    """Versions change only through the intake pages (signatures bind them)."""

    list_display = ("job", "number", "status", "proposed_by", "proposed_at", "in_force_at")
    list_filter = ("status",)
    search_fields = ("job__title",)
    inlines = [SignatureInline]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False
