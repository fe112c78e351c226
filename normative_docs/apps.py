from django.apps import AppConfig


class NormativeDocsConfig(AppConfig):
    name = "normative_docs"
    verbose_name = "行政规范性文件"
