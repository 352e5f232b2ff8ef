from __future__ import annotations

from django.urls import path

from closeloop.interviews import views

app_name = "interviews"
urlpatterns = [
    path("applications/<int:pk>/interviews/new/", views.interview_book, name="interview-book"),
    path("interviews/<int:pk>/", views.interview_detail, name="interview-detail"),
    path("jobs/<int:pk>/interviews/", views.job_interviews, name="job-interviews"),
    path("jobs/<int:pk>/debriefs/", views.job_debriefs, name="job-debriefs"),
    path(
        "interviews/<int:pk>/reschedule/",
        views.interview_reschedule,
        name="interview-reschedule",
    ),
    path("interviews/<int:pk>/cancel/", views.interview_cancel, name="interview-cancel"),
    path("interviews/<int:pk>/scorecard/", views.interview_scorecard, name="interview-scorecard"),
    path("interviews/<int:pk>/calendar.ics", views.interview_ics, name="interview-ics"),
    path("debriefs/<int:pk>/", views.debrief_detail, name="debrief-detail"),
    path("debriefs/<int:pk>/calendar.ics", views.debrief_ics, name="debrief-ics"),
    path("debriefs/<int:pk>/decide/", views.debrief_decide, name="debrief-decide"),
    path("debriefs/<int:pk>/meeting/", views.debrief_schedule, name="debrief-schedule"),
    path("debriefs/<int:pk>/informed/", views.debrief_informed, name="debrief-informed"),
]
