from __future__ import annotations

app_name = "calendars"
urlpatterns: list = []
