"""The deterministic demo organisation (filled in by the demo seeding work)."""

from __future__ import annotations

DEMO_PASSWORD = "closeloop-demo"
DEMO_LOGINS: list[tuple[str, str]] = [
    ("rita@example.com", "Recruiter"),
    ("hank@example.com", "Hiring manager"),
    ("ivy@example.com", "Interviewer"),
    ("ada@example.com", "Admin"),
]


def demo_is_seeded() -> bool:
    from closeloop.accounts.models import User

    return User.objects.filter(email="ada@example.com").exists()


def demo_seed() -> None:
    raise NotImplementedError
