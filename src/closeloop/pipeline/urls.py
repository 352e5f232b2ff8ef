from __future__ import annotations

from django.urls import path

from closeloop.pipeline import (
    list_views,
    overview_views,
    privacy_views,
    queue_views,
    search_views,
    views,
)

app_name = "pipeline"
urlpatterns = [
    path("", queue_views.queue, name="queue"),
    path("queue/by-job/", queue_views.queue_jobs_page, name="queue-by-job"),
    path("queue/by-job/<int:job_pk>/", queue_views.queue_job_group, name="queue-job-group"),
    path("queue/escalations/", queue_views.queue_escalations, name="queue-escalations"),
    path("queue/<slug:slug>/", queue_views.queue_list, name="queue-list"),
    path("search/", search_views.search, name="search"),
    path("search/suggest/", search_views.search_suggestions, name="search-suggest"),
    path("people/<int:pk>/overdue/", overview_views.person_overdue, name="person-overdue"),
    path("jobs/<int:job_pk>/candidates/new/", views.candidate_add, name="candidate-add"),
    path("jobs/<int:job_pk>/candidates/bulk/", list_views.job_bulk, name="job-bulk"),
    path(
        "jobs/<int:job_pk>/saved-views/", list_views.job_saved_view_create, name="saved-view-create"
    ),
    path("saved-views/<int:pk>/delete/", list_views.saved_view_remove, name="saved-view-delete"),
    path("applications/<int:pk>/tags/", list_views.application_tag_add, name="application-tag-add"),
    path(
        "applications/<int:pk>/tags/<int:tag_pk>/remove/",
        list_views.application_tag_remove,
        name="application-tag-remove",
    ),
    path("candidates/<int:pk>/", views.candidate_detail, name="candidate-detail"),
    path("candidates/<int:pk>/edit/", views.candidate_edit, name="candidate-edit"),
    path("candidates/<int:pk>/resume/", views.candidate_resume, name="candidate-resume"),
    path("candidates/<int:pk>/erase/", privacy_views.candidate_erase, name="candidate-erase"),
    path("candidates/<int:pk>/export/", privacy_views.candidate_export, name="candidate-export"),
    path("candidates/<int:pk>/keep/", privacy_views.candidate_keep, name="candidate-keep"),
    path("candidates/retention/", privacy_views.retention, name="retention"),
    path("applications/<int:pk>/", views.application_detail, name="application-detail"),
    path(
        "applications/<int:pk>/candidate-updated/",
        views.candidate_updated,
        name="candidate-updated",
    ),
    path("applications/<int:pk>/submit/", views.application_submit, name="application-submit"),
    path("applications/<int:pk>/decide/", views.submission_decide, name="submission-decide"),
    path("applications/<int:pk>/question/", views.submission_question, name="submission-question"),
    path("questions/<int:pk>/answer/", views.question_answer, name="question-answer"),
    path("applications/<int:pk>/move/", views.application_move, name="application-move"),
    path("applications/<int:pk>/reject/", views.application_reject, name="application-reject"),
    path(
        "applications/<int:pk>/withdraw/", views.application_withdraw, name="application-withdraw"
    ),
    path("applications/<int:pk>/reopen/", views.application_reopen, name="application-reopen"),
]
