from __future__ import annotations

from django.urls import path

from closeloop.comments import views

app_name = "comments"
urlpatterns = [
    path("candidates/<int:pk>/comments/", views.candidate_comments, name="candidate-comments"),
    path(
        "applications/<int:pk>/comments/",
        views.application_comments,
        name="application-comments",
    ),
    path("jobs/<int:pk>/comments/", views.job_comments, name="job-comments"),
    path("touchbases/<int:pk>/comments/", views.touchbase_comments, name="touchbase-comments"),
    path("comments/<int:pk>/edit/", views.comment_edit, name="comment-edit"),
    path("comments/<int:pk>/delete/", views.comment_delete, name="comment-delete"),
]
