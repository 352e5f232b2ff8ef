from __future__ import annotations

from django.urls import path

from closeloop.touchbases import views

app_name = "touchbases"
urlpatterns = [
    path("touchbases/<int:pk>/", views.touchbase_detail, name="touchbase-detail"),
    path("touchbases/<int:pk>/notes/", views.touchbase_notes, name="touchbase-notes"),
    path("touchbases/<int:pk>/held/", views.touchbase_held, name="touchbase-held"),
    path("touchbases/<int:pk>/skip/", views.touchbase_skip, name="touchbase-skip"),
    path("touchbases/<int:pk>/move/", views.touchbase_move, name="touchbase-move"),
    path("touchbases/<int:pk>/action-items/", views.action_item_add, name="action-item-add"),
    path("action-items/<int:pk>/", views.action_item_detail, name="action-item"),
    path("action-items/<int:pk>/done/", views.action_item_done, name="action-item-done"),
    path("action-items/<int:pk>/edit/", views.action_item_edit, name="action-item-edit"),
    path("action-items/<int:pk>/drop/", views.action_item_drop, name="action-item-drop"),
    path("jobs/<int:pk>/touchbase/", views.job_current, name="job-current"),
    path("jobs/<int:pk>/touchbase/set-up/", views.series_set_up, name="series-set-up"),
    path("jobs/<int:pk>/touchbase/calendar.ics", views.series_ics, name="series-ics"),
    path("weekly-update/", views.weekly_update_preview, name="weekly-update-preview"),
    path("weekly-update/html/", views.weekly_update_preview_html, name="weekly-update-html"),
    path("weekly-update/settings/", views.weekly_update_settings, name="weekly-update-settings"),
]
