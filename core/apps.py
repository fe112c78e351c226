from django.apps import AppConfig


def _describe_index_number(key: dict, serial: int) -> str:
    from .disclosure import format_index_number
    from .models import Department

    body = Department.objects.filter(pk=key["body_id"]).first()
    return format_index_number(body, key["year"], serial) if body else f"{key['body_id']}/{key['year']}-{serial}"


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "公共机制"

    def ready(self) -> None:
        from celery.signals import task_postrun
        from django.core.signals import request_finished

        from . import checks, storage  # noqa: F401  checks registers the system checks
        from .models import DisclosureSequence

        # an upload whose transaction rolled back leaves nothing behind once the request or task ends
        request_finished.connect(storage.discard_uncommitted, dispatch_uid="core.storage.discard_uncommitted")
        task_postrun.connect(storage.discard_uncommitted, dispatch_uid="core.storage.discard_uncommitted", weak=False)
        from .sequences import register_official_sequence

        register_official_sequence(DisclosureSequence, key_fields=("body_id", "year"), label="索引号",
                                   describe=_describe_index_number)
