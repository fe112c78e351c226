from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "全站检索"

    def ready(self):
        from . import sync

        sync.connect()
