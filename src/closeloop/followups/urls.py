from __future__ import annotations

from django.urls import path

from closeloop.followups import settings_views, views

app_name = "followups"
urlpatterns = [
    path("act/<str:token>/", views.act, name="act"),
    path("asks/<int:pk>/snooze/", views.ask_snooze, name="ask-snooze"),
    path("settings/service-levels/", settings_views.service_levels, name="service-levels"),
    path(
        "settings/office-closures/",
        settings_views.office_closure_create,
        name="office-closure-add",
    ),
    path(
        "settings/office-closures/<int:pk>/delete/",
        settings_views.office_closure_remove,
        name="office-closure-delete",
    ),
]
