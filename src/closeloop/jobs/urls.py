from __future__ import annotations

from django.urls import path

from closeloop.jobs import views

app_name = "jobs"
urlpatterns = [
    path("jobs/", views.job_list, name="job-list"),
    path("jobs/new/", views.job_create, name="job-create"),
    path("jobs/people/", views.people_suggest, name="people-suggest"),
    path("jobs/<int:pk>/", views.job_detail, name="job-detail"),
    path("jobs/<int:pk>/edit/", views.job_edit, name="job-edit"),
    path("jobs/<int:pk>/stages/", views.job_stages, name="job-stages"),
    path("stages/<int:pk>/edit/", views.stage_edit, name="stage-edit"),
    path("stages/<int:pk>/move/", views.stage_move, name="stage-move"),
    path("stages/<int:pk>/remove/", views.stage_remove, name="stage-remove"),
]
