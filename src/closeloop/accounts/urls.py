from __future__ import annotations

from django.urls import path

from closeloop.accounts import views, views_signin

app_name = "accounts"
urlpatterns = [
    path("login/", views.login, name="login"),
    path("login/code/", views_signin.login_verify, name="login-verify"),
    path("sso/start/", views_signin.sso_start, name="sso-start"),
    path("sso/callback/", views_signin.sso_callback, name="sso-callback"),
    path("logout/", views.logout, name="logout"),
    path("password/change/", views.password_change, name="password-change"),
    path("password/reset/", views.password_reset, name="password-reset"),
    path("password/reset/sent/", views.password_reset_sent, name="password-reset-sent"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password-reset-confirm",
    ),
    path("password/reset/done/", views.password_reset_complete, name="password-reset-complete"),
    path("profile/", views.profile, name="profile"),
    path("people/suggest/", views.people_suggest_view, name="people-suggest"),
    path("two-step/", views_signin.mfa, name="mfa"),
    path("two-step/start/", views_signin.mfa_start, name="mfa-start"),
    path("two-step/enrol/", views_signin.mfa_enrol, name="mfa-enrol"),
    path("two-step/recovery-codes/", views_signin.mfa_codes, name="mfa-codes"),
    path("two-step/remove/", views_signin.mfa_delete, name="mfa-remove"),
    path("sessions/end-others/", views.sessions_end_others, name="sessions-end-others"),
]
