from __future__ import annotations

from django.urls import URLPattern, path

from closeloop.partnership.calibration import views

urlpatterns: list[URLPattern] = [
    path(
        "calibration/jobs/<int:pk>/",
        views.calibration_round_page,
        name="calibration-round",
    ),
    path(
        "calibration/people/<int:pk>/",
        views.calibration_person_page,
        name="calibration-person",
    ),
]
