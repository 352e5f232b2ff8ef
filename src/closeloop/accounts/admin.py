"""Admin for people: the email-based user, with roles, calendar, manager and delegate."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.http import HttpRequest

from closeloop.accounts.hooks import CALENDAR_FIELDS
from closeloop.accounts.models import User
from closeloop.accounts.services import PROFILE_FIELDS, calendar_announce, profile_problems
from closeloop.lib.folding import by_name


class UserCreateForm(AdminUserCreationForm):
    """Add a person by email and name, with a password (or none: they reset it by email)."""

    class Meta:
        model = User
        fields = ("email", "full_name")


class UserEditForm(UserChangeForm):
    """The profile's rules hold here too: a working calendar and holidays that exist, an
    absence that ends after it starts, a delegate who is someone else and still here."""

    class Meta:
        model = User
        fields = "__all__"

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        profile = {name: data.get(name, getattr(self.instance, name)) for name in PROFILE_FIELDS}
        for field, problem in profile_problems(user=self.instance, data=profile).items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, problem)
        return data


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreateForm
    list_display = (
        "email",
        "full_name",
        "title",
        "is_admin",
        "is_recruiter",
        "is_hiring_manager",
        "is_interviewer",
        "manager",
        "is_active",
    )
    list_filter = (
        "is_admin",
        "is_recruiter",
        "is_hiring_manager",
        "is_interviewer",
        "sees_all_jobs",
        "is_active",
        "is_staff",
    )
    list_select_related = ("manager",)
    search_fields = ("email", "full_name", "title")
    ordering = (*by_name("full_name"), "email")
    autocomplete_fields = ("manager", "delegate")
    # Switching a person off goes through the People page (`accounts.people.user_deactivate`):
    # there their sessions end and their asks move; a tick box here would do neither. Their
    # roles change there too (`user_roles_update`), which refuses to take the hiring manager
    # role from someone live jobs still name, or the last admin's.
    readonly_fields = ("last_login", "date_joined", "is_active")
    ROLE_FIELDS = (
        "is_admin",
        "is_recruiter",
        "is_hiring_manager",
        "is_interviewer",
        "sees_all_jobs",
    )

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        """A calendar changed here moves what is placed in the person's time, as the profile
        page's save does (`accounts.hooks.calendar_changed`), and the admin reads what moved
        ("1 open follow-up Hank Hill owes was re-timed …")."""
        stored = User.objects.filter(pk=obj.pk).values(*CALENDAR_FIELDS).first() if change else None
        super().save_model(request, obj, form, change)
        by = request.user
        if stored is not None and isinstance(by, User):  # the admin site signs people in
            for note in calendar_announce(user=obj, by=by, before=stored):
                self.message_user(request, note, messages.INFO)

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> Any:
        """Roles are chosen when a person is added; later they change on the People page."""
        fixed = super().get_readonly_fields(request, obj)
        return fixed if obj is None else (*fixed, *self.ROLE_FIELDS)

    filter_horizontal = ("groups", "user_permissions")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("full_name", "title", "manager")}),
        (
            "Roles",
            {
                "fields": (
                    "is_admin",
                    "is_recruiter",
                    "is_hiring_manager",
                    "is_interviewer",
                    "sees_all_jobs",
                )
            },
        ),
        (
            "Working calendar",
            {
                "fields": (
                    "time_zone",
                    "work_days",
                    ("work_start", "work_end"),
                    ("holiday_country", "holiday_subdivision"),
                )
            },
        ),
        (
            "Out of office",
            {"fields": (("out_of_office_from", "out_of_office_until"), "delegate")},
        ),
        (
            "Access to this admin",
            {
                "classes": ("collapse",),
                "fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions"),
            },
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "usable_password", "password1", "password2"),
            },
        ),
        (
            "Roles",
            {"fields": ("is_admin", "is_recruiter", "is_hiring_manager", "is_interviewer")},
        ),
    )
