from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "enforcement"
    verbose_name = "行政执法"

    def ready(self) -> None:
        from core.models import Department
        from core.sequences import register_official_sequence

        # rules, clock rules, review handler, qualification check, disclosure kind, archive source
        from . import archive, gates, reminders, services  # noqa: F401
        from .models import CaseNumberSequence

        def describe_number(key: dict, serial: int) -> str:
            body = Department.objects.filter(pk=key["body_id"]).first()
            return services.case_number(body, key["year"], serial) if body else f"#{key['body_id']} {key['year']}-{serial}"

        register_official_sequence(CaseNumberSequence, key_fields=("body_id", "year"), label="立案编号",
                                   describe=describe_number)
