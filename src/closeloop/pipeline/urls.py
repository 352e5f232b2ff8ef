from __future__ import annotations

app_name = "pipeline"
urlpatterns: list = []
