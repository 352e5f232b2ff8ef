from __future__ import annotations

from django.apps import AppConfig


class FollowupsConfig(AppConfig):
    name = "closeloop.followups"
    label = "followups"
    verbose_name = "Follow-ups"
