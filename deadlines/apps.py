from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeadlinesConfig(AppConfig):
    name = "deadlines"
    verbose_name = _("期限与提醒")

    def ready(self) -> None:
        from . import gates, rules  # noqa: F401  (registers the working-day rules and the reminder rules)
