from __future__ import annotations

from django.urls import URLPattern, path

from closeloop.partnership.pulses import views

urlpatterns: list[URLPattern] = [
    path("pulses/jobs/<int:pk>/", views.pulse_job, name="pulse-job"),
    path("pulses/rounds/<int:pk>/", views.pulse_answer, name="pulse-answer"),
    path("pulses/people/<int:pk>/", views.pulse_person, name="pulse-person"),
]
