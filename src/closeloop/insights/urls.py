from __future__ import annotations

from django.urls import path

from closeloop.insights import funnel_views, views, waits_views

app_name = "insights"

urlpatterns = [
    path("insights/", views.home, name="home"),
    path("insights/me/", views.my_record, name="my-record"),
    path("insights/people/", views.people, name="people"),
    path("insights/waits/", waits_views.waits, name="waits"),
    path("insights/waits/nudge/<int:pk>/", waits_views.wait_nudge, name="wait-nudge"),
    path("insights/people/<int:pk>/", views.person_record, name="person-record"),
    path("insights/jobs/", funnel_views.jobs_compared, name="jobs"),
    path("insights/jobs/<int:pk>/", funnel_views.job_funnel_page, name="job-funnel"),
]
