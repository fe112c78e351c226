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
        from axes.signals import user_locked_out
        from celery.signals import task_postrun
        from django.contrib.auth.signals import (
            user_logged_in,
            user_logged_out,
            user_login_failed,
        )
        from django.core.signals import request_finished

        from . import accounts

        # security events (login, logout, failures, lockouts) into the audit trail; sessions and tokens
        user_logged_in.connect(accounts.on_logged_in, dispatch_uid="core.accounts.logged_in")
        user_logged_out.connect(accounts.on_logged_out, dispatch_uid="core.accounts.logged_out")
        user_login_failed.connect(accounts.on_login_failed, dispatch_uid="core.accounts.login_failed")
        user_locked_out.connect(accounts.on_locked_out, dispatch_uid="core.accounts.locked_out")

        from . import checks, storage  # noqa: F401  checks registers the system checks
        from .models import DisclosureSequence

        # an upload whose transaction rolled back leaves nothing behind once the request or task ends
        request_finished.connect(storage.discard_uncommitted, dispatch_uid="core.storage.discard_uncommitted")
        task_postrun.connect(storage.discard_uncommitted, dispatch_uid="core.storage.discard_uncommitted", weak=False)
        from .sequences import register_official_sequence

        register_official_sequence(DisclosureSequence, key_fields=("body_id", "year"), label="索引号",
                                   describe=_describe_index_number)
