from __future__ import annotations

from django.urls import URLPattern, path

from closeloop.partnership.mentorship import views

urlpatterns: list[URLPattern] = [
    path("mentorships/", views.mentorship_list, name="mentorship-list"),
    path("mentorships/propose/", views.mentorship_propose, name="mentorship-propose"),
    path("mentorships/<int:pk>/", views.mentorship_detail, name="mentorship-detail"),
    path("mentorships/<int:pk>/accept/", views.mentorship_accept, name="mentorship-accept"),
    path("mentorships/<int:pk>/decline/", views.mentorship_decline, name="mentorship-decline"),
    path("mentorships/<int:pk>/end/", views.mentorship_end, name="mentorship-end"),
    path("mentorships/<int:pk>/goals/", views.mentorship_goal_add, name="mentorship-goal-add"),
    path("mentorships/<int:pk>/schedule/", views.mentorship_schedule, name="mentorship-schedule"),
    path(
        "mentoring-goals/<int:pk>/reached/",
        views.mentorship_goal_reached,
        name="mentorship-goal-reached",
    ),
    path("mentoring-sessions/<int:pk>/", views.mentorship_session, name="mentorship-session"),
    path(
        "mentoring-sessions/<int:pk>/notes/",
        views.mentorship_session_notes,
        name="mentorship-session-notes",
    ),
    path(
        "mentoring-sessions/<int:pk>/held/",
        views.mentorship_session_held,
        name="mentorship-session-held",
    ),
    path(
        "mentoring-sessions/<int:pk>/actions/",
        views.mentorship_session_action_add,
        name="mentorship-session-action-add",
    ),
    path("mentoring-actions/<int:pk>/", views.mentorship_action, name="mentorship-action"),
    path(
        "mentoring-actions/<int:pk>/done/",
        views.mentorship_action_done,
        name="mentorship-action-done",
    ),
    path("working-with-me/", views.mentorship_card_save, name="mentorship-card-save"),
]
