from __future__ import annotations

from django.urls import path

from closeloop.insights import views

app_name = "insights"

urlpatterns = [
    path("insights/me/", views.my_record, name="my-record"),
    path("insights/people/", views.people, name="people"),
    path("insights/waits/", views.waits, name="waits"),
    path("insights/waits/nudge/<int:pk>/", views.wait_nudge, name="wait-nudge"),
    path("insights/people/<int:pk>/", views.person_record, name="person-record"),
]
