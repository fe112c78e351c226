from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "decisions"
    verbose_name = "重大行政决策"

    def ready(self) -> None:
        from core.audit import register_state_choices

        from . import archive, gates, services  # noqa: F401  rules, review outcome handler, disclosure kinds, archive source
        from .models import Catalog, CatalogAdjustment
        from .workflow import DecisionStatus

        register_state_choices(DecisionStatus, Catalog.Status, CatalogAdjustment.Status)
