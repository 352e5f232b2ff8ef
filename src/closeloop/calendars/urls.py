from __future__ import annotations

from django.urls import path

from closeloop.calendars import views

app_name = "calendars"
urlpatterns = [
    path("calendar/feed/<str:token>.ics", views.feed, name="feed"),
    path("calendar/feed/new/", views.feed_create, name="feed-create"),
    path("calendar/feed/revoke/", views.feed_delete, name="feed-revoke"),
]
