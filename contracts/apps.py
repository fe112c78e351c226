from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "contracts"
    verbose_name = "行政合同"

    def ready(self) -> None:
        from core.audit import register_state_choices

        # rules, clock rules, the review outcome handler
        from . import gates, reminders, services  # noqa: F401
        from .workflow import ContractStatus

        register_state_choices(ContractStatus)
