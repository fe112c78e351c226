from django.apps import AppConfig


class NormativeDocsConfig(AppConfig):
    name = "normative_docs"
    verbose_name = "行政规范性文件"

    def ready(self) -> None:
        from . import reminders, services  # noqa: F401  registers clock rules, the review outcome handler and the disclosure kind
