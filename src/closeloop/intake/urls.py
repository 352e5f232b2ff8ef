from __future__ import annotations

from django.urls import path

from closeloop.intake import views

app_name = "intake"
urlpatterns = [
    path("jobs/<int:pk>/intake/", views.intake_overview_view, name="overview"),
    path("jobs/<int:pk>/intake/start/", views.intake_start, name="start"),
    path("jobs/<int:pk>/intake/draft/propose/", views.intake_propose, name="propose"),
    path("jobs/<int:pk>/intake/draft/discard/", views.intake_discard, name="discard"),
    path("jobs/<int:pk>/intake/draft/<slug:step>/", views.intake_draft_step, name="draft-step"),
    path("jobs/<int:pk>/intake/summary/", views.intake_summary, name="summary"),
    path("jobs/<int:pk>/intake/v/<int:number>/", views.intake_version, name="version"),
    path("jobs/<int:pk>/intake/v/<int:number>/sign/", views.intake_sign, name="sign"),
    path("jobs/<int:pk>/intake/v/<int:number>/send/", views.intake_send, name="send"),
]
