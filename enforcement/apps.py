from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "enforcement"
    verbose_name = "行政执法"

    def ready(self) -> None:
        from . import reminders, services  # noqa: F401  registers clock rules, review handler, qualification check and disclosure kind
