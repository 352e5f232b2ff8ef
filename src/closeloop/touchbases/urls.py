from __future__ import annotations

app_name = "touchbases"
urlpatterns: list = []
