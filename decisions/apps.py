from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "decisions"
    verbose_name = "重大行政决策"

    def ready(self) -> None:
        from . import services  # noqa: F401  registers the legality review outcome handler
