from __future__ import annotations

from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "closeloop.intake"
    label = "intake"
    verbose_name = "Intake agreements"

    def ready(self) -> None:
        from closeloop.followups.selectors import register_ask_url

        # A sign_intake ask ("intake:<version pk>:<side>") is answered on the version's page.
        register_ask_url("intake", _sign_url)


def _sign_url(ask: object) -> str:
    from django.urls import reverse

    from closeloop.intake.models import IntakeVersion

    pk = [*ask.subject.split(":"), ""][1]  # type: ignore[attr-defined]
    version = IntakeVersion.objects.filter(pk=int(pk) if pk.isdigit() else 0).first()
    if version is None:
        return reverse("pipeline:queue")
    return reverse("intake:version", kwargs={"pk": version.job_id, "number": version.number})
