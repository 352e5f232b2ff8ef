from __future__ import annotations

from django.urls import path

from closeloop.partnership.surveys import views

urlpatterns = [
    path("surveys/<int:pk>/", views.survey_detail, name="surveys-survey"),
    path("surveys/checkins/<int:pk>/", views.checkin_detail, name="surveys-checkin"),
    path("surveys/jobs/<int:pk>/", views.job_history, name="surveys-job-history"),
    path("surveys/people/<int:pk>/", views.person_history, name="surveys-person-history"),
]
